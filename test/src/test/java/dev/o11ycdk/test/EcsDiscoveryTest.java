package dev.o11ycdk.test;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.o11ycdk.config.AlertRules;
import dev.o11ycdk.config.EcsDiscoveryConfig;
import dev.o11ycdk.config.PromDuration;
import dev.o11ycdk.config.PrometheusConfig;
import dev.o11ycdk.config.RuleGroups;
import dev.o11ycdk.config.ScrapeJob;
import dev.o11ycdk.fargate.FargatePrometheus;
import dev.o11ycdk.test.support.DiscoveryFixture;
import dev.o11ycdk.test.support.EndToEnd;
import dev.o11ycdk.test.support.LocalProcess;
import dev.o11ycdk.test.support.PrometheusTools;
import dev.o11ycdk.test.support.StandIns;
import dev.o11ycdk.test.support.Synth;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ECS discovery contract on Debian's real Prometheus, on loopback: it reads a result file the real
 * ADOT ecs_observer wrote (resources/ecs-discovery), relabels it to the platform's service, env, team,
 * job and ECS labels with the scrape job FargatePrometheus renders, scrapes each task on its own
 * metrics path, follows the file as services join and leave, and alerts when the file goes stale.
 * The sidecar itself cannot run in CI (no collector binary can be installed here); see the README of
 * the fixture for the run that produced it.
 */
