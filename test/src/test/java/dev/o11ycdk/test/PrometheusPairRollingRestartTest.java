package dev.o11ycdk.test;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.o11ycdk.app.FargateStack;
import dev.o11ycdk.config.AlertmanagerConfig;
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
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Fargate pair (prometheusReplicas = 2, remoteWrite set) on loopback with the real prometheus 3.5.3
 * and alertmanager 0.33.1 of Debian sid: both replicas run their rendered configuration (the local
 * profile: the same jobs, rules, external labels {@code cluster}/{@code __replica__}, alert relabelling
 * and remote write queue, unsigned) and remote-write to a third prometheus with
 * {@code --web.enable-remote-write-receiver}, which speaks AMP's protocol and stands in for it. The
 * rolling deploy CloudFormation runs (DependsOn: replica 1, then replica 2; each service stops its task
 * before the new one starts) is replayed: replica 1 stopped, down for a task's start time, started on its
 * own data directory; then replica 2. In the store, the union over the replicas of a scraped service's
 * samples has no gap longer than one scrape interval, while replica 1's own series shows the gap one
 * Prometheus would have. Then a service goes down: the alert fires on both replicas and reaches the
 * stand-in Slack once, as one alert in Alertmanager.
 *
 * <p>What cannot run here: AMP's de-duplication itself (it keeps one replica's samples and strips
 * {@code __replica__}); the labels it needs are checked against AWS's documented names instead.
 */
