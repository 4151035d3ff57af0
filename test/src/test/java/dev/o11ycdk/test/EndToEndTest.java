package dev.o11ycdk.test;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.o11ycdk.app.FargateStack;
import dev.o11ycdk.config.AlertDelay;
import dev.o11ycdk.config.AlertmanagerConfig;
import dev.o11ycdk.config.PromDuration;
import dev.o11ycdk.config.PrometheusConfig;
import dev.o11ycdk.config.RuleGroups;
import dev.o11ycdk.config.ScrapeJob;
import dev.o11ycdk.core.Ports;
import dev.o11ycdk.host.ObservabilityInstance;
import dev.o11ycdk.test.support.DiscoveryFixture;
import dev.o11ycdk.test.support.EndToEnd;
import dev.o11ycdk.test.support.LocalProcess;
import dev.o11ycdk.test.support.PrometheusTools;
import dev.o11ycdk.test.support.StandIns;
import dev.o11ycdk.test.support.Synth;
import dev.o11ycdk.test.support.Tools;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rendered configurations on the real prometheus, node_exporter and alertmanager (Debian sid's
 * 3.5.3, 1.11.1 and 0.33.1, see {@link PrometheusTools}), all on loopback, all stopped by the test:
 * the host profile (its prometheus.yml, rules and alertmanager.yml) and the Fargate profile. The Fargate profile reads a
 * result file of the real ECS discovery sidecar (its tasks moved to stand-ins); EC2 discovery is left
 * out: it would call AWS, and this machine sends nothing beyond loopback. Scrape/evaluation
 * intervals are 1 s and ServiceDown's {@code for} 5 s so an outage reaches the receiver in seconds.
 */
