package dev.o11ycdk.grafana;

import dev.o11ycdk.config.MetricNames;
import dev.o11ycdk.cost.FargatePricing;
import dev.o11ycdk.grafana.Dashboard.Panel;
import dev.o11ycdk.grafana.Dashboard.Target;

/** Dashboards the library ships. */
public final class Dashboards {
    private Dashboards() {
    }

    /**
     * Host view from node_exporter: what seed 002 imported as grafana.com dashboard 1860
     * ("Node Exporter Full"), reduced to the panels an operator reads first; the host itself (job
     * node), the EC2 instances found by tag (job ec2) and the EKS nodes' DaemonSet (job node-exporter).
     */
    public static Dashboard nodeExporter() {
        String sel = "{job=~\"node|ec2|node-exporter\",instance=~\"$instance\"}";
        return Dashboard.builder("o11y-node", "Node Exporter")
                .tags("o11y-cdk", "node")
                .queryVariable("instance", "label_values(node_uname_info{job=~\"node|ec2|node-exporter\"}, instance)")
                .panel(Panel.stat("Up", "none", new Target("up" + sel, "{{instance}}")))
                .panel(Panel.timeseries("CPU busy", "percentunit", new Target(
                        "1 - avg by (instance) (rate(node_cpu_seconds_total{job=~\"node|ec2|node-exporter\",instance=~\"$instance\",mode=\"idle\"}[$__rate_interval]))",
                        "{{instance}}")))
                .panel(Panel.timeseries("Memory used", "percentunit", new Target(
                        "1 - node_memory_MemAvailable_bytes" + sel + " / node_memory_MemTotal_bytes" + sel, "{{instance}}")))
                .panel(Panel.timeseries("Load (1m) per core", "short", new Target(
                        "node_load1" + sel + " / on (instance) count by (instance) (node_cpu_seconds_total{job=~\"node|ec2|node-exporter\",instance=~\"$instance\",mode=\"idle\"})",
                        "{{instance}}")))
                .panel(Panel.timeseries("Filesystem used", "percentunit", new Target(
                        "1 - node_filesystem_avail_bytes{job=~\"node|ec2|node-exporter\",instance=~\"$instance\",fstype!~\"tmpfs|overlay\"} / node_filesystem_size_bytes{job=~\"node|ec2|node-exporter\",instance=~\"$instance\",fstype!~\"tmpfs|overlay\"}",
                        "{{instance}} {{mountpoint}}")))
                .panel(Panel.timeseries("Disk I/O time", "percentunit", new Target(
                        "rate(node_disk_io_time_seconds_total" + sel + "[$__rate_interval])", "{{instance}} {{device}}")))
                .panel(Panel.timeseries("Network received", "Bps", new Target(
                        "rate(node_network_receive_bytes_total{job=~\"node|ec2|node-exporter\",instance=~\"$instance\",device!=\"lo\"}[$__rate_interval])",
                        "{{instance}} {{device}}")))
                .panel(Panel.timeseries("Network transmitted", "Bps", new Target(
                        "rate(node_network_transmit_bytes_total{job=~\"node|ec2|node-exporter\",instance=~\"$instance\",device!=\"lo\"}[$__rate_interval])",
                        "{{instance}} {{device}}")))
                .build();
    }

    private static final String GIB = "1073741824";

    /**
     * The Fargate layout's dashboards: Infrastructure Overview, ECS Cluster, Application
     * Performance, Cost Estimation, and one Service dashboard whose {@code service} variable lists
     * every discovered service (no static list: services join without a Grafana change). CPU, memory,
     * network and tasks come from each task's ecs_exporter sidecar ({@link MetricNames.EcsExporter}).
     */
    public static java.util.List<Dashboard> fargateDefaults(FargatePricing pricing) {
        return java.util.List.of(infrastructureOverview(), ecsCluster(), applicationPerformance(), costEstimation(pricing), service());
    }

    private static String sel(String selector) {
        return selector.isEmpty() ? "" : "{" + selector + "}";
    }

    /** {@code sum by (service) (<metric>{selector})}. */
    private static String perService(String metric, String selector) {
        return "sum by (service) (" + metric + sel(selector) + ")";
    }

