package dev.o11ycdk.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.o11ycdk.host.ObservabilityInstance;
import dev.o11ycdk.test.support.CdkJson;
import dev.o11ycdk.test.support.PrometheusTools;
import dev.o11ycdk.test.support.Synth;
import dev.o11ycdk.test.support.Tools;
import dev.o11ycdk.test.support.UserData;
import dev.o11ycdk.test.support.UsesTools;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.services.s3.Bucket;

/** The field's own tools over what we synthesize: cfn-lint, cdk-nag, promtool, shellcheck. */
@UsesTools
class ValidationToolsTest {
    private final Synth synth = Synth.defaults();

    @Test
    void cfnLintFindsNoErrorsInAnySynthesizedTemplate() {
        String cfnLint = Tools.require("cfn-lint", "pip install cfn-lint");
        List<Path> templates = synth.templateFiles();
        // Every stack of the default synth, the EKS one included.
        assertThat(templates).extracting(p -> p.getFileName().toString())
                .containsExactly("O11yEc2Host.template.json", "O11yEks.template.json", "O11yFargate.template.json");
        List<String> cmd = new ArrayList<>(List.of(cfnLint, "--format", "parseable"));
        templates.forEach(t -> cmd.add(t.toString()));
        Tools.Result r = Tools.run(cmd, null, 300);
        // cfn-lint exit code is a bit mask: 2 = errors, 4 = warnings, 8 = informational, 1 = crash.
        assertThat(r.exitCode() & 3).as("cfn-lint errors:\n" + r.output()).isZero();
        assertThat(r.output().lines().filter(l -> l.matches(".*:E\\d{4}:.*")).toList()).isEmpty();
    }

    @Test
    void cfnLintIsLiveAndRejectsABrokenTemplate(@TempDir Path dir) throws IOException {
        String cfnLint = Tools.require("cfn-lint", "pip install cfn-lint");
        Path bad = dir.resolve("bad.template.json");
        Files.writeString(bad, "{\"Resources\":{\"Lb\":{\"Type\":\"AWS::ElasticLoadBalancingV2::Listener\","
                + "\"Properties\":{\"Port\":\"not-a-port\",\"Protocl\":\"HTTPS\"}}}}");
        Tools.Result r = Tools.run(List.of(cfnLint, "--format", "parseable", bad.toString()), null, 120);
        assertThat(r.exitCode() & 2).as(r.output()).isEqualTo(2);
    }

