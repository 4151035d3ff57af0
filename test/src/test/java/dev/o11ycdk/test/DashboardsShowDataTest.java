package dev.o11ycdk.test;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.sun.net.httpserver.HttpServer;
import dev.o11ycdk.config.PrometheusConfig;
import dev.o11ycdk.config.Rendering;
import dev.o11ycdk.config.ScrapeJob;
import dev.o11ycdk.fargate.FargatePrometheus;
import dev.o11ycdk.host.ObservabilityInstance;
import dev.o11ycdk.test.support.DiscoveryFixture;
import dev.o11ycdk.test.support.EndToEnd;
import dev.o11ycdk.test.support.GrafanaQueries;
import dev.o11ycdk.test.support.GrafanaQueries.Selection;
import dev.o11ycdk.test.support.LocalProcess;
import dev.o11ycdk.test.support.MetricsNotServedHere;
import dev.o11ycdk.test.support.PrometheusTools;
import dev.o11ycdk.test.support.SpringBootMetrics;
import dev.o11ycdk.test.support.StandIns;
import dev.o11ycdk.test.support.Synth;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every panel of every dashboard a layout provisions shows data when it opens: a real Prometheus
 * (Debian's 3.5.3) on loopback with the layout's rendered rules, scraping a few discovered services
 * that serve what Spring Boot's Micrometer serves ({@link SpringBootMetrics}) and a real node_exporter,
 * each panel asked as Grafana asks it ({@link GrafanaQueries}: variables resolved with label_values,
 * "All", the range and step it opens on), with the variables at their defaults and with one value
 * chosen. Only a query that reads a metric of {@link MetricsNotServedHere} may come back empty.
 * Scrape and evaluation every second (the rules' windows as rendered), so data arrives in seconds.
 */
@EndToEnd
// Each case waits for a whole minute of data at the panels' 1m step, idle: the three wait together.
@Execution(ExecutionMode.CONCURRENT)
class DashboardsShowDataTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Duration TIME_INTERVAL = Duration.ofSeconds(15);
    private final List<HttpServer> servers = new ArrayList<>();

    private HttpServer springBoot(int index, String path) throws IOException {
        int port = LocalProcess.freePort();
        HttpServer s = StandIns.springBootService(new InetSocketAddress("127.0.0.1", port), path,
                new SpringBootMetrics(index, System.currentTimeMillis() / 1000.0 - 3600));
        servers.add(s);
        return s;
    }

    private static String address(HttpServer s) {
        return "127.0.0.1:" + s.getAddress().getPort();
    }

    private void stopAll() {
        servers.forEach(s -> s.stop(0));
    }

    private static LocalProcess prometheus(Path dir, int port) throws Exception {
        LocalProcess p = LocalProcess.start("prometheus", List.of(PrometheusTools.prometheus(), "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port), dir, Map.of());
        assertThat(LocalProcess.await(Duration.ofSeconds(30), () -> LocalProcess.get("http://127.0.0.1:" + port + "/-/ready") != null))
                .as("prometheus ready\n" + p.log()).isTrue();
        return p;
    }

    private static PrometheusConfig fast(PrometheusConfig config, int selfPort, String... drop) {
        return config.toBuilder().scrapeInterval("1s").evaluationInterval("1s").scrapeTimeout("1s")
                .removeJobs(drop)
                .scrapeJob(ScrapeJob.builder("prometheus").staticTargets(List.of("127.0.0.1:" + selfPort), Map.of()).build())
                .build();
    }

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void everyFargatePanelShowsDataWhenOpenedAndWithOneServiceChosen(@TempDir Path dir) throws Exception {
        DiscoveryFixture fixture = DiscoveryFixture.load();
        Map<String, String> addresses = new LinkedHashMap<>();
        int i = 0;
        for (String ecs : List.of("PaymentsStack-PaymentsService-1AB2", "canary", "api-1", "legacy")) {
            addresses.put(ecs, address(springBoot(i++, DiscoveryFixture.metricsPath(fixture.entry(ecs)))));
        }
        DiscoveryFixture.write(dir.resolve("discovery/ecs-o11y-platform.yaml"), fixture.at(addresses));
        int port = LocalProcess.freePort();
        FargatePrometheus prometheus = Synth.defaults().stacks().fargate().getPrometheus();
        Files.writeString(dir.resolve("prometheus.yml"), fast(prometheus.getLocalProfile(dir.resolve("discovery") + "/ecs-*.yaml", null),
                port, "prometheus").toYaml());
        Map<String, String> files = Synth.defaults().renderedFiles().get("O11yFargate");
        writeRules(dir, files.get("prometheus/rules/o11y.yml"));
        try (LocalProcess prom = prometheus(dir, port)) {
            assertThat(LocalProcess.await(Duration.ofSeconds(30), () -> LocalProcess.get("http://127.0.0.1:" + port
                    + "/api/v1/query?query=count(up%3D%3D1)") != null && new GrafanaQueries.Api(port).query("count(up == 1)").path(0)
                    .path("value").path(1).asInt() == 5)).as("four services and Prometheus up\n" + prom.log()).isTrue();
            assertEveryPanelShowsData(port, dashboards(files, "grafana/dashboards/"), files.get("prometheus/rules/o11y.yml"), prom);
        } finally {
            stopAll();
        }
    }

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void everyHostPanelShowsDataWhenOpenedAndWithOneInstanceChosen(@TempDir Path dir) throws Exception {
        int port = LocalProcess.freePort();
        int nodePort = LocalProcess.freePort();
        ObservabilityInstance host = Synth.defaults().stacks().ec2Host().getHost();
        Map<String, String> files = Synth.defaults().renderedFiles().get("O11yEc2Host");
        Files.createDirectories(dir.resolve("targets"));
        Files.writeString(dir.resolve("targets/node.json"), "[{\"targets\": [\"127.0.0.1:" + nodePort + "\"]}]\n");
        // Its Alertmanager and the tagged instances (EC2 discovery calls AWS) are left out.
        Files.writeString(dir.resolve("prometheus.yml"), fast(host.getPrometheusConfig(), port, "prometheus", "ec2", "alertmanager")
                .toBuilder().removeAlertmanagers().build().toYaml());
        writeRules(dir, files.get("etc/prometheus/rules/o11y.yml"));
        try (LocalProcess node = LocalProcess.start("node_exporter", List.of(PrometheusTools.nodeExporter(),
                "--web.listen-address=127.0.0.1:" + nodePort), dir, Map.of());
             LocalProcess prom = prometheus(dir, port)) {
            assertEveryPanelShowsData(port, dashboards(files, "etc/grafana/dashboards/"), files.get("etc/prometheus/rules/o11y.yml"), prom);
        }
    }

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    @SuppressWarnings("unchecked")
    void everyEksPanelShowsDataWhenOpenedAndWithOneValueChosen(@TempDir Path dir) throws Exception {
        Map<String, String> files = Synth.defaults().renderedFiles().get("O11yEks");
        int port = LocalProcess.freePort();
        int nodePort = LocalProcess.freePort();
        // The services-* jobs as rendered, their endpointslice discovery swapped for a file of the same meta
        // labels (what kubernetes_sd gives each endpoint): their relabelling runs as on the cluster.
        List<Map<String, Object>> jobs = new ArrayList<>();
        List<Map<String, Object>> endpoints = new ArrayList<>();
        int i = 0;
        for (Map<String, Object> job : (List<Map<String, Object>>) YAML.readValue(files.get("kubernetes/additional-scrape-configs.yml"), List.class)) {
            Map<String, Object> copy = new LinkedHashMap<>(job);
            copy.remove("kubernetes_sd_configs");
            copy.put("file_sd_configs", List.of(Map.of("files", List.of(dir.resolve("endpoints.yaml").toString()), "refresh_interval", "1s")));
            copy.put("scrape_interval", "1s");
            copy.put("scrape_timeout", "1s");
            jobs.add(copy);
            Map<String, Object> keep = ((List<Map<String, Object>>) job.get("relabel_configs")).get(0);
            String[] regex = String.valueOf(keep.get("regex")).split(";");
            for (String service : regex[0].replaceAll("[()]", "").split("\\|")) {
                HttpServer s = springBoot(i, String.valueOf(job.get("metrics_path")));
                endpoints.add(Map.of("targets", List.of(address(s)), "labels", Map.of(
                        "__meta_kubernetes_service_name", service, "__meta_kubernetes_endpointslice_port", regex[1],
                        "__meta_kubernetes_endpointslice_endpoint_conditions_ready", "true",
                        "__meta_kubernetes_namespace", "default", "__meta_kubernetes_pod_name", service + "-7d9f8-" + i++)));
            }
        }
        Files.writeString(dir.resolve("endpoints.yaml"), YAML.writeValueAsString(endpoints));
        // kube-prometheus-stack's own jobs are the chart's: Prometheus itself and node-exporter (its job label).
        jobs.add(Map.of("job_name", "prometheus", "static_configs", List.of(Map.of("targets", List.of("127.0.0.1:" + port)))));
        jobs.add(Map.of("job_name", "node-exporter", "static_configs", List.of(Map.of("targets", List.of("127.0.0.1:" + nodePort)))));
        Files.writeString(dir.resolve("prometheus.yml"), Rendering.yaml(Map.of(
                "global", Map.of("scrape_interval", "1s", "scrape_timeout", "1s", "evaluation_interval", "1s"),
                "rule_files", List.of("rules/o11y.yml"), "scrape_configs", jobs)));
        writeRules(dir, files.get("kubernetes/rules.yml"));
        try (LocalProcess node = LocalProcess.start("node_exporter", List.of(PrometheusTools.nodeExporter(),
                "--web.listen-address=127.0.0.1:" + nodePort), dir, Map.of());
             LocalProcess prom = prometheus(dir, port)) {
            assertEveryPanelShowsData(port, dashboards(files, "kubernetes/dashboards/"), files.get("kubernetes/rules.yml"), prom);
        } finally {
            stopAll();
        }
    }

    private static void writeRules(Path dir, String rules) throws IOException {
        Files.createDirectories(dir.resolve("rules"));
        Files.writeString(dir.resolve("rules/o11y.yml"), rules);
    }

    private static List<GrafanaQueries.Dashboard> dashboards(Map<String, String> files, String folder) {
        List<GrafanaQueries.Dashboard> out = new ArrayList<>();
        files.forEach((path, text) -> {
            if (path.startsWith(folder) && path.endsWith(".json")) {
                out.add(GrafanaQueries.parse(text));
            }
        });
        assertThat(out).as(folder).isNotEmpty();
        return out;
    }

    /** Recording rules of a rendered rule file: record name to expression. */
    @SuppressWarnings("unchecked")
    static Map<String, String> recordingRules(String ruleFile) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map<String, Object> g : (List<Map<String, Object>>) YAML.readValue(ruleFile, Map.class).get("groups")) {
            for (Map<String, Object> r : (List<Map<String, Object>>) g.get("rules")) {
                if (r.get("record") != null) {
                    out.merge(String.valueOf(r.get("record")), String.valueOf(r.get("expr")), (a, b) -> a + " or " + b);
                }
            }
        }
        return out;
    }

    /** Waits (bounded) until every servable query of every dashboard has data, with defaults and with one value chosen; fails naming the empty ones. */
    private static void assertEveryPanelShowsData(int port, List<GrafanaQueries.Dashboard> dashboards, String ruleFile, LocalProcess prom)
            throws Exception {
        GrafanaQueries.Api api = new GrafanaQueries.Api(port);
        Map<String, String> rules = recordingRules(ruleFile);
        Map<String, String> empty = new TreeMap<>();
        Map<String, String> allowed = new TreeMap<>();
        int[] asked = {0};
        // A panel's step is at least a minute (Dashboard.MIN_INTERVAL) and the range ends on a step, as Grafana
        // aligns it: what arrived after the last whole minute shows from the next one.
        boolean full = LocalProcess.await(Duration.ofSeconds(150), () -> {
            empty.clear();
            allowed.clear();
            asked[0] = 0;
            for (GrafanaQueries.Dashboard d : dashboards) {
                for (boolean one : new boolean[] {false, true}) {
                    long now = System.currentTimeMillis() / 1000;
                    Map<String, List<String>> options = new LinkedHashMap<>();
                    Map<String, Selection> chosen = new LinkedHashMap<>();
                    if (one) {
                        // One value of each variable (its first option, as the dropdown lists them), chosen in order.
                        for (GrafanaQueries.Variable v : d.variables()) {
                            GrafanaQueries.resolve(api, d, chosen, now, options);
                            List<String> values = options.get(v.name());
                            chosen.put(v.name(), values.isEmpty() ? Selection.allOf() : Selection.of(values.get(0)));
                        }
                    }
                    Map<String, Selection> selected = GrafanaQueries.resolve(api, d, chosen, now, options);
                    for (GrafanaQueries.RangeQuery q : GrafanaQueries.queries(d, selected, options, now, TIME_INTERVAL)) {
                        asked[0]++;
                        String where = d.title() + " / " + q.panel() + (one ? " (one value: " + selected + ")" : " (defaults)");
                        if (!hasData(api.queryRange(q))) {
                            Set<String> unserved = MetricsNotServedHere.notServed(q.query(), rules);
                            (unserved.isEmpty() ? empty : allowed).put(where + ": " + q.query(), String.valueOf(unserved));
                        }
                    }
                }
            }
            return empty.isEmpty();
        });
        allowed.forEach((q, metrics) -> System.out.println("Dashboards: no data here, as expected (" + metrics + "): " + q));
        assertThat(asked[0]).isGreaterThan(10);
        assertThat(empty).as("panels without data (only metrics of MetricsNotServedHere may be missing)\n" + prom.log()).isEmpty();
        assertThat(full).isTrue();
    }

    /** At least one series with a number (not NaN) at some step. */
    private static boolean hasData(JsonNode result) {
        for (JsonNode series : result) {
            for (JsonNode point : series.path("values")) {
                String v = point.path(1).asText();
                if (!v.equals("NaN") && !v.isEmpty()) {
                    return true;
                }
            }
        }
        return false;
    }
}
