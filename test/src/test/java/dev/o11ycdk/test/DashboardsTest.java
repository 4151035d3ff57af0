package dev.o11ycdk.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.o11ycdk.config.Rendering;
import dev.o11ycdk.grafana.Dashboard;
import dev.o11ycdk.grafana.DashboardRules;
import dev.o11ycdk.grafana.Dashboards;
import dev.o11ycdk.test.support.Cfn;
import dev.o11ycdk.test.support.PrometheusTools;
import dev.o11ycdk.test.support.Synth;
import dev.o11ycdk.test.support.Tools;
import dev.o11ycdk.test.support.UsesTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dashboards as code: the seed's set, stable UIDs, reservation-relative utilisation, valid PromQL. */
class DashboardsTest {
    private static final Pattern GRAFANA_VAR = Pattern.compile("\\$\\{?(\\w+)\\}?");

    private static List<Dashboard> allDeployed() {
        var stacks = Synth.defaults().stacks();
        List<Dashboard> all = new ArrayList<>(stacks.fargate().getGrafana().getDashboards());
        all.add(Dashboards.nodeExporter());
        return all;
    }

    /** Grafana's variables replaced by what they stand for, so promtool can parse the query. */
    static String asPromql(String expr) {
        Matcher m = GRAFANA_VAR.matcher(expr);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String v = m.group(1);
            String value = switch (v) {
                case "__rate_interval", "__interval" -> "5m";
                case "__range" -> "1h";
                default -> ".*";
            };
            m.appendReplacement(sb, Matcher.quoteReplacement(value));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** Every dashboard each layout provisions, by layout. */
    private static Map<String, List<Map<String, Object>>> provisionedJson() throws IOException {
        Map<String, List<Map<String, Object>>> out = new LinkedHashMap<>();
        Synth.defaults().renderedFiles().forEach((stack, files) -> files.forEach((path, content) -> {
            if (path.endsWith(".json") && (path.contains("dashboards/") || path.contains("dashboards\\"))) {
                out.computeIfAbsent(stack, k -> new ArrayList<>()).add(parse(content));
            }
        }));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(String json) {
        try {
            return Rendering.jsonMapper().readValue(json, Map.class);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyDashboardIsTheClassicModelGrafana13ProvisionsFromFilesWithoutAngularPanels() throws IOException {
        Map<String, List<Map<String, Object>>> byLayout = provisionedJson();
        assertThat(byLayout).containsOnlyKeys("O11yEc2Host", "O11yFargate", "O11yEks");
        // Angular support is gone since Grafana 12: these panels would render as an error.
        List<String> angular = List.of("graph", "singlestat", "table-old", "grafana-piechart-panel", "grafana-worldmap-panel",
                "grafana-clock-panel", "natel-discrete-panel");
        byLayout.forEach((layout, dashboards) -> dashboards.forEach(d -> {
            // File provisioning takes the classic JSON model, not the v2 resource (apiVersion, elements, layout).
            assertThat(d).as(layout + " " + d.get("uid")).doesNotContainKeys("apiVersion", "elements", "layout", "spec");
            assertThat(d.get("schemaVersion")).as(layout + " " + d.get("uid")).isInstanceOf(Integer.class);
            for (Map<String, Object> p : (List<Map<String, Object>>) d.get("panels")) {
                assertThat((String) p.get("type")).as(layout + " " + d.get("uid") + " " + p.get("title")).isNotIn(angular);
                Object ds = p.get("datasource");
                if (ds instanceof Map<?, ?> ref && ref.get("uid") instanceof String uid && !uid.startsWith("$")) {
                    assertThat(uid).matches(dev.o11ycdk.grafana.Datasource.UID);
                }
            }
        }));
    }

    @Test
    void aDatasourceUidGrafana12RefusesIsRefusedAtSynth() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new dev.o11ycdk.grafana.Datasource("P", "prometheus",
                "prometheus.main", "http://p:9090", true, null))
                .hasMessage("datasource uid = 'prometheus.main': Grafana 12 and later refuse it: at most 40 letters, digits, '-' and '_'");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new dev.o11ycdk.grafana.Datasource("P", "prometheus",
                "p".repeat(41), "http://p:9090", true, null)).hasMessageContaining("at most 40");
    }

    @UsesTools
    @Test
    void everyDashboardQueryIsValidPromqlForPromtool(@TempDir Path dir) throws IOException {
        String promtool = PrometheusTools.promtool();
        List<Map<String, Object>> rules = new ArrayList<>();
        int i = 0;
        for (Dashboard d : allDeployed()) {
            for (String expr : d.expressions()) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("record", "o11y_dashboard_query_" + i++);
                r.put("expr", asPromql(expr));
                rules.add(r);
            }
        }
        assertThat(i).isGreaterThan(40);
        Files.writeString(dir.resolve("queries.yml"), Rendering.yaml(Map.of("groups", List.of(Map.of("name", "dashboards", "rules", rules)))));
        Tools.Result r = Tools.run(List.of(promtool, "check", "rules", "queries.yml"), dir, 60);
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS: " + i + " rules found");
    }

