package dev.o11ycdk.test;

import static dev.o11ycdk.test.support.PromtoolRuleTests.series;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.o11ycdk.config.AlertRules;
import dev.o11ycdk.config.Rule;
import dev.o11ycdk.config.RuleGroups;
import dev.o11ycdk.test.support.PromtoolRuleTests;
import dev.o11ycdk.test.support.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every default alert is unit-tested with {@code promtool test rules}: it fires when it should, with
 * the right labels and summary, and stays silent when it should not. The rule file under test is
 * the rendered default set with description and runbook dropped (promtool compares annotations
 * exactly; summary stays, so its template is checked too).
 */
class AlertRulesTest {
    private static final String BASE = "https://runbooks.example/";
    private static final String NODE = "instance=\"host:9100\",job=\"node\"";
    private static final String FS = "device=\"/dev/nvme0n1p1\",fstype=\"ext4\",mountpoint=\"/\"," + NODE;
    private static final String PROM = "instance=\"localhost:9090\",job=\"prometheus\"";

    static PromtoolRuleTests cases() {
        PromtoolRuleTests t = new PromtoolRuleTests();
        Map<String, String> api1 = Map.of("job", "api-1", "instance", "10.0.1.5:8080", "service", "api-1", "env", "prod");
        t.fires("ServiceDown", List.of(series("up{env=\"prod\",instance=\"10.0.1.5:8080\",job=\"api-1\",service=\"api-1\"}", "1 1 0x8")),
                "6m", with(api1, "severity", "critical"), "Service api-1 is down");
        t.silent("ServiceDown", List.of(series("up{env=\"prod\",instance=\"10.0.1.5:8080\",job=\"api-1\",service=\"api-1\"}", "1 1 0x8")), "3m");

        // Named as prom/cloudwatch-exporter names them: snake_case dimensions, aws_<namespace>_<metric>_<stat>.
        String cpu1 = "aws_ecs_cpuutilization_average{cluster_name=\"o11y\",job=\"cloudwatch\",service_name=\"api-1\"}";
        String cpu2 = "aws_ecs_cpuutilization_average{cluster_name=\"o11y\",job=\"cloudwatch\",service_name=\"api-2\"}";
        // Two services: only the hot one alerts; an average across services would hide it.
        t.fires("HighCPUUsage", List.of(series(cpu1, "95x12"), series(cpu2, "20x12")), "10m",
                Map.of("service", "api-1", "severity", "warning"), "High CPU on api-1");
        t.silent("HighCPUUsage", List.of(series(cpu1, "60x12"), series(cpu2, "20x12")), "10m");

        // All of a service's tasks gone from Cloud Map: its up series stops (here after 5 minutes) while the
        // expected-service series FargatePrometheus renders for every registered service stays.
        String gone = "up{env=\"prod\",instance=\"10.0.1.7:9091\",job=\"worker\",service=\"worker\"}";
        String expected = "o11y_expected_service{env=\"prod\",job=\"worker\",service=\"worker\"}";
        Map<String, String> worker = Map.of("job", "worker", "service", "worker", "env", "prod", "severity", "critical");
        t.fires("ServiceTargetsGone", List.of(series(gone, "1x5 _x100"), series(expected, "1x105")), "15m", worker,
                "Service worker has no running tasks");
        // Still firing long after the last sample: it never resolves itself while the service is gone.
        t.fires("ServiceTargetsGone", List.of(series(gone, "1x5 _x100"), series(expected, "1x105")), "95m", worker,
                "Service worker has no running tasks");
        t.silent("ServiceTargetsGone", List.of(series(gone, "1x105"), series(expected, "1x105")), "15m");
        // A service nobody registered (no expected series) is not reported.
        t.silent("ServiceTargetsGone", List.of(series(gone, "1x5 _x100")), "15m");

        List<PromtoolRuleTests.Series> halfDown = List.of(series("up{instance=\"a:8080\",job=\"api\"}", "0x20"), series("up{instance=\"b:8080\",job=\"api\"}", "1x20"));
        t.fires("TargetDown", halfDown, "15m", Map.of("job", "api", "severity", "warning"), "api: more than 10% of targets are down");
        List<PromtoolRuleTests.Series> oneOfEleven = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            oneOfEleven.add(series("up{instance=\"i" + i + ":8080\",job=\"api\"}", i == 0 ? "0x20" : "1x20"));
        }
        t.silent("TargetDown", oneOfEleven, "15m");

        Map<String, String> prom = Map.of("instance", "localhost:9090", "job", "prometheus");
        t.fires("PrometheusConfigReloadFailed", List.of(series("prometheus_config_last_reload_successful{" + PROM + "}", "0x20")),
                "16m", with(prom, "severity", "warning"), "Prometheus localhost:9090 failed to reload its configuration");
        t.silent("PrometheusConfigReloadFailed", List.of(series("prometheus_config_last_reload_successful{" + PROM + "}", "1x20")), "16m");

