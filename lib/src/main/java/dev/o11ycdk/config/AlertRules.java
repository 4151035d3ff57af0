package dev.o11ycdk.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The platform's alert rules as named groups: the seed's (ServiceDown, HighCPUUsage) and a
 * self-monitoring set modelled on the community mixins (prometheus, alertmanager, node_exporter).
 * Any group can be switched off and any rule overridden from Java, e.g.
 * {@code AlertRules.defaults(base).disableGroup("node").override("ServiceDown", r -> r.withExpr(null, "1m"))}.
 */
public final class AlertRules {
    private static final String FS = "fstype!~\"tmpfs|overlay|squashfs\",mountpoint!~\"/run.*\"";

    /**
     * The runbooks of the platform's alerts: docs/runbooks.md of the o11y-cdk repository, one section per
     * alert, as a path relative to the repository's root (open it in a checkout or on your Git host).
     */
    public static final String DEFAULT_RUNBOOKS = "docs/runbooks.md";
    /** Recorded: ECS services whose desired task count is above zero while none runs. */
    public static final String TASKS_GONE = MetricNames.Recorded.TASKS_GONE;
    /** Recorded: the service, env and team labels of each discovered ECS service, by cluster and ECS name. */
    public static final String SERVICE_INFO = MetricNames.Recorded.SERVICE_INFO;
    /** The window of the per-task CPU rate, as the other rules' windows. */
    private static final String RATE_WINDOW = "5m";

    private final Map<String, List<Rule>> groups = new LinkedHashMap<>();
    private final Set<String> disabled = new LinkedHashSet<>();
    private final Map<String, String> intervals = new LinkedHashMap<>();