@EndToEnd
class EndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FOR = "5s";

    private static RuleGroups shortened(RuleGroups rules) {
        return rules.map(r -> r.name().equals("ServiceDown") ? r.withExpr(null, FOR) : r);
    }

    private static PrometheusConfig fast(PrometheusConfig config, int selfPort) {
        return config.toBuilder().scrapeInterval("1s").evaluationInterval("1s").scrapeTimeout("1s")
                // The EC2 discovery jobs would ask AWS (and the instance metadata service) for instances.
                .removeJobs("prometheus", "ec2", ObservabilityInstance.SERVICES_JOB)
                .scrapeJob(ScrapeJob.builder("prometheus").staticTargets(List.of("127.0.0.1:" + selfPort), Map.of()).build())
                .build();
    }

    private static LocalProcess prometheus(Path dir, int port) throws Exception {
        String bin = PrometheusTools.prometheus();
        LocalProcess p = LocalProcess.start("prometheus", List.of(bin, "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                // Alerts that fire before the notifier has its Alertmanager are re-sent after this, not the default 1 m.
                "--rules.alert.resend-delay=2s"), dir, Map.of());
        assertThat(LocalProcess.await(Duration.ofSeconds(30), () -> LocalProcess.get("http://127.0.0.1:" + port + "/-/ready") != null))
                .as("prometheus ready\n" + p.log()).isTrue();
        return p;
    }

    /** The layout's alertmanager.yml in {@code dir}, as every layout runs it (one instance, UTF-8 strict mode), on loopback. */
    private static LocalProcess alertmanager(Path dir, int port) throws IOException {
        return LocalProcess.start("alertmanager", PrometheusTools.alertmanagerCommand(List.of(
                "--config.file=" + dir.resolve("alertmanager.yml"), "--storage.path=" + dir.resolve("am"),
                "--web.listen-address=127.0.0.1:" + port, "--cluster.listen-address=",
                "--enable-feature=" + AlertmanagerConfig.UTF8_STRICT_MODE)), dir, Map.of());
    }

    private static JsonNode query(int port, String promql, Instant at) {
        String url = "http://127.0.0.1:" + port + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
                + (at == null ? "" : "&time=" + at.getEpochSecond());
        String body = LocalProcess.get(url);
        try {
            return body == null ? JSON.createArrayNode() : JSON.readTree(body).path("data").path("result");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean firing(int port, String alert, String label, String value) {
        String body = LocalProcess.get("http://127.0.0.1:" + port + "/api/v1/alerts");
        try {
            for (JsonNode a : JSON.readTree(body == null ? "{}" : body).path("data").path("alerts")) {
                if (a.path("labels").path("alertname").asText().equals(alert) && a.path("labels").path(label).asText().equals(value)
                        && a.path("state").asText().equals("firing")) {
                    return true;
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    /** The host's prometheus.yml with its Alertmanager (127.0.0.1:9093 on the instance) moved to {@code amPort}. */
    private static PrometheusConfig hostOnLoopback(PrometheusConfig config, int promPort, int amPort) {
        String am = "127.0.0.1:" + amPort;
        return fast(config, promPort).toBuilder()
                .removeAlertmanagers().alertmanagerStatic(List.of(am))
                .removeJobs("alertmanager").scrapeJob(ScrapeJob.builder("alertmanager").staticTargets(List.of(am), Map.of()).build())
                .build();
    }

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void hostProfileScrapesNodeExporterAndRoutesServiceDownToSlackWhenItStops(@TempDir Path dir) throws Exception {
        String nodeExporter = PrometheusTools.nodeExporter();
        ObservabilityInstance host = Synth.defaults().stacks().ec2Host().getHost();
        int promPort = LocalProcess.freePort();
        int nodePort = LocalProcess.freePort();
        int amPort = LocalProcess.freePort();
        // The host's files, laid out as on the instance: rules/ and targets/ beside prometheus.yml.
        Files.createDirectories(dir.resolve("rules"));
        Files.createDirectories(dir.resolve("targets"));
        Files.writeString(dir.resolve("prometheus.yml"), hostOnLoopback(host.getPrometheusConfig(), promPort, amPort).toYaml());
        Files.writeString(dir.resolve("rules/o11y.yml"), shortened(host.getRules()).toYaml());
        Files.writeString(dir.resolve("targets/node.json"), "[{\"targets\": [\"127.0.0.1:" + nodePort + "\"]}]\n");

        try (StandIns.Slack slack = new StandIns.Slack(LocalProcess.freePort())) {
            // What the boot step writes from Secrets Manager (HostBootSecretsTest runs that step), here the stand-in's URL.
            Files.writeString(dir.resolve("slack_webhook_url"), slack.url());
            Files.writeString(dir.resolve("alertmanager.yml"),
                    host.getAlertmanagerConfig().withWebhookUrlFile(dir.resolve("slack_webhook_url").toString()).toYaml());
            try (LocalProcess am = alertmanager(dir, amPort);
                 LocalProcess node = LocalProcess.start("node_exporter", List.of(nodeExporter, "--web.listen-address=127.0.0.1:" + nodePort), dir, Map.of())) {
                assertThat(LocalProcess.await(Duration.ofSeconds(30), () -> LocalProcess.get("http://127.0.0.1:" + amPort + "/-/ready") != null))
                        .as("alertmanager ready\n" + am.log()).isTrue();
                try (LocalProcess prom = prometheus(dir, promPort)) {
                    assertThat(LocalProcess.await(Duration.ofSeconds(30), () -> query(promPort, "up{job=~\"node|alertmanager\"} == 1", null).size() == 2))
                            .as("node_exporter and alertmanager targets up\n" + prom.log()).isTrue();
                    assertThat(query(promPort, "node_memory_MemTotal_bytes", null).size()).isEqualTo(1);
                    assertThat(LocalProcess.await(Duration.ofSeconds(20), () ->
                            query(promPort, "prometheus_notifications_alertmanagers_discovered == 1", null).size() == 1))
                            .as("Prometheus sends to the host's Alertmanager").isTrue();

                    node.stop();
                    Instant down = Instant.now();
                    assertThat(LocalProcess.await(Duration.ofSeconds(40), () -> firing(promPort, "ServiceDown", "job", "node")))
                            .as("ServiceDown fires for job=node\n" + prom.log()).isTrue();
                    System.out.printf("E2E host: ServiceDown{job=\"node\"} firing %.1f s after node_exporter stopped%n",
                            Duration.between(down, Instant.now()).toMillis() / 1000.0);
                    assertThat(LocalProcess.await(Duration.ofSeconds(40), () -> slack.messages().stream()
                            .anyMatch(m -> m.body().contains("[FIRING] ServiceDown")))).as("notification\n" + am.log()).isTrue();
                    StandIns.Message msg = slack.messages().stream().filter(m -> m.body().contains("[FIRING] ServiceDown")).findFirst().orElseThrow();
                    JsonNode payload = JSON.readTree(msg.body());
                    assertThat(payload.path("channel").asText()).isEqualTo("#alerts-critical");
                    double seconds = Duration.between(down, msg.at()).toMillis() / 1000.0;
                    AlertDelay model = AlertDelay.of(shortened(host.getRules()).alerts().stream()
                                    .filter(r -> r.name().equals("ServiceDown")).findFirst().orElseThrow(),
                            PromDuration.parse("s", "1s"), PromDuration.parse("e", "1s"), host.getAlertmanagerConfig().route().groupWait());
                    System.out.printf("E2E host: ServiceDown{job=\"node\"} reached #alerts-critical %.1f s after node_exporter stopped "
                            + "(model worst case %d s: %s)%n", seconds, model.worstCaseSeconds(), model.describe());
                    assertThat(seconds).isLessThanOrEqualTo(model.worstCaseSeconds() + 5.0);
                }
            }
        }
    }

    /** The value of {@code key=} in a systemd unit's [Service] section. */
    private static String unitLine(String unit, String key) {
        return unit.lines().filter(l -> l.startsWith(key + "=")).map(l -> l.substring(key.length() + 1)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + key + " in\n" + unit));
    }

    /** A unit's command line as it would run here: the host's paths under {@code dir}, the binaries from PATH. */
    private static List<String> onThisMachine(String commandLine, Path dir, int port) {
        return java.util.Arrays.stream(commandLine.split(" "))
                .map(a -> a.replace("/opt/prometheus/prometheus", PrometheusTools.prometheus())
                        .replace("/opt/prometheus/promtool", PrometheusTools.promtool())
                        .replace("/etc/prometheus/", dir + "/etc/prometheus/")
                        .replace("/var/lib/prometheus/", dir + "/data/")
                        .replace("--web.listen-address=:" + Ports.PROMETHEUS, "--web.listen-address=127.0.0.1:" + port))
                .toList();
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void theHostsPrometheusUnitRunsOnPrometheus3WithItsRetentionFlags(@TempDir Path dir) throws Exception {
        // Retention stays in flags: prometheus.yml's storage.tsdb.retention needs Prometheus 3.8, and 3.5's promtool
        // (the unit's own ExecStartPre) rejects it. Both lines of the unit run here as the host runs them.
        Map<String, String> files = Synth.defaults().renderedFiles().get("O11yEc2Host");
        String unit = files.get("etc/systemd/system/prometheus.service");
        Files.createDirectories(dir.resolve("etc/prometheus/rules"));
        Files.createDirectories(dir.resolve("etc/prometheus/targets"));
        Files.writeString(dir.resolve("etc/prometheus/targets/node.json"), "[]\n"); // the boot script writes it
        Files.writeString(dir.resolve("etc/prometheus/prometheus.yml"), files.get("etc/prometheus/prometheus.yml"));
        Files.writeString(dir.resolve("etc/prometheus/rules/o11y.yml"), files.get("etc/prometheus/rules/o11y.yml"));
        int port = LocalProcess.freePort();
        Tools.Result check = Tools.run(onThisMachine(unitLine(unit, "ExecStartPre"), dir, port), dir, 60);
        assertThat(check.exitCode()).as(check.output()).isZero();
        // The same file without the EC2 discovery job, which would call AWS from here.
        ObservabilityInstance host = Synth.defaults().stacks().ec2Host().getHost();
        Files.writeString(dir.resolve("etc/prometheus/prometheus.yml"), host.getPrometheusConfig().toBuilder()
                .removeJobs("ec2", ObservabilityInstance.SERVICES_JOB).build().toYaml());
        List<String> start = onThisMachine(unitLine(unit, "ExecStart"), dir, port);
        assertThat(start).contains("--storage.tsdb.retention.time=15d").anyMatch(a -> a.startsWith("--storage.tsdb.retention.size="));
        try (LocalProcess prom = LocalProcess.start("prometheus", start, dir, Map.of())) {
            assertThat(LocalProcess.await(Duration.ofSeconds(30), () -> LocalProcess.get("http://127.0.0.1:" + port + "/-/ready") != null))
                    .as("prometheus ready\n" + prom.log()).isTrue();
            String runtime = LocalProcess.get("http://127.0.0.1:" + port + "/api/v1/status/runtimeinfo");
            assertThat(runtime).contains("\"storageRetention\":\"15d or " + host.getRetentionSizeGiB() + "GiB\"");
            assertThat(prom.log()).doesNotContain("level=ERROR").doesNotContain("Unknown option");
        }
    }

    @Test
    @Timeout(value = 170, unit = TimeUnit.SECONDS)
    void fargateProfileRoutesAnOutageToSlackMutesTestAndKeepsDataAcrossRestart(@TempDir Path dir) throws Exception {
        FargateStack stack = Synth.defaults().stacks().fargate();
        int promPort = LocalProcess.freePort();
        int amPort = LocalProcess.freePort();
        int paymentsPort = LocalProcess.freePort();
        int canaryPort = LocalProcess.freePort();
        int api1Port = LocalProcess.freePort();

        // What the ECS discovery sidecar wrote for three services (two opted in by docker labels, one by the
        // services setting), with their tasks moved to stand-ins on loopback.
        DiscoveryFixture fixture = DiscoveryFixture.load();
        HttpServer payments = StandIns.metricsService(paymentsPort, DiscoveryFixture.metricsPath(fixture.entry(PAYMENTS)));
        HttpServer canary = StandIns.metricsService(canaryPort, DiscoveryFixture.metricsPath(fixture.entry("canary")));
        HttpServer api1 = StandIns.metricsService(api1Port, DiscoveryFixture.metricsPath(fixture.entry("api-1")));
        Path results = dir.resolve("discovery/ecs-o11y-platform.yaml");
        DiscoveryFixture.write(results, fixture.at(Map.of(PAYMENTS, "127.0.0.1:" + paymentsPort, "canary", "127.0.0.1:" + canaryPort,
                "api-1", "127.0.0.1:" + api1Port)));
        try (StandIns.Slack slack = new StandIns.Slack(LocalProcess.freePort())) {
            Files.writeString(dir.resolve("slack_webhook_url"), slack.url());
            Files.writeString(dir.resolve("alertmanager.yml"),
                    stack.getAlertmanager().getConfig().withWebhookUrlFile(dir.resolve("slack_webhook_url").toString())
                            .withHeartbeatUrl(slack.url() + "/heartbeat").toYaml());
            PrometheusConfig local = stack.getPrometheus().getLocalProfile(dir.resolve("discovery") + "/ecs-*.yaml", "127.0.0.1:" + amPort);
            Files.createDirectories(dir.resolve("rules"));
            Files.writeString(dir.resolve("rules/o11y.yml"), shortened(stack.getPrometheus().getRules()).toYaml());
            Files.writeString(dir.resolve("prometheus.yml"), fast(local, promPort).toYaml());

            try (LocalProcess am = alertmanager(dir, amPort)) {
                assertThat(LocalProcess.await(Duration.ofSeconds(30), () -> LocalProcess.get("http://127.0.0.1:" + amPort + "/-/ready") != null))
                        .as("alertmanager ready\n" + am.log()).isTrue();
                LocalProcess prom = prometheus(dir, promPort);
                try {
                    assertThat(LocalProcess.await(Duration.ofSeconds(30), () ->
                            query(promPort, "up{job=~\"payments|canary|api-1|alertmanager\"} == 1", null).size() == 4))
                            .as("targets up\n" + prom.log()).isTrue();
                    JsonNode up = query(promPort, "up{job=\"payments\"}", null).get(0).path("metric");
                    assertThat(up.path("service").asText()).isEqualTo("payments");
                    assertThat(up.path("env").asText()).isEqualTo("prod");

                    // The outage: both labelled services stop at once.
                    payments.stop(0);
                    canary.stop(0);
                    Instant down = Instant.now();
                    assertThat(LocalProcess.await(Duration.ofSeconds(60), () -> slack.messages().stream()
                            .anyMatch(m -> m.body().contains("ServiceDown (payments)")))).as("notification\n" + am.log()).isTrue();
                    StandIns.Message msg = slack.messages().stream().filter(m -> m.body().contains("ServiceDown (payments)")).findFirst().orElseThrow();
                    JsonNode payload = JSON.readTree(msg.body());
                    assertThat(payload.path("channel").asText()).isEqualTo("#alerts-critical");
                    assertThat(payload.toString()).contains("[FIRING] ServiceDown (payments)", "Service payments is down");
                    double seconds = Duration.between(down, msg.at()).toMillis() / 1000.0;
                    AlertDelay model = AlertDelay.of(shortened(stack.getPrometheus().getRules()).alerts().stream()
                                    .filter(r -> r.name().equals("ServiceDown")).findFirst().orElseThrow(),
                            PromDuration.parse("s", "1s"), PromDuration.parse("e", "1s"), stack.getAlertmanager().getConfig().route().groupWait());
                    System.out.printf("E2E fargate: ServiceDown{service=\"payments\"} reached #alerts-critical %.1f s after the outage "
                            + "(model worst case %d s: %s)%n", seconds, model.worstCaseSeconds(), model.describe());
                    assertThat(seconds).isLessThanOrEqualTo(model.worstCaseSeconds() + 5.0);

                    // The always-firing Watchdog reached the dead-man's switch (heartbeatUrl) as a webhook, not Slack.
                    assertThat(slack.messages().stream().filter(m -> m.body().contains("\"receiver\":\"heartbeat\"")).toList())
                            .as("Watchdog at the heartbeat URL\n" + am.log() + LocalProcess.get("http://127.0.0.1:" + amPort + "/api/v2/alerts")).isNotEmpty()
                            .allSatisfy(m -> assertThat(m.body()).contains("\"alertname\":\"Watchdog\"").doesNotContain("\"channel\""));
                    assertThat(slack.messages()).noneMatch(m -> m.body().contains("\"channel\"") && m.body().contains("Watchdog"));

                    // env=test (the canary's own docker label) fired too, but its route ends at the null receiver.
                    assertThat(LocalProcess.await(Duration.ofSeconds(20), () -> {
                        String alerts = LocalProcess.get("http://127.0.0.1:" + amPort + "/api/v2/alerts?filter=service%3D%22canary%22");
                        return alerts != null && alerts.contains("ServiceDown") && alerts.contains("\"null\"");
                    })).as("canary alert reached Alertmanager, routed to null").isTrue();
                    Thread.sleep(12_000); // past group_wait + group_interval for anything else to arrive
                    assertThat(slack.messages()).noneMatch(m -> m.body().contains("canary"));

                    // Nothing lost across a restart on the same data directory.
                    Instant mark = Instant.now();
                    String probe = "count_over_time(up{job=\"api-1\"}[10m])";
                    double before = query(promPort, probe, mark).get(0).path("value").get(1).asDouble();
                    assertThat(before).isGreaterThan(5);
                    prom.stop();
                    prom = prometheus(dir, promPort);
                    int restartedPort = promPort;
                    assertThat(LocalProcess.await(Duration.ofSeconds(20), () -> query(restartedPort, probe, mark).size() == 1)).isTrue();
                    double after = query(promPort, probe, mark).get(0).path("value").get(1).asDouble();
                    assertThat(after).as("samples before the restart, read after it").isEqualTo(before);
                    System.out.printf("E2E fargate: %s at the restart mark: %.0f before, %.0f after restart%n", probe, before, after);
                } finally {
                    prom.stop();
                }
            }
        } finally {
            payments.stop(0);
            canary.stop(0);
            api1.stop(0);
        }
    }

    private static final String PAYMENTS = "PaymentsStack-PaymentsService-1AB2";
}
