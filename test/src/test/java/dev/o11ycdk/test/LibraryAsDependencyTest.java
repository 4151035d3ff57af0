package dev.o11ycdk.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.o11ycdk.alb.HostRouteOptions;
import dev.o11ycdk.alb.MonitoringAlb;
import dev.o11ycdk.alb.MonitoringAlbProps;
import dev.o11ycdk.fargate.CloudWatchExporter;
import dev.o11ycdk.fargate.CloudWatchExporterProps;
import dev.o11ycdk.fargate.EfsStorage;
import dev.o11ycdk.fargate.EfsStorageProps;
import dev.o11ycdk.fargate.FargatePrometheus;
import dev.o11ycdk.fargate.FargatePrometheusProps;
import dev.o11ycdk.test.support.CdkJson;
import dev.o11ycdk.test.support.Synth;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.certificatemanager.Certificate;
import software.amazon.awscdk.services.ec2.Peer;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ecs.CloudMapNamespaceOptions;
import software.amazon.awscdk.services.ecs.Cluster;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationListener;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationListenerRule;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationLoadBalancer;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationProtocol;
import software.amazon.awscdk.services.elasticloadbalancingv2.BaseApplicationListenerProps;
import software.amazon.awscdk.services.elasticloadbalancingv2.ListenerAction;
import software.amazon.awscdk.services.elasticloadbalancingv2.ListenerCertificate;
import software.amazon.awscdk.services.elasticloadbalancingv2.ListenerCondition;

/** What another team's build and app get from o11y-cdk-lib alone, outside this project's app. */
class LibraryAsDependencyTest {

    private static Stack stack(App app, String id, boolean region) {
        return new Stack(app, id, region ? StackProps.builder().env(Environment.builder().region("ap-northeast-2").build()).build()
                : StackProps.builder().build());
    }

    private static Cluster cluster(Stack s) {
        Vpc vpc = Vpc.Builder.create(s, "Vpc").maxAzs(2).natGateways(1).build();
        return Cluster.Builder.create(s, "Cluster").vpc(vpc)
                .defaultCloudMapNamespace(CloudMapNamespaceOptions.builder().name("team.local").vpc(vpc).build()).build();
    }

