package dev.o11ycdk.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.o11ycdk.config.Rendering;
import dev.o11ycdk.grafana.Dashboard;
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
    void applicationPerformanceHasLatencyPercentilesRpsAndErrorRate() {
        List<String> exprs = Dashboards.applicationPerformance().expressions();
        assertThat(exprs).anyMatch(e -> e.startsWith("histogram_quantile(0.5,"))
                .anyMatch(e -> e.startsWith("histogram_quantile(0.95,"))
                .anyMatch(e -> e.startsWith("histogram_quantile(0.99,"))
                .anyMatch(e -> e.startsWith("sum by (service) (rate(http_server_requests_seconds_count"))
                .anyMatch(e -> e.contains("status=~\"5..\""));
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
