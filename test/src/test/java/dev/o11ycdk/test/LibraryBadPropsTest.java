package dev.o11ycdk.test;

import dev.o11ycdk.alb.HostRouteOptions;
import dev.o11ycdk.alb.MonitoringAlb;
import dev.o11ycdk.alb.MonitoringAlbProps;
import dev.o11ycdk.config.AlertmanagerConfig;
import dev.o11ycdk.config.Check;
import dev.o11ycdk.config.PromDuration;
import dev.o11ycdk.core.ComputeSize;
import dev.o11ycdk.core.PrometheusSizing;
import dev.o11ycdk.config.ScrapeJob;
import dev.o11ycdk.core.ScrapeOptions;
import dev.o11ycdk.core.ScrapeTarget;
import dev.o11ycdk.eks.KubePrometheusStack;
import dev.o11ycdk.eks.ServiceMonitor;
import dev.o11ycdk.host.ObservabilityInstance;
import dev.o11ycdk.fargate.GrafanaOAuth;
import dev.o11ycdk.fargate.RemoteWrite;
import dev.o11ycdk.host.Release;
import dev.o11ycdk.test.support.CdkJson;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.route53.HostedZone;
import software.amazon.awscdk.services.route53.HostedZoneAttributes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The library's own checks, as another team's app meets them: each names the prop (not a cdk.json
 * key) and the bad value, and carries its reason for apps that word it their own way. The app
 * checks its settings before these run ({@link BadInputTest}), so they are exercised here.
 */
class LibraryBadPropsTest {