    /** vCPUs used per service, from the sidecar's per-container CPU seconds. */
    private static String cpuUsed(String selector) {
        return "sum by (service) (rate(" + MetricNames.EcsExporter.CONTAINER_CPU_SECONDS + sel(selector) + "[$__rate_interval]))";
    }

    private static String cpuReserved(String selector) {
        return perService(MetricNames.EcsExporter.TASK_CPU_LIMIT_VCPUS, selector);
    }

    private static String memoryUsedGib(String selector) {
        return perService(MetricNames.EcsExporter.CONTAINER_MEMORY_BYTES, selector) + " / " + GIB;
    }

    private static String memoryReservedGib(String selector) {
        return perService(MetricNames.EcsExporter.TASK_MEMORY_LIMIT_BYTES, selector) + " / " + GIB;
    }

    /** Monthly USD of vCPU and memory per service, reserved (billed) or used. */
    private static String monthlyCost(boolean reserved, FargatePricing p) {
        String vcpu = reserved ? cpuReserved("") : cpuUsed("");
        String gib = reserved ? memoryReservedGib("") : memoryUsedGib("");
        return "(" + vcpu + " * " + p.vcpuHour() + " + " + gib + " * " + p.gbHour() + ") * " + FargatePricing.HOURS_PER_MONTH;
    }

    /** How many services a fleet panel draws: the worst ones, not one line per service. */
    static final int TOP = 10;
    /** The same for pods (a service has several): the {@value} fullest or most restarted. */
    static final int TOP_PODS = 20;

    /** A recorded series of {@link DashboardRules}, for the services of the {@code $service} variable. */
    private static String recorded(String name, String extra) {
        return name + "{service=~\"$service\"" + extra + "}";
    }

    /** The {@code q} quantile of the recorded latency histogram of every selected service together. */
    private static String quantileOfSelected(String q) {
        return "histogram_quantile(" + q + ", sum by (le) (" + recorded(DashboardRules.LATENCY_BUCKETS, "") + "))";
    }

    /**
     * The {@code n} series of {@code expr} that reached the highest values over the dashboard's range, highest first: a
     * fleet panel's worst-first view. Ranked once, at the range's end over all of it ({@code @ end()}, a subquery at the
     * panel's step), not at each step: a {@code topk} per step draws whichever {@code n} lead at that step, which over
     * a range of a changing fleet is many more than {@code n} lines.
     */
    private static String top(int n, String expr) {
        return "sort_desc((" + expr + ") and topk(" + n + ", max_over_time((" + expr + ")[$__range:$__interval] @ end())))";
    }

    /** The share of 5xx of every selected service together. */
    private static final String SELECTED_ERROR_RATIO = "sum(" + recorded(DashboardRules.ERRORS, "") + ") / sum("
            + recorded(DashboardRules.REQUESTS, "") + ")";

