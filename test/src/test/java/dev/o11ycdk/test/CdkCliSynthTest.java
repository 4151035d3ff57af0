package dev.o11ycdk.test;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.o11ycdk.test.support.CdkJson;
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

/**
 * The README's first command, for real: the pinned CDK CLI runs cdk.json's app command offline.
 * This is the one place the suite keeps aws-cdk-lib's built-in CloudFormation validation on
 * (in-JVM tests turn it off and rely on cfn-lint), so what `cdk synth` users see is covered too.
 */
@UsesTools
class CdkCliSynthTest {

    @Test
    void cdkSynthProducesEveryStackOfflineFromCdkJsonDefaults(@TempDir Path out) throws IOException, InterruptedException {
        String cdk = Tools.require("cdk", "npm install -g aws-cdk@2.1148.1");
        List<String> cmd = new ArrayList<>(List.of(cdk, "synth", "--quiet", "--no-notices", "--output", out.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(CdkJson.repoRoot().toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.remove("CDK_VALIDATION");
        // No credentials: synth must not need them.
        env.put("AWS_ACCESS_KEY_ID", "");
        env.put("AWS_SECRET_ACCESS_KEY", "");
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        Path log = out.resolveSibling(out.getFileName() + ".log");
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("cdk synth finished in 300 s").isTrue();
        String output = Files.readString(log);
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(out.resolve("O11yEc2Host.template.json")).exists();
        assertThat(out.resolve("O11yFargate.template.json")).exists();
        assertThat(out.resolve("O11yEks.template.json")).exists();
        // Every file asset the EKS stack deploys is staged next to it: the kubectl and AWS CLI layers its
        // Helm releases run with, the kubectl handler, the custom-resource handlers.
        JsonNode files = new ObjectMapper()
                .readTree(out.resolve("O11yEks.assets.json").toFile()).path("files");
        List<String> staged = new ArrayList<>();
        files.forEach(f -> staged.add(f.path("source").path("path").asText()));
        assertThat(staged).hasSizeGreaterThanOrEqualTo(5).allSatisfy(path -> assertThat(out.resolve(path)).exists());
        assertThat(staged.stream().filter(path -> path.endsWith(".zip")).mapToLong(path -> out.resolve(path).toFile().length()))
                .as("the two layer zips").hasSize(2).allSatisfy(bytes -> assertThat(bytes).isGreaterThan(10_000_000L));
        // The reviewable files sit next to the templates.
        assertThat(Files.readString(out.resolve("O11yFargate.rendered/prometheus/prometheus.yml"))).contains("job_name: ecs");
        assertThat(Files.readString(out.resolve("O11yFargate.rendered/prometheus/ecs-discovery/otel-collector.yaml")))
                .contains("ecs_observer/platform:\n    cluster_name: \"<deploy-time value>\"\n", "name_pattern: ^(api-1|api-2)$");
        assertThat(Files.readString(out.resolve("O11yFargate.rendered/prometheus/alert-delays.txt"))).contains("ServiceDown: ");
        assertThat(Files.readString(out.resolve("O11yFargate.rendered/alertmanager/alertmanager.yml"))).contains("receiver: slack-critical");
        assertThat(out.resolve("O11yFargate.rendered/grafana/dashboards/o11y-service.json")).exists();
        // The monthly estimate of each stack, printed and kept next to the template.
        assertThat(Files.readString(out.resolve("O11yFargate.rendered/cost-estimate.txt"))).contains("O11yFargate monthly estimate",
                "Fargate", "EFS", "ALB", "NAT", "CloudWatch", "total", "Assumptions:");
        assertThat(Files.readString(out.resolve("O11yEc2Host.rendered/cost-estimate.txt"))).contains("EC2", "t3.medium", "total");
        assertThat(Files.readString(out.resolve("O11yEks.rendered/cost-estimate.txt"))).contains("O11yEks monthly estimate", "total");
        assertThat(output).contains("O11yFargate monthly estimate (ap-northeast-2 list prices, USD):");
        assertThat(Files.readString(out.resolve("O11yEc2Host.rendered/user-data/bootstrap.sh"))).startsWith("#!/bin/bash");
        assertThat(output).contains("worst-case alert delay (scrape + evaluation + for + group_wait), O11yEks:");
        assertThat(output).contains("worst-case alert delay", "ServiceDown: 15s scrape + 15s evaluation + 1m for + 10s group_wait = 1m40s (goal 2m: met)");
        assertThat(output).doesNotContain("[Error at");
    }
}
