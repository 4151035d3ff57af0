package dev.o11ycdk.test;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.o11ycdk.test.support.CdkJson;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The app as cdk.json launches it: a bad setting or a broken limit stops it with one line and exit code 1. */
class AppCommandTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "layouts|eks|o11y-cdk: setting 'layouts' has 'eks': layouts are [ec2, fargate]",
        "discoveryClusters|team a|o11y-cdk: discoveryClusters = 'team a': an ECS cluster name has letters, digits, '-' and '_'",
        "services|SERVICES_8000|o11y-cdk: setting 'services': the prometheus task definition is "})
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
    }
}
