package dev.o11ycdk.cost;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What an EKS stack runs that its template does not hold, for {@link CostEstimate}: the volumes its
 * pods claim through the EBS CSI driver, the load balancers the AWS Load Balancer Controller makes
 * for its ingresses, and the control plane's logs.
 *
 * @param extendedSupport    the cluster's Kubernetes version is past EKS standard support (billed at the extended price)
 * @param volumesGiB         each persistent volume claim's size in GiB, by what claims it
 * @param controllerAlbs     the ALBs the controller creates (one per ingress group)
 * @param controlPlaneLogsGb control-plane log ingestion per month, billed when the template's cluster sends its logs
 */
public record KubernetesUsage(boolean extendedSupport, Map<String, Integer> volumesGiB, List<String> controllerAlbs,
                              double controlPlaneLogsGb) {
    public KubernetesUsage {
        volumesGiB = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(volumesGiB));
        controllerAlbs = List.copyOf(controllerAlbs);
    }

    private static final String GROUP = "alb.ingress.kubernetes.io/group.name";

    /**
     * Read from the charts' values as the construct rendered them: every {@code storage:}/{@code size:}
     * of the form {@code <n>Gi} is a volume, every ingress group an ALB.
     */
    public static KubernetesUsage of(Map<String, Map<String, Object>> chartValues, boolean extendedSupport, double controlPlaneLogsGb) {
        Map<String, Integer> volumes = new LinkedHashMap<>();
        Set<String> groups = new TreeSet<>();
        chartValues.forEach((chart, values) -> values.forEach((top, v) -> walk(
                "KubePrometheusStack".equals(chart) ? top : chart.toLowerCase(java.util.Locale.ROOT), v, volumes, groups)));
        return new KubernetesUsage(extendedSupport, volumes, List.copyOf(groups), controlPlaneLogsGb);
    }

    private static void walk(String owner, Object v, Map<String, Integer> volumes, Set<String> groups) {
        if (v instanceof Map<?, ?> m && m.get("replicas") instanceof Number n && n.intValue() > 1) {
            // A StatefulSet of n pods (a Prometheus pair) claims its volume n times.
            Map<String, Integer> one = new LinkedHashMap<>();
            Map<Object, Object> rest = new LinkedHashMap<>(m);
            rest.remove("replicas");
            walk(owner, rest, one, groups);
            one.forEach((k, gib) -> volumes.merge(k, gib * n.intValue(), Integer::sum));
            return;
        }
        if (v instanceof Map<?, ?> m) {
            m.forEach((k, x) -> {
                if (("storage".equals(k) || "size".equals(k)) && x instanceof String s && s.matches("\\d+Gi")) {
                    volumes.merge(owner, Integer.parseInt(s.substring(0, s.length() - 2)), Integer::sum);
                } else if (GROUP.equals(k) && x instanceof String g) {
                    groups.add(g);
                } else {
                    walk(owner, x, volumes, groups);
                }
            });
        } else if (v instanceof List<?> l) {
            l.forEach(x -> walk(owner, x, volumes, groups));
        }
    }

    /** Every claimed volume together. */
    public int totalVolumeGiB() {
        return volumesGiB.values().stream().mapToInt(Integer::intValue).sum();
    }
}