        t.fires("PrometheusNotIngestingSamples", List.of(series("prometheus_tsdb_head_samples_appended_total{" + PROM + "}", "100x20")),
                "16m", with(prom, "severity", "warning"), "Prometheus localhost:9090 is not ingesting samples");
        t.silent("PrometheusNotIngestingSamples", List.of(series("prometheus_tsdb_head_samples_appended_total{" + PROM + "}", "100+100x20")), "16m");

        String failures = "prometheus_rule_evaluation_failures_total{" + PROM + ",rule_group=\"rules/o11y.yml;services\"}";
        t.fires("PrometheusRuleFailures", List.of(series(failures, "0+1x30")), "25m",
                with(with(prom, "rule_group", "rules/o11y.yml;services"), "severity", "critical"),
                "Prometheus localhost:9090 is failing rule evaluations");
        t.silent("PrometheusRuleFailures", List.of(series(failures, "0x30")), "25m");

        t.fires("PrometheusNotConnectedToAlertmanagers", List.of(series("prometheus_notifications_alertmanagers_discovered{" + PROM + "}", "0x20")),
                "16m", with(prom, "severity", "warning"), "Prometheus localhost:9090 is not connected to any Alertmanager");
        t.silent("PrometheusNotConnectedToAlertmanagers", List.of(series("prometheus_notifications_alertmanagers_discovered{" + PROM + "}", "1x20")), "16m");

        String am = "instance=\"am:9093\",integration=\"slack\",job=\"alertmanager\"";
        t.fires("AlertmanagerFailedToSendAlerts", List.of(series("alertmanager_notifications_failed_total{" + am + "}", "0+1x20"),
                        series("alertmanager_notifications_total{" + am + "}", "0+2x20")),
                "12m", Map.of("instance", "am:9093", "integration", "slack", "severity", "warning"), "Alertmanager am:9093 fails to send to slack");
        t.silent("AlertmanagerFailedToSendAlerts", List.of(series("alertmanager_notifications_failed_total{" + am + "}", "0x20"),
                series("alertmanager_notifications_total{" + am + "}", "0+2x20")), "12m");

        t.fires("Watchdog", List.of(), "1m", Map.of("severity", "none"), "Alerting pipeline heartbeat");

        Map<String, String> fs = Map.of("device", "/dev/nvme0n1p1", "fstype", "ext4", "mountpoint", "/", "instance", "host:9100", "job", "node");
        t.fires("NodeFilesystemSpaceFillingUp", List.of(
                        series("node_filesystem_avail_bytes{" + FS + "}", "14000000000-10000000x120"),
                        series("node_filesystem_size_bytes{" + FS + "}", "100000000000x120"),
                        series("node_filesystem_readonly{" + FS + "}", "0x120")),
                "90m", with(fs, "severity", "warning"), "Filesystem / on host:9100 fills up within 24 hours");
        t.silent("NodeFilesystemSpaceFillingUp", List.of(
                series("node_filesystem_avail_bytes{" + FS + "}", "50000000000x120"),
                series("node_filesystem_size_bytes{" + FS + "}", "100000000000x120"),
                series("node_filesystem_readonly{" + FS + "}", "0x120")), "90m");

        t.fires("NodeFilesystemAlmostOutOfSpace", List.of(
                        series("node_filesystem_avail_bytes{" + FS + "}", "4000000000x60"),
                        series("node_filesystem_size_bytes{" + FS + "}", "100000000000x60"),
                        series("node_filesystem_readonly{" + FS + "}", "0x60")),
                "40m", with(fs, "severity", "critical"), "Filesystem / on host:9100 is almost full");
        t.silent("NodeFilesystemAlmostOutOfSpace", List.of(
                series("node_filesystem_avail_bytes{" + FS + "}", "10000000000x60"),
                series("node_filesystem_size_bytes{" + FS + "}", "100000000000x60"),
                series("node_filesystem_readonly{" + FS + "}", "0x60")), "40m");

        Map<String, String> node = Map.of("instance", "host:9100", "job", "node");
        t.fires("NodeHighMemoryUsage", List.of(series("node_memory_MemAvailable_bytes{" + NODE + "}", "500000000x30"),
                        series("node_memory_MemTotal_bytes{" + NODE + "}", "8000000000x30")),
                "20m", with(node, "severity", "warning"), "Memory on host:9100 is above 90%");
        t.silent("NodeHighMemoryUsage", List.of(series("node_memory_MemAvailable_bytes{" + NODE + "}", "4000000000x30"),
                series("node_memory_MemTotal_bytes{" + NODE + "}", "8000000000x30")), "20m");