@EndToEnd
class EcsDiscoveryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PAYMENTS = "PaymentsStack-PaymentsService-1AB2";

    private static JsonNode query(int port, String promql) {
        String body = LocalProcess.get("http://127.0.0.1:" + port + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        try {
            return body == null ? JSON.createArrayNode() : JSON.readTree(body).path("data").path("result");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static LocalProcess prometheus(Path dir, int port, PrometheusConfig config) throws Exception {
        return prometheus(dir, port, config.toYaml());
    }

    private static LocalProcess prometheus(Path dir, int port, String config) throws Exception {
        String bin = PrometheusTools.prometheus();
        Files.writeString(dir.resolve("prometheus.yml"), config);
        LocalProcess p = LocalProcess.start("prometheus", List.of(bin, "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port), dir, Map.of());
        assertThat(LocalProcess.await(Duration.ofSeconds(30), () -> LocalProcess.get("http://127.0.0.1:" + port + "/-/ready") != null))
                .as("prometheus ready\n" + p.log()).isTrue();
        return p;
    }

    /** The platform's own discovery job (its relabelling unchanged), on a 1 s scrape, reading {@code files}. */
    private static PrometheusConfig profile(String files, int selfPort, RuleGroups rules, Path dir) throws IOException {
        FargatePrometheus prometheus = Synth.defaults().stacks().fargate().getPrometheus();
        PrometheusConfig.Builder b = prometheus.getLocalProfile(files, null).toBuilder()
                .scrapeInterval("1s").evaluationInterval("1s").scrapeTimeout("1s")
                .removeJobs("prometheus")
                .scrapeJob(ScrapeJob.builder("prometheus").staticTargets(List.of("127.0.0.1:" + selfPort), Map.of()).build());
        Files.createDirectories(dir.resolve("rules"));
        Files.writeString(dir.resolve("rules/o11y.yml"), rules.toYaml());
        return b.build();
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void discoveredTasksAreScrapedOnTheirOwnPathWithThePlatformsLabelsAndFollowedAsTheyComeAndGo(@TempDir Path dir) throws Exception {
        DiscoveryFixture fixture = DiscoveryFixture.load();
        int promPort = LocalProcess.freePort();
        List<HttpServer> servers = new ArrayList<>();
        Map<String, Integer> ports = new java.util.LinkedHashMap<>();
        for (String service : List.of(PAYMENTS, "canary", "api-1", "legacy")) {
            int port = LocalProcess.freePort();
            ports.put(service, port);
            // Each stand-in answers only on the path its task's label names: up == 1 proves the path was used.
            servers.add(StandIns.metricsService(port, DiscoveryFixture.metricsPath(fixture.entry(service))));
        }
        Map<String, String> addresses = new java.util.LinkedHashMap<>();
        ports.forEach((s, p) -> addresses.put(s, "127.0.0.1:" + p));
        Path results = dir.resolve("discovery/ecs-o11y-platform.yaml");
        List<Map<String, Object>> entries = new ArrayList<>(fixture.at(addresses));
        // Two that must not be scraped, at addresses that would answer: a one-off task (no ECS
        // service) with only a port label, and a task whose service label takes a platform job's name.
        int strayPort = LocalProcess.freePort();
        servers.add(StandIns.metricsService(strayPort, "/metrics"));
        String stray = "127.0.0.1:" + strayPort;
        entries.add(DiscoveryFixture.withLabel(fixture.entry("legacy"), "__meta_ecs_task_group", "family:legacy", stray));
        entries.add(DiscoveryFixture.renamed(fixture.entry(PAYMENTS), "SpoofService", "prometheus", stray));
        DiscoveryFixture.write(results, entries);
        RuleGroups rules = new RuleGroups();
        try (LocalProcess prom = prometheus(dir, promPort, profile(dir.resolve("discovery") + "/ecs-*.yaml", promPort, rules, dir))) {
            // Its own job too: the four services can be scraped before Prometheus' first self-scrape.
            assertThat(LocalProcess.await(Duration.ofSeconds(30), () -> query(promPort, "up{job!=\"prometheus\"} == 1").size() == 4
                    && query(promPort, "up{job=\"prometheus\"}").size() == 1)).as("four services and Prometheus up\n" + prom.log()).isTrue();
            JsonNode payments = query(promPort, "up{service=\"payments\"}").get(0).path("metric");
            assertThat(payments.path("job").asText()).isEqualTo("payments");
            assertThat(payments.path("env").asText()).isEqualTo("prod");
            assertThat(payments.path("team").asText()).isEqualTo("payments");
            assertThat(payments.path("ecs_cluster").asText()).isEqualTo("o11y-platform");
            assertThat(payments.path("ecs_service").asText()).isEqualTo(PAYMENTS);
            assertThat(payments.path("instance").asText()).isEqualTo(addresses.get(PAYMENTS));
            // Opted in by its own env label: test, muted by Alertmanager.
            assertThat(query(promPort, "up{service=\"canary\"}").get(0).path("metric").path("env").asText()).isEqualTo("test");
            // Named in the services setting: found by its ECS service name, env from the setting.
            JsonNode api1 = query(promPort, "up{service=\"api-1\"}").get(0).path("metric");
            assertThat(api1.path("env").asText()).isEqualTo("prod");
            assertThat(api1.has("prometheus_job")).isFalse();
            // A port label without a service label: named after its ECS service, env the platform's.
            JsonNode legacy = query(promPort, "up{instance=\"" + addresses.get("legacy") + "\"}").get(0).path("metric");
            assertThat(legacy.path("service").asText()).isEqualTo("legacy");
            assertThat(legacy.path("job").asText()).isEqualTo("legacy");
            assertThat(legacy.path("env").asText()).isEqualTo("prod");
            assertThat(legacy.has("team")).isFalse();
            // Neither the one-off task nor the one posing as job="prometheus" became a target.
            assertThat(query(promPort, "up{instance=\"" + stray + "\"}")).isEmpty();
            assertThat(query(promPort, "count(up{job=\"prometheus\"})").get(0).path("value").get(1).asText()).isEqualTo("1");
            assertThat(query(promPort, "count(up{job!=\"prometheus\"})").get(0).path("value").get(1).asText()).isEqualTo("4");

            // A service joins: the sidecar rewrites the file with its task.
            int ordersPort = LocalProcess.freePort();
            servers.add(StandIns.metricsService(ordersPort, "/actuator/prometheus"));
            entries.add(DiscoveryFixture.renamed(fixture.entry(PAYMENTS), "OrdersService", "orders", "127.0.0.1:" + ordersPort));
            Instant written = Instant.now();
            DiscoveryFixture.write(results, entries);
            assertThat(LocalProcess.await(Duration.ofSeconds(30), () -> query(promPort, "up{service=\"orders\"} == 1").size() == 1))
                    .as("orders scraped\n" + prom.log()).isTrue();
            System.out.printf("ECS discovery: a new service's first sample %.1f s after its result file changed (file_sd, 1 s scrape)%n",
                    Duration.between(written, Instant.now()).toMillis() / 1000.0);

            // It leaves: its target goes with the next file.
            entries.remove(entries.size() - 1);
            DiscoveryFixture.write(results, entries);
            assertThat(LocalProcess.await(Duration.ofSeconds(30), () -> query(promPort, "up{service=\"orders\"}").isEmpty()))
                    .as("orders target gone").isTrue();
        } finally {
            servers.forEach(s -> s.stop(0));
        }
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void aDiscoveryFileThatStopsChangingRaisesEcsDiscoveryStale(@TempDir Path dir) throws Exception {
        int promPort = LocalProcess.freePort();
        // A 2 s discovery interval: stale after three (6 s); for shortened to 1 s.
        RuleGroups rules = new RuleGroups().group("ecs-discovery", AlertRules.ecsDiscovery(PromDuration.parse("i", "2s"),
                ".*/ecs-[^/]+\\.yaml", "https://runbooks.example/").stream().map(r -> r.withExpr(null, "1s")).toList());
        Path results = dir.resolve("discovery/ecs-o11y-platform.yaml");
        DiscoveryFixture.write(results, List.of());
        try (LocalProcess prom = prometheus(dir, promPort, profile(dir.resolve("discovery") + "/ecs-*.yaml", promPort, rules, dir))) {
            // Rewritten every second, as the sidecar does each interval: fresh, not stale.
            Instant until = Instant.now().plusSeconds(8);
            while (Instant.now().isBefore(until)) {
                DiscoveryFixture.write(results, List.of());
                Thread.sleep(1000);
            }
            assertThat(firing(promPort, "EcsDiscoveryStale")).isFalse();
            Instant stopped = Instant.now();
            assertThat(LocalProcess.await(Duration.ofSeconds(40), () -> firing(promPort, "EcsDiscoveryStale")))
                    .as("stale alert\n" + prom.log()).isTrue();
            System.out.printf("ECS discovery: EcsDiscoveryStale firing %.1f s after the file stopped changing (threshold 6 s)%n",
                    Duration.between(stopped, Instant.now()).toMillis() / 1000.0);
            assertThat(firing(promPort, "EcsDiscoveryAbsent")).isFalse();
        }
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void aServiceAnsweringWithoutAContentTypeIsUpOnlyThanksToTheTextFallback(@TempDir Path dir) throws Exception {
        DiscoveryFixture fixture = DiscoveryFixture.load();
        int promPort = LocalProcess.freePort();
        int port = LocalProcess.freePort();
        HttpServer bare = StandIns.metricsServiceWithoutContentType(port, DiscoveryFixture.metricsPath(fixture.entry(PAYMENTS)));
        // The same stand-in twice: through the discovery job as rendered, and through a copy of it
        // without fallback_scrape_protocol reading a result file of its own (the live check: DOWN).
        DiscoveryFixture.write(dir.resolve("discovery/ecs-o11y-platform.yaml"), List.of(
                DiscoveryFixture.renamed(fixture.entry(PAYMENTS), "PlainService", "plain", "127.0.0.1:" + port)));
        DiscoveryFixture.write(dir.resolve("bare/ecs-o11y-platform.yaml"), List.of(
                DiscoveryFixture.renamed(fixture.entry(PAYMENTS), "PlainBareService", "plain-bare", "127.0.0.1:" + port)));
        PrometheusConfig config = profile(dir.resolve("discovery") + "/ecs-*.yaml", promPort, new RuleGroups(), dir);
        Map<String, Object> yaml = config.toMap();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> jobs = new ArrayList<>((List<Map<String, Object>>) yaml.get("scrape_configs"));
        Map<String, Object> ecs = jobs.stream().filter(j -> FargatePrometheus.DISCOVERY_JOB.equals(j.get("job_name"))).findFirst().orElseThrow();
        assertThat(ecs).containsEntry("fallback_scrape_protocol", "PrometheusText0.0.4");
        Map<String, Object> withoutFallback = new java.util.LinkedHashMap<>(ecs);
        withoutFallback.remove("fallback_scrape_protocol");
        withoutFallback.put("job_name", "ecs-without-fallback");
        withoutFallback.put("file_sd_configs", List.of(Map.of("files", List.of(dir.resolve("bare") + "/ecs-*.yaml"), "refresh_interval", "1s")));
        jobs.add(withoutFallback);
        yaml.put("scrape_configs", jobs);
        try (LocalProcess prom = prometheus(dir, promPort, dev.o11ycdk.config.Rendering.yaml(yaml))) {
            assertThat(LocalProcess.await(Duration.ofSeconds(30), () -> query(promPort, "up{service=\"plain\"} == 1").size() == 1
                    && query(promPort, "up{service=\"plain-bare\"} == 0").size() == 1))
                    .as("plain up through the rendered job, plain-bare down without the fallback\n" + prom.log()).isTrue();
            assertThat(query(promPort, "standin_requests_total{service=\"plain\"}").get(0).path("value").get(1).asText()).isEqualTo("42");
            String targets = LocalProcess.get("http://127.0.0.1:" + promPort + "/api/v1/targets?scrapePool=ecs-without-fallback");
            assertThat(targets).as("why the copy's scrape failed").contains("Content-Type", "fallback_scrape_protocol");
        } finally {
            bare.stop(0);
        }
    }

    private static boolean firing(int port, String alert) {
        String body = LocalProcess.get("http://127.0.0.1:" + port + "/api/v1/alerts");
        if (body == null) {
            return false;
        }
        try {
            for (JsonNode a : JSON.readTree(body).path("data").path("alerts")) {
                if (alert.equals(a.path("labels").path("alertname").asText()) && "firing".equals(a.path("state").asText())) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theSidecarConfigurationOptsInByDockerLabelsAndNamesTheSettingsServicesByPattern() {
        // Default: CloudFormation names the platform's cluster; the sidecar gets the name at deploy time.
        assertThat(Synth.defaults().renderedFiles().get("O11yFargate").get("prometheus/ecs-discovery/otel-collector.yaml"))
                .contains("ecs_observer/platform:\n    cluster_name: \"<deploy-time value>\"\n    cluster_region: ap-northeast-2\n",
                        "result_file: /o11y/discovery/ecs-platform.yaml");
        EcsDiscoveryConfig d = Synth.of(Map.of("clusterName", "o11y-platform")).stacks().fargate().getPrometheus().getDiscoveryConfig();
        String yaml = d.toYaml();
        assertThat(yaml).contains("ecs_observer/o11y-platform:\n    cluster_name: o11y-platform\n    cluster_region: ap-northeast-2\n"
                        + "    refresh_interval: 30s\n    result_file: /o11y/discovery/ecs-o11y-platform.yaml\n    job_label_name: prometheus_job",
                "port_label: O11Y_SCRAPE_PORT\n        metrics_path_label: O11Y_METRICS_PATH",
                "name_pattern: ^(api-1|api-2)$\n        metrics_ports:\n          - 8080\n        metrics_path: /actuator/prometheus\n"
                        + "        job_name: o11y-env-prod",
                "health_check:\n    endpoint: 127.0.0.1:13133");
        // 1,000 named services sharing a port and path cost one pattern, not 1,000 filters.
        EcsDiscoveryConfig.Builder b = EcsDiscoveryConfig.builder().region("ap-northeast-2").cluster("c", "c");
        for (int i = 0; i < 1000; i++) {
            b.namedService("svc-" + i, 8080, "/metrics", "prod");
        }
        assertThat(b.build().toYaml().split("name_pattern:", -1)).hasSize(2);
    }
}