    /** Seed: every service at a glance: up/down, CPU, memory, network, error rate, latency. */
    public static Dashboard infrastructureOverview() {
        String svc = "service=~\"$service\"";
        return Dashboard.builder("o11y-infra", "Infrastructure Overview")
                .tags("o11y-cdk", "overview")
                .queryVariable("service", "label_values(up{service!=\"\"}, service)")
                .panel(Panel.stat("Services with a task up", "none", new Target("count(max by (service) (up{" + svc + "}) == 1) or vector(0)", "services")))
                .panel(Panel.stat("Targets down", "none", new Target("count(up == 0) or vector(0)", "down")))
                .panel(Panel.timeseries("CPU of reservation: top " + TOP + " services", "percent", new Target(top(TOP,
                        "max by (service) (" + MetricNames.Recorded.ECS_CPU_UTILIZATION + "{" + svc + "})"), "{{service}}")))
                .panel(Panel.timeseries("Memory of reservation: top " + TOP + " services", "percent", new Target(top(TOP,
                        "max by (service) (" + MetricNames.Recorded.ECS_MEMORY_UTILIZATION + "{" + svc + "})"), "{{service}}")))
                .panel(Panel.timeseries("Network: top " + TOP + " services each way", "Bps",
                        new Target(top(TOP, "sum by (service) (rate(" + MetricNames.EcsExporter.NETWORK_RECEIVE_BYTES
                                + "[$__rate_interval]))"), "{{service}} in"),
                        new Target(top(TOP, "sum by (service) (rate(" + MetricNames.EcsExporter.NETWORK_TRANSMIT_BYTES
                                + "[$__rate_interval]))"), "{{service}} out")))
                .panel(Panel.timeseries("Most 5xx: top " + TOP + " services", "percentunit",
                        new Target(top(TOP, recorded(DashboardRules.ERROR_RATIO, "")), "{{service}}")))
                .panel(Panel.timeseries("Slowest: top " + TOP + " services by p95 latency", "s",
                        new Target(top(TOP, recorded(DashboardRules.LATENCY, ",quantile=\"0.95\"")), "{{service}}")))
                .panel(Panel.timeseries("Slowest scrapes: top " + TOP + " services", "s",
                        new Target(top(TOP, "max by (service) (scrape_duration_seconds{" + svc + "})"), "{{service}}")))
                .panel(Panel.timeseries("ALB target response time", "s",
                        new Target("max by (load_balancer, target_group) (" + MetricNames.CloudWatch.ALB_TARGET_RESPONSE_TIME_AVERAGE + ")",
                                "{{target_group}} avg"),
                        new Target("max by (load_balancer, target_group) (" + MetricNames.CloudWatch.ALB_TARGET_RESPONSE_TIME_MAXIMUM + ")",
                                "{{target_group}} max")))
                .build();
    }

    /** Seed: the ECS cluster: tasks and CPU/memory used against what each service reserved. */
    public static Dashboard ecsCluster() {
        String c = "ecs_cluster=~\"$cluster\"";
        return Dashboard.builder("o11y-ecs", "ECS Cluster")
                .tags("o11y-cdk", "ecs")
                .queryVariable("cluster", "label_values(" + MetricNames.EcsExporter.TASK_INFO + ", ecs_cluster)")
                .panel(Panel.stat("Running tasks", "none", new Target(
                        "count(" + MetricNames.EcsExporter.TASK_INFO + "{" + c + "}) or vector(0)", "tasks")))
                .panel(Panel.timeseries("Most tasks: top " + TOP + " services", "none", new Target(top(TOP,
                        "count by (service) (" + MetricNames.EcsExporter.TASK_INFO + "{" + c + "})"), "{{service}}")))
                .panel(Panel.timeseries("CPU used of reserved: top " + TOP + " services", "percent", new Target(top(TOP,
                        "100 * " + cpuUsed(c) + " / " + cpuReserved(c)), "{{service}}")))
                .panel(Panel.timeseries("Memory used of reserved: top " + TOP + " services", "percent", new Target(top(TOP,
                        "100 * " + perService(MetricNames.EcsExporter.CONTAINER_MEMORY_BYTES, c) + " / "
                                + perService(MetricNames.EcsExporter.TASK_MEMORY_LIMIT_BYTES, c)), "{{service}}")))
                .panel(Panel.timeseries("Reserved vCPU: top " + TOP + " services", "none", new Target(top(TOP, cpuReserved(c)), "{{service}}")))
                .panel(Panel.timeseries("Reserved memory: top " + TOP + " services", "gbytes", new Target(top(TOP, memoryReservedGib(c)),
                        "{{service}}")))
                .panel(Panel.stat("Cluster CPU used of reserved", "percent", new Target(
                        "100 * sum(rate(" + MetricNames.EcsExporter.CONTAINER_CPU_SECONDS + "{" + c + "}[$__rate_interval])) / sum("
                                + MetricNames.EcsExporter.TASK_CPU_LIMIT_VCPUS + "{" + c + "})", "cluster")))
                .build();
    }