    /**
     * @param runbookBase where the runbooks live: every alert links to {@code <runbookBase>#<alert name in lower case>}
     *                    (docs/runbooks.md of this repository has a section for each)
     */
    public static AlertRules defaults(String runbookBase) {
        AlertRules r = new AlertRules();
        r.groups.put("services", new ArrayList<>(List.of(
                // The seed wrote for: 2m, which cannot meet its own goal of an alert within 2 minutes
                // (15 s scrape + 15 s evaluation + 2 m + 10 s group_wait = 2 m 40 s); 1 m gives 1 m 40 s.
                Rule.alert("ServiceDown", "up == 0", "1m", "critical",
                        "Service {{ $labels.service }} is down",
                        "Prometheus could not scrape {{ $labels.instance }} (job {{ $labels.job }}) for a minute.",
                        runbookBase + "#servicedown")
                        .withDelayGoal("2m"), // seed success criterion: alert delay under 2 minutes
                // A service whose tasks all stopped has no target, so no up == 0 fires for it: ECS's own desired
                // and running counts show it. EcsTaskCounts reads them from the ECS API every minute and publishes
                // them to CloudWatch only for a service with none running while some are desired (a service scaled
                // to zero publishes nothing); the CloudWatch exporter brings them here. Its service, env and team
                // labels come from what its targets carried (SERVICE_INFO), matched on cluster and ECS service name,
                // so a test service of the same name elsewhere cannot lend them.
                Rule.record(TASKS_GONE, "label_replace(label_replace((max by (cluster_name, service_name) ("
                        + MetricNames.CloudWatch.DESIRED_TASKS + ") > 0) unless on (cluster_name, service_name) "
                        + "(max by (cluster_name, service_name) (" + MetricNames.CloudWatch.RUNNING_TASKS + ") > 0), "
                        + "\"ecs_service\", \"$1\", \"service_name\", \"(.+)\"), \"ecs_cluster\", \"$1\", \"cluster_name\", \"(.+)\")"),
                Rule.alert("ServiceTasksGone", "(" + TASKS_GONE + " * on (ecs_cluster, ecs_service) group_left (service, env, team) "
                                + "(topk by (ecs_cluster, ecs_service) (1, last_over_time(" + SERVICE_INFO + "[1d])) * 0 + 1)) "
                                + "or on (ecs_cluster, ecs_service) label_replace(" + TASKS_GONE + ", \"service\", \"$1\", \"ecs_service\", \"(.+)\")",
                        "5m", "critical",
                        "Service {{ $labels.service }} has no running tasks",
                        "ECS wants tasks of {{ $labels.ecs_service }} in {{ $labels.ecs_cluster }} but none is running "
                                + "(stopped, crash-looping, failing its health check, or out of capacity).",
                        runbookBase + "#servicetasksgone"))));
        // One series per discovered service and label set, valued with when it was last seen, read a day
        // after the last target (ServiceTasksGone takes the newest: a service promoted from test to prod,
        // or handed to another team, alerts as it is now); every 5 minutes keeps the look-back cheap.
        r.groups.put("service-info", new ArrayList<>(List.of(
                Rule.record(SERVICE_INFO, "max by (ecs_cluster, ecs_service, service, env, team) (up{ecs_service!=\"\"}) * 0 + time()"))));
        r.intervals.put("service-info", "5m");
        // Per task, from the ecs_exporter sidecar of the task (the task metadata endpoint v4): what all its
        // containers use of what the task reserved (seed 004: relative to the reservation, not the host).
        // The sidecar is a target of its own, so the task's usage and its reservation come from one scrape.
        r.groups.put("ecs", new ArrayList<>(List.of(
                Rule.record(MetricNames.Recorded.ECS_CPU_UTILIZATION, "100 * sum without (container_name) (rate("
                        + MetricNames.EcsExporter.CONTAINER_CPU_SECONDS + "[" + RATE_WINDOW + "])) / "
                        + MetricNames.EcsExporter.TASK_CPU_LIMIT_VCPUS),
                Rule.record(MetricNames.Recorded.ECS_MEMORY_UTILIZATION, "100 * sum without (container_name) ("
                        + MetricNames.EcsExporter.CONTAINER_MEMORY_BYTES + ") / " + MetricNames.EcsExporter.TASK_MEMORY_LIMIT_BYTES),
                Rule.alert("HighCPUUsage", "avg by (service, env, team) (" + MetricNames.Recorded.ECS_CPU_UTILIZATION + ") > 80", "5m", "warning",
                        "High CPU on {{ $labels.service }}",
                        "{{ $labels.service }} has used more than 80% of its reserved CPU for 5 minutes ({{ $value | humanize }}%).",
                        runbookBase + "#highcpuusage"))));
        r.groups.put("prometheus", new ArrayList<>(List.of(
                Rule.alert("TargetDown", "100 * (count by (job, service, env) (up == 0) / count by (job, service, env) (up)) > 10",
                        "10m", "warning",
                        "{{ $labels.job }}: more than 10% of targets are down",
                        "{{ $value | humanize }}% of the {{ $labels.job }} targets are down.",
                        runbookBase + "#targetdown"),
                Rule.alert("PrometheusConfigReloadFailed",
                        "max_over_time(prometheus_config_last_reload_successful{job=\"prometheus\"}[5m]) == 0", "10m", "warning",
                        "Prometheus {{ $labels.instance }} failed to reload its configuration",
                        "The last configuration reload failed; Prometheus keeps running the previous one.",
                        runbookBase + "#prometheusconfigreloadfailed"),
                Rule.alert("PrometheusNotIngestingSamples",
                        "rate(prometheus_tsdb_head_samples_appended_total{job=\"prometheus\"}[5m]) <= 0", "10m", "warning",
                        "Prometheus {{ $labels.instance }} is not ingesting samples",
                        "No samples were appended to the head block for 10 minutes.",
                        runbookBase + "#prometheusnotingestingsamples"),
                Rule.alert("PrometheusRuleFailures",
                        "increase(prometheus_rule_evaluation_failures_total{job=\"prometheus\"}[5m]) > 0", "15m", "critical",
                        "Prometheus {{ $labels.instance }} is failing rule evaluations",
                        "{{ $value | humanize }} rule evaluations failed in the last 5 minutes.",
                        runbookBase + "#prometheusrulefailures"),
                Rule.alert("PrometheusNotConnectedToAlertmanagers",
                        "max_over_time(prometheus_notifications_alertmanagers_discovered{job=\"prometheus\"}[5m]) < 1", "10m", "warning",
                        "Prometheus {{ $labels.instance }} is not connected to any Alertmanager",
                        "Alerts fire but nobody is notified: no Alertmanager was discovered for 10 minutes.",
                        runbookBase + "#prometheusnotconnectedtoalertmanagers"))));
        r.groups.put("alertmanager", new ArrayList<>(List.of(
                Rule.alert("AlertmanagerFailedToSendAlerts",
                        "sum by (instance, integration) (rate(alertmanager_notifications_failed_total{job=\"alertmanager\"}[5m]))"
                                + " / sum by (instance, integration) (rate(alertmanager_notifications_total{job=\"alertmanager\"}[5m])) > 0.01",
                        "5m", "warning",
                        "Alertmanager {{ $labels.instance }} fails to send to {{ $labels.integration }}",
                        "{{ $value | humanizePercentage }} of notifications to {{ $labels.integration }} failed (no egress? bad webhook?).",
                        runbookBase + "#alertmanagerfailedtosendalerts"))));
        r.groups.put("meta", new ArrayList<>(List.of(
                Rule.alert("Watchdog", "vector(1)", "0", "none",
                        "Alerting pipeline heartbeat",
                        "Always firing. If it stops arriving, the alerting pipeline (Prometheus, Alertmanager, egress) is broken.",
                        runbookBase + "#watchdog"))));
        r.groups.put("node", new ArrayList<>(List.of(
                Rule.alert("NodeFilesystemSpaceFillingUp",
                        "(node_filesystem_avail_bytes{" + FS + "} / node_filesystem_size_bytes{" + FS + "} * 100 < 15"
                                + " and predict_linear(node_filesystem_avail_bytes{" + FS + "}[6h], 24 * 60 * 60) < 0"
                                + " and node_filesystem_readonly{" + FS + "} == 0)", "1h", "warning",
                        "Filesystem {{ $labels.mountpoint }} on {{ $labels.instance }} fills up within 24 hours",
                        "Less than 15% left and still falling; at this rate it is full within a day.",
                        runbookBase + "#nodefilesystemspacefillingup"),
                Rule.alert("NodeFilesystemAlmostOutOfSpace",
                        "(node_filesystem_avail_bytes{" + FS + "} / node_filesystem_size_bytes{" + FS + "} * 100 < 5"
                                + " and node_filesystem_readonly{" + FS + "} == 0)", "30m", "critical",
                        "Filesystem {{ $labels.mountpoint }} on {{ $labels.instance }} is almost full",
                        "Less than 5% space left ({{ $value | humanize }}%).",
                        runbookBase + "#nodefilesystemalmostoutofspace"),
                Rule.alert("NodeHighMemoryUsage",
                        "100 - (node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes * 100) > 90", "15m", "warning",
                        "Memory on {{ $labels.instance }} is above 90%",
                        "{{ $value | humanize }}% of memory in use for 15 minutes; Prometheus may be OOM-killed next (seed 004).",
                        runbookBase + "#nodehighmemoryusage"),
                Rule.alert("NodeHighCPUUsage",
                        "100 * (1 - avg by (instance) (rate(node_cpu_seconds_total{mode=\"idle\"}[5m]))) > 90", "15m", "warning",
                        "CPU on {{ $labels.instance }} is above 90%",
                        "{{ $value | humanize }}% CPU busy for 15 minutes.",
                        runbookBase + "#nodehighcpuusage"))));
        return r;
    }

