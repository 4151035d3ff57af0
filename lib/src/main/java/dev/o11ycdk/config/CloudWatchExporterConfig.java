package dev.o11ycdk.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The prometheus/cloudwatch_exporter configuration: which CloudWatch metrics to turn into series. */
public final class CloudWatchExporterConfig {
    private final String region;
    private final List<Map<String, Object>> metrics = new ArrayList<>();

    public CloudWatchExporterConfig(String region) {
        this.region = Check.notBlank("cloudwatch exporter region", region);
    }

    public CloudWatchExporterConfig metric(String namespace, String name, List<String> dimensions, List<String> statistics) {
        return metric(namespace, name, dimensions, statistics, Map.of());
    }

    /**
     * A metric with options of its own, as the exporter names them ({@code period_seconds},
     * {@code range_seconds}, {@code delay_seconds}, {@code set_timestamp}, {@code aws_tag_select}).
     */
    public CloudWatchExporterConfig metric(String namespace, String name, List<String> dimensions, List<String> statistics,
                                           Map<String, Object> options) {
        Check.notBlank("cloudwatch metric namespace", namespace);
        Check.notBlank("cloudwatch metric name", name);
        for (String s : statistics) {
            if (!List.of("Average", "Maximum", "Minimum", "Sum", "SampleCount").contains(s)) {
                throw Check.bad("cloudwatch metric " + name + " statistics", s, "must be Average, Maximum, Minimum, Sum or SampleCount");
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("aws_namespace", namespace);
        m.put("aws_metric_name", name);
        m.put("aws_dimensions", List.copyOf(dimensions));
        m.put("aws_statistics", List.copyOf(statistics));
        m.putAll(new java.util.TreeMap<>(options));
        metrics.add(m);
        return this;
    }

    /**
     * The seed's list: ECS CPU and memory by cluster and service (Average), ALB
     * TargetResponseTime by load balancer and target group (Average, Maximum).
     */
    public static CloudWatchExporterConfig seedDefaults(String region) {
        return new CloudWatchExporterConfig(region)
                .metric("AWS/ECS", "CPUUtilization", List.of("ClusterName", "ServiceName"), List.of("Average"))
                .metric("AWS/ECS", "MemoryUtilization", List.of("ClusterName", "ServiceName"), List.of("Average"))
                .metric("AWS/ApplicationELB", "TargetResponseTime", List.of("LoadBalancer", "TargetGroup"), List.of("Average", "Maximum"));
    }

    /** The tag {@link #platformDefaults} reads load balancers by: the platform's own carry it, a team may tag its own. */
    public static final String MONITORED_TAG = "o11y-cdk:monitored";

    /**
     * What the platform reads from CloudWatch, where nothing else has the figure, at no cost per ECS
     * service: the target response time (Average, Maximum) of the load balancers tagged
     * {@value #MONITORED_TAG}={@code true} (the seed's list; a dashboard's, every 60 s), and the task
     * counts {@code EcsTaskCounts} publishes (desired and running, Maximum) for a service whose tasks are
     * all gone, which exist only while that lasts (and, as CloudWatch lists metrics, two weeks after):
     * read at once, not after the exporter's usual 2-minute delay, for ServiceTasksGone. Per-task CPU,
     * memory and network come from each task's own ecs_exporter sidecar instead.
     */
    public static CloudWatchExporterConfig platformDefaults(String region) {
        Map<String, Object> taskCounts = new LinkedHashMap<>();
        taskCounts.put("delay_seconds", 0);
        taskCounts.put("range_seconds", 120);
        taskCounts.put("set_timestamp", false);
        Map<String, Object> albTags = new LinkedHashMap<>();
        albTags.put("tag_selections", Map.of(MONITORED_TAG, List.of("true")));
        albTags.put("resource_type_selection", "elasticloadbalancing:loadbalancer");
        albTags.put("resource_id_dimension", "LoadBalancer");
        return new CloudWatchExporterConfig(region)
                .metric(MetricNames.CloudWatch.TASK_COUNTS_NAMESPACE, MetricNames.CloudWatch.DESIRED_TASK_COUNT,
                        List.of("ClusterName", "ServiceName"), List.of("Maximum"), taskCounts)
                .metric(MetricNames.CloudWatch.TASK_COUNTS_NAMESPACE, MetricNames.CloudWatch.RUNNING_TASK_COUNT,
                        List.of("ClusterName", "ServiceName"), List.of("Maximum"), taskCounts)
                .metric(MetricNames.CloudWatch.ALB_NAMESPACE, "TargetResponseTime", List.of("LoadBalancer", "TargetGroup"),
                        List.of("Average", "Maximum"), Map.of("aws_tag_select", albTags));
    }

    /** The metric rules as rendered (namespace, name, dimensions, statistics and options of each). */
    public List<Map<String, Object>> metrics() {
        return metrics.stream().map(Map::copyOf).toList();
    }

    /**
     * Container Insights per service: reserved and used CPU and memory (the reservation-relative
     * view and the cost estimate need both), running and desired tasks (ServiceTasksGone), network.
     */
    public CloudWatchExporterConfig withContainerInsights() {
        for (String m : List.of("CpuReserved", "CpuUtilized", "MemoryReserved", "MemoryUtilized", "RunningTaskCount", "DesiredTaskCount",
                "NetworkRxBytes", "NetworkTxBytes")) {
            metric("ECS/ContainerInsights", m, List.of("ClusterName", "ServiceName"), List.of("Average"));
        }
        return this;
    }

    /** The number of metric rules (each one ListMetrics and one statistics call per dimension set per scrape). */
    public int metricCount() {
        return metrics.size();
    }

    public String toYaml() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("region", region);
        root.put("period_seconds", 60);
        root.put("delay_seconds", 120);
        root.put("metrics", metrics);
        return Rendering.yaml(root);
    }
}