    static Stream<Arguments> badProps() {
        return Stream.of(
                Arguments.of("priority out of the ALB's range", alb(List.of(), 0, 6, List.of()), "Grafana.priority = 0: must be in 1..50000"),
                Arguments.of("two routes on one priority", alb(List.of(), 5, 5, List.of()),
                        "Prometheus.priority = 5: collides with route Grafana; free priorities include [1, 2, 3]"),
                Arguments.of("host route behind an existing path rule", alb(List.of(10, 20), 12, 6, List.of()),
                        "Grafana.priority = 12: comes after existing rule 10 (e.g. /api/*), which would capture this host's requests; "
                                + "free priorities include [1, 2, 3] (pick 1-9)"),
                Arguments.of("a route's source CIDR that is not one", alb(List.of(), 5, 6, List.of("office")),
                        "Prometheus.sourceCidrs = 'office': must be an IPv4 CIDR block such as 203.0.113.0/24"),
                Arguments.of("Fargate CPU that is not a size", call(() -> ComputeSize.of("prometheus", 1536, 3072)),
                        "prometheus cpu = 1536: Fargate CPU must be one of 256, 512, 1024, 2048, 4096, 8192, 16384"),
                Arguments.of("Fargate memory outside the CPU's range", call(() -> ComputeSize.of("prometheus", 1024, 1024)),
                        "prometheus memoryMiB = 1024: is not a Fargate size for cpu 1024; valid: 2048..8192 in steps of 1024"),
                Arguments.of("more series than any Fargate task", call(() -> PrometheusSizing.forSeries("expectedActiveSeries", 9_000_000, 256)),
                        "expectedActiveSeries = 9000000: needs 36864 CPU units / 141952 MiB, more than the largest Fargate task "
                                + "(16 vCPU / 120 GB); shard Prometheus or send to Amazon Managed Service for Prometheus"),
                Arguments.of("scrape target port", call(() -> new ScrapeTarget("api-1", 70000, null, "prod")),
                        "service 'api-1' port = 70000: a TCP port must be in 1..65535"),
                Arguments.of("scrape target name", call(() -> new ScrapeTarget("api.1", 8080, null, "prod")),
                        "service name = 'api.1': must be an ECS service name (letters, digits, '-' and '_')"),
                Arguments.of("scrape target path", call(() -> new ScrapeTarget("api-1", 8080, "metrics", "prod")),
                        "service 'api-1' metricsPath = 'metrics': must be an absolute URL path such as /metrics"),
                Arguments.of("matcher Alertmanager's UTF-8 parser refuses", call(() -> AlertmanagerConfig.Route.to("null")
                                .matchers("path=~\"C:\\qtemp\"")),
                        "route matchers = 'path=~\"C:\\qtemp\"': a matcher looks like severity=\"critical\" (operators = != =~ !~; "
                                + "in the value only the escapes \\\\ \\\" \\n \\t and Go's others)"),
                Arguments.of("Slack channel", call(() -> AlertmanagerConfig.Receiver.slack("slack-critical", "/run/webhook", "alerts")),
                        "receiver slack-critical channel = 'alerts': a Slack channel looks like #alerts-critical"),
                Arguments.of("OAuth over http", call(() -> new GrafanaOAuth("Cognito", "abc",
                                software.amazon.awscdk.services.secretsmanager.Secret.fromSecretNameV2(stack(), "OAuth", "o11y/oauth"),
                                "http://a", "https://t", "https://u", null, null)),
                        "grafanaOAuth authUrl = 'http://a': must be an https:// URL"),
                Arguments.of("remote write target", call(() -> RemoteWrite.fromWorkspaceArn("https://example.com/write")),
                        "remoteWrite = 'https://example.com/write': give 'create' or an AMP workspace ARN "
                                + "(arn:aws:aps:<region>:<account>:workspace/ws-...)"),
                Arguments.of("release version range", call(() -> Release.prometheus().withVersion("2.x", "a".repeat(64), null)),
                        "prometheusVersion = '2.x': must be an exact version such as 1.2.3 (no ranges, no 'latest')"),
                Arguments.of("release without checksum", call(() -> Release.prometheus().withVersion("2.53.0", null, null)),
                        "prometheusVersion = '2.53.0': a version other than the pinned 3.13.2 needs its checksum "
                                + "(prometheusSha256Amd64 or prometheusSha256Arm64)"),
                Arguments.of("duration", call(() -> PromDuration.parse("scrapeInterval", "15sec")),
                        "scrapeInterval = '15sec': is not a Prometheus duration; use units y w d h m s ms, largest first, e.g. 15s, 1m, 2h30m"),
                Arguments.of("a ServiceMonitor name Kubernetes refuses", call(() -> ServiceMonitor.of("search", Map.of("app", "search"),
                                ScrapeOptions.builder().name("Search_1").port(8080).build(), "prod")),
                        "scrape name = 'Search_1': on EKS it names a ServiceMonitor: lower-case letters, digits and '-', at most 63, "
                                + "starting and ending with a letter or digit"),
                Arguments.of("a ServiceMonitor's namespace", call(() -> ServiceMonitor.of("Search", Map.of("app", "search"),
                                ScrapeOptions.builder().name("search").port(8080).build(), "prod")),
                        "scrape 'search' namespace = 'Search': must be a Kubernetes namespace name (lower-case letters, digits and '-')"),
                Arguments.of("a ServiceMonitor selecting every Service", call(() -> ServiceMonitor.of("search", Map.of(),
                                ScrapeOptions.builder().name("search").port(8080).build(), "prod")),
                        "scrape 'search' serviceLabels = '{}': name at least one label of the Service, or the monitor selects every "
                                + "Service of the namespace"),
                Arguments.of("a ServiceMonitor's label value", call(() -> ServiceMonitor.of("search", Map.of("app", "search engine"),
                                ScrapeOptions.builder().name("search").port(8080).build(), "prod")),
                        "scrape 'search' serviceLabels app = 'search engine': must be a Kubernetes label value (at most 63 letters, "
                                + "digits, '-', '_' and '.', starting and ending with a letter or digit)"),
                Arguments.of("an ECS container named on EKS", call(() -> ServiceMonitor.of("search", Map.of("app", "search"),
                                ScrapeOptions.builder().name("search").port(8080).containerName("app").build(), "prod")),
                        "scrape 'search' containerName = 'app': names an ECS container; on EKS the monitor scrapes the pods' "
                                + "container port (leave it unset)"),
                Arguments.of("an ECS container named on the host", call(() -> {
                            Stack s = stack();
                            ObservabilityInstance.fromSecurityGroupId(s, "Host", "sg-0123456789abcdef0").scrape(
                                    SecurityGroup.fromSecurityGroupId(s, "Team", "sg-0fedcba9876543210"),
                                    ScrapeOptions.builder().name("orders").port(9464).containerName("app").build());
                        }),
                        "scrape 'orders' containerName = 'app': names an ECS container; the EC2 host scrapes the instance itself "
                                + "(leave it unset)"),
                Arguments.of("one instance scraped twice on the host", call(() -> {
                            Stack s = stack();
                            software.amazon.awscdk.services.ec2.Vpc vpc = software.amazon.awscdk.services.ec2.Vpc.Builder.create(s, "Vpc")
                                    .maxAzs(1).natGateways(0).build();
                            software.amazon.awscdk.services.ec2.Instance orders = software.amazon.awscdk.services.ec2.Instance.Builder
                                    .create(s, "Orders").vpc(vpc).instanceType(new software.amazon.awscdk.services.ec2.InstanceType("t3.micro"))
                                    .machineImage(software.amazon.awscdk.services.ec2.MachineImage.genericLinux(Map.of("ap-northeast-2", "ami-0a1b2c3d4e5f60718")))
                                    .build();
                            var host = ObservabilityInstance.fromSecurityGroupId(s, "Host", "sg-0123456789abcdef0");
                            host.scrape(orders, ScrapeOptions.builder().name("orders").port(9464).build());
                            host.scrape(orders, ScrapeOptions.builder().name("orders-jvm").port(9404).build());
                        }),
                        "scrape 'orders-jvm' of Team/Orders = 'orders-jvm': is already scraped as 'orders'; an instance carries one set "
                                + "of discovery tags (one port and path): serve both on one port, or scrape the second with "
                                + "scrape(securityGroup, options) and a job of your own"),
                Arguments.of("the host's SSM prefix", call(() -> ObservabilityInstance.fromSsm(stack(), "Host", "o11y/host")),
                        "ssmParameterPrefix = 'o11y/host': must be an SSM path such as /o11y-cdk/host"),
                Arguments.of("the EKS platform's SSM prefix", call(() -> KubePrometheusStack.fromSsm(stack(), "Eks", "eks")),
                        "ssmParameterPrefix = 'eks': must be an SSM path such as /o11y-cdk/eks"),
                Arguments.of("EC2 discovery without a filter", call(() -> ScrapeJob.builder("ec2-x").ec2Sd("ap-northeast-2", 80, Map.of())),
                        "scrape job 'ec2-x' ec2Sd filters = '{}': name at least one filter, or every instance of the region is scraped"),
                Arguments.of("Aurora floor below Serverless v2's", database(0.25, 2),
                        "grafana database minCapacity = 0.25: Aurora Serverless v2 takes 0.5..256 ACU in steps of 0.5"),
                Arguments.of("Aurora ceiling below its floor", database(4, 2),
                        "grafana database maxCapacity = 2: is below minCapacity 4 ACU"),
                Arguments.of("CIDR", call(() -> Check.ipv4Cidr("allowedCidrs", "203.0.113.0/33")),
                        "allowedCidrs = '203.0.113.0/33': must be an IPv4 CIDR block such as 203.0.113.0/24"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badProps")
    void aBadPropFailsAtOnceNamingThePropAndTheValue(String what, ThrowingCallable misuse, String message) {
        assertThatThrownBy(misuse).isInstanceOf(Check.BadValue.class).hasMessage(message)
                .satisfies(e -> assertThat(message).endsWith(": " + ((Check.BadValue) e).why()));
    }

    private static ThrowingCallable call(ThrowingCallable c) {
        return c;
    }

    private static Stack stack() {
        App app = App.Builder.create().context(CdkJson.context()).build();
        return new Stack(app, "Team", StackProps.builder().env(Environment.builder().region("ap-northeast-2").build()).build());
    }

    /** An ALB with a Grafana and a Prometheus route, as another team's app would add them. */
    private static ThrowingCallable database(double min, double max) {
        return () -> {
            Stack s = stack();
            new dev.o11ycdk.fargate.GrafanaDatabase(s, "Db", dev.o11ycdk.fargate.GrafanaDatabaseProps.builder()
                    .vpc(Vpc.Builder.create(s, "Vpc").maxAzs(2).build()).minCapacity(min).maxCapacity(max).build());
        };
    }

    private static ThrowingCallable alb(List<Integer> existing, int grafana, int prometheus, List<String> prometheusSources) {
        return () -> {
            Stack s = stack();
            MonitoringAlb alb = new MonitoringAlb(s, "Alb", MonitoringAlbProps.builder()
                    .vpc(Vpc.Builder.create(s, "Vpc").maxAzs(2).build())
                    .domainName("o11y.example.com")
                    .hostedZone(HostedZone.fromHostedZoneAttributes(s, "Zone", HostedZoneAttributes.builder()
                            .hostedZoneId("Z0000000000EXAMPLE").zoneName("example.com").build()))
                    .existingRulePriorities(existing)
                    .build());
            alb.addHostRoute("Grafana", HostRouteOptions.builder().subdomain("grafana").port(3000).healthCheckPath("/api/health")
                    .priority(grafana).build());
            alb.addHostRoute("Prometheus", HostRouteOptions.builder().subdomain("prometheus").port(9090).healthCheckPath("/-/ready")
                    .priority(prometheus).sourceCidrs(prometheusSources).build());
        };
    }
}