    /**
     * Seed: latency P50/P95/P99, requests per second and error rate, for a fleet: the selected services
     * together, and the worst {@value #TOP} of them per panel (never a line per service), all from
     * the recorded series of {@link DashboardRules}.
     */
    public static Dashboard applicationPerformance() {
        return Dashboard.builder("o11y-apm", "Application Performance")
                .tags("o11y-cdk", "apm")
                .queryVariable("service", "label_values(" + DashboardRules.REQUESTS + ", service)")
                .panel(Panel.stat("Requests per second", "reqps", new Target("sum(" + recorded(DashboardRules.REQUESTS, "") + ")", "rps")))
                .panel(Panel.stat("5xx share", "percentunit", new Target(SELECTED_ERROR_RATIO, "5xx")))
                .panel(Panel.timeseries("Latency P50 / P95 / P99", "s",
                        new Target(quantileOfSelected("0.5"), "p50"),
                        new Target(quantileOfSelected("0.95"), "p95"),
                        new Target(quantileOfSelected("0.99"), "p99")))
                .panel(Panel.timeseries("Slowest: top " + TOP + " services by P95", "s",
                        new Target(top(TOP, recorded(DashboardRules.LATENCY, ",quantile=\"0.95\"")), "{{service}}")))
                .panel(Panel.timeseries("Slowest: top " + TOP + " services by P99", "s",
                        new Target(top(TOP, recorded(DashboardRules.LATENCY, ",quantile=\"0.99\"")), "{{service}}")))
                .panel(Panel.timeseries("Busiest: top " + TOP + " services by requests per second", "reqps",
                        new Target(top(TOP, recorded(DashboardRules.REQUESTS, "")), "{{service}}")))
                .panel(Panel.timeseries("Most 5xx: top " + TOP + " services by share of responses", "percentunit",
                        new Target(top(TOP, recorded(DashboardRules.ERROR_RATIO, "")), "{{service}}")))
                .panel(Panel.timeseries("Slowest endpoints (P95): top " + TOP, "s",
                        new Target(top(TOP, recorded(DashboardRules.ENDPOINT_LATENCY, ",quantile=\"0.95\"")), "{{service}} {{uri}}")))
                .build();
    }

    /** Seed: what each service costs per month from its reserved and its used vCPU and memory. */
    public static Dashboard costEstimation(FargatePricing p) {
        String reserved = monthlyCost(true, p);
        String used = monthlyCost(false, p);
        return Dashboard.builder("o11y-cost", "Cost Estimation")
                .tags("o11y-cdk", "cost")
                .panel(Panel.stat("Fargate per month (reserved)", "currencyUSD", new Target("sum(" + reserved + ")", "total")))
                .panel(Panel.timeseries("Per month (reserved, billed): top " + TOP + " services", "currencyUSD",
                        new Target(top(TOP, reserved), "{{service}}")))
                .panel(Panel.timeseries("Per month if sized to use: top " + TOP + " services", "currencyUSD",
                        new Target(top(TOP, used), "{{service}}")))
                .panel(Panel.timeseries("Idle spend per month: top " + TOP + " services", "currencyUSD",
                        new Target(top(TOP, reserved + " - " + used), "{{service}}")))
                .build();
    }

    /**
     * One dashboard for any service: pick it in the {@code service} variable (every service with a
     * target); its CPU and memory come from its tasks' ecs_exporter sidecars, labelled with the service.
     * It opens on "All" (the selected services together) and takes one or several services.
     */
    public static Dashboard service() {
        String svc = "service=~\"$service\"";
        return Dashboard.builder("o11y-service", "Service")
                .tags("o11y-cdk", "service")
                .queryVariable("service", "label_values(up{service!=\"\"}, service)")
                .panel(Panel.stat("Targets up", "none", new Target("sum(up{" + svc + "})", "targets up")))
                .panel(Panel.stat("Tasks running", "none", new Target("count(" + MetricNames.EcsExporter.TASK_INFO + "{" + svc + "}) or vector(0)", "tasks")))
                .panel(Panel.timeseries("Scrape duration", "s", new Target("max(scrape_duration_seconds{" + svc + "})", "max")))
                .panel(Panel.timeseries("Requests per second", "reqps", new Target("sum(" + recorded(DashboardRules.REQUESTS, "") + ")", "rps")))
                .panel(Panel.timeseries("Latency", "s",
                        new Target(quantileOfSelected("0.5"), "p50"),
                        new Target(quantileOfSelected("0.95"), "p95"),
                        new Target(quantileOfSelected("0.99"), "p99")))
                .panel(Panel.timeseries("5xx share", "percentunit", new Target(SELECTED_ERROR_RATIO, "5xx")))
                .panel(Panel.timeseries("CPU and memory of reservation", "percent",
                        new Target("max(" + MetricNames.Recorded.ECS_CPU_UTILIZATION + "{" + svc + "})", "cpu"),
                        new Target("max(" + MetricNames.Recorded.ECS_MEMORY_UTILIZATION + "{" + svc + "})", "memory")))
                .build();
    }