    @UsesTools
    @Test
    void promqlCheckIsLiveAndRejectsABrokenQuery(@TempDir Path dir) throws IOException {
        String promtool = PrometheusTools.promtool();
        Files.writeString(dir.resolve("q.yml"), Rendering.yaml(Map.of("groups", List.of(Map.of("name", "d",
                "rules", List.of(Map.of("record", "x", "expr", asPromql("sum by (service (rate(up[$__rate_interval]))"))))))));
        assertThat(Tools.run(List.of(promtool, "check", "rules", "q.yml"), dir, 60).exitCode()).isNotZero();
    }

    @Test
    void fargateLayoutShipsTheSeedDashboardsWithStableUids() {
        Map<String, String> titles = new LinkedHashMap<>();
        Synth.defaults().stacks().fargate().getGrafana().getDashboards().forEach(d -> titles.put(d.getUid(), d.getTitle()));
        assertThat(titles).containsExactly(
                Map.entry("o11y-infra", "Infrastructure Overview"),
                Map.entry("o11y-ecs", "ECS Cluster"),
                Map.entry("o11y-apm", "Application Performance"),
                Map.entry("o11y-cost", "Cost Estimation"),
                Map.entry("o11y-service", "Service"));
    }

    @Test
    void applicationPerformanceHasLatencyPercentilesRpsAndErrorRateFromTheRecordedSeries() {
        List<String> exprs = Dashboards.applicationPerformance().expressions();
        assertThat(exprs).anyMatch(e -> e.startsWith("histogram_quantile(0.5, sum by (le) (" + DashboardRules.LATENCY_BUCKETS))
                .anyMatch(e -> e.startsWith("histogram_quantile(0.95, sum by (le) (" + DashboardRules.LATENCY_BUCKETS))
                .anyMatch(e -> e.startsWith("histogram_quantile(0.99, sum by (le) (" + DashboardRules.LATENCY_BUCKETS))
                .anyMatch(e -> e.contains(DashboardRules.LATENCY + "{service=~\"$service\",quantile=\"0.95\"}"))
                .anyMatch(e -> e.equals("sum(" + DashboardRules.REQUESTS + "{service=~\"$service\"})"))
                .anyMatch(e -> e.contains(DashboardRules.ERROR_RATIO))
                .anyMatch(e -> e.contains(DashboardRules.ENDPOINT_LATENCY));
    }

    @Test
    void noPanelReadsMicrometersRawSeriesAtViewTime() {
        // At 1,000 services the raw buckets are ~48,000 series: the recording rules aggregate them once per evaluation.
        provisioned().forEach((where, expr) -> assertThat(dev.o11ycdk.test.support.PromQl.selectors(expr))
                .as(where + ": " + expr).noneMatch(sel -> sel.metric() != null && sel.metric().startsWith("http_server_requests_seconds")));
        assertThat(dev.o11ycdk.test.support.PromQl.selectors("sum(rate(http_server_requests_seconds_bucket[1m]))"))
                .as("the check itself").anyMatch(sel -> "http_server_requests_seconds_bucket".equals(sel.metric()));
    }

