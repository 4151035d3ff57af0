package dev.o11ycdk.eks;

import dev.o11ycdk.core.ScrapeOptions;
import java.util.Map;
import software.amazon.awscdk.services.eks_v2.ICluster;
import software.constructs.Construct;
import software.constructs.IConstruct;

/**
 * What a service team's stack needs of the platform on EKS, whether it is the live
 * {@link KubePrometheusStack} of the same app or one imported with {@link KubePrometheusStack#fromSsm}:
 * the cluster (with the kubectl provider that applies manifests to it), the platform's environment,
 * and how to opt a Service in. The platform's Prometheus selects every ServiceMonitor of the cluster
 * while it runs, so opting in changes only the team's stack: the platform's chart values and
 * template stay as they are.
 */
public interface IKubePrometheusStack extends IConstruct {
    /** The platform's cluster, with its kubectl provider. */
    ICluster getCluster();

    /** The {@code env} label of a service that does not name its own. */
    String getEnvironment();

    /**
     * Opts a Kubernetes Service in, in one call: a {@code ServiceMonitor} in the Service's namespace,
     * made in {@code scope}'s stack through the cluster's kubectl provider, that selects the Service by
     * {@code serviceLabels} and scrapes its pods' container port {@code options.port} at the metrics
     * path, with the {@code service}, {@code job}, {@code env} and {@code team} labels of every
     * layout. Prometheus scrapes it within about a minute of the monitor's apply (the operator's
     * reload, then one scrape interval). Pods need no network rule: the layout runs no network
     * policy, and Prometheus reaches every pod of the cluster.
     *
     * @param namespace     the Service's namespace (the monitor goes there)
     * @param serviceLabels labels the Service carries (its metadata.labels), every one of which it must match
     */
    default ServiceMonitorRegistration scrape(Construct scope, String namespace, Map<String, String> serviceLabels,
                                              ScrapeOptions options) {
        return KubernetesScraping.register(this, scope, namespace, serviceLabels, options);
    }
}
