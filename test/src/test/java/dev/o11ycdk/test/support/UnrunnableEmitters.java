package dev.o11ycdk.test.support;

import dev.o11ycdk.config.MetricNames;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ONE list of metric names that rules and dashboards read but that no test can have produced by the
 * real component that emits them, each with why. {@code MetricEmittersTest} fails on a name read by a
 * rule or panel that is neither produced by a real emitter in it nor here, and on an entry here that
 * nothing reads any more.
 */
public final class UnrunnableEmitters {
    private UnrunnableEmitters() {
    }

    private static final String ECS_EXPORTER = "prometheus-community/ecs_exporter " + dev.o11ycdk.core.Versions.ECS_EXPORTER
            + " (the sidecar scrape(...) adds): its binary ships only as a quay.io image and GitHub release tarballs, neither "
            + "reachable from this machine (Maven Central, npm and Debian only; no Debian package), and it reads the ECS task "
            + "metadata endpoint, which only a task has. Names as its v0.4.0 source emits them "
            + "(ecscollector/collector.go and testdata/snapshots/fargate_metrics.txt at 6984573)";
    private static final String KUBE_STATE_METRICS = "kube-state-metrics (EKS, kube-prometheus-stack): reads the Kubernetes API; "
            + "needs a cluster";
    private static final String KUBELET = "the kubelet and its cAdvisor (EKS): run on a Kubernetes node; needs a cluster";
    private static final String APPLICATION = "the teams' applications (Micrometer's http.server.requests timer, as Spring Boot "
            + "exposes it): not a component the platform runs";

    private static final String O11Y_APPLY = "the host's o11y-apply script, which writes its report for node_exporter's textfile "
            + "collector: it runs only as root from cfn-hup on the host; HostApplyTest#eachRunIsReportedThroughNodeExporters"
            + "TextfileCollectorAndTheHostAlertsOnAFailedOne runs it in a private root and reads the name through the real node_exporter";

    /** Metric name to why no test runs its emitter. */
    public static final Map<String, String> NAMES = names();

    private static Map<String, String> names() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String n : new String[] {MetricNames.EcsExporter.CONTAINER_CPU_SECONDS, MetricNames.EcsExporter.CONTAINER_MEMORY_BYTES,
                MetricNames.EcsExporter.TASK_CPU_LIMIT_VCPUS, MetricNames.EcsExporter.TASK_MEMORY_LIMIT_BYTES,
                MetricNames.EcsExporter.NETWORK_RECEIVE_BYTES, MetricNames.EcsExporter.NETWORK_TRANSMIT_BYTES,
                MetricNames.EcsExporter.TASK_INFO}) {
            m.put(n, ECS_EXPORTER);
        }
        for (String n : new String[] {"kube_pod_info", "kube_pod_container_resource_limits", "kube_pod_container_status_last_terminated_reason",
                "kube_pod_container_status_restarts_total", "kube_persistentvolumeclaim_status_phase"}) {
            m.put(n, KUBE_STATE_METRICS);
        }
        for (String n : new String[] {"container_cpu_usage_seconds_total", "container_memory_working_set_bytes",
                "kubelet_volume_stats_used_bytes", "kubelet_volume_stats_capacity_bytes"}) {
            m.put(n, KUBELET);
        }
        for (String n : new String[] {"http_server_requests_seconds_bucket", "http_server_requests_seconds_count"}) {
            m.put(n, APPLICATION);
        }
        m.put(dev.o11ycdk.host.ObservabilityInstance.HOST_CONFIG_APPLIED, O11Y_APPLY);
        return java.util.Collections.unmodifiableMap(m);
    }
}