    @Test
    void aPanelThatWouldDrawEveryServiceOrPodDrawsTheWorstFewFirst() {
        Map<String, String> perService = new LinkedHashMap<>();
        provisionedTargets().forEach((where, target) -> {
            if (target.legend() != null && target.legend().matches(".*\\{\\{(service|pod|service_name)}}.*")) {
                perService.put(where, target.expr());
            }
        });
        assertThat(perService).hasSizeGreaterThan(20);
        // Ranked once over the range shown (TopPanelsOverRangeTest: what that draws), the same expression on both sides.
        java.util.regex.Pattern top = java.util.regex.Pattern.compile(
                "sort_desc\\(\\((.*)\\) and topk\\((10|20), max_over_time\\(\\((.*)\\)\\[\\$__range:\\$__interval] @ end\\(\\)\\)\\)\\)");
        perService.forEach((where, expr) -> {
            java.util.regex.Matcher m = top.matcher(expr);
            assertThat(m.matches()).as(where + ": " + expr).isTrue();
            assertThat(m.group(3)).as(where).isEqualTo(m.group(1));
        });
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyVariableOpensOnAllWhichMatchesEveryValueAsOneRegex() throws IOException {
        provisionedJson().forEach((layout, dashboards) -> dashboards.forEach(d -> {
            for (Map<String, Object> v : (List<Map<String, Object>>) ((Map<String, Object>) d.get("templating")).get("list")) {
                String where = layout + " " + d.get("uid") + " $" + v.get("name");
                assertThat(v).as(where).containsEntry("includeAll", true).containsEntry("multi", true).containsEntry("allValue", ".+");
                assertThat((Map<String, Object>) v.get("current")).as(where).containsEntry("value", List.of("$__all"));
            }
            assertThat(d).as(layout + " " + d.get("uid")).containsEntry("refresh", "1m")
                    .containsEntry("time", Map.of("from", "now-1h", "to", "now"));
        }));
        // A multi-value variable is written as a regex: panels match it with =~, never =.
        provisioned().forEach((where, expr) -> assertThat(expr).as(where).doesNotContainPattern("=\\s*\"\\$"));
    }

    /** Every target of every dashboard each layout provisions (its rendered JSON), by layout, dashboard title, panel title and target. */
    @SuppressWarnings("unchecked")
    private static Map<String, Dashboard.Target> provisionedTargets() {
        Map<String, Dashboard.Target> out = new LinkedHashMap<>();
        try {
            provisionedJson().forEach((layout, dashboards) -> dashboards.forEach(d -> {
                for (Map<String, Object> p : (List<Map<String, Object>>) d.get("panels")) {
                    List<Map<String, Object>> targets = (List<Map<String, Object>>) p.get("targets");
                    for (int i = 0; i < targets.size(); i++) {
                        out.put(layout + " " + d.get("title") + " / " + p.get("title") + " #" + i,
                                new Dashboard.Target((String) targets.get(i).get("expr"), (String) targets.get(i).get("legendFormat")));
                    }
                }
            }));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertThat(out).hasSizeGreaterThan(40);
        return out;
    }

    private static Map<String, String> provisioned() {
        Map<String, String> out = new LinkedHashMap<>();
        provisionedTargets().forEach((k, t) -> out.put(k, t.expr()));
        return out;
    }

    @Test
    void utilisationIsRelativeToTheTaskReservationNeverTheHost() {
        for (Dashboard d : Synth.defaults().stacks().fargate().getGrafana().getDashboards()) {
            for (Dashboard.Panel p : d.getPanels()) {
                String exprs = String.join(" ", p.targets().stream().map(Dashboard.Target::expr).toList());
                assertThat(exprs).as(d.getUid() + " / " + p.title()).doesNotContainPattern("node_cpu|(?<!ecs_)container_cpu_usage|machine_cpu");
                if (p.title().matches("(?i).*(cpu|memory).*(reserv|of ).*")) {
                    assertThat(exprs).as(d.getUid() + " / " + p.title())
                            .containsAnyOf("ecs_cpu_utilization", "ecs_memory_utilization", "ecs_task_cpu_limit_vcpus", "ecs_task_memory_limit_bytes");
                }
            }
        }
    }

    @Test
    void costEstimationPricesReservedAndUsedVcpuAndMemory() {
        String all = String.join("\n", Dashboards.costEstimation(dev.o11ycdk.cost.Prices.forRegion("ap-northeast-2").orElseThrow().fargate()).expressions());
        assertThat(all).contains("sum by (service) (ecs_task_cpu_limit_vcpus) * 0.04656",
                "sum by (service) (ecs_task_memory_limit_bytes) / 1073741824 * 0.00511",
                "rate(ecs_container_cpu_usage_seconds_total[$__rate_interval])", "ecs_container_memory_usage_bytes", "* 730");
    }

    @Test
    void oneServiceDashboardServesEveryDiscoveredServiceThroughItsVariable() {
        Dashboard d = Dashboards.service();
        String json = d.toJson();
        assertThat(json).contains("\"name\" : \"service\"", "label_values(up{service!=\\\"\\\"}, service)");
        assertThat(d.expressions()).allMatch(e -> e.contains("$service"));
        // No service name is baked in: the Grafana task definition does not change when a service joins.
        Synth synth = Synth.defaults();
        Map<String, Object> grafana = Cfn.container(synth.templateJson(synth.stacks().fargate()), "GrafanaTaskDefinition");
        assertThat(String.valueOf(grafana)).doesNotContain("api-1", "atlantis", "for v in");
    }
}