    /**
     * {@link #defaults} for a layout that runs nothing on ECS (the EC2 host, Kubernetes): without the
     * rules on ECS metrics and on discovered ECS services.
     */
    public static AlertRules withoutEcs(String runbookBase) {
        return defaults(runbookBase)
                .disableGroup("ecs").disableGroup("service-info")
                .disableRule("ServiceTasksGone")
                .disableRule(TASKS_GONE);
    }

    /**
     * Prometheus' own capacity: memory close to the limit of its container (seed 004: it was
     * OOM-killed) and more active series than that memory is sized for.
     *
     * @param memoryLimitBytes the Prometheus container's hard limit
     * @param capacitySeries   the active series that limit holds by the sizing formula
     */
    public static List<Rule> prometheusCapacity(long memoryLimitBytes, long capacitySeries, String runbookBase) {
        if (memoryLimitBytes < 1 || capacitySeries < 1) {
            throw Check.bad("prometheus capacity", memoryLimitBytes + "/" + capacitySeries, "limit and series must be positive");
        }
        return List.of(
                Rule.alert("PrometheusMemoryNearLimit", "max by (instance) (process_resident_memory_bytes{job=\"prometheus\"}) / "
                                + memoryLimitBytes + " > 0.8", "5m", "warning",
                        "Prometheus {{ $labels.instance }} uses {{ $value | humanizePercentage }} of its memory limit",
                        "Above 80% of the container's " + memoryLimitBytes / (1024 * 1024) + " MiB; at 100% it is OOM-killed and "
                                + "alerting stops (seed 004). Raise expectedActiveSeries (or prometheusMemoryMiB) and deploy.",
                        runbookBase + "#prometheusmemorynearlimit"),
                Rule.alert("PrometheusSeriesAboveSizing", "max by (instance) (prometheus_tsdb_head_series{job=\"prometheus\"}) > "
                                + capacitySeries, "30m", "warning",
                        "Prometheus {{ $labels.instance }} holds {{ $value }} active series, more than it was sized for",
                        "Its memory holds about " + capacitySeries + " active series by the sizing formula; more for 30 minutes. "
                                + "Raise expectedActiveSeries so the next deploy sizes the task for them, or cut cardinality.",
                        runbookBase + "#prometheusseriesabovesizing"));
    }