    /**
     * The EKS layout's Kubernetes view (seed 004, problem 14): a pod's CPU and memory as a share of
     * <em>its own limit</em>, which is what OOM-kills it, not of the node; node panels as a share of
     * the node. Also what seed 004 had to dig for: OOM kills, restarts, PVCs stuck Pending, volumes
     * filling up. Pod panels show the worst {@value #TOP_PODS} pods, never one line per pod.
     */
    public static Dashboard kubernetes() {
        String ns = "namespace=~\"$namespace\"";
        return Dashboard.builder("o11y-kubernetes", "Kubernetes Pods and Nodes")
                .tags("o11y-cdk", "kubernetes")
                .queryVariable("namespace", "label_values(kube_pod_info, namespace)")
                .panel(Panel.timeseries("Pod CPU of its limit: top " + TOP_PODS, "percentunit", new Target(top(TOP_PODS,
                        "sum by (namespace, pod) (rate(container_cpu_usage_seconds_total{container!=\"\"," + ns + "}[$__rate_interval]))"
                                + " / sum by (namespace, pod) (kube_pod_container_resource_limits{resource=\"cpu\"," + ns + "})"),
                        "{{namespace}}/{{pod}}")))
                .panel(Panel.timeseries("Pod memory of its limit: top " + TOP_PODS, "percentunit", new Target(top(TOP_PODS,
                        "sum by (namespace, pod) (container_memory_working_set_bytes{container!=\"\"," + ns + "})"
                                + " / sum by (namespace, pod) (kube_pod_container_resource_limits{resource=\"memory\"," + ns + "})"),
                        "{{namespace}}/{{pod}}")))
                .panel(Panel.stat("Pods without a memory limit", "none", new Target(
                        "count(kube_pod_info{" + ns + "} unless on (namespace, pod)"
                                + " kube_pod_container_resource_limits{resource=\"memory\"}) or vector(0)", "pods")))
                .panel(Panel.timeseries("Containers OOM-killed (last termination): top " + TOP_PODS, "none", new Target(top(TOP_PODS,
                        "sum by (namespace, pod, container) (kube_pod_container_status_last_terminated_reason{reason=\"OOMKilled\"," + ns + "})"),
                        "{{namespace}}/{{pod}}/{{container}}")))
                .panel(Panel.timeseries("Container restarts (1h): top " + TOP_PODS, "none", new Target(top(TOP_PODS,
                        "sum by (namespace, pod) (increase(kube_pod_container_status_restarts_total{" + ns + "}[1h]))"),
                        "{{namespace}}/{{pod}}")))
                .panel(Panel.stat("PVCs Pending", "none", new Target(
                        "sum(kube_persistentvolumeclaim_status_phase{phase=\"Pending\"," + ns + "}) or vector(0)", "pending")))
                .panel(Panel.timeseries("Volume used: top " + TOP_PODS, "percentunit", new Target(top(TOP_PODS,
                        "kubelet_volume_stats_used_bytes{" + ns + "} / kubelet_volume_stats_capacity_bytes{" + ns + "}"),
                        "{{namespace}}/{{persistentvolumeclaim}}")))
                .panel(Panel.timeseries("Node CPU busy (of the node)", "percentunit", new Target(
                        "1 - avg by (instance) (rate(node_cpu_seconds_total{mode=\"idle\"}[$__rate_interval]))", "{{instance}}")))
                .panel(Panel.timeseries("Node memory used (of the node)", "percentunit", new Target(
                        "1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes", "{{instance}}")))
                .build();
    }
}
