package dev.o11ycdk.test.support;

import dev.o11ycdk.config.MetricNames;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The dashboards' metrics that {@code DashboardsShowDataTest} does not serve on loopback, so a panel
 * reading them may show "No data" there (and only such a panel). It is derived, not a second list of
 * reasons: every name on {@link UnrunnableEmitters} (no real emitter runs here at all) except the teams'
 * Micrometer figures, which {@link SpringBootMetrics} serves; and the CloudWatch exporter's names,
 * whose real emitter {@code MetricEmittersTest} runs against moto_server but this test does not. A
 * recorded series counts as not served when its rule reads only what is not served
 * ({@link #notServed(String, Map)}).
 */
public final class MetricsNotServedHere {
    private MetricsNotServedHere() {
    }

    /** Whether nothing in the dashboards' loopback test serves {@code metric}. */
    public static boolean isNotServed(String metric) {
        if (UnrunnableEmitters.NAMES.containsKey(metric)) {
            return !SpringBootMetrics.serves(metric);
        }
        // MetricNames.cloudWatch: the AWS/ namespaces' names start aws_; the platform's O11y/ECS counts are named.
        return metric.startsWith("aws_") || metric.equals(MetricNames.CloudWatch.DESIRED_TASKS)
                || metric.equals(MetricNames.CloudWatch.RUNNING_TASKS);
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
        if (isNotServed(metric)) {
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
