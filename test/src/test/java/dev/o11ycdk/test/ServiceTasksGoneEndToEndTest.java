package dev.o11ycdk.test;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.o11ycdk.app.FargateStack;
import dev.o11ycdk.config.AlertmanagerConfig;
import dev.o11ycdk.config.MetricNames;
import dev.o11ycdk.config.PrometheusConfig;
import dev.o11ycdk.config.RuleGroups;
import dev.o11ycdk.config.ScrapeJob;
import dev.o11ycdk.test.support.AwsOnLoopback;
import dev.o11ycdk.test.support.Cfn;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * ServiceTasksGone end to end on loopback, from the ECS API to Slack: moto_server holds the ECS cluster
 * and its services and CloudWatch; the EcsTaskCounts handler as the template carries it runs under
 * python3 with boto3 against it; the real CloudWatch exporter (Maven Central's jar) reads what it
 * published with the rendered cloudwatch.yml; the real Prometheus runs the Fargate profile's rules
 * and discovery job on a result file of the real ECS discovery sidecar; the real Alertmanager sends to a
 * stand-in Slack. Three services were discovered and scraped: one whose tasks all stop while ECS still
 * wants two (moto reports running 0 of desired 2), one scaled to zero on purpose (desired 0), one
 * running. Intervals are a second and ServiceTasksGone's {@code for} 5 s.
 */
@EndToEnd
class ServiceTasksGoneEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CLUSTER = "o11y-platform";
    private static final String PAYMENTS = "PaymentsStack-PaymentsService-1AB2";

    /** The rendered rules with ServiceTasksGone after 5 s and the service-info group every second. */
    private static RuleGroups fast(RuleGroups rules) {
        return rules.map(r -> r.name().equals("ServiceTasksGone") ? r.withExpr(null, "5s") : r).interval("service-info", "1s");
    }

    private static JsonNode query(int port, String promql) {
        String body = LocalProcess.get("http://127.0.0.1:" + port + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        try {
            return body == null ? JSON.createArrayNode() : JSON.readTree(body).path("data").path("result");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The EcsTaskCounts function's inline source, as the synthesized template carries it. */
    @SuppressWarnings("unchecked")
    static String handlerFromTemplate(Map<String, Object> template) {
        for (Map<String, Object> fn : Cfn.ofType(template, "AWS::Lambda::Function")) {
            Map<String, Object> props = (Map<String, Object>) fn.get("Properties");
            if (String.valueOf(props.get("Description")).contains("desired and running ECS task counts")) {
                assertThat(props.get("Handler")).isEqualTo("index.handler");
                return (String) ((Map<String, Object>) props.get("Code")).get("ZipFile");
            }
        }
        throw new AssertionError("no EcsTaskCounts function in the template");
    }

    /** Runs the handler once, as Lambda would, against moto; returns what it printed. */
    static String runHandler(AwsOnLoopback aws, Path dir, String clusters) {
        Map<String, String> env = new LinkedHashMap<>(aws.env());
        env.put("CLUSTERS", clusters);
        env.put("NAMESPACE", MetricNames.CloudWatch.TASK_COUNTS_NAMESPACE);
        Tools.Result r = Tools.run(List.of(Tools.require("python3", "apt-get install python3 (with boto3, as moto brings)"), "-c",
                "import sys; sys.path.insert(0, '" + dir + "'); import index; print(index.handler({}, None))"), dir, env, 120);
        assertThat(r.exitCode()).as(r.output()).isZero();
        return r.output();
    }

    static void service(AwsOnLoopback aws, String name, int desired) {
        aws.aws("ecs", "create-service", "--cluster", CLUSTER, "--service-name", name, "--task-definition", "app:1",
                "--desired-count", String.valueOf(desired), "--launch-type", "FARGATE");
    }

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void firesForAServiceWhoseTasksAllStoppedWhileEcsWantsThemAndNotForOneScaledToZero(@TempDir Path dir) throws Exception {
        Synth synth = Synth.defaults();
        FargateStack stack = synth.stacks().fargate();
        Files.writeString(dir.resolve("index.py"), handlerFromTemplate(synth.templateJson(stack)));
        int promPort = LocalProcess.freePort();
        int amPort = LocalProcess.freePort();
        int exporterPort = LocalProcess.freePort();
        int paymentsPort = LocalProcess.freePort();
        int api1Port = LocalProcess.freePort();
        int legacyPort = LocalProcess.freePort();
        DiscoveryFixture fixture = DiscoveryFixture.load();
        HttpServer payments = StandIns.metricsService(paymentsPort, DiscoveryFixture.metricsPath(fixture.entry(PAYMENTS)));
        HttpServer api1 = StandIns.metricsService(api1Port, DiscoveryFixture.metricsPath(fixture.entry("api-1")));
        HttpServer legacy = StandIns.metricsService(legacyPort, DiscoveryFixture.metricsPath(fixture.entry("legacy")));
        Path results = dir.resolve("discovery/ecs-" + CLUSTER + ".yaml");
        DiscoveryFixture.write(results, fixture.at(Map.of(PAYMENTS, "127.0.0.1:" + paymentsPort, "api-1", "127.0.0.1:" + api1Port,
                "legacy", "127.0.0.1:" + legacyPort)));

        try (AwsOnLoopback aws = AwsOnLoopback.start(dir.resolve("aws"));
             StandIns.Slack slack = new StandIns.Slack(LocalProcess.freePort())) {
            aws.aws("ecs", "create-cluster", "--cluster-name", CLUSTER);
            aws.aws("ecs", "register-task-definition", "--family", "app", "--requires-compatibilities", "FARGATE", "--network-mode", "awsvpc",
                    "--cpu", "256", "--memory", "512", "--container-definitions", "[{\"name\":\"app\",\"image\":\"example/app:1\",\"essential\":true}]");
            service(aws, PAYMENTS, 2);     // ECS wants two; moto runs none: its tasks are gone
            service(aws, "api-1", 0);      // scaled to zero on purpose
            service(aws, "legacy", 0);
            aws.aws("ecs", "update-service", "--cluster", CLUSTER, "--service", "legacy", "--desired-count", "1"); // moto: running 1

            Files.writeString(dir.resolve("slack_webhook_url"), slack.url());
            Files.writeString(dir.resolve("alertmanager.yml"), stack.getAlertmanager().getConfig()
                    .withWebhookUrlFile(dir.resolve("slack_webhook_url").toString()).withHeartbeatUrl(slack.url() + "/heartbeat").toYaml());
            Files.createDirectories(dir.resolve("rules"));
            Files.writeString(dir.resolve("rules/o11y.yml"), fast(stack.getPrometheus().getRules()).toYaml());
            PrometheusConfig local = stack.getPrometheus().getLocalProfile(dir.resolve("discovery") + "/ecs-*.yaml", "127.0.0.1:" + amPort);
            Files.writeString(dir.resolve("prometheus.yml"), local.toBuilder().scrapeInterval("1s").evaluationInterval("1s").scrapeTimeout("1s")
                    .removeJobs("prometheus")
                    .scrapeJob(ScrapeJob.builder("prometheus").staticTargets(List.of("127.0.0.1:" + promPort), Map.of()).build())
                    // The exporter as the cloudwatch job, at its address here; a scrape asks moto, so 3 s.
                    .scrapeJob(ScrapeJob.builder("cloudwatch").scrapeInterval("3s").scrapeTimeout("3s")
                            .staticTargets(List.of("127.0.0.1:" + exporterPort), Map.of()).build())
                    .build().toYaml());

            try (LocalProcess exporter = aws.cloudWatchExporter(stack.getExporter().getConfig().toYaml(), exporterPort, dir);
                 LocalProcess am = LocalProcess.start("alertmanager", PrometheusTools.alertmanagerCommand(List.of(
                         "--config.file=" + dir.resolve("alertmanager.yml"), "--storage.path=" + dir.resolve("am"),
                         "--web.listen-address=127.0.0.1:" + amPort, "--cluster.listen-address=",
                         "--enable-feature=" + AlertmanagerConfig.UTF8_STRICT_MODE)), dir, Map.of());
                 LocalProcess prom = LocalProcess.start("prometheus", List.of(PrometheusTools.prometheus(),
                         "--config.file=" + dir.resolve("prometheus.yml"), "--storage.tsdb.path=" + dir.resolve("data"),
                         "--web.listen-address=127.0.0.1:" + promPort, "--rules.alert.resend-delay=2s"), dir, Map.of())) {
                assertThat(LocalProcess.await(Duration.ofSeconds(60), () -> query(promPort, "up{job=\"cloudwatch\"} == 1").size() == 1))
                        .as("the exporter is scraped\n" + prom.log() + exporter.log()).isTrue();
                // Discovered and scraped: each service's labels are recorded for the day.
                assertThat(LocalProcess.await(Duration.ofSeconds(30), () ->
                        query(promPort, MetricNames.Recorded.SERVICE_INFO + "{ecs_cluster=\"" + CLUSTER + "\"}").size() == 3))
                        .as("o11y_service_info of the three services\n" + prom.log()).isTrue();

                // The outage: the payments tasks stop and api-1 is scaled to zero; discovery lists neither any more.
                payments.stop(0);
                api1.stop(0);
                DiscoveryFixture.write(results, fixture.at(Map.of("legacy", "127.0.0.1:" + legacyPort)));
                // One run of the function (each minute on AWS): it publishes only the service without running tasks.
                String printed = runHandler(aws, dir, CLUSTER);
                assertThat(printed).contains("1 services without running tasks: " + CLUSTER + "/" + PAYMENTS).contains("{'gone': 1}");

                assertThat(LocalProcess.await(Duration.ofSeconds(60), () -> slack.messages().stream()
                        .anyMatch(m -> m.body().contains("[FIRING] ServiceTasksGone")))).as("notification\n" + prom.log() + am.log()
                        + exporter.log() + LocalProcess.get("http://127.0.0.1:" + exporterPort + "/metrics")).isTrue();
                StandIns.Message msg = slack.messages().stream().filter(m -> m.body().contains("[FIRING] ServiceTasksGone")).findFirst().orElseThrow();
                JsonNode payload = JSON.readTree(msg.body());
                assertThat(payload.path("channel").asText()).isEqualTo("#alerts-critical");
                assertThat(payload.toString()).contains("Service payments has no running tasks");
                JsonNode alert = query(promPort, "ALERTS{alertname=\"ServiceTasksGone\",alertstate=\"firing\"}");
                assertThat(alert).hasSize(1);
                JsonNode labels = alert.get(0).path("metric");
                assertThat(labels.path("service").asText()).isEqualTo("payments");
                assertThat(labels.path("team").asText()).isEqualTo("payments");
                assertThat(labels.path("env").asText()).isEqualTo("prod");
                assertThat(labels.path("ecs_service").asText()).isEqualTo(PAYMENTS);
                // The exporter read the counts by the names the rules read.
                assertThat(query(promPort, MetricNames.CloudWatch.DESIRED_TASKS + "{service_name=\"" + PAYMENTS + "\"}").get(0)
                        .path("value").get(1).asText()).isEqualTo("2");
                assertThat(query(promPort, MetricNames.CloudWatch.RUNNING_TASKS + "{service_name=\"" + PAYMENTS + "\"}").get(0)
                        .path("value").get(1).asText()).isEqualTo("0");

                // Scaled to zero on purpose, or running: quiet, and no count of theirs was published at all.
                Thread.sleep(8_000);
                assertThat(query(promPort, "ALERTS{alertname=\"ServiceTasksGone\",service!=\"payments\"}")).isEmpty();
                assertThat(query(promPort, "{__name__=~\"o11y_ecs_.*\",service_name!=\"" + PAYMENTS + "\"}")).isEmpty();
                assertThat(slack.messages()).noneMatch(m -> m.body().contains("api-1") || m.body().contains("legacy"));
                System.out.printf("E2E ServiceTasksGone: payments reached #alerts-critical; api-1 (desired 0) and legacy (running) quiet%n");
            }
        } finally {
            payments.stop(0);
            api1.stop(0);
            legacy.stop(0);
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void theHandlerPagesThroughEveryServiceOfEveryCluster(@TempDir Path dir) throws Exception {
        Synth synth = Synth.defaults();
        Files.writeString(dir.resolve("index.py"), handlerFromTemplate(synth.templateJson(synth.stacks().fargate())));
        try (AwsOnLoopback aws = AwsOnLoopback.start(dir.resolve("aws"))) {
            // More services than one ListServices page (100) and DescribeServices call (10), in two clusters (boto3: 106 CLI runs are slow).
            Map<String, String> env = new LinkedHashMap<>(aws.env());
            Tools.Result setup = Tools.run(List.of(Tools.require("python3", "apt-get install python3"), "-c", String.join("\n",
                    "import boto3",
                    "ecs = boto3.client('ecs')",
                    "ecs.register_task_definition(family='app', requiresCompatibilities=['FARGATE'], networkMode='awsvpc', cpu='256',"
                            + " memory='512', containerDefinitions=[{'name': 'app', 'image': 'example/app:1', 'essential': True}])",
                    "for c in ('a', 'b'): ecs.create_cluster(clusterName=c)",
                    "for i in range(105): ecs.create_service(cluster='a', serviceName='s%d' % i, taskDefinition='app:1',"
                            + " desiredCount=0 if i % 3 == 0 else 1, launchType='FARGATE')",
                    "ecs.create_service(cluster='b', serviceName='other', taskDefinition='app:1', desiredCount=3, launchType='FARGATE')")),
                    dir, env, 120);
            assertThat(setup.exitCode()).as(setup.output()).isZero();
            String printed = runHandler(aws, dir, "a,b");
            // 70 of the 105 want a task (i % 3 != 0) and run none, and so does "other" in b.
            assertThat(printed).contains("2 clusters, 71 services without running tasks").contains("b/other").contains("a/s104")
                    .doesNotContain("a/s0,").contains("{'gone': 71}");
            String listed = aws.aws("cloudwatch", "list-metrics", "--namespace", MetricNames.CloudWatch.TASK_COUNTS_NAMESPACE);
            assertThat(JSON.readTree(listed).path("Metrics")).hasSize(142);
            assertThat(listed).doesNotContain("\"s0\"").contains("\"s1\"");
        }
    }
}
