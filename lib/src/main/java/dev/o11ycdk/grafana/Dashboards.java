package dev.o11ycdk.grafana;

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

    private static final String CI = "ecs_containerinsights_";

    /**
     * The Fargate layout's dashboards: Infrastructure Overview, ECS Cluster, Application
     * Performance, Cost Estimation, and one Service dashboard whose {@code service} variable lists
     * every discovered service (no static list: services join without a Grafana change).
     */
    public static java.util.List<Dashboard> fargateDefaults(FargatePricing pricing) {
        return java.util.List.of(infrastructureOverview(), ecsCluster(), applicationPerformance(), costEstimation(pricing), service());
    }

    /** {@code sum by (service_name) (ecs_containerinsights_<metric>{selector})}. */
    private static String perService(String metric, String selector) {
        return "sum by (service_name) (" + CI + metric + (selector.isEmpty() ? "" : "{" + selector + "}") + ")";
    }

    /** Used as a percentage of reserved, per service: the reservation-relative view (seed 004). */
    private static String usedOfReserved(String resource, String selector) {
        return "100 * " + perService(resource + "_utilized_average", selector) + " / " + perService(resource + "_reserved_average", selector);
    }

    /** Monthly USD of vCPU and memory per service, for "reserved" or "utilized". */
    private static String monthlyCost(String kind, FargatePricing p) {
        return "(" + perService("cpu_" + kind + "_average", "") + " / 1024 * " + p.vcpuHour() + " + "
                + perService("memory_" + kind + "_average", "") + " / 1024 * " + p.gbHour() + ") * " + FargatePricing.HOURS_PER_MONTH;
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

    /** The {@code n} highest series of {@code expr}, highest first: a fleet panel's worst-first view. */
    private static String top(int n, String expr) {
        return "sort_desc(topk(" + n + ", " + expr + "))";
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
                .panel(Panel.timeseries("CPU of reservation", "percent", new Target("max by (service) (ecs_cpu_utilization)", "{{service}}")))
                .panel(Panel.timeseries("Memory of reservation", "percent", new Target("max by (service) (ecs_memory_utilization)", "{{service}}")))
                .panel(Panel.timeseries("Network", "Bps",
                        new Target(perService("network_rx_bytes_average", ""), "{{service_name}} in"),
                        new Target(perService("network_tx_bytes_average", ""), "{{service_name}} out")))
                .panel(Panel.timeseries("Most 5xx: top " + TOP + " services", "percentunit",
                        new Target(top(TOP, recorded(DashboardRules.ERROR_RATIO, "")), "{{service}}")))
                .panel(Panel.timeseries("Slowest: top " + TOP + " services by p95 latency", "s",
                        new Target(top(TOP, recorded(DashboardRules.LATENCY, ",quantile=\"0.95\"")), "{{service}}")))
                .panel(Panel.timeseries("Slowest scrapes: top " + TOP + " services", "s",
                        new Target(top(TOP, "max by (service) (scrape_duration_seconds{" + svc + "})"), "{{service}}")))
                .build();
    }

    /** Seed: the ECS cluster: tasks and CPU/memory used against what each service reserved. */
    public static Dashboard ecsCluster() {
        String c = "cluster_name=~\"$cluster\"";
        return Dashboard.builder("o11y-ecs", "ECS Cluster")
                .tags("o11y-cdk", "ecs")
                .queryVariable("cluster", "label_values(" + CI + "running_task_count_average, cluster_name)")
                .panel(Panel.timeseries("Running tasks", "none", new Target(perService("running_task_count_average", c), "{{service_name}}")))
                .panel(Panel.timeseries("CPU used of reserved", "percent", new Target(usedOfReserved("cpu", c), "{{service_name}}")))
                .panel(Panel.timeseries("Memory used of reserved", "percent", new Target(usedOfReserved("memory", c), "{{service_name}}")))
                .panel(Panel.timeseries("Reserved vCPU", "none", new Target(perService("cpu_reserved_average", c) + " / 1024", "{{service_name}}")))
                .panel(Panel.timeseries("Reserved memory", "decmbytes", new Target(perService("memory_reserved_average", c), "{{service_name}}")))
                .panel(Panel.stat("Cluster CPU used of reserved", "percent", new Target(
                        "100 * sum(" + CI + "cpu_utilized_average{" + c + "}) / sum(" + CI + "cpu_reserved_average{" + c + "})", "cluster")))
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
        String reserved = monthlyCost("reserved", p);
        String used = monthlyCost("utilized", p);
        return Dashboard.builder("o11y-cost", "Cost Estimation")
                .tags("o11y-cdk", "cost")
                .panel(Panel.stat("Fargate per month (reserved)", "currencyUSD", new Target("sum(" + reserved + ")", "total")))
                .panel(Panel.timeseries("Per service per month (reserved, billed)", "currencyUSD", new Target(reserved, "{{service_name}}")))
                .panel(Panel.timeseries("Per service per month if sized to use", "currencyUSD", new Target(used, "{{service_name}}")))
                .panel(Panel.timeseries("Idle spend per month", "currencyUSD", new Target(reserved + " - " + used, "{{service_name}}")))
                .build();
    }

    /**
     * One dashboard for any service: pick it in the {@code service} variable (every service with a
     * target); its ECS service (for the CloudWatch figures, keyed by ECS name) follows. It opens on
     * "All" (the selected services together) and takes one or several services.
     */
    public static Dashboard service() {
        String svc = "service=~\"$service\"";
        return Dashboard.builder("o11y-service", "Service")
                .tags("o11y-cdk", "service")
                .queryVariable("service", "label_values(up{service!=\"\"}, service)")
                .queryVariable("ecs_service", "label_values(up{" + svc + "}, ecs_service)")
                .panel(Panel.stat("Tasks up", "none", new Target("sum(up{" + svc + "})", "tasks up")))
                .panel(Panel.timeseries("Scrape duration", "s", new Target("max(scrape_duration_seconds{" + svc + "})", "max")))
                .panel(Panel.timeseries("Requests per second", "reqps", new Target("sum(" + recorded(DashboardRules.REQUESTS, "") + ")", "rps")))
                .panel(Panel.timeseries("Latency", "s",
                        new Target(quantileOfSelected("0.5"), "p50"),
                        new Target(quantileOfSelected("0.95"), "p95"),
                        new Target(quantileOfSelected("0.99"), "p99")))
                .panel(Panel.timeseries("5xx share", "percentunit", new Target(SELECTED_ERROR_RATIO, "5xx")))
                .panel(Panel.timeseries("CPU and memory of reservation", "percent",
                        new Target("max(ecs_cpu_utilization{service=~\"$ecs_service\"})", "cpu"),
                        new Target("max(ecs_memory_utilization{service=~\"$ecs_service\"})", "memory")))
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
