package dev.o11ycdk.test.support;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The dashboards' metrics that nothing on this machine can emit, so a panel reading them may show
 * "No data" in a test on loopback (and only such a panel): each prefix with why. Everything else a
 * dashboard reads must come from a real emitter or a stand-in serving the real emitter's names
 * ({@link SpringBootMetrics}, node_exporter, Prometheus itself). A recorded series counts as not served
 * when its rule reads only what is not served ({@link #notServed(String, Map)}).
 */
public final class MetricsNotServedHere {
    /** Metric-name prefix to the reason no test can produce it here. */
    public static final Map<String, String> PREFIXES;

    static {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("aws_", "the CloudWatch exporter's figures: it reads the CloudWatch API of an AWS account");
        m.put("ecs_containerinsights_", "Container Insights, through the CloudWatch exporter: an AWS account again");
        m.put("kube_", "kube-state-metrics: it reads a Kubernetes API server, and none runs here");
        m.put("container_", "cAdvisor's container figures, served by a kubelet");
        m.put("kubelet_", "the kubelet's own figures (volume stats)");
        PREFIXES = Map.copyOf(m);
    }

    private MetricsNotServedHere() {
    }

    /**
     * The metrics {@code expr} reads that nothing here serves, directly or through a recorded series of
     * {@code recordingRules} (record name to expression) that reads only such metrics.
     */
    public static Set<String> notServed(String expr, Map<String, String> recordingRules) {
        Set<String> out = new LinkedHashSet<>();
        for (PromQl.Selector s : PromQl.selectors(expr)) {
            String metric = s.metric();
            if (metric != null && unserved(metric, recordingRules, 0)) {
                out.add(metric);
            }
        }
        return out;
    }

    private static boolean unserved(String metric, Map<String, String> rules, int depth) {
        if (PREFIXES.keySet().stream().anyMatch(metric::startsWith)) {
            return true;
        }
        String rule = rules.get(metric);
        if (rule == null || depth > 5) {
            return false;
        }
        List<String> read = PromQl.selectors(rule).stream().map(PromQl.Selector::metric).filter(java.util.Objects::nonNull).toList();
        return !read.isEmpty() && read.stream().allMatch(m -> unserved(m, rules, depth + 1));
    }
}