    @Test
    void theLibraryNeitherDeclaresNorLinksCdkNag() throws Exception {
        String pom = Files.readString(CdkJson.repoRoot().resolve("lib/pom.xml"));
        assertThat(pom).doesNotContain("cdknag");
        Path jar = CdkJson.repoRoot().resolve("lib/target/o11y-cdk-lib-" + CdkJson.projectVersion() + ".jar");
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            long referencing = zip.stream().filter(e -> e.getName().endsWith(".class")).filter(e -> {
                try {
                    return new String(zip.getInputStream(e).readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1).contains("cdklabs");
                } catch (java.io.IOException ex) {
                    throw new java.io.UncheckedIOException(ex);
                }
            }).count();
            assertThat(referencing).isZero();
        }
    }

    @Test
    void suppressionsAreTheMetadataCdkNagReads() {
        Synth synth = Synth.defaults();
        synth.template(synth.stacks().fargate()).hasResource("AWS::S3::Bucket", Match.objectLike(Map.of("Metadata", Map.of("cdk_nag",
                Map.of("rules_to_suppress", List.of(Map.of("reason", "This bucket is itself the ALB access-log sink; logging it to "
                        + "another bucket would recurse.", "id", "AwsSolutions-S1")))))));
    }

    @Test
    void aStackWithoutARegionIsToldSoAtOnce() {
        App app = App.Builder.create().context(CdkJson.context()).build();
        Stack s = stack(app, "NoRegion", false);
        Cluster cluster = cluster(s);
        EfsStorage storage = new EfsStorage(s, "Storage", EfsStorageProps.builder().vpc(cluster.getVpc()).build());
        assertThatThrownBy(() -> new FargatePrometheus(s, "Prometheus", FargatePrometheusProps.builder().cluster(cluster).storage(storage).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("env.region of stack 'NoRegion' = '(not set)': FargatePrometheus 'NoRegion/Prometheus' renders "
                        + "region-specific configuration; give the stack an explicit region: "
                        + "StackProps.builder().env(Environment.builder().region(\"ap-northeast-2\").build())");
        assertThatThrownBy(() -> new CloudWatchExporter(s, "Exporter", CloudWatchExporterProps.builder().cluster(cluster).build()))
                .hasMessageStartingWith("env.region of stack 'NoRegion' = '(not set)': CloudWatchExporter");
    }

    @Test
    void everyConstructsConnectionsHaveItsDefaultPort() {
        App app = App.Builder.create().context(CdkJson.context()).build();
        Stack s = stack(app, "Ports", true);
        Cluster cluster = cluster(s);
        EfsStorage storage = new EfsStorage(s, "Storage", EfsStorageProps.builder().vpc(cluster.getVpc()).build());
        FargatePrometheus prometheus = new FargatePrometheus(s, "Prometheus", FargatePrometheusProps.builder()
                .cluster(cluster).storage(storage).build());
        CloudWatchExporter exporter = new CloudWatchExporter(s, "Exporter", CloudWatchExporterProps.builder().cluster(cluster).build());
        SecurityGroup client = SecurityGroup.Builder.create(s, "Client").vpc(cluster.getVpc()).build();
        prometheus.getConnections().allowDefaultPortFrom(client);
        exporter.getConnections().allowDefaultPortFrom(client);
        storage.getConnections().allowDefaultPortFrom(client);
        Template t = Template.fromStack(s);
        for (int port : List.of(9090, 9106, 2049)) {
            t.hasResourceProperties("AWS::EC2::SecurityGroupIngress", Match.objectLike(Map.of("FromPort", port,
                    "SourceSecurityGroupId", Map.of("Fn::GetAtt", List.of(Match.stringLikeRegexp("Client.*"), "GroupId")))));
        }
    }

    @Test
    void aPrometheusRouteLikeTheGrafanaExampleWarnsThatItIsPublicAndLoginFree() {
        App app = App.Builder.create().context(CdkJson.context()).build();
        Stack s = stack(app, "Public", true);
        Vpc vpc = Vpc.Builder.create(s, "Vpc").maxAzs(2).natGateways(0).build();
        MonitoringAlb alb = new MonitoringAlb(s, "Alb", MonitoringAlbProps.builder().vpc(vpc).domainName("o11y.example.com")
                .certificate(Certificate.fromCertificateArn(s, "Cert",
                        "arn:aws:acm:ap-northeast-2:111122223333:certificate/f3e3c113-8989-4f83-98d8-48213617ce72")).build());
        alb.addHostRoute("Prometheus", HostRouteOptions.builder().subdomain("prometheus").port(9090).healthCheckPath("/-/ready")
                .priority(6).build());
        alb.addHostRoute("Grafana", HostRouteOptions.builder().subdomain("grafana").port(3000).healthCheckPath("/api/health")
                .priority(5).build());
        Annotations a = Annotations.fromStack(s);
        a.hasWarning("/Public/Alb", Match.stringLikeRegexp("Route Prometheus \\(prometheus.o11y.example.com\\) has no authentication.*"));
        assertThat(a.findWarning("/Public/Alb", Match.stringLikeRegexp("Route Grafana.*"))).isEmpty();
    }

    /** Another stack's rule on the listener at {@code rulePriority}, and Grafana's route at {@code routePriority}. */
    private static App listenerWithRule(int rulePriority, ListenerCondition condition, int routePriority) {
        App app = App.Builder.create().context(CdkJson.context()).build();
        Stack chat = stack(app, "Chat", true);
        Vpc vpc = Vpc.Builder.create(chat, "Vpc").maxAzs(2).natGateways(0).build();
        ApplicationLoadBalancer lb = ApplicationLoadBalancer.Builder.create(chat, "Lb").vpc(vpc).internetFacing(true).build();
        ApplicationListener https = lb.addListener("Https", BaseApplicationListenerProps.builder().port(443)
                .protocol(ApplicationProtocol.HTTPS).open(false).certificates(List.of(ListenerCertificate.fromArn(
                        "arn:aws:acm:ap-northeast-2:111122223333:certificate/f3e3c113-8989-4f83-98d8-48213617ce72")))
                .defaultAction(ListenerAction.fixedResponse(404)).build());
        lb.getConnections().allowFrom(Peer.anyIpv4(), software.amazon.awscdk.services.ec2.Port.tcp(443));
        ApplicationListenerRule.Builder.create(chat, "ApiRule").listener(https).priority(rulePriority)
                .conditions(List.of(condition)).action(ListenerAction.fixedResponse(200)).build();
        MonitoringAlb alb = new MonitoringAlb(chat, "Monitoring", MonitoringAlbProps.builder().vpc(vpc).domainName("o11y.example.com")
                .existingLoadBalancer(lb).existingListener(https).build());
        alb.addHostRoute("Grafana", HostRouteOptions.builder().subdomain("grafana").port(3000).healthCheckPath("/api/health")
                .priority(routePriority).build());
        return app;
    }

    @Test
    void aRuleAlreadyOnTheListenerElsewhereInTheAppCollidesWithoutBeingDeclared() {
        // Same priority: a listener holds one rule per priority, whatever the hosts.
        assertThatThrownBy(listenerWithRule(5, ListenerCondition.hostHeaders(List.of("chat.example.com")), 5)::synth)
                .hasMessageContaining("[Chat/Monitoring] Grafana.priority = 5: collides with the rule Chat/ApiRule/Resource on the same "
                        + "listener; a listener holds one rule per priority");
        // Earlier and host-blind (/api/* on every host): it would take grafana's requests.
        assertThatThrownBy(listenerWithRule(3, ListenerCondition.pathPatterns(List.of("/api/*")), 5)::synth)
                .hasMessageContaining("[Chat/Monitoring] Grafana.priority = 5: comes after the rule Chat/ApiRule/Resource at 3 on the "
                        + "same listener, which may capture grafana.o11y.example.com's requests; pick 1-2");
        assertThatThrownBy(listenerWithRule(1, ListenerCondition.hostHeaders(List.of("*.O11Y.example.com")), 5)::synth)
                .hasMessageContaining("comes after the rule Chat/ApiRule/Resource at 1 on the same listener, which may capture "
                        + "grafana.o11y.example.com's requests; move that rule after it");
        // Earlier but for other hosts only: no conflict, synth goes through.
        listenerWithRule(3, ListenerCondition.hostHeaders(List.of("chat.example.com", "api-?.example.com")), 5).synth();
    }

    @Test
    void anyAppThatUsesTheLibraryGetsTheRenderedFilesAndTheAlertDelaysInCdkOut() throws Exception {
        Path out = Files.createTempDirectory("o11y-lib-app");
        App app = App.Builder.create().context(CdkJson.context()).outdir(out.toString()).build();
        Stack s = stack(app, "TeamPlatform", true);
        Cluster cluster = cluster(s);
        EfsStorage storage = new EfsStorage(s, "Storage", EfsStorageProps.builder().vpc(cluster.getVpc()).build());
        new FargatePrometheus(s, "Prometheus", FargatePrometheusProps.builder().cluster(cluster).storage(storage).build());
        app.synth();
        Path rendered = out.resolve("TeamPlatform.rendered/prometheus");
        assertThat(Files.readString(rendered.resolve("prometheus.yml"))).contains("job_name: ecs");
        assertThat(Files.readString(rendered.resolve("rules/o11y.yml"))).contains("alert: ServiceDown");
        assertThat(Files.readString(rendered.resolve("alert-delays.txt"))).contains("ServiceDown: 15s scrape + 15s evaluation + 1m for");
        assertThat(Files.readString(rendered.resolve("ecs-discovery/otel-collector.yaml"))).contains("ecs_observer/");
        assertThat(rendered.resolve("entrypoint.sh")).exists();
    }
}