        t.fires("NodeHighCPUUsage", List.of(series("node_cpu_seconds_total{cpu=\"0\",mode=\"idle\"," + NODE + "}", "0+3x40")),
                "25m", Map.of("instance", "host:9100", "severity", "warning"), "CPU on host:9100 is above 90%");
        t.silent("NodeHighCPUUsage", List.of(series("node_cpu_seconds_total{cpu=\"0\",mode=\"idle\"," + NODE + "}", "0+54x40")), "25m");
        return t;
    }

    private static Map<String, String> with(Map<String, String> labels, String k, String v) {
        Map<String, String> m = new TreeMap<>(labels);
        m.put(k, v);
        return m;
    }

    @Test
    void everyDefaultAlertFiresAndStaysSilentInPromtoolUnitTests(@TempDir Path dir) throws IOException {
        String promtool = Tools.require("promtool", "apt-get install prometheus");
        RuleGroups rules = AlertRules.defaults(BASE).toRuleGroups();
        Files.writeString(dir.resolve("rules.yml"), rules.map(Rule::withSummaryOnly).toYaml());
        PromtoolRuleTests cases = cases();
        Files.writeString(dir.resolve("tests.yml"), cases.toYaml("rules.yml"));
        Tools.Result r = Tools.run(List.of(promtool, "test", "rules", "tests.yml"), dir, 120);
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS");
    }

    @Test
    void everyDefaultAlertHasAFiringCaseAndASilentCase() {
        Set<String> alerts = AlertRules.defaults(BASE).toRuleGroups().alerts().stream().map(Rule::name).collect(Collectors.toSet());
        PromtoolRuleTests cases = cases();
        assertThat(cases.firingCases()).containsExactlyInAnyOrderElementsOf(alerts);
        // Watchdog fires by design, always.
        assertThat(cases.silentCases()).containsExactlyInAnyOrderElementsOf(alerts.stream().filter(a -> !a.equals("Watchdog")).toList());
    }

    @Test
    void promtoolUnitTestsAreLiveAndCatchAWrongExpectation(@TempDir Path dir) throws IOException {
        String promtool = Tools.require("promtool", "apt-get install prometheus");
        Files.writeString(dir.resolve("rules.yml"), AlertRules.defaults(BASE).toRuleGroups().map(Rule::withSummaryOnly).toYaml());
        PromtoolRuleTests wrong = new PromtoolRuleTests().fires("ServiceDown",
                List.of(series("up{job=\"api\",service=\"api\"}", "1 1 0x8")), "6m",
                Map.of("job", "api", "service", "api", "severity", "warning"), "Service api is down");
        Files.writeString(dir.resolve("tests.yml"), wrong.toYaml("rules.yml"));
        assertThat(Tools.run(List.of(promtool, "test", "rules", "tests.yml"), dir, 120).exitCode()).isNotZero();
    }

    @Test
    void everyAlertCarriesSeveritySummaryDescriptionAndRunbook() {
        for (Rule r : AlertRules.defaults(BASE).toRuleGroups().alerts()) {
            assertThat(r.labels()).as(r.name()).containsKey("severity");
            assertThat(r.annotations()).as(r.name()).containsKeys("summary", "description", "runbook_url");
            assertThat(r.annotations().get("runbook_url")).as(r.name()).startsWith("https://");
        }
    }

    @Test
    void groupsCanBeSwitchedOffAndRulesOverriddenFromJava() {
        RuleGroups rules = AlertRules.defaults(BASE)
                .disableGroup("node")
                .override("ServiceDown", r -> r.withExpr("up{env!=\"test\"} == 0", "1m").withLabels(Map.of("team", "platform")))
                .add("custom", Rule.alert("QueueBacklog", "queue_depth > 1000", "10m", "warning", "Backlog on {{ $labels.queue }}",
                        "The queue keeps growing.", BASE + "#queuebacklog"))
                .toRuleGroups();
        assertThat(rules.groups()).doesNotContainKey("node").containsKey("custom");
        Rule down = rules.alerts().stream().filter(r -> r.name().equals("ServiceDown")).findFirst().orElseThrow();
        assertThat(down.expr()).isEqualTo("up{env!=\"test\"} == 0");
        assertThat(down.forDuration().toSeconds()).isEqualTo(60);
        assertThat(down.labels()).containsEntry("team", "platform").containsEntry("severity", "critical");
        assertThatThrownBy(() -> AlertRules.defaults(BASE).disableGroup("nodes"))
                .hasMessageContaining("disableGroup = 'nodes': no such rule group; groups are [services, ecs, prometheus, alertmanager, meta, node]");
        assertThatThrownBy(() -> AlertRules.defaults(BASE).override("ServiceDwn", r -> r))
                .hasMessageContaining("override = 'ServiceDwn': no such rule");
    }
}
