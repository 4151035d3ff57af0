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
    /** Where the community rules' runbooks live (prometheus-operator/runbooks). */
    public static final String COMMUNITY_RUNBOOKS = "https://runbooks.prometheus-operator.dev/runbooks/";
    private static final String FS = "fstype!~\"tmpfs|overlay|squashfs\",mountpoint!~\"/run.*\"";

    private final Map<String, List<Rule>> groups = new LinkedHashMap<>();
    private final Set<String> disabled = new LinkedHashSet<>();

    /** @param runbookBase base URL of this platform's own runbooks (ServiceDown, HighCPUUsage) */
    public static AlertRules defaults(String runbookBase) {
        AlertRules r = new AlertRules();
        r.groups.put("services", new ArrayList<>(List.of(
                Rule.alert("ServiceDown", "up == 0", "2m", "critical",
                        "Service {{ $labels.service }} is down",
                        "Prometheus could not scrape {{ $labels.instance }} (job {{ $labels.job }}) for 2 minutes.",
                        runbookBase + "#servicedown")
                        .withDelayGoal("2m"), // seed success criterion: alert delay under 2 minutes
                // With Cloud Map discovery a service whose tasks all stopped has no target, so no up == 0.
                // o11y_expected_service (one series per registered service) keeps it visible until it is back.
                Rule.alert("ServiceTargetsGone", "o11y_expected_service unless on (job) up", "2m", "critical",
                        "Service {{ $labels.service }} has no running tasks",
                        "{{ $labels.service }} is registered for scraping but Cloud Map lists no task for it.",
                        runbookBase + "#servicetargetsgone"))));
        r.groups.put("ecs", new ArrayList<>(List.of(
                Rule.record("ecs_cpu_utilization",
                        "label_replace(aws_ecs_cpuutilization_average, \"service\", \"$1\", \"service_name\", \"(.+)\")"),
                Rule.record("ecs_memory_utilization",
                        "label_replace(aws_ecs_memory_utilization_average, \"service\", \"$1\", \"service_name\", \"(.+)\")"),
                Rule.alert("HighCPUUsage", "avg by (service) (ecs_cpu_utilization) > 80", "5m", "warning",
                        "High CPU on {{ $labels.service }}",
                        "{{ $labels.service }} has used more than 80% of its reserved CPU for 5 minutes ({{ $value | humanize }}%).",
                        runbookBase + "#highcpuusage"))));
        r.groups.put("prometheus", new ArrayList<>(List.of(
                Rule.alert("TargetDown", "100 * (count by (job, service, env) (up == 0) / count by (job, service, env) (up)) > 10",
                        "10m", "warning",
                        "{{ $labels.job }}: more than 10% of targets are down",
                        "{{ $value | humanize }}% of the {{ $labels.job }} targets are down.",
                        COMMUNITY_RUNBOOKS + "general/targetdown"),
                Rule.alert("PrometheusConfigReloadFailed",
                        "max_over_time(prometheus_config_last_reload_successful{job=\"prometheus\"}[5m]) == 0", "10m", "warning",
                        "Prometheus {{ $labels.instance }} failed to reload its configuration",
                        "The last configuration reload failed; Prometheus keeps running the previous one.",
                        COMMUNITY_RUNBOOKS + "prometheus/prometheusconfigreloadfailed"),
                Rule.alert("PrometheusNotIngestingSamples",
                        "rate(prometheus_tsdb_head_samples_appended_total{job=\"prometheus\"}[5m]) <= 0", "10m", "warning",
                        "Prometheus {{ $labels.instance }} is not ingesting samples",
                        "No samples were appended to the head block for 10 minutes.",
                        COMMUNITY_RUNBOOKS + "prometheus/prometheusnotingestingsamples"),
                Rule.alert("PrometheusRuleFailures",
                        "increase(prometheus_rule_evaluation_failures_total{job=\"prometheus\"}[5m]) > 0", "15m", "critical",
                        "Prometheus {{ $labels.instance }} is failing rule evaluations",
                        "{{ $value | humanize }} rule evaluations failed in the last 5 minutes.",
                        COMMUNITY_RUNBOOKS + "prometheus/prometheusrulefailures"),
                Rule.alert("PrometheusNotConnectedToAlertmanagers",
                        "max_over_time(prometheus_notifications_alertmanagers_discovered{job=\"prometheus\"}[5m]) < 1", "10m", "warning",
                        "Prometheus {{ $labels.instance }} is not connected to any Alertmanager",
                        "Alerts fire but nobody is notified: no Alertmanager was discovered for 10 minutes.",
                        COMMUNITY_RUNBOOKS + "prometheus/prometheusnotconnectedtoalertmanagers"))));
        r.groups.put("alertmanager", new ArrayList<>(List.of(
                Rule.alert("AlertmanagerFailedToSendAlerts",
                        "sum by (instance, integration) (rate(alertmanager_notifications_failed_total{job=\"alertmanager\"}[5m]))"
                                + " / sum by (instance, integration) (rate(alertmanager_notifications_total{job=\"alertmanager\"}[5m])) > 0.01",
                        "5m", "warning",
                        "Alertmanager {{ $labels.instance }} fails to send to {{ $labels.integration }}",
                        "{{ $value | humanizePercentage }} of notifications to {{ $labels.integration }} failed (no egress? bad webhook?).",
                        COMMUNITY_RUNBOOKS + "alertmanager/alertmanagerfailedtosendalerts"))));
        r.groups.put("meta", new ArrayList<>(List.of(
                Rule.alert("Watchdog", "vector(1)", "0", "none",
                        "Alerting pipeline heartbeat",
                        "Always firing. If it stops arriving, the alerting pipeline (Prometheus, Alertmanager, egress) is broken.",
                        COMMUNITY_RUNBOOKS + "general/watchdog"))));
        r.groups.put("node", new ArrayList<>(List.of(
                Rule.alert("NodeFilesystemSpaceFillingUp",
                        "(node_filesystem_avail_bytes{" + FS + "} / node_filesystem_size_bytes{" + FS + "} * 100 < 15"
                                + " and predict_linear(node_filesystem_avail_bytes{" + FS + "}[6h], 24 * 60 * 60) < 0"
                                + " and node_filesystem_readonly{" + FS + "} == 0)", "1h", "warning",
                        "Filesystem {{ $labels.mountpoint }} on {{ $labels.instance }} fills up within 24 hours",
                        "Less than 15% left and still falling; at this rate it is full within a day.",
                        COMMUNITY_RUNBOOKS + "node/nodefilesystemspacefillingup"),
                Rule.alert("NodeFilesystemAlmostOutOfSpace",
                        "(node_filesystem_avail_bytes{" + FS + "} / node_filesystem_size_bytes{" + FS + "} * 100 < 5"
                                + " and node_filesystem_readonly{" + FS + "} == 0)", "30m", "critical",
                        "Filesystem {{ $labels.mountpoint }} on {{ $labels.instance }} is almost full",
                        "Less than 5% space left ({{ $value | humanize }}%).",
                        COMMUNITY_RUNBOOKS + "node/nodefilesystemalmostoutofspace"),
                Rule.alert("NodeHighMemoryUsage",
                        "100 - (node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes * 100) > 90", "15m", "warning",
                        "Memory on {{ $labels.instance }} is above 90%",
                        "{{ $value | humanize }}% of memory in use for 15 minutes; Prometheus may be OOM-killed next (seed 004).",
                        COMMUNITY_RUNBOOKS + "node/nodememoryhighutilization"),
                Rule.alert("NodeHighCPUUsage",
                        "100 * (1 - avg by (instance) (rate(node_cpu_seconds_total{mode=\"idle\"}[5m]))) > 90", "15m", "warning",
                        "CPU on {{ $labels.instance }} is above 90%",
                        "{{ $value | humanize }}% CPU busy for 15 minutes.",
                        COMMUNITY_RUNBOOKS + "node/nodecpuhighusage"))));
        return r;
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
            }
        });
        return g;
    }
}
