package dev.o11ycdk.test;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.o11ycdk.app.O11yApp;
import dev.o11ycdk.app.Settings;
import dev.o11ycdk.test.support.CdkJson;
import dev.o11ycdk.test.support.Cfn;
import dev.o11ycdk.test.support.ConsumerApps;
import dev.o11ycdk.test.support.LocalRepository;
import dev.o11ycdk.test.support.Synth;
import dev.o11ycdk.test.support.Tools;
import dev.o11ycdk.test.support.UsesTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;

/**
 * The README's "Onboard your service from your own CDK app", for real, on each layout: a separate
 * Maven project per layout (test/consumer-app for Fargate, consumer-app-host, consumer-app-eks) that
 * declares only o11y-cdk-lib, aws-cdk-lib and constructs is built against this build's library as the
 * README's release command publishes it (deployed to a file repository, no request leaving the
 * machine) and synthesized in its own JVM ({@link ConsumerApps}). Each platform template is the same,
 * byte for byte, before and after, and each consumer reaches its platform only through the SSM
 * parameters it uses, resolved at deploy time.
 */
@UsesTools
class ConsumerAppTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path platformAgain;
    private static O11yApp.Stacks stacksAgain;

    /** The platform's app once more, in a fresh app after the teams' synths: nothing a team did reaches it. */
    private static synchronized byte[] platformAfter(java.util.function.Function<O11yApp.Stacks, software.amazon.awscdk.Stack> layout)
            throws IOException {
        if (platformAgain == null) {
            Path dir = Files.createTempDirectory("o11y-platform-again");
            App again = Synth.newApp(Map.of(), dir);
            stacksAgain = O11yApp.build(again, Settings.from(again));
            again.synth();
            platformAgain = dir;
        }
        return Files.readAllBytes(platformAgain.resolve(layout.apply(stacksAgain).getStackName() + ".template.json"));
    }

    private static byte[] platformBefore(java.util.function.Function<O11yApp.Stacks, software.amazon.awscdk.Stack> layout)
            throws IOException {
        return Files.readAllBytes(Synth.defaults().templateFile(layout.apply(Synth.defaults().stacks())));
    }

    /** cfn-lint finds no error or warning; in particular every parameter the stack reads is used (W2001). */
    private static void lint(Path template) {
        String cfnLint = Tools.require("cfn-lint", "pip install cfn-lint");
        Tools.Result lint = Tools.run(List.of(cfnLint, "--format", "parseable", template.toString()), null, 300);
        assertThat(lint.exitCode() & 3).as("cfn-lint:\n" + lint.output()).isZero();
        assertThat(lint.output()).doesNotContain("W2001");
    }

    @Test
    void aSeparateAppOnboardsAServiceWhileThePlatformsTemplateStaysByteIdentical() throws Exception {
        byte[] before = platformBefore(O11yApp.Stacks::fargate);
        ConsumerApps.Synthesized team = ConsumerApps.synth(ConsumerApps.App.FARGATE);
        String version = CdkJson.projectVersion();
        assertThat(team.classpath()).contains("dev/o11ycdk/o11y-cdk-lib/" + version + "/o11y-cdk-lib-" + version + ".jar",
                "aws-cdk-lib-2.263.0.jar").doesNotContain("cdknag", "immutables");

        byte[] after = platformAfter(O11yApp.Stacks::fargate);
        assertThat(after).as("platform template, byte for byte").isEqualTo(before);
        assertThat(new String(after, java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("payments", "Payments");

        String consumer = Files.readString(team.template());
        // Deploy-time references only: SSM parameter types, no exports, no look-ups in cdk.context.json, no
        // hard-coded VPC or subnet; and only what the app uses (it never asks for the namespace).
        assertThat(consumer).contains("\"Type\": \"AWS::SSM::Parameter::Value<String>\"", "\"Default\": \"/o11y-cdk/platform/security-group-id\"",
                "\"Default\": \"/o11y-cdk/platform/cluster-name\"", "\"Default\": \"/o11y-cdk/platform/vpc-id\"",
                "\"Type\": \"AWS::SSM::Parameter::Value<List<String>>\"", "\"Default\": \"/o11y-cdk/platform/private-subnets\"",
                "\"Default\": \"/o11y-cdk/platform/availability-zone-count\"")
                .doesNotContain("Fn::ImportValue", "O11Y_ENV", "/o11y-cdk/platform/namespace-", "vpc-0", "subnet-0");
        assertThat(ConsumerApps.App.FARGATE.dir().resolve("cdk.context.json")).doesNotExist();
        assertThat(consumer).contains("\"O11Y_SCRAPE_PORT\": \"8080\"", "\"O11Y_METRICS_PATH\": \"/actuator/prometheus\"",
                "\"O11Y_SERVICE\": \"payments\"", "\"O11Y_TEAM\": \"payments\"", "Prometheus scrape of payments");
        lint(team.template());
    }

    @Test
    void aSeparateAppOnboardsTwoServicesToTheHostWhileTheHostsTemplateStaysByteIdentical() throws Exception {
        byte[] before = platformBefore(O11yApp.Stacks::ec2Host);
        ConsumerApps.Synthesized team = ConsumerApps.synth(ConsumerApps.App.HOST);
        byte[] after = platformAfter(O11yApp.Stacks::ec2Host);
        assertThat(after).as("the host's template (its configuration and user data included), byte for byte").isEqualTo(before);
        assertThat(new String(after, java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("orders");

        Map<String, Object> consumer = team.templateJson();
        String text = Files.readString(team.template());
        // The host's security group is the one parameter read from the platform; no export, no look-up.
        assertThat(Cfn.ssmParameterNames(consumer)).filteredOn(n -> n.startsWith("/o11y-cdk/"))
                .containsExactly("/o11y-cdk/host/security-group-id");
        assertThat(text).doesNotContain("Fn::ImportValue");
        assertThat(ConsumerApps.App.HOST.dir().resolve("cdk.context.json")).doesNotExist();

        // The group's tags reach every instance it launches; the single instance carries its own.
        Map<String, Object> group = Cfn.onlyResource(consumer, "AWS::AutoScaling::AutoScalingGroup");
        assertThat(Cfn.tags(group, true)).containsAllEntriesOf(Map.of("O11Y_SCRAPE_PORT", "9464", "O11Y_METRICS_PATH", "/prometheus",
                "O11Y_SERVICE", "orders-api", "O11Y_TEAM", "orders")).doesNotContainKey("O11Y_ENV");
        Map<String, Object> batch = Cfn.onlyResource(consumer, "AWS::EC2::Instance");
        assertThat(Cfn.tags(batch, false)).containsAllEntriesOf(Map.of("O11Y_SCRAPE_PORT", "9100", "O11Y_METRICS_PATH", "/metrics",
                "O11Y_SERVICE", "orders-batch", "O11Y_ENV", "staging", "O11Y_TEAM", "orders"));
        // Each service's own group admits the host's group on its metrics port, from the team's stack.
        String hostGroup = Cfn.ssmParameterId(consumer, "/o11y-cdk/host/security-group-id");
        List<Map<String, Object>> ingress = Cfn.ofType(consumer, "AWS::EC2::SecurityGroupIngress");
        assertThat(ingress).extracting(r -> List.of(Cfn.props(r).get("FromPort"), Cfn.props(r).get("ToPort"),
                        Cfn.props(r).get("SourceSecurityGroupId")))
                .containsExactlyInAnyOrder(List.of(9464, 9464, Map.of("Ref", hostGroup)), List.of(9100, 9100, Map.of("Ref", hostGroup)));
        lint(team.template());
    }

    @Test
    void aSeparateAppOnboardsAServiceOnEksWithAServiceMonitorWhileThePlatformsTemplateStaysByteIdentical() throws Exception {
        byte[] before = platformBefore(O11yApp.Stacks::eks);
        ConsumerApps.Synthesized team = ConsumerApps.synth(ConsumerApps.App.EKS);
        byte[] after = platformAfter(O11yApp.Stacks::eks);
        assertThat(after).as("the EKS platform's template (its chart values included), byte for byte").isEqualTo(before);
        assertThat(new String(after, java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("example/search");

        Map<String, Object> consumer = team.templateJson();
        assertThat(Cfn.ssmParameterNames(consumer)).filteredOn(n -> n.startsWith("/o11y-cdk/"))
                .containsExactlyInAnyOrder("/o11y-cdk/eks/cluster-name", "/o11y-cdk/eks/kubectl-service-token", "/o11y-cdk/eks/environment");
        assertThat(Files.readString(team.template())).doesNotContain("Fn::ImportValue");
        assertThat(ConsumerApps.App.EKS.dir().resolve("cdk.context.json")).doesNotExist();
        // Both manifests go through the platform's kubectl provider, to the platform's cluster.
        String token = Cfn.ssmParameterId(consumer, "/o11y-cdk/eks/kubectl-service-token");
        String cluster = Cfn.ssmParameterId(consumer, "/o11y-cdk/eks/cluster-name");
        List<Map<String, Object>> manifests = Cfn.ofType(consumer, "Custom::AWSCDK-EKS-KubernetesResource");
        assertThat(manifests).hasSize(2).allSatisfy(m -> {
            assertThat(Cfn.props(m).get("ServiceToken")).isEqualTo(Map.of("Ref", token));
            assertThat(Cfn.props(m).get("ClusterName")).isEqualTo(Map.of("Ref", cluster));
        });
        Map<String, Object> monitor = Cfn.manifest(consumer, "ServiceMonitorsearchsearch", Map.of(
                Cfn.ssmParameterId(consumer, "/o11y-cdk/eks/environment"), "prod")).stream()
                .filter(o -> "ServiceMonitor".equals(o.get("kind"))).findFirst().orElseThrow();
        assertThat(JSON.writeValueAsString(monitor)).contains("\"namespace\":\"search\"", "\"targetPort\":8080",
                "\"path\":\"/actuator/prometheus\"", "\"matchLabels\":{\"app.kubernetes.io/name\":\"search\"}");
        lint(team.template());
    }

    @Test
    void theReleaseCarriesWhatARepositoryAndAReaderNeed() throws IOException {
        Path release = LocalRepository.released();
        String v = CdkJson.projectVersion();
        Path lib = release.resolve("dev/o11ycdk/o11y-cdk-lib/" + v);
        for (String artifact : List.of(".jar", "-sources.jar", "-javadoc.jar", ".pom")) {
            assertThat(lib.resolve("o11y-cdk-lib-" + v + artifact)).as("released " + artifact).exists();
        }
        assertThat(release.resolve("dev/o11ycdk/o11y-cdk-parent/" + v + "/o11y-cdk-parent-" + v + ".pom")).exists();
        assertThat(release.resolve("dev/o11ycdk/o11y-cdk-app")).doesNotExist();
        assertThat(release.resolve("dev/o11ycdk/o11y-cdk-test")).doesNotExist();
        String parent = Files.readString(release.resolve("dev/o11ycdk/o11y-cdk-parent/" + v + "/o11y-cdk-parent-" + v + ".pom"));
        assertThat(parent).contains("<licenses>", "Apache-2.0", "<scm>", "<url>https://github.com/o11y-cdk/o11y-cdk</url>", "<developers>");
        try (java.util.zip.ZipFile sources = new java.util.zip.ZipFile(lib.resolve("o11y-cdk-lib-" + v + "-sources.jar").toFile())) {
            assertThat(sources.getEntry("dev/o11ycdk/fargate/FargatePrometheusProps.java")).isNotNull();
            assertThat(sources.getEntry("dev/o11ycdk/fargate/ImmutableFargatePrometheusProps.java")).isNotNull();
        }
    }

    @Test
    void theReadmeShowsExactlyTheConsumerAppsThisTestBuilds() throws IOException {
        String readme = Files.readString(CdkJson.repoRoot().resolve("README.md"));
        for (ConsumerApps.App app : ConsumerApps.App.values()) {
            String source = Files.readString(app.source());
            assertThat(readme).as(app + " in the README").contains("```java\n" + source + "```");
            List<String> deps = new ArrayList<>();
            for (String line : Files.readAllLines(app.dir().resolve("pom.xml"))) {
                if (line.strip().startsWith("<artifactId>") && !line.contains("plugin") && !line.contains("-cdk</artifactId>")) {
                    deps.add(line.strip());
                }
            }
            assertThat(deps).as(app + "'s dependencies").containsExactly("<artifactId>o11y-cdk-lib</artifactId>",
                    "<artifactId>aws-cdk-lib</artifactId>", "<artifactId>constructs</artifactId>");
        }
    }
}