    @Test
    void cdkNagAwsSolutionsReportsNoUnsuppressedErrorsOrWarnings() {
        for (Stack stack : List.<Stack>of(synth.stacks().ec2Host(), synth.stacks().fargate(), synth.stacks().eks())) {
            Annotations a = Annotations.fromStack(stack);
            assertThat(a.findError("*", Match.stringLikeRegexp("AwsSolutions-.*"))).as(stack.getStackName()).isEmpty();
            assertThat(a.findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*"))).as(stack.getStackName()).isEmpty();
        }
    }

    @Test
    void everyCdkNagSuppressionCarriesASpecificReason() throws IOException {
        for (String stack : List.of("O11yEc2Host", "O11yFargate", "O11yEks")) {
            List<String> rows = Files.readAllLines(synth.outdir().resolve("AwsSolutions-" + stack + "-NagReport.csv"));
            assertThat(rows.stream().filter(r -> r.contains("\"Compliant\"")).count()).as(stack + ": nag really ran").isGreaterThan(10);
            assertThat(rows.stream().filter(r -> r.contains("\"Non-Compliant\"")).toList()).as(stack).isEmpty();
            List<String> suppressed = rows.stream().filter(r -> r.contains("\"Suppressed\"")).toList();
            assertThat(suppressed).as(stack).isNotEmpty();
            for (String row : suppressed) {
                String reason = row.substring(row.lastIndexOf(",\"") + 2, row.length() - 1);
                assertThat(reason).as(row).hasSizeGreaterThan(40);
            }
        }
    }

    @Test
    void cdkNagIsLiveAndFlagsANonCompliantBucket() {
        App app = new App();
        Stack stack = new Stack(app, "NagProbe");
        Bucket.Builder.create(stack, "Unencrypted").enforceSsl(false).build();
        Aspects.of(app).add(new AwsSolutionsChecks());
        assertThat(Annotations.fromStack(stack).findError("*", Match.stringLikeRegexp("AwsSolutions-S10.*"))).isNotEmpty();
    }

    @Test
    void promtoolAcceptsTheHostPrometheusConfig(@TempDir Path dir) throws IOException {
        String promtool = PrometheusTools.promtool();
        ObservabilityInstance host = synth.stacks().ec2Host().getHost();
        String yaml = host.getRenderedFiles().get("/etc/prometheus/prometheus.yml");
        Path file = dir.resolve("prometheus.yml");
        Files.writeString(file, yaml);
        // The rule file sits where the host writes it, relative to prometheus.yml.
        Files.createDirectories(dir.resolve("rules"));
        Files.writeString(dir.resolve("rules/o11y.yml"), host.getRenderedFiles().get("/etc/prometheus/rules/o11y.yml"));
        Tools.Result r = Tools.run(List.of(promtool, "check", "config", file.toString()), dir, 60);
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS: 1 rule files found", "SUCCESS: " + ruleCount(host.getRules()) + " rules found");
    }

    @Test
    void hostPrometheusSendsAlertsToItsLocalAlertmanagerAndScrapesIt() {
        String yaml = synth.stacks().ec2Host().getHost().getRenderedFiles().get("/etc/prometheus/prometheus.yml");
        assertThat(yaml).contains("alerting:\n  alertmanagers:\n    - static_configs:\n        - targets:\n            - 127.0.0.1:9093\n",
                "  - job_name: alertmanager\n    metrics_path: /metrics\n    scheme: http\n    static_configs:\n      - targets:\n"
                        + "          - 127.0.0.1:9093\n");
    }

    @Test
    void amtoolAcceptsTheHostAlertmanagerConfigAndRoutesLikeTheFargateOne(@TempDir Path dir) throws IOException {
        String amtool = PrometheusTools.amtool();
        ObservabilityInstance host = synth.stacks().ec2Host().getHost();
        String yaml = host.getRenderedFiles().get("/etc/alertmanager/alertmanager.yml");
        Path file = dir.resolve("alertmanager.yml");
        Files.writeString(file, yaml);
        Tools.Result r = Tools.run(List.of(amtool, "check-config", file.toString()), dir, 60);
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS", "4 receivers", "4 inhibit rules");
        for (String[] c : new String[][] {{"severity=critical alertname=ServiceDown job=node", "slack-critical"},
                {"severity=warning alertname=NodeHighCPUUsage", "slack-warning"}, {"severity=critical alertname=ServiceDown env=test", "null"}}) {
            Tools.assertRoute(file, c[0], c[1]);
        }
        // One code path from the same settings: the Fargate service's routing, only the webhook file's path differs.
        assertThat(yaml).isEqualTo(synth.stacks().fargate().getAlertmanager().getConfig()
                .withWebhookUrlFile(ObservabilityInstance.SLACK_WEBHOOK_FILE).toYaml());
    }

    @Test
    void bothLayoutsFollowTheSameSlackSettings() {
        var other = Synth.build(Map.of("slackCriticalChannel", "#pager", "mutedEnvironments", "staging,test"));
        String host = other.ec2Host().getHost().getRenderedFiles().get("/etc/alertmanager/alertmanager.yml");
        assertThat(host).contains("channel: \"#pager\"", "env=\"staging\"", "env=\"test\"").doesNotContain("#alerts-critical");
        assertThat(host).isEqualTo(other.fargate().getAlertmanager().getConfig()
                .withWebhookUrlFile(ObservabilityInstance.SLACK_WEBHOOK_FILE).toYaml());
    }

    static int ruleCount(dev.o11ycdk.config.RuleGroups rules) {
        return rules.groups().values().stream().mapToInt(List::size).sum();
    }

    @Test
    void promtoolIsLiveAndRejectsABrokenConfig(@TempDir Path dir) throws IOException {
        String promtool = PrometheusTools.promtool();
        Path file = dir.resolve("prometheus.yml");
        Files.writeString(file, "global:\n  scrape_interval: 15sec\n");
        assertThat(Tools.run(List.of(promtool, "check", "config", file.toString()), dir, 60).exitCode()).isNotZero();
    }

    @Test
    void shellcheckAcceptsTheDeployedBootstrapScript(@TempDir Path dir) throws IOException {
        String shellcheck = Tools.require("shellcheck", "apt-get install shellcheck");
        String userData = UserData.of(synth.templateJson(synth.stacks().ec2Host()));
        assertThat(UserData.part(userData, "text/cloud-config")).contains("scripts-user", "always");
        String script = UserData.part(userData, "text/x-shellscript");
        assertThat(script).startsWith("#!/bin/bash").contains("set -euo pipefail");
        Path file = dir.resolve("bootstrap.sh");
        Files.writeString(file, script);
        Tools.Result r = Tools.run(List.of(shellcheck, "--severity=style", file.toString()), dir, 60);
        assertThat(r.exitCode()).as(r.output()).isZero();
    }

    @Test
    void shellcheckAcceptsTheCiScripts() {
        String shellcheck = Tools.require("shellcheck", "apt-get install shellcheck");
        Path ci = CdkJson.repoRoot().resolve(".ci");
        Tools.Result r = Tools.run(List.of(shellcheck, "--severity=style", ci.resolve("run").toString(),
                ci.resolve("sid-binaries").toString()), ci, 60);
        assertThat(r.exitCode()).as(r.output()).isZero();
    }

    @Test
    void shellcheckIsLiveAndFlagsAnUnquotedVariable(@TempDir Path dir) throws IOException {
        String shellcheck = Tools.require("shellcheck", "apt-get install shellcheck");
        Path file = dir.resolve("bad.sh");
        Files.writeString(file, "#!/bin/bash\nrm -rf $1/tmp\n");
        assertThat(Tools.run(List.of(shellcheck, file.toString()), dir, 60).exitCode()).isNotZero();
    }

    @Test
    void grafanaProvisioningIsValidYamlWithPrometheusAsTheDefaultDatasource() throws IOException {
        Map<String, String> files = synth.stacks().ec2Host().getHost().getRenderedFiles();
        @SuppressWarnings("unchecked")
        Map<String, Object> ds = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                .readValue(files.get("/etc/grafana/provisioning/datasources/o11y.yaml"), Map.class);
        assertThat(ds.get("apiVersion")).isEqualTo(1);
        assertThat(String.valueOf(ds.get("datasources")))
                .contains("name=Prometheus", "url=http://localhost:9090", "isDefault=true", "name=CloudWatch", "defaultRegion=ap-northeast-2");
        assertThat(files).containsKey("/etc/grafana/dashboards/o11y-node.json");
    }
}