    /**
     * The ECS discovery sidecar rewrites each cluster's result file every interval: a file older than
     * three intervals, or none at all, means new services are not found and gone ones linger.
     *
     * @param resultFileRegex the result files' names as Prometheus reports them in {@code filename}
     */
    public static List<Rule> ecsDiscovery(PromDuration interval, String resultFileRegex, String runbookBase) {
        // A PromQL string literal escapes backslashes itself: the regex \. is written \\. there.
        String mtime = "prometheus_sd_file_mtime_seconds{filename=~\"" + resultFileRegex.replace("\\", "\\\\") + "\"}";
        long stale = 3 * interval.toSeconds();
        return List.of(
                Rule.alert("EcsDiscoveryStale", "time() - max by (filename) (" + mtime + ") > " + stale, "5m", "warning",
                        "ECS discovery has not refreshed {{ $labels.filename }}",
                        "The file is older than " + AlertDelay.human(stale) + " (three discovery intervals): new tasks are not "
                                + "scraped and stopped ones linger. Look at the ecs-discovery container's log.",
                        runbookBase + "#ecsdiscoverystale"),
                Rule.alert("EcsDiscoveryAbsent", "absent(" + mtime + ")", "10m", "warning",
                        "ECS discovery has written no result file",
                        "Prometheus reads no ECS discovery result at all: services that joined the platform are not scraped. "
                                + "Look at the ecs-discovery container (stopped? permissions on the ECS API?).",
                        runbookBase + "#ecsdiscoveryabsent"));
    }

    public List<String> groupNames() {
        return List.copyOf(groups.keySet());
    }

    /** Switches a whole group off. */
    public AlertRules disableGroup(String name) {
        if (!groups.containsKey(name)) {
            throw Check.bad("disableGroup", name, "no such rule group; groups are " + groups.keySet());
        }
        disabled.add(name);
        return this;
    }

    /** Removes one rule (e.g. PrometheusNotConnectedToAlertmanagers where there is no Alertmanager). */
    public AlertRules disableRule(String ruleName) {
        for (List<Rule> rules : groups.values()) {
            if (rules.removeIf(r -> r.name().equals(ruleName))) {
                return this;
            }
        }
        throw Check.bad("disableRule", ruleName, "no such rule");
    }

    /** Replaces one rule (alert or record) by what {@code change} makes of it. */
    public AlertRules override(String ruleName, UnaryOperator<Rule> change) {
        for (List<Rule> rules : groups.values()) {
            for (int i = 0; i < rules.size(); i++) {
                if (rules.get(i).name().equals(ruleName)) {
                    rules.set(i, change.apply(rules.get(i)));
                    return this;
                }
            }
        }
        throw Check.bad("override", ruleName, "no such rule; rules are " + groups.values().stream()
                .flatMap(List::stream).map(Rule::name).toList());
    }

    /** Adds a rule to a group (created if new). */
    public AlertRules add(String group, Rule rule) {
        groups.computeIfAbsent(Check.notBlank("rule group", group), g -> new ArrayList<>()).add(rule);
        return this;
    }

    /** The enabled groups, ready to render. */
    public RuleGroups toRuleGroups() {
        RuleGroups g = new RuleGroups();
        groups.forEach((name, rules) -> {
            if (!disabled.contains(name)) {
                g.group(name, rules);
                if (intervals.containsKey(name)) {
                    g.interval(name, intervals.get(name));
                }
            }
        });
        return g;
    }
}
