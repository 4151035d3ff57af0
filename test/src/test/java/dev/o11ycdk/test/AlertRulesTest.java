package dev.o11ycdk.test;

import static dev.o11ycdk.test.support.PromtoolRuleTests.series;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.o11ycdk.config.AlertRules;
import dev.o11ycdk.config.MetricNames;
import dev.o11ycdk.config.PromDuration;
import dev.o11ycdk.config.Rule;
import dev.o11ycdk.config.RuleGroups;
import dev.o11ycdk.test.support.PrometheusTools;
import dev.o11ycdk.test.support.PromtoolRuleTests;
import dev.o11ycdk.test.support.Tools;
import dev.o11ycdk.test.support.UsesTools;
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
        t.silent("ServiceDown", List.of(series("up{env=\"prod\",instance=\"10.0.1.5:8080\",job=\"api-1\",service=\"api-1\"}", "1 1 0x8")), "2m");

        // The ecs_exporter sidecar of each task (one target per task): CPU seconds per container, the task's vCPUs.
        // Two services: only the hot one alerts; an average across services would hide it.
        String task1 = "ecs_cluster=\"o11y\",ecs_service=\"api-1\",env=\"prod\",instance=\"10.0.1.5:9779\",job=\"api-1\",service=\"api-1\",team=\"payments\"";
        // api-1 of another environment, idle: averaged with prod's it would hide it (and lose the team its route reads).
        String stagingTask = "ecs_cluster=\"o11y-staging\",ecs_service=\"api-1\",env=\"staging\",instance=\"10.1.1.5:9779\",job=\"api-1\",service=\"api-1\",team=\"payments\"";
        String task2 = "ecs_cluster=\"o11y\",ecs_service=\"api-2\",env=\"prod\",instance=\"10.0.1.6:9779\",job=\"api-2\",service=\"api-2\"";
        String cpu = MetricNames.EcsExporter.CONTAINER_CPU_SECONDS;
        String vcpus = MetricNames.EcsExporter.TASK_CPU_LIMIT_VCPUS;
        // 0.25 vCPU reserved; the app uses 0.2275 vCPU-seconds a second (13.65 a minute) and the sidecar 0.01: 95%.
        List<PromtoolRuleTests.Series> hot = List.of(
                series(cpu + "{container_name=\"app\"," + task1 + "}", "0+13.65x20"),
                series(cpu + "{container_name=\"ecs-exporter\"," + task1 + "}", "0+0.6x20"),
                series(vcpus + "{" + task1 + "}", "0.25x20"),
                series(cpu + "{container_name=\"app\"," + task2 + "}", "0+3x20"),
                series(vcpus + "{" + task2 + "}", "0.25x20"),
                series(cpu + "{container_name=\"app\"," + stagingTask + "}", "0+0.6x20"),
                series(vcpus + "{" + stagingTask + "}", "0.25x20"));
        t.fires("HighCPUUsage", hot, "15m", Map.of("service", "api-1", "env", "prod", "team", "payments", "severity", "warning"),
                "High CPU on api-1");
        // 60% of its reservation: below the threshold.
        t.silent("HighCPUUsage", List.of(series(cpu + "{container_name=\"app\"," + task1 + "}", "0+9x20"),
                series(vcpus + "{" + task1 + "}", "0.25x20")), "15m");

        // ECS wants a task of api-1 but none runs: EcsTaskCounts' counts as the CloudWatch exporter names them. Its service,
        // env and team come from what its targets carried, matched on cluster and ECS service name.
        String desired = MetricNames.CloudWatch.DESIRED_TASKS + "{cluster_name=\"o11y-platform\",job=\"cloudwatch\",service_name=\"Api1Service\"}";
        String running = MetricNames.CloudWatch.RUNNING_TASKS + "{cluster_name=\"o11y-platform\",job=\"cloudwatch\",service_name=\"Api1Service\"}";
        String seen = "up{ecs_cluster=\"o11y-platform\",ecs_service=\"Api1Service\",env=\"prod\",instance=\"10.0.1.5:8080\",job=\"api-1\",service=\"api-1\",team=\"payments\"}";
        // The same ECS service name in a staging cluster, muted as env=test, still running there.
        String staging = "up{ecs_cluster=\"staging\",ecs_service=\"Api1Service\",env=\"test\",instance=\"10.1.1.5:8080\",job=\"api-1\",service=\"api-1\"}";
        Map<String, String> gone = new TreeMap<>(Map.of("cluster_name", "o11y-platform", "service_name", "Api1Service", "ecs_cluster", "o11y-platform",
                "ecs_service", "Api1Service", "service", "api-1", "env", "prod", "team", "payments", "severity", "critical"));
        t.fires("ServiceTasksGone", List.of(series(desired, "1x120"), series(running, "1x5 0x115"), series(seen, "1x5 _x115"),
                series(staging, "1x120")), "15m", gone, "Service api-1 has no running tasks");
        // Still labelled (and still muted or paging as before) long after its last target: no flip after an hour.
        t.fires("ServiceTasksGone", List.of(series(desired, "1x120"), series(running, "1x5 0x115"), series(seen, "1x5 _x115"),
                series(staging, "1x120")), "110m", gone, "Service api-1 has no running tasks");
        // Its labels changed (promoted from test to prod, handed to another team) before its tasks went: the newest count.
        String before = "up{ecs_cluster=\"o11y-platform\",ecs_service=\"Api1Service\",env=\"test\",instance=\"10.0.1.5:8080\",job=\"api-1\",service=\"api-1\",team=\"a\"}";
        String after = "up{ecs_cluster=\"o11y-platform\",ecs_service=\"Api1Service\",env=\"prod\",instance=\"10.0.1.6:8080\",job=\"api-1\",service=\"api-1\",team=\"b\"}";
        Map<String, String> promoted = new TreeMap<>(gone);
        promoted.put("team", "b");
        t.fires("ServiceTasksGone", List.of(series(desired, "1x200"), series(running, "1x130 0x69"), series(before, "1x59"),
                series(after, "_x60 1x69")), "145m", promoted, "Service api-1 has no running tasks");
        // A service never scraped (nothing to take its labels from) still alerts, named by its ECS service name.
        Map<String, String> unseen = Map.of("cluster_name", "o11y-platform", "service_name", "Api1Service", "ecs_cluster", "o11y-platform",
                "ecs_service", "Api1Service", "service", "Api1Service", "severity", "critical");
        t.fires("ServiceTasksGone", List.of(series(desired, "1x20"), series(running, "0x20")), "15m", unseen,
                "Service Api1Service has no running tasks");
        t.silent("ServiceTasksGone", List.of(series(desired, "1x20"), series(running, "1x20"), series(seen, "1x20")), "15m");
        // Scaled to zero on purpose: nothing is missing (and EcsTaskCounts publishes nothing for it at all).
        t.silent("ServiceTasksGone", List.of(series(desired, "0x20"), series(running, "0x20")), "15m");
        t.silent("ServiceTasksGone", List.of(series(seen, "1x5 _x15")), "15m");

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

        // Prometheus sized for 100k series with a 2 GiB container: 80% of the limit for 5 minutes warns before the OOM kill.
        String rss = "process_resident_memory_bytes{" + PROM + "}";
        t.fires("PrometheusMemoryNearLimit", List.of(series(rss, "1800000000x10")), "8m",
                Map.of("instance", "localhost:9090", "severity", "warning"), "Prometheus localhost:9090 uses 83.82% of its memory limit");
        t.silent("PrometheusMemoryNearLimit", List.of(series(rss, "1000000000x10")), "8m");
        String head = "prometheus_tsdb_head_series{" + PROM + "}";
        t.fires("PrometheusSeriesAboveSizing", List.of(series(head, "70000x40")), "35m",
                Map.of("instance", "localhost:9090", "severity", "warning"), "Prometheus localhost:9090 holds 70000 active series, more than it was sized for");
        t.silent("PrometheusSeriesAboveSizing", List.of(series(head, "60000x40")), "35m");

        // The discovery sidecar rewrites its file every 30 s; promtool's clock starts at 0, so mtime 0 ages with it.
        String mtime = "prometheus_sd_file_mtime_seconds{filename=\"/o11y/discovery/ecs-o11y-platform.yaml\"," + PROM + "}";
        t.fires("EcsDiscoveryStale", List.of(series(mtime, "0x20")), "10m",
                Map.of("filename", "/o11y/discovery/ecs-o11y-platform.yaml", "severity", "warning"),
                "ECS discovery has not refreshed /o11y/discovery/ecs-o11y-platform.yaml");
        t.silent("EcsDiscoveryStale", List.of(series(mtime, "0+60x20")), "10m");
        t.fires("EcsDiscoveryAbsent", List.of(series("up{" + PROM + "}", "1x20")), "15m", Map.of("severity", "warning"),
                "ECS discovery has written no result file");
        t.silent("EcsDiscoveryAbsent", List.of(series(mtime, "0+60x20")), "15m");

        t.fires("NodeHighCPUUsage", List.of(series("node_cpu_seconds_total{cpu=\"0\",mode=\"idle\"," + NODE + "}", "0+3x40")),
                "25m", Map.of("instance", "host:9100", "severity", "warning"), "CPU on host:9100 is above 90%");
        t.silent("NodeHighCPUUsage", List.of(series("node_cpu_seconds_total{cpu=\"0\",mode=\"idle\"," + NODE + "}", "0+54x40")), "25m");
        return t;
    }

    /** The rules FargatePrometheus renders for a 2 GiB Prometheus container (65,536 series), discovering every 30 s. */
    static RuleGroups rendered() {
        return AlertRules.defaults(BASE).toRuleGroups()
                .group("prometheus-capacity", AlertRules.prometheusCapacity(2L * 1024 * 1024 * 1024, 65_536, BASE))
                .group("ecs-discovery", AlertRules.ecsDiscovery(PromDuration.parse("i", "30s"), ".*/ecs-[^/]+\\.yaml", BASE));
    }

    private static Map<String, String> with(Map<String, String> labels, String k, String v) {
        Map<String, String> m = new TreeMap<>(labels);
        m.put(k, v);
        return m;
    }

    @UsesTools
    @Test
    void everyDefaultAlertFiresAndStaysSilentInPromtoolUnitTests(@TempDir Path dir) throws IOException {
        String promtool = PrometheusTools.promtool();
        RuleGroups rules = rendered();
        Files.writeString(dir.resolve("rules.yml"), rules.map(Rule::withSummaryOnly).toYaml());
        PromtoolRuleTests cases = cases();
        Files.writeString(dir.resolve("tests.yml"), cases.toYaml("rules.yml"));
        Tools.Result r = Tools.run(List.of(promtool, "test", "rules", "tests.yml"), dir, 120);
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS");
    }

    @Test
    void everyDefaultAlertHasAFiringCaseAndASilentCase() {
        Set<String> alerts = rendered().alerts().stream().map(Rule::name).collect(Collectors.toSet());
        PromtoolRuleTests cases = cases();
        assertThat(cases.firingCases()).containsExactlyInAnyOrderElementsOf(alerts);
        // Watchdog fires by design, always.
        assertThat(cases.silentCases()).containsExactlyInAnyOrderElementsOf(alerts.stream().filter(a -> !a.equals("Watchdog")).toList());
    }

    @UsesTools
    @Test
    void promtoolUnitTestsAreLiveAndCatchAWrongExpectation(@TempDir Path dir) throws IOException {
        String promtool = PrometheusTools.promtool();
        Files.writeString(dir.resolve("rules.yml"), AlertRules.defaults(BASE).toRuleGroups().map(Rule::withSummaryOnly).toYaml());
        PromtoolRuleTests wrong = new PromtoolRuleTests().fires("ServiceDown",
                List.of(series("up{job=\"api\",service=\"api\"}", "1 1 0x8")), "6m",
                Map.of("job", "api", "service", "api", "severity", "warning"), "Service api is down");
        Files.writeString(dir.resolve("tests.yml"), wrong.toYaml("rules.yml"));
        assertThat(Tools.run(List.of(promtool, "test", "rules", "tests.yml"), dir, 120).exitCode()).isNotZero();
    }

    @Test
    void everyAlertCarriesSeveritySummaryDescriptionAndRunbook() {
        for (Rule r : rendered().alerts()) {
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
                .hasMessageContaining("disableGroup = 'nodes': no such rule group; groups are [services, service-info, ecs, prometheus, alertmanager, meta, node]");
        assertThatThrownBy(() -> AlertRules.defaults(BASE).override("ServiceDwn", r -> r))
                .hasMessageContaining("override = 'ServiceDwn': no such rule");
    }
}
