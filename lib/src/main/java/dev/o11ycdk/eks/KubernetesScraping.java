package dev.o11ycdk.eks;

import dev.o11ycdk.core.ScrapeOptions;
import java.util.Map;
import software.amazon.awscdk.services.eks_v2.KubernetesManifest;
import software.constructs.Construct;

/**
 * The one call a team makes on EKS: a ServiceMonitor applied by the cluster's kubectl provider from
 * the team's own stack. The platform's Prometheus selects every ServiceMonitor
 * ({@code serviceMonitorSelectorNilUsesHelmValues: false}, any namespace), so nothing of the platform
 * changes.
 */
final class KubernetesScraping {
    private KubernetesScraping() {
    }

    static ServiceMonitorRegistration register(IKubePrometheusStack platform, Construct scope, String namespace,
                                               Map<String, String> serviceLabels, ScrapeOptions options) {
        IKubePrometheusStack seen = platform instanceof KubePrometheusStack live ? live.seenFrom(scope) : platform;
        ServiceMonitor monitor = ServiceMonitor.of(namespace, serviceLabels, options, seen.getEnvironment());
        KubernetesManifest manifest = KubernetesManifest.Builder.create(scope, "ServiceMonitor-" + namespace + "-" + monitor.getName())
                .cluster(seen.getCluster())
                .manifest(java.util.List.of(monitor.toManifest()))
                .overwrite(true)
                .build();
        return new ServiceMonitorRegistration(monitor, manifest);
    }
}
