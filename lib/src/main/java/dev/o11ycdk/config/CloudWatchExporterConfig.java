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
