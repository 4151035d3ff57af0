package dev.o11ycdk.test;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.o11ycdk.app.FargateStack;
import dev.o11ycdk.config.AlertmanagerConfig;
import dev.o11ycdk.config.CloudWatchExporterConfig;
import dev.o11ycdk.config.MetricNames;
import dev.o11ycdk.config.PrometheusConfig;
import dev.o11ycdk.config.Rule;
import dev.o11ycdk.config.RuleGroups;
import dev.o11ycdk.config.ScrapeJob;
import dev.o11ycdk.cost.CloudWatchPolling;
import dev.o11ycdk.eks.KubePrometheusStack;
import dev.o11ycdk.grafana.Dashboard;
import dev.o11ycdk.test.support.AwsOnLoopback;
import dev.o11ycdk.test.support.DiscoveryFixture;
import dev.o11ycdk.test.support.EndToEnd;
import dev.o11ycdk.test.support.LocalProcess;
import dev.o11ycdk.test.support.PromQl;
import dev.o11ycdk.test.support.PrometheusTools;
import dev.o11ycdk.test.support.PromtoolRuleTests;
import dev.o11ycdk.test.support.Synth;
import dev.o11ycdk.test.support.UnrunnableEmitters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every metric an alert rule, a recording rule or a dashboard panel (or variable) of any layout reads is
 * produced here by the real component that emits it in production, or recorded by a rule, or on the one
 * list of what cannot run here ({@link UnrunnableEmitters}): the real node_exporter, Alertmanager and
 * Prometheus (the Fargate profile with its rules, file_sd discovery and Alertmanager), and the real
 * CloudWatch exporter with the rendered cloudwatch.yml against moto holding data for each of its metrics
 * (the task counts as EcsTaskCounts publishes them, the target response time of a load balancer with the
 * platform's tag). The promtool alert fixtures' series pass the same check.
 */
@EndToEnd
class MetricEmittersTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NAME = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]", Pattern.MULTILINE);
    /** Name to the emitters that produced it. */
    private static final Map<String, Set<String>> PRODUCED = new TreeMap<>();
    private static Map<String, Long> exporterRequests = new TreeMap<>();

    @TempDir
    static Path dir;

    private static void produced(String emitter, String exposition) {
        Matcher m = NAME.matcher(exposition);
        while (m.find()) {
            PRODUCED.computeIfAbsent(m.group(1), k -> new TreeSet<>()).add(emitter);
        }
    }

    @BeforeAll
    @Timeout(value = 200, unit = TimeUnit.SECONDS)
    static void runTheEmitters() throws Exception {
        FargateStack stack = Synth.defaults().stacks().fargate();
        int nodePort = LocalProcess.freePort();
        int amPort = LocalProcess.freePort();
        int promPort = LocalProcess.freePort();
        int exporterPort = LocalProcess.freePort();
        Files.writeString(dir.resolve("slack_webhook_url"), "http://127.0.0.1:9/services/hook");
        Files.writeString(dir.resolve("alertmanager.yml"), stack.getAlertmanager().getConfig()
                .withWebhookUrlFile(dir.resolve("slack_webhook_url").toString()).toYaml());
        Files.createDirectories(dir.resolve("rules"));
        Files.writeString(dir.resolve("rules/o11y.yml"), stack.getPrometheus().getRules().toYaml());
        DiscoveryFixture.write(dir.resolve("discovery/ecs-o11y-platform.yaml"),
                DiscoveryFixture.load().at(Map.of("api-1", "127.0.0.1:" + nodePort)));
        PrometheusConfig local = stack.getPrometheus().getLocalProfile(dir.resolve("discovery") + "/ecs-*.yaml", "127.0.0.1:" + amPort);
        Files.writeString(dir.resolve("prometheus.yml"), local.toBuilder().scrapeInterval("1s").evaluationInterval("1s").scrapeTimeout("1s")
                .removeJobs("prometheus")
                .scrapeJob(ScrapeJob.builder("prometheus").staticTargets(List.of("127.0.0.1:" + promPort), Map.of()).build())
                .scrapeJob(ScrapeJob.builder("node").staticTargets(List.of("127.0.0.1:" + nodePort), Map.of()).build())
                .build().toYaml());

        try (AwsOnLoopback aws = AwsOnLoopback.start(dir.resolve("aws"));
             LocalProcess node = LocalProcess.start("node_exporter", List.of(PrometheusTools.nodeExporter(),
                     "--web.listen-address=127.0.0.1:" + nodePort), dir, Map.of());
             LocalProcess am = LocalProcess.start("alertmanager", PrometheusTools.alertmanagerCommand(List.of(
                     "--config.file=" + dir.resolve("alertmanager.yml"), "--storage.path=" + dir.resolve("am"),
                     "--web.listen-address=127.0.0.1:" + amPort, "--cluster.listen-address=",
                     "--enable-feature=" + AlertmanagerConfig.UTF8_STRICT_MODE)), dir, Map.of());
             LocalProcess prom = LocalProcess.start("prometheus", List.of(PrometheusTools.prometheus(),
                     "--config.file=" + dir.resolve("prometheus.yml"), "--storage.tsdb.path=" + dir.resolve("data"),
                     "--web.listen-address=127.0.0.1:" + promPort), dir, Map.of())) {
            // What CloudWatch holds for each metric of the rendered cloudwatch.yml: the task counts of one service
            // whose tasks are gone, as EcsTaskCounts publishes them, and the response time of a tagged ALB's target group.
            String ns = MetricNames.CloudWatch.TASK_COUNTS_NAMESPACE;
            String dims = "[{Name=ClusterName,Value=o11y-platform},{Name=ServiceName,Value=payments}]";
            aws.aws("cloudwatch", "put-metric-data", "--namespace", ns, "--metric-data",
                    "MetricName=" + MetricNames.CloudWatch.DESIRED_TASK_COUNT + ",Dimensions=" + dims + ",Value=2",
                    "MetricName=" + MetricNames.CloudWatch.RUNNING_TASK_COUNT + ",Dimensions=" + dims + ",Value=0");
            String vpc = JSON.readTree(aws.aws("ec2", "create-vpc", "--cidr-block", "10.0.0.0/16")).path("Vpc").path("VpcId").asText();
            List<String> subnets = new ArrayList<>();
            for (String[] s : new String[][] {{"10.0.1.0/24", "ap-northeast-2a"}, {"10.0.2.0/24", "ap-northeast-2c"}}) {
                subnets.add(JSON.readTree(aws.aws("ec2", "create-subnet", "--vpc-id", vpc, "--cidr-block", s[0], "--availability-zone", s[1]))
                        .path("Subnet").path("SubnetId").asText());
            }
            String albArn = JSON.readTree(aws.aws("elbv2", "create-load-balancer", "--name", "o11y", "--subnets", subnets.get(0), subnets.get(1),
                    "--tags", "Key=" + CloudWatchExporterConfig.MONITORED_TAG + ",Value=true")).path("LoadBalancers").get(0).path("LoadBalancerArn").asText();
            String tgArn = JSON.readTree(aws.aws("elbv2", "create-target-group", "--name", "grafana", "--protocol", "HTTP", "--port", "3000",
                    "--vpc-id", vpc)).path("TargetGroups").get(0).path("TargetGroupArn").asText();
            String lbDim = albArn.substring(albArn.indexOf(":loadbalancer/") + ":loadbalancer/".length());
            String tgDim = tgArn.substring(tgArn.lastIndexOf(':') + 1);
            // The exporter reads the ALB's figures 2 minutes late (delay_seconds 120, as CloudWatch's own lag needs).
            String past = java.time.Instant.now().minusSeconds(150).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
            aws.aws("cloudwatch", "put-metric-data", "--namespace", MetricNames.CloudWatch.ALB_NAMESPACE, "--metric-data",
                    "MetricName=TargetResponseTime,Dimensions=[{Name=LoadBalancer,Value=" + lbDim + "},{Name=TargetGroup,Value=" + tgDim
                            + "}],Value=0.25,Timestamp=" + past);
            // The same for an ALB without the tag: the exporter must not read it.
            aws.aws("cloudwatch", "put-metric-data", "--namespace", MetricNames.CloudWatch.ALB_NAMESPACE, "--metric-data",
                    "MetricName=TargetResponseTime,Dimensions=[{Name=LoadBalancer,Value=app/other/1234},{Name=TargetGroup,Value=targetgroup/x/5678}],"
                            + "Value=9,Timestamp=" + past);

            try (LocalProcess exporter = aws.cloudWatchExporter(stack.getExporter().getConfig().toYaml(), exporterPort, dir)) {
                assertThat(LocalProcess.await(Duration.ofSeconds(60), () -> LocalProcess.get("http://127.0.0.1:" + exporterPort + "/-/healthy") != null))
                        .as("exporter up\n" + exporter.log()).isTrue();
                String cw = LocalProcess.get("http://127.0.0.1:" + exporterPort + "/metrics");
                assertThat(cw).as(exporter.log()).contains("cloudwatch_exporter_scrape_error 0.0");
                assertThat(cw).doesNotContain("app/other/1234");
                produced("cloudwatch_exporter", cw);
                Matcher req = Pattern.compile("cloudwatch_requests_total\\{action=\"(\\w+)\",namespace=\"([^\"]+)\",} ([0-9.]+)").matcher(cw);
                while (req.find()) {
                    exporterRequests.merge(req.group(1), (long) Double.parseDouble(req.group(3)), Long::sum);
                }
            }
            assertThat(LocalProcess.await(Duration.ofSeconds(30), () -> LocalProcess.get("http://127.0.0.1:" + nodePort + "/metrics") != null)).isTrue();
            produced("node_exporter", LocalProcess.get("http://127.0.0.1:" + nodePort + "/metrics"));
            assertThat(LocalProcess.await(Duration.ofSeconds(30), () -> LocalProcess.get("http://127.0.0.1:" + amPort + "/metrics") != null)).isTrue();
            produced("alertmanager", LocalProcess.get("http://127.0.0.1:" + amPort + "/metrics"));
            // Prometheus itself, and what its scrape loop writes (up, scrape_*), once the rules and discovery ran a while.
            assertThat(LocalProcess.await(Duration.ofSeconds(40), () -> {
                String m = LocalProcess.get("http://127.0.0.1:" + promPort + "/metrics");
                return m != null && m.contains("prometheus_sd_file_mtime_seconds") && m.contains("prometheus_rule_evaluation_failures_total")
                        && m.contains("prometheus_notifications_alertmanagers_discovered 1");
            })).as("prometheus ran its rules and discovery\n" + prom.log()).isTrue();
            produced("prometheus", LocalProcess.get("http://127.0.0.1:" + promPort + "/metrics"));
            JsonNode names = JSON.readTree(LocalProcess.get("http://127.0.0.1:" + promPort + "/api/v1/label/__name__/values")).path("data");
            for (JsonNode n : names) {
                if (n.asText().equals("up") || n.asText().startsWith("scrape_")) {
                    PRODUCED.computeIfAbsent(n.asText(), k -> new TreeSet<>()).add("prometheus (scrape loop)");
                }
            }
        }
    }

    /** Every reader (a rule or a dashboard's panel or variable, by layout) and the metric names it reads. */
    static Map<String, Set<String>> readers() throws IOException {
        Synth synth = Synth.defaults();
        Map<String, RuleGroups> rules = new LinkedHashMap<>();
        rules.put("fargate", synth.stacks().fargate().getPrometheus().getRules());
        rules.put("ec2", synth.stacks().ec2Host().getHost().getRules());
        rules.put("eks", synth.stacks().eks().getMonitoring().getRules());
        Map<String, Set<String>> out = new TreeMap<>();
        rules.forEach((layout, groups) -> groups.groups().values().forEach(rs -> rs.forEach(r ->
                out.computeIfAbsent("rule " + layout + "/" + r.name(), k -> new TreeSet<>()).addAll(metrics(r.expr())))));
        Map<String, List<Dashboard>> dashboards = new LinkedHashMap<>();
        dashboards.put("fargate", synth.stacks().fargate().getGrafana().getDashboards());
        dashboards.put("ec2", List.of(dev.o11ycdk.grafana.Dashboards.nodeExporter()));
        dashboards.put("eks", KubePrometheusStack.dashboards());
        for (Map.Entry<String, List<Dashboard>> e : dashboards.entrySet()) {
            for (Dashboard d : e.getValue()) {
                JsonNode json = JSON.readTree(d.toJson());
                for (JsonNode p : json.path("panels")) {
                    for (JsonNode t : p.path("targets")) {
                        out.computeIfAbsent("panel " + e.getKey() + "/" + d.getUid() + "/" + p.path("title").asText(), k -> new TreeSet<>())
                                .addAll(metrics(t.path("expr").asText()));
                    }
                }
                for (JsonNode v : json.path("templating").path("list")) {
                    String q = v.path("query").isTextual() ? v.path("query").asText() : v.path("query").path("query").asText();
                    Matcher lv = Pattern.compile("label_values\\((.*),\\s*\\w+\\)").matcher(q);
                    if (lv.matches()) {
                        out.computeIfAbsent("variable " + e.getKey() + "/" + d.getUid() + "/" + v.path("name").asText(), k -> new TreeSet<>())
                                .addAll(metrics(lv.group(1)));
                    }
                }
            }
        }
        return out;
    }

    private static Set<String> metrics(String expr) {
        Set<String> out = new TreeSet<>();
        PromQl.selectors(expr).stream().map(PromQl.Selector::metric).filter(m -> m != null).forEach(out::add);
        return out;
    }

    /** What the rules of every layout record. */
    static Set<String> recorded() {
        Synth synth = Synth.defaults();
        Set<String> out = new TreeSet<>();
        for (RuleGroups g : List.of(synth.stacks().fargate().getPrometheus().getRules(), synth.stacks().ec2Host().getHost().getRules(),
                synth.stacks().eks().getMonitoring().getRules())) {
            g.groups().values().forEach(rs -> rs.stream().filter(r -> !r.isAlert()).map(Rule::name).forEach(out::add));
        }
        return out;
    }

    @Test
    void everyNameARuleOrPanelReadsIsProducedByItsRealEmitterOrListedWithAReason() throws IOException {
        Set<String> recorded = recorded();
        List<String> unproduced = new ArrayList<>();
        Set<String> read = new TreeSet<>();
        readers().forEach((reader, names) -> names.forEach(n -> {
            read.add(n);
            if (!PRODUCED.containsKey(n) && !recorded.contains(n) && !UnrunnableEmitters.NAMES.containsKey(n)) {
                unproduced.add(reader + " reads " + n + ": no emitter produced it here and it is not on UnrunnableEmitters");
            }
        }));
        assertThat(unproduced).as("produced: " + PRODUCED.keySet()).isEmpty();
        assertThat(UnrunnableEmitters.NAMES.keySet()).as("listed but read by no rule or panel").allMatch(read::contains);
        assertThat(UnrunnableEmitters.NAMES.keySet()).as("listed but produced by a real emitter here").noneMatch(PRODUCED::containsKey);
        Map<String, Set<String>> byEmitter = new TreeMap<>();
        read.stream().filter(PRODUCED::containsKey).forEach(n -> PRODUCED.get(n).forEach(e -> byEmitter.computeIfAbsent(e, k -> new TreeSet<>()).add(n)));
        byEmitter.forEach((e, ns) -> System.out.printf("emitters: %d names read by rules or panels produced by %s: %s%n", ns.size(), e, ns));
        System.out.printf("emitters: %d recorded by rules, %d on UnrunnableEmitters%n", read.stream().filter(recorded::contains).count(),
                read.stream().filter(UnrunnableEmitters.NAMES::containsKey).count());
    }

    @Test
    void theServiceTasksGoneInputsAreTheExportersOwnNames() {
        // The names the rule reads, as the real exporter produced them from what EcsTaskCounts publishes.
        assertThat(PRODUCED).containsKeys(MetricNames.CloudWatch.DESIRED_TASKS, MetricNames.CloudWatch.RUNNING_TASKS,
                MetricNames.CloudWatch.ALB_TARGET_RESPONSE_TIME_AVERAGE, MetricNames.CloudWatch.ALB_TARGET_RESPONSE_TIME_MAXIMUM);
        assertThat(PRODUCED).doesNotContainKeys("aws_ecs_containerinsights_desired_task_count_average", "aws_o11y_ecs_desired_task_count_maximum");
        assertThat(MetricNames.cloudWatch("ECS/ContainerInsights", "DesiredTaskCount", "Average"))
                .isEqualTo("ecs_containerinsights_desired_task_count_average");
        assertThat(MetricNames.cloudWatch("AWS/ECS", "CPUUtilization", "Average")).isEqualTo("aws_ecs_cpuutilization_average");
    }

    @Test
    void theEstimateCountsTheRequestsTheRealExporterMakes() {
        // One scrape of the rendered config: moto lists one service's task counts and one tagged target group.
        long model = CloudWatchPolling.requestsPerScrape(Synth.defaults().stacks().fargate().getExporter().getConfig(), 5, 1);
        long billed = exporterRequests.getOrDefault("listMetrics", 0L) + exporterRequests.getOrDefault("getMetricStatistics", 0L)
                + exporterRequests.getOrDefault("getMetricData", 0L);
        assertThat(CloudWatchPolling.listedServices(5)).isEqualTo(1);
        assertThat(billed).as("the exporter's own cloudwatch_requests_total " + exporterRequests).isEqualTo(model);
    }

    @Test
    void thePromtoolFixturesReadOnlyNamesARealEmitterProducesOrTheListHolds() {
        Set<String> recorded = recorded();
        List<String> copies = new ArrayList<>();
        for (PromtoolRuleTests.Series s : AlertRulesTest.cases().allSeries()) {
            String name = s.selector().replaceFirst("\\{.*", "");
            if (!PRODUCED.containsKey(name) && !recorded.contains(name) && !UnrunnableEmitters.NAMES.containsKey(name)) {
                copies.add(name);
            }
        }
        assertThat(copies).as("fixture series that no emitter produced").isEmpty();
    }
}