@EndToEnd
class PrometheusPairRollingRestartTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SCRAPE_SECONDS = 2;
    /** A Fargate task's start (image pull, EFS mount, WAL replay) stands at this much downtime. */
    private static final Duration TASK_START = Duration.ofSeconds(8);
    private static final String PAYMENTS = "PaymentsStack-PaymentsService-1AB2";
    private static final String WORKSPACE = "arn:aws:aps:ap-northeast-2:111122223333:workspace/ws-0123abcd-4567";

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void theUnionOfThePairHasNoGapThroughARollingRestartAndAnAlertOfBothNotifiesOnce(@TempDir Path dir) throws Exception {
        FargateStack stack = Synth.of(Map.of("prometheusReplicas", "2", "remoteWrite", WORKSPACE)).stacks().fargate();
        FargatePrometheus prometheus = stack.getPrometheus();
        assertThat(prometheus.getReplicas()).isEqualTo(2);
        int storePort = LocalProcess.freePort();
        int amPort = LocalProcess.freePort();
        int[] ports = {LocalProcess.freePort(), LocalProcess.freePort()};
        int apiPort = LocalProcess.freePort();
        int paymentsPort = LocalProcess.freePort();

        DiscoveryFixture fixture = DiscoveryFixture.load();
        HttpServer api = StandIns.metricsService(apiPort, DiscoveryFixture.metricsPath(fixture.entry("api-1")));
        HttpServer payments = StandIns.metricsService(paymentsPort, DiscoveryFixture.metricsPath(fixture.entry(PAYMENTS)));
        List<LocalProcess> replicas = new ArrayList<>(List.of());
        try (StandIns.Slack slack = new StandIns.Slack(LocalProcess.freePort());
             LocalProcess store = LocalProcess.start("store", List.of(PrometheusTools.prometheus(),
                     "--config.file=" + emptyConfig(dir.resolve("store")), "--storage.tsdb.path=" + dir.resolve("store/data"),
                     "--web.listen-address=127.0.0.1:" + storePort, "--web.enable-remote-write-receiver"), dir, Map.of())) {
            Files.writeString(dir.resolve("slack_webhook_url"), slack.url());
            Files.writeString(dir.resolve("alertmanager.yml"), stack.getAlertmanager().getConfig()
                    .withWebhookUrlFile(dir.resolve("slack_webhook_url").toString()).toYaml());
            String remoteWrite = "http://127.0.0.1:" + storePort + "/api/v1/write";
            for (int r = 1; r <= 2; r++) {
                Path rd = dir.resolve("replica-" + r);
                Path results = rd.resolve("discovery/ecs-o11y-platform.yaml");
                DiscoveryFixture.write(results, fixture.at(Map.of("api-1", "127.0.0.1:" + apiPort, PAYMENTS, "127.0.0.1:" + paymentsPort)));
                PrometheusConfig local = prometheus.getLocalProfile(rd.resolve("discovery") + "/ecs-*.yaml", "127.0.0.1:" + amPort, r,
                        remoteWrite);
                String yaml = fast(local, ports[r - 1]).toYaml();
                // What the deployed file says about the pair, as AWS documents the labels.
                assertThat(yaml).contains("cluster: " + prometheus.getHaClusterLabel(), "__replica__: replica-" + r,
                        "action: labeldrop", "regex: __replica__", "url: " + remoteWrite);
                Files.createDirectories(rd.resolve("rules"));
                Files.writeString(rd.resolve("rules/o11y.yml"), shortened(prometheus.getRules()).toYaml());
                Files.writeString(rd.resolve("prometheus.yml"), yaml);
            }
            await("store ready\n" + store.log(), () -> LocalProcess.get("http://127.0.0.1:" + storePort + "/-/ready") != null);
            try (LocalProcess am = LocalProcess.start("alertmanager", PrometheusTools.alertmanagerCommand(List.of(
                    "--config.file=" + dir.resolve("alertmanager.yml"), "--storage.path=" + dir.resolve("am"),
                    "--web.listen-address=127.0.0.1:" + amPort, "--cluster.listen-address=",
                    "--enable-feature=" + AlertmanagerConfig.UTF8_STRICT_MODE)), dir, Map.of())) {
                await("alertmanager ready\n" + am.log(), () -> LocalProcess.get("http://127.0.0.1:" + amPort + "/-/ready") != null);
                replicas.add(replica(dir, 1, ports[0]));
                replicas.add(replica(dir, 2, ports[1]));
                await("both replicas' samples in the store", () -> query(storePort, "count(up{job=\"api-1\"})").path(0).path("value")
                        .path(1).asInt() == 2);
                Instant from = Instant.now();
                Thread.sleep(6_000);

                // The rolling deploy: replica 1 replaced (stopped, then started once its "new task" is up), then replica 2.
                Instant stopped1 = Instant.now();
                replicas.get(0).stop();
                Thread.sleep(TASK_START.toMillis());
                replicas.set(0, replica(dir, 1, ports[0]));
                double down1 = Duration.between(stopped1, Instant.now()).toMillis() / 1000.0;
                Thread.sleep(6_000);
                replicas.get(1).stop();
                Thread.sleep(TASK_START.toMillis());
                replicas.set(1, replica(dir, 2, ports[1]));
                Thread.sleep(8_000); // past the remote write queue's 5 s batch deadline
                Instant to = Instant.now();

                long seconds = Duration.between(from, to).toSeconds() + 1;
                double replica1Gap = maxGap(samples(storePort, "up{job=\"api-1\",__replica__=\"replica-1\"}", seconds, to));
                double replica2Gap = maxGap(samples(storePort, "up{job=\"api-1\",__replica__=\"replica-2\"}", seconds, to));
                double unionGap = maxGap(samples(storePort, "up{job=\"api-1\"}", seconds, to));
                System.out.printf("PAIR: rolling restart over %d s, scrape interval %d s, replica 1 down %.1f s: largest gap of api-1's "
                                + "samples in the store: replica-1 alone %.1f s, replica-2 alone %.1f s, union of the pair %.1f s%n",
                        seconds, SCRAPE_SECONDS, down1, replica1Gap, replica2Gap, unionGap);
                assertThat(replica1Gap).as("one replica restarted leaves a gap (the test can see one)")
                        .isGreaterThan(TASK_START.toSeconds());
                assertThat(unionGap).as("the pair's union: no gap longer than one scrape interval")
                        .isLessThanOrEqualTo(SCRAPE_SECONDS + 0.5);

                // An alert of both replicas: payments goes down; ServiceDown fires on each.
                payments.stop(0);
                await("ServiceDown firing on both replicas", () -> firing(ports[0]) && firing(ports[1]));
                await("a notification\n" + am.log(), () -> notifications(slack) >= 1);
                Instant first = Instant.now();
                // Past group_interval (10 s): a second alert in the group (a replica's own copy) would notify again.
                Thread.sleep(25_000);
                String alerts = LocalProcess.get("http://127.0.0.1:" + amPort + "/api/v2/alerts?filter="
                        + URLEncoder.encode("alertname=\"ServiceDown\"", StandardCharsets.UTF_8) + "&filter="
                        + URLEncoder.encode("service=\"payments\"", StandardCharsets.UTF_8));
                JsonNode inAm = JSON.readTree(alerts);
                long count = notifications(slack);
                System.out.printf("PAIR: ServiceDown (payments) firing on both replicas: %d alert(s) in Alertmanager, %d Slack "
                        + "notification(s) in the %d s after the first%n", inAm.size(), count, Duration.between(first, Instant.now()).toSeconds());
                assertThat(inAm.size()).as("one alert: __replica__ dropped, the pair's alerts identical\n" + alerts).isEqualTo(1);
                assertThat(inAm.get(0).path("labels").has("__replica__")).isFalse();
                assertThat(inAm.get(0).path("labels").path("cluster").asText()).isEqualTo(prometheus.getHaClusterLabel());
                assertThat(count).as("exactly one notification").isEqualTo(1);
            } finally {
                for (LocalProcess p : replicas) {
                    p.stop();
                }
            }
        } finally {
            api.stop(0);
            payments.stop(0);
        }
    }

    private static long notifications(StandIns.Slack slack) {
        return slack.messages().stream().filter(m -> m.body().contains("ServiceDown (payments)") && m.body().contains("\"channel\"")).count();
    }

    private static String emptyConfig(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path f = dir.resolve("prometheus.yml");
        Files.writeString(f, "global:\n  scrape_interval: 15s\n");
        return f.toString();
    }

    private static RuleGroups shortened(RuleGroups rules) {
        return rules.map(r -> r.name().equals("ServiceDown") ? r.withExpr(null, "4s") : r);
    }

    /** The rendered configuration at the test's intervals, its self-scrape on the replica's own port. */
    private static PrometheusConfig fast(PrometheusConfig config, int selfPort) {
        return config.toBuilder().scrapeInterval(SCRAPE_SECONDS + "s").evaluationInterval(SCRAPE_SECONDS + "s").scrapeTimeout("1s")
                .removeJobs("prometheus")
                .scrapeJob(ScrapeJob.builder("prometheus").staticTargets(List.of("127.0.0.1:" + selfPort), Map.of()).build())
                .build();
    }

    private static LocalProcess replica(Path dir, int r, int port) throws Exception {
        Path rd = dir.resolve("replica-" + r);
        LocalProcess p = LocalProcess.start("replica-" + r, List.of(PrometheusTools.prometheus(),
                "--config.file=" + rd.resolve("prometheus.yml"), "--storage.tsdb.path=" + rd.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port, "--rules.alert.resend-delay=2s"), rd, Map.of());
        await("replica " + r + " ready\n" + p.log(), () -> LocalProcess.get("http://127.0.0.1:" + port + "/-/ready") != null);
        return p;
    }

    private static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        assertThat(LocalProcess.await(Duration.ofSeconds(60), condition)).as(what).isTrue();
    }

    private static JsonNode query(int port, String promql) {
        return result(LocalProcess.get("http://127.0.0.1:" + port + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)));
    }

    private static JsonNode result(String body) {
        try {
            return body == null ? JSON.createArrayNode() : JSON.readTree(body).path("data").path("result");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every sample's timestamp (seconds) of every series {@code selector} matches in the {@code seconds} before {@code at}. */
    private static TreeSet<Double> samples(int port, String selector, long seconds, Instant at) {
        JsonNode series = result(LocalProcess.get("http://127.0.0.1:" + port + "/api/v1/query?query="
                + URLEncoder.encode(selector + "[" + seconds + "s]", StandardCharsets.UTF_8) + "&time=" + at.toEpochMilli() / 1000.0));
        TreeSet<Double> out = new TreeSet<>();
        for (JsonNode s : series) {
            s.path("values").forEach(v -> out.add(v.get(0).asDouble()));
        }
        assertThat(out).as(selector + " samples in the store").hasSizeGreaterThan(5);
        return out;
    }

    private static double maxGap(TreeSet<Double> times) {
        double max = 0;
        Double prev = null;
        for (double t : times) {
            if (prev != null) {
                max = Math.max(max, t - prev);
            }
            prev = t;
        }
        return max;
    }

    private static boolean firing(int port) {
        String body = LocalProcess.get("http://127.0.0.1:" + port + "/api/v1/alerts");
        try {
            for (JsonNode a : JSON.readTree(body == null ? "{}" : body).path("data").path("alerts")) {
                if (a.path("labels").path("alertname").asText().equals("ServiceDown") && a.path("labels").path("service").asText().equals("payments")
                        && a.path("state").asText().equals("firing")) {
                    return true;
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }
}
