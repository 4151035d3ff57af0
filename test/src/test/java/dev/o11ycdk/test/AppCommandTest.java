package dev.o11ycdk.test;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.o11ycdk.test.support.CdkJson;
import dev.o11ycdk.test.support.Tools;
import dev.o11ycdk.test.support.UsesTools;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The app as cdk.json launches it: a bad setting or a broken limit stops it with one line and exit
 * code 1, no stack trace (every setting's bad values: {@link BadInputTest}, in the JVM).
 */
class AppCommandTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "layouts|gke|o11y-cdk: setting 'layouts' has 'gke': layouts are [ec2, fargate, eks]",
        "discoveryClusters|team a|o11y-cdk: setting 'discoveryClusters' has 'team a': an ECS cluster name has 1-255 letters, digits, '-' and '_'",
        // Found by the task definition's own check, after the settings: the value as given is put in, cut short.
        "services|SERVICES_8000|o11y-cdk: setting 'services' = '[{\"name\":\"svc-0000\",\"port\":8080,\"path\":\"/actuator/prometheus\",\"env\":\"test\"},{\"name\":\"svc-0001\",\"por...: the prometheus task definition is "})
    void aBadSettingStopsSynthWithOneLineAndExitCodeOne(String key, String value, String line, @TempDir Path dir) throws Exception {
        Map<String, Object> context = new LinkedHashMap<>(CdkJson.context());
        context.put(key, value.equals("SERVICES_8000") ? ScaleAndLimitsTest.services(8000) : value);
        if (value.equals("SERVICES_8000")) {
            context.put("expectedActiveSeries", "100000");
            context.put("layouts", List.of("fargate"));
        }
        Path root = CdkJson.repoRoot();
        String cp = root.resolve("app/target/classes") + File.pathSeparator + Files.readString(root.resolve("app/target/classpath.txt")).strip();
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", cp,
                "dev.o11ycdk.app.O11yApp").redirectOutput(dir.resolve("out.log").toFile()).redirectError(dir.resolve("err.log").toFile());
        pb.environment().put("CDK_OUTDIR", dir.resolve("cdk.out").toString());
        // As the CDK CLI hands over a context too large for the environment: in a file.
        Files.writeString(dir.resolve("context.json"), new ObjectMapper().writeValueAsString(context));
        pb.environment().put("CONTEXT_OVERFLOW_LOCATION_ENV", dir.resolve("context.json").toString());
        Process p = pb.start();
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
        List<String> ours = Files.readAllLines(dir.resolve("err.log")).stream().filter(l -> l.startsWith("o11y-cdk: ")).toList();
        String err = Files.readString(dir.resolve("err.log"));
        assertThat(p.exitValue()).as(err).isEqualTo(1);
        assertThat(ours).as(err).hasSize(1);
        assertThat(ours.get(0)).startsWith(line);
        assertThat(err).doesNotContain("\tat ", "Exception in thread");
        // Found before any template is written (CDK validates the whole app first): no stack is half there.
        assertThat(dir.resolve("cdk.out/O11yEc2Host.template.json")).doesNotExist();
        assertThat(dir.resolve("cdk.out/O11yFargate.template.json")).doesNotExist();
        assertThat(dir.resolve("cdk.out/O11yEks.template.json")).doesNotExist();
    }

    /**
     * The whole path a person takes: the pinned CDK CLI runs cdk.json's {@code bash app/run.sh}
     * with a bad {@code -c} value. One line from the app, exit code 1, nothing synthesized.
     */
    @UsesTools
    @Test
    void cdkSynthWithABadContextValueExitsOneWithOneLine(@TempDir Path out) throws Exception {
        String cdk = Tools.require("cdk", "npm install -g aws-cdk@2.1148.1");
        ProcessBuilder pb = new ProcessBuilder(cdk, "synth", "--quiet", "--no-notices", "--output", out.resolve("cdk.out").toString(),
                "-c", "grafanaPriority=0").directory(CdkJson.repoRoot().toFile())
                .redirectOutput(out.resolve("out.log").toFile()).redirectError(out.resolve("err.log").toFile());
        // No credentials: a bad setting stops synth before anything would need them.
        pb.environment().put("AWS_ACCESS_KEY_ID", "");
        pb.environment().put("AWS_SECRET_ACCESS_KEY", "");
        pb.environment().put("AWS_EC2_METADATA_DISABLED", "true");
        Process p = pb.start();
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("cdk synth finished in 300 s").isTrue();
        String err = Files.readString(out.resolve("err.log"));
        String all = Files.readString(out.resolve("out.log")) + err;
        assertThat(p.exitValue()).as(all).isEqualTo(1);
        assertThat(err.lines().filter(l -> l.startsWith("o11y-cdk: ")).toList()).as(all)
                .containsExactly("o11y-cdk: setting 'grafanaPriority' = 0: must be in 1..50000");
        assertThat(all).doesNotContain("\tat ", "at dev.o11ycdk", "Exception");
        assertThat(out.resolve("cdk.out").resolve("O11yEc2Host.template.json")).doesNotExist();
        assertThat(out.resolve("cdk.out").resolve("O11yFargate.template.json")).doesNotExist();
        assertThat(out.resolve("cdk.out").resolve("O11yEks.template.json")).doesNotExist();
    }
}
