package dev.o11ycdk.app;

import dev.o11ycdk.core.PrometheusSizing;
import dev.o11ycdk.core.SupportCalendar;
import dev.o11ycdk.eks.KubePrometheusStack;
import dev.o11ycdk.eks.KubePrometheusStackProps;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.services.ec2.InstanceType;

/** Settings of the EKS layout, read with the others by {@link Settings#from}. */
public record EksSettings(
        String clusterName,
        String clusterSecurityGroupId,
        String kubernetesVersion,
        String kubectlLayerVersion,
        String nodeInstanceType,
        int nodeMinSize,
        int nodeDesiredSize,
        int nodeMaxSize,
        List<String> publicEndpointCidrs,
        String kubePrometheusStackVersion,
        String lokiVersion,
        String alloyVersion,
        String externalSecretsVersion,
        int logRetentionDays,
        int logGiBPerDay,
        boolean installEbsCsiDriver,
        LocalDate today,
        String ssmParameterPrefix) {

    /** The Kubernetes versions aws-cdk-lib 2.263's eks_v2 module names. */
    static final List<String> KUBERNETES_VERSIONS = List.of("1.29", "1.30", "1.31", "1.32", "1.33", "1.34", "1.35", "1.36");

    /** cdk.json's default, the support calendar's recommended version. */
    static final String RECOMMENDED_VERSION = SupportCalendar.standard().recommended("eks-kubernetes");

    /** EKS's limit on a managed node group's size (its default service quota, nodes per group). */
    static final int MAX_NODES = 450;

    /** EKS's limit on public endpoint CIDR blocks per cluster. */
    static final int MAX_PUBLIC_CIDRS = 40;

    /** @param today the day the support calendar is read for ({@link SupportChecks#today}) */
    static EksSettings from(Context c, LocalDate today) {
        String name = c.optional("eksClusterName");
        if (name != null && !name.matches("[0-9A-Za-z][A-Za-z0-9\\-_]{0,99}")) {
            throw c.bad("eksClusterName", "an EKS cluster name has 1-100 letters, digits, '-' and '_', starting with a letter or digit");
        }
        String version = minorVersion(c, "eksKubernetesVersion", RECOMMENDED_VERSION);
        if (!KUBERNETES_VERSIONS.contains(version)) {
            throw c.bad("eksKubernetesVersion", "not a Kubernetes version of EKS this build knows (" + String.join(", ", KUBERNETES_VERSIONS)
                    + ")");
        }
        String layer = minorVersion(c, "eksKubectlLayerVersion", "1.32");
        if (KubectlLayers.className(layer) == null) {
            throw c.bad("eksKubectlLayerVersion", "software.amazon.awscdk:cdk-lambda-layer-kubectl-v" + layer.substring(2)
                    + " is not on the app's classpath; add it to app/pom.xml (this build has " + KubectlLayers.available() + ")");
        }
        String instanceType = c.string("eksNodeInstanceType");
        if (!instanceType.matches("[a-z][a-z0-9-]*\\.(nano|micro|small|medium|large|metal|[0-9]*xlarge)")) {
            throw c.bad("eksNodeInstanceType", "not an EC2 instance type such as t3.large");
        }
        int min = c.integer("eksNodeMinSize", 1, MAX_NODES);
        int desired = c.integer("eksNodeDesiredSize", 1, MAX_NODES);
        int max = c.integer("eksNodeMaxSize", 1, MAX_NODES);
        if (min > desired) {
            throw Context.bad("eksNodeMinSize", min, "is above eksNodeDesiredSize " + desired + "; a node group needs "
                    + "eksNodeMinSize <= eksNodeDesiredSize <= eksNodeMaxSize");
        }
        if (max < desired) {
            throw Context.bad("eksNodeMaxSize", max, "is below eksNodeDesiredSize " + desired + "; a node group needs "
                    + "eksNodeMinSize <= eksNodeDesiredSize <= eksNodeMaxSize");
        }
        List<String> cidrs = c.list("eksPublicEndpointCidrs");
        cidrs.forEach(cidr -> Context.checkEntry("eksPublicEndpointCidrs", cidr,
                () -> dev.o11ycdk.config.Check.ipv4Cidr("eksPublicEndpointCidrs", cidr)));
        if (cidrs.contains("0.0.0.0/0")) {
            throw Context.badEntry("eksPublicEndpointCidrs", "0.0.0.0/0", "opens the Kubernetes API to the internet; name your "
                    + "office or VPN ranges, or leave the list empty for a private endpoint");
        }
        for (String cidr : cidrs) {
            if (cidrs.indexOf(cidr) != cidrs.lastIndexOf(cidr)) {
                throw Context.badEntry("eksPublicEndpointCidrs", cidr, "appears more than once");
            }
        }
        if (cidrs.size() > MAX_PUBLIC_CIDRS) {
            throw c.bad("eksPublicEndpointCidrs", "has " + cidrs.size() + " blocks; EKS takes at most " + MAX_PUBLIC_CIDRS);
        }
        if (name != null && !cidrs.isEmpty()) {
            throw c.bad("eksPublicEndpointCidrs", "applies to the cluster this app creates; eksClusterName '" + name + "' is an "
                    + "existing cluster whose endpoint is set where it was made: leave eksPublicEndpointCidrs empty");
        }
        List<String> charts = List.of("kubePrometheusStackVersion", "lokiVersion", "alloyVersion", "externalSecretsVersion");
        for (String k : charts) {
            if (!c.string(k).matches("\\d+\\.\\d+\\.\\d+")) {
                throw c.bad(k, "pin an exact chart version such as " + DEFAULT_CHARTS.get(k) + " (no 'v', no ranges, no 'latest')");
            }
        }
        int logDays = c.integer("eksLogRetentionDays", 1, PrometheusSizing.MAX_RETENTION_DAYS);
        int logGiBPerDay = c.integer("eksLogGiBPerDay", 1, 10_000);
        c.check("eksLogGiBPerDay", () -> KubePrometheusStack.lokiVolumeGiB(logDays, logGiBPerDay));
        String clusterGroup = c.optional("eksClusterSecurityGroupId");
        if (clusterGroup != null && !clusterGroup.matches("sg-[0-9a-f]{8,17}")) {
            throw c.bad("eksClusterSecurityGroupId", "not a security group id such as sg-0123abcd");
        }
        if (clusterGroup != null && name == null) {
            throw c.bad("eksClusterSecurityGroupId", "the security group of an existing cluster: set eksClusterName too, or leave it "
                    + "empty (a new cluster's group is the stack's own)");
        }
        return new EksSettings(name, clusterGroup, version, layer, instanceType, min, desired, max, cidrs,
                c.string("kubePrometheusStackVersion"), c.string("lokiVersion"), c.string("alloyVersion"),
                c.string("externalSecretsVersion"), logDays, logGiBPerDay, c.bool("eksInstallEbsCsiDriver"), today,
                FargateSettings.ssmParameterPrefix(c, "eksSsmParameterPrefix", KubePrometheusStack.DEFAULT_SSM_PREFIX));
    }

    /** The chart versions this build's values are written for (cdk.json's defaults), shown as examples. */
    static final Map<String, String> DEFAULT_CHARTS = Map.of(
            "kubePrometheusStackVersion", KubePrometheusStackProps.KUBE_PROMETHEUS_STACK_VERSION,
            "lokiVersion", KubePrometheusStackProps.LOKI_VERSION,
            "alloyVersion", KubePrometheusStackProps.ALLOY_VERSION,
            "externalSecretsVersion", KubePrometheusStackProps.EXTERNAL_SECRETS_VERSION);

    /**
     * A Kubernetes minor version such as 1.35, as a string. Unquoted in cdk.json it is a JSON number,
     * and 1.30 reads as 1.3: the message says to quote it.
     */
    private static String minorVersion(Context c, String key, String example) {
        String v = c.string(key);
        if (c.raw(key) instanceof Number && !v.matches("1\\.\\d{2}")) {
            throw c.bad(key, "write the version as a string, \"" + example + "\" (a JSON number loses trailing zeros: 1.30 reads as 1.3)");
        }
        if (!v.matches("1\\.\\d{2}")) {
            throw c.bad(key, "must be a Kubernetes minor version such as " + example + " (no 'v', no patch)");
        }
        return v;
    }

    /**
     * The day EKS standard support of the version ends (then a cluster costs six times as much,
     * $0.60 instead of $0.10 an hour, in extended support), or null when the support calendar does
     * not know the version.
     */
    LocalDate standardSupportEnds() {
        SupportCalendar.Line line = SupportCalendar.standard().component("eks-kubernetes").lineOf(kubernetesVersion);
        return line == null ? null : line.extendedFrom();
    }

    /** Minor versions between the kubectl layer and the cluster (kubectl supports one either way). */
    int kubectlSkew() {
        return Math.abs(Integer.parseInt(kubernetesVersion.substring(2)) - Integer.parseInt(kubectlLayerVersion.substring(2)));
    }
}
