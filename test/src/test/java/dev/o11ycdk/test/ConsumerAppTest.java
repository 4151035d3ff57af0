package dev.o11ycdk.test;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.o11ycdk.app.O11yApp;
import dev.o11ycdk.app.Settings;
import dev.o11ycdk.test.support.CdkJson;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;

/**
 * The README's "Onboard your service from your own CDK app", for real: a separate Maven project
 * (test/consumer-app) that declares only o11y-cdk-lib, aws-cdk-lib and constructs is built against this
 * build's library as the README's release command publishes it (deployed to a file repository, no
 * request leaving the machine) and synthesized in its own JVM. The platform's template is the same,
 * byte for byte, before and after, and the consumer reaches the platform, its VPC included, only through
 * the SSM parameters it uses, resolved at deploy time.
 */
@UsesTools
class ConsumerAppTest {
    private static final Path CONSUMER = CdkJson.repoRoot().resolve("test/consumer-app");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aSeparateAppOnboardsAServiceWhileThePlatformsTemplateStaysByteIdentical(@TempDir Path dir) throws Exception {
        String mvn = Tools.require("mvn", "install Maven");
        byte[] before = Files.readAllBytes(Synth.defaults().templateFile(Synth.defaults().stacks().fargate()));

        // The team's build: the library from the file repository the release command deployed to, the
        // rest from what the local repository holds; no network, cdk-nag and Immutables nowhere on its classpath.
        Path release = LocalRepository.released();
        String version = CdkJson.projectVersion();
        Path classpath = dir.resolve("classpath.txt");
        List<String> command = new ArrayList<>(List.of(mvn, "-q", "-B"));
        command.addAll(LocalRepository.teamBuild(dir, release));
        command.addAll(List.of("-f", CONSUMER.resolve("pom.xml").toString(), "compile", "dependency:build-classpath",
                "-Dmdep.outputFile=" + classpath));
        Tools.Result build = Tools.run(command, CONSUMER, 300);
        assertThat(build.exitCode()).as("the team's build of the consumer app:\n" + build.output()).isZero();
        String cp = Files.readString(classpath);
        assertThat(cp).contains("dev/o11ycdk/o11y-cdk-lib/" + version + "/o11y-cdk-lib-" + version + ".jar", "aws-cdk-lib-2.263.0.jar")
                .doesNotContain("cdknag", "immutables");

        // The team's synth, in its own JVM with its own cdk.json.
        Path out = dir.resolve("consumer.out");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", CONSUMER.resolve("target/classes") + java.io.File.pathSeparator + cp.strip(), "com.example.payments.PaymentsApp")
                .directory(CONSUMER.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("consumer.log").toFile());
        @SuppressWarnings("unchecked")
        Map<String, Object> context = (Map<String, Object>) JSON.readValue(CONSUMER.resolve("cdk.json").toFile(), Map.class).get("context");
        pb.environment().put("CDK_OUTDIR", out.toString());
        pb.environment().put("CDK_CONTEXT_JSON", JSON.writeValueAsString(context));
        Process p = pb.start();
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(dir.resolve("consumer.log"))).isZero();

        // The platform again, in a fresh app: nothing the team did reaches it.
        App again = Synth.newApp(Map.of(), dir.resolve("platform.out"));
        O11yApp.Stacks stacks = O11yApp.build(again, Settings.from(again));
        again.synth();
        byte[] after = Files.readAllBytes(dir.resolve("platform.out/" + stacks.fargate().getStackName() + ".template.json"));
        assertThat(after).as("platform template, byte for byte").isEqualTo(before);
        assertThat(new String(after, java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("payments", "Payments");

        String consumer = Files.readString(out.resolve("Payments.template.json"));
        // Deploy-time references only: SSM parameter types, no exports, no look-ups in cdk.context.json, no
        // hard-coded VPC or subnet; and only what the app uses (it never asks for the namespace).
        assertThat(consumer).contains("\"Type\": \"AWS::SSM::Parameter::Value<String>\"", "\"Default\": \"/o11y-cdk/platform/security-group-id\"",
                "\"Default\": \"/o11y-cdk/platform/cluster-name\"", "\"Default\": \"/o11y-cdk/platform/vpc-id\"",
                "\"Type\": \"AWS::SSM::Parameter::Value<List<String>>\"", "\"Default\": \"/o11y-cdk/platform/private-subnets\"",
                "\"Default\": \"/o11y-cdk/platform/availability-zone-count\"")
                .doesNotContain("Fn::ImportValue", "O11Y_ENV", "/o11y-cdk/platform/namespace-", "vpc-0", "subnet-0");
        assertThat(CONSUMER.resolve("cdk.context.json")).doesNotExist();
        assertThat(consumer).contains("\"O11Y_SCRAPE_PORT\": \"8080\"", "\"O11Y_METRICS_PATH\": \"/actuator/prometheus\"",
                "\"O11Y_SERVICE\": \"payments\"", "\"O11Y_TEAM\": \"payments\"", "Prometheus scrape of payments");

        String cfnLint = Tools.require("cfn-lint", "pip install cfn-lint");
        Tools.Result lint = Tools.run(List.of(cfnLint, "--format", "parseable", out.resolve("Payments.template.json").toString()), null, 300);
        assertThat(lint.exitCode() & 3).as("cfn-lint:\n" + lint.output()).isZero();
        // Every parameter it reads is used (W2001 would mean a read the deploy needs for nothing).
        assertThat(lint.output()).doesNotContain("W2001");
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
    void theReadmeShowsExactlyTheConsumerAppThisTestBuilds() throws IOException {
        String readme = Files.readString(CdkJson.repoRoot().resolve("README.md"));
        String source = Files.readString(CONSUMER.resolve("src/main/java/com/example/payments/PaymentsApp.java"));
        assertThat(readme).contains("```java\n" + source + "```");
        List<String> deps = new ArrayList<>();
        for (String line : Files.readAllLines(CONSUMER.resolve("pom.xml"))) {
            if (line.strip().startsWith("<artifactId>") && !line.contains("plugin") && !line.contains("payments-cdk")) {
                deps.add(line.strip());
            }
        }
        assertThat(deps).containsExactly("<artifactId>o11y-cdk-lib</artifactId>", "<artifactId>aws-cdk-lib</artifactId>",
                "<artifactId>constructs</artifactId>");
    }
}
