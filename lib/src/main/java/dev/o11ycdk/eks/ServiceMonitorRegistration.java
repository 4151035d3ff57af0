package dev.o11ycdk.eks;

import java.util.Map;
import software.amazon.awscdk.services.eks_v2.KubernetesManifest;

/**
 * What {@link IKubePrometheusStack#scrape} made: the ServiceMonitor as applied (deploy-time values as
 * tokens) and the manifest resource that applies it, to order it after the team's namespace.
 */
public final class ServiceMonitorRegistration {
    private final ServiceMonitor serviceMonitor;
    private final KubernetesManifest manifest;

    ServiceMonitorRegistration(ServiceMonitor serviceMonitor, KubernetesManifest manifest) {
        this.serviceMonitor = serviceMonitor;
        this.manifest = manifest;
    }

    public ServiceMonitor getServiceMonitor() {
        return serviceMonitor;
    }

    public KubernetesManifest getManifest() {
        return manifest;
    }
}
