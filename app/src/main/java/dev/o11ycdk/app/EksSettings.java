package dev.o11ycdk.app;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.services.ec2.InstanceType;

/** Settings of the EKS layout, read with the others by {@link Settings#from}. */
public record EksSettings(
        String clusterName,
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
        int logGiBPerDay) {

    /**
     * End of EKS standard support per Kubernetes minor version (AWS's release calendar); after it a
     * cluster costs six times as much ($0.60 instead of $0.10 an hour) in extended support.
     */
    static final Map<String, LocalDate> STANDARD_SUPPORT_ENDS = supportCalendar();

    private static Map<String, LocalDate> supportCalendar() {
        Map<String, LocalDate> m = new LinkedHashMap<>();
        m.put("1.29", LocalDate.of(2025, 3, 23));
        m.put("1.30", LocalDate.of(2025, 7, 23));
        m.put("1.31", LocalDate.of(2025, 11, 26));
        m.put("1.32", LocalDate.of(2026, 3, 23));
        m.put("1.33", LocalDate.of(2026, 7, 29));
        m.put("1.34", LocalDate.of(2026, 12, 2));
        m.put("1.35", LocalDate.of(2027, 3, 27));
        return m;
    }

    /** The Kubernetes versions aws-cdk-lib 2.263's eks_v2 module names. */
    static final List<String> KUBERNETES_VERSIONS = List.of("1.29", "1.30", "1.31", "1.32", "1.33", "1.34", "1.35", "1.36");

    static EksSettings from(Context c) {
        String name = c.optional("eksClusterName");
        if (name != null && !name.matches("[0-9A-Za-z][A-Za-z0-9\\-_]{0,99}")) {
            throw c.bad("eksClusterName", "an EKS cluster name has 1-100 letters, digits, '-' and '_', starting with a letter or digit");
        }
        String version = c.string("eksKubernetesVersion");
        if (!KUBERNETES_VERSIONS.contains(version)) {
            throw c.bad("eksKubernetesVersion", "EKS versions this build knows: " + String.join(", ", KUBERNETES_VERSIONS));
        }
        String layer = c.string("eksKubectlLayerVersion");
        if (!layer.matches("1\\.\\d{2}")) {
            throw c.bad("eksKubectlLayerVersion", "the kubectl minor version of a cdk-lambda-layer-kubectl artifact, e.g. 1.32");
        }
        if (KubectlLayers.className(layer) == null) {
            throw c.bad("eksKubectlLayerVersion", "software.amazon.awscdk:cdk-lambda-layer-kubectl-v" + layer.substring(2)
                    + " is not on the app's classpath; add it to app/pom.xml (this build has " + KubectlLayers.available() + ")");
        }
        String instanceType = c.string("eksNodeInstanceType");
        if (!instanceType.matches("[a-z][a-z0-9-]*\\.(nano|micro|small|medium|large|metal|[0-9]*xlarge)")) {
            throw c.bad("eksNodeInstanceType", "not an EC2 instance type such as t3.large");
        }
        new InstanceType(instanceType);
        int min = c.integer("eksNodeMinSize", 1, 450);
        int desired = c.integer("eksNodeDesiredSize", 1, 450);
        int max = c.integer("eksNodeMaxSize", 1, 450);
        if (desired < min) {
            throw Context.bad("eksNodeDesiredSize", desired, "is below eksNodeMinSize " + min);
        }
        if (max < desired) {
            throw Context.bad("eksNodeMaxSize", max, "is below eksNodeDesiredSize " + desired);
        }
        List<String> cidrs = c.list("eksPublicEndpointCidrs");
        cidrs.forEach(cidr -> Context.checkEntry("eksPublicEndpointCidrs", cidr,
                () -> dev.o11ycdk.config.Check.ipv4Cidr("eksPublicEndpointCidrs", cidr)));
        if (cidrs.contains("0.0.0.0/0")) {
            throw Context.badEntry("eksPublicEndpointCidrs", "0.0.0.0/0", "opens the Kubernetes API to the internet; name your "
                    + "office or VPN ranges, or leave the list empty for a private endpoint");
        }
        for (String k : List.of("kubePrometheusStackVersion", "lokiVersion", "alloyVersion", "externalSecretsVersion")) {
            if (!c.string(k).matches("\\d+\\.\\d+\\.\\d+")) {
                throw c.bad(k, "pin an exact chart version such as 1.2.3 (no ranges, no 'latest')");
            }
        }
        return new EksSettings(name, version, layer, instanceType, min, desired, max, cidrs,
                c.string("kubePrometheusStackVersion"), c.string("lokiVersion"), c.string("alloyVersion"),
                c.string("externalSecretsVersion"), c.integer("eksLogRetentionDays", 1, 3650), c.integer("eksLogGiBPerDay", 1, 10_000));
    }

    /** The day EKS standard support of the version ends, or null when this build does not know it. */
    LocalDate standardSupportEnds() {
        return STANDARD_SUPPORT_ENDS.get(kubernetesVersion);
    }

    /** Minor versions between the kubectl layer and the cluster (kubectl supports one either way). */
    int kubectlSkew() {
        return Math.abs(Integer.parseInt(kubernetesVersion.substring(2)) - Integer.parseInt(kubectlLayerVersion.substring(2)));
    }
}
