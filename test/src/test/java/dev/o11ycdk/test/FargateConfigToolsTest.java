package dev.o11ycdk.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.o11ycdk.app.FargateStack;
import dev.o11ycdk.test.support.Cfn;
import dev.o11ycdk.test.support.PrometheusTools;
import dev.o11ycdk.test.support.Synth;
import dev.o11ycdk.test.support.Tools;
import dev.o11ycdk.test.support.UsesTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Fargate layout's rendered files, checked by promtool, amtool and shellcheck. */
@UsesTools
class FargateConfigToolsTest {
    private final Synth synth = Synth.defaults();
    private final FargateStack stack = synth.stacks().fargate();

    @Test
    void promtoolAcceptsPrometheusConfigWithItsRuleFile(@TempDir Path dir) throws IOException {
        String promtool = PrometheusTools.promtool();
        // The deployed layout: rules/o11y.yml next to prometheus.yml, exactly as the entrypoint writes them.
        Files.createDirectories(dir.resolve("rules"));
        Files.writeString(dir.resolve("rules/o11y.yml"), stack.getPrometheus().getRules().toYaml());
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, stack.getPrometheus().getPrometheusConfig().toYaml());
        Tools.Result r = Tools.run(List.of(promtool, "check", "config", config.toString()), dir, 60);
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS: 1 rule files found",
                "SUCCESS: " + ValidationToolsTest.ruleCount(stack.getPrometheus().getRules()) + " rules found");
    }

    @Test
    void deployedPrometheusConfigIsTheOneTheModelRenders() {
        Map<String, Object> env = Cfn.environment(Cfn.container(synth.templateJson(stack), "PrometheusTaskDefinition"));
        assertThat(env.get("O11Y_FILE_0")).isEqualTo(stack.getPrometheus().getPrometheusConfig().toYaml());
        assertThat(env.get("O11Y_FILE_1")).isEqualTo(stack.getPrometheus().getRules().toYaml());
        Map<String, Object> sidecar = Cfn.containers(synth.templateJson(stack), "PrometheusTaskDefinition").get(1);
        assertThat(Cfn.environment(sidecar).get("AOT_CONFIG_CONTENT"))
                .isEqualTo(stack.resolve(stack.getPrometheus().getDiscoveryConfig().toYaml()));
    }

    @Test
    void applicationServicesAreFoundByEcsDiscoveryNotListedOneJobEach() {
        String yaml = stack.getPrometheus().getPrometheusConfig().toYaml();
        // One job reads every cluster's result file; no service name appears in prometheus.yml.
        assertThat(yaml).contains("  - job_name: ecs\n    metrics_path: /metrics\n    scheme: http\n"
                + "    fallback_scrape_protocol: PrometheusText0.0.4\n    file_sd_configs:\n      - files:\n"
                + "          - /o11y/discovery/ecs-*.yaml\n        refresh_interval: 10s");
        for (String s : new String[] {"atlantis", "api-1", "api-2", "worker", "chat"}) {
            assertThat(yaml).doesNotContain(s);
        }
        // service: the docker label over the ECS service name (filter, else the task's group).
        assertThat(yaml).containsSubsequence("- __meta_ecs_task_group\n        regex: service:(.+)\n        target_label: service",
                        "- __meta_ecs_service_name\n        regex: (.+)\n        target_label: service",
                        "- __meta_ecs_container_labels_O11Y_SERVICE\n        regex: (.+)\n        target_label: service")
                .contains("regex: (prometheus|grafana|alertmanager|cloudwatch|cloudwatch-exporter|ec2|node|ecs)\n        action: drop")
                .contains("target_label: env\n        replacement: prod")
                .contains("- cloudwatch-exporter.o11y.local\n        type: A\n        port: 9106")
                .contains("ec2_sd_configs:\n      - region: ap-northeast-2\n        port: 9100")
                .contains("name: tag:monitoring\n            values:\n              - prometheus")
                .contains("alertmanagers:\n    - dns_sd_configs:\n        - names:\n            - alertmanager.o11y.local");
    }

    @Test
    void promtoolAcceptsTheSeedAlertRules(@TempDir Path dir) throws IOException {
        String promtool = PrometheusTools.promtool();
        Path rules = dir.resolve("rules.yml");
        String yaml = stack.getPrometheus().getRules().toYaml();
        assertThat(yaml).contains("alert: ServiceDown\n        expr: up == 0\n        for: 1m", "severity: critical",
                "summary: \"Service {{ $labels.service }} is down\"", "alert: HighCPUUsage", "for: 5m", "severity: warning");
        Files.writeString(rules, yaml);
        Tools.Result r = Tools.run(List.of(promtool, "check", "rules", rules.toString()), dir, 60);
        assertThat(r.exitCode()).as(r.output()).isZero();
    }

    @Test
    void amtoolAcceptsAlertmanagerConfig(@TempDir Path dir) throws IOException {
        Path config = alertmanagerConfig(dir);
        String amtool = PrometheusTools.amtool();
        Tools.Result r = Tools.run(List.of(amtool, "check-config", config.toString()), dir, 60);
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS", "4 receivers", "4 inhibit rules");
        assertThat(Files.readString(config)).contains("group_by:\n    - alertname\n    - service\n  group_wait: 10s\n"
                + "  group_interval: 10s\n  repeat_interval: 12h", "channel: \"#alerts-critical\"", "channel: \"#alerts-warning\"",
                "api_url_file: /alertmanager/o11y/secrets/slack_webhook_url");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "'severity=critical alertname=ServiceDown service=api-1 env=prod', slack-critical",
        "'severity=warning alertname=HighCPUUsage service=api-2 env=prod', slack-warning",
        "'severity=critical alertname=ServiceDown service=api-1 env=test', null",
        "'severity=warning alertname=HighCPUUsage service=worker env=test', null",
        "'alertname=Unlabelled env=prod', slack-warning",
        "'alertname=Watchdog severity=none', heartbeat"})
    void amtoolRoutesAlertsToTheSeedReceivers(String labels, String receiver, @TempDir Path dir) throws IOException {
        Tools.assertRoute(alertmanagerConfig(dir), labels, receiver);
    }

    @Test
    void shellcheckAcceptsEveryContainerEntrypoint(@TempDir Path dir) throws IOException {
        String shellcheck = Tools.require("shellcheck", "apt-get install shellcheck");
        Map<String, Object> json = synth.templateJson(stack);
        for (String td : List.of("PrometheusTaskDefinition", "GrafanaTaskDefinition", "AlertmanagerTaskDefinition", "CloudWatchExporterTaskDefinition")) {
            Map<String, Object> c = Cfn.container(json, td);
            assertThat(c.get("EntryPoint")).isEqualTo(List.of("/bin/sh", "-c"));
            Path script = dir.resolve(td + ".sh");
            Files.writeString(script, "#!/bin/sh\n" + ((List<?>) c.get("Command")).get(0));
            Tools.Result r = Tools.run(List.of(shellcheck, "--severity=style", script.toString()), dir, 60);
            assertThat(r.exitCode()).as(td + ":\n" + r.output()).isZero();
        }
    }

    private Path alertmanagerConfig(Path dir) throws IOException {
        Path config = dir.resolve("alertmanager.yml");
        Files.writeString(config, stack.getAlertmanager().getConfig().toYaml());
        return config;
    }
}
