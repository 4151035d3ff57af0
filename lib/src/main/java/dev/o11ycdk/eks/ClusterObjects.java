package dev.o11ycdk.eks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.eks_v2.HelmChart;
import software.amazon.awscdk.services.eks_v2.ICluster;
import software.amazon.awscdk.services.eks_v2.KubernetesManifest;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.constructs.Construct;
import static dev.o11ycdk.config.Rendering.ordered;

/**
 * How {@link KubePrometheusStack}'s parts put things into the cluster: manifests, Helm releases and
 * Pod Identity roles, each made directly in the scope it is given (the construct's own ids are its
 * resources' logical ids).
 */
final class ClusterObjects {
    private ClusterObjects() {
    }

    static KubernetesManifest manifest(Construct scope, ICluster cluster, String id, Map<?, ?>... objects) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Map<?, ?> o : objects) {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) o;
            list.add(m);
        }
        return KubernetesManifest.Builder.create(scope, id).cluster(cluster).manifest(list).overwrite(true).build();
    }

    static HelmChart chart(Construct scope, ICluster cluster, String id, String chart, String repository, String version,
                           String release, String namespace, Map<String, Object> values) {
        return HelmChart.Builder.create(scope, id)
                .cluster(cluster)
                .chart(chart)
                .repository(repository)
                .version(version)
                .release(release)
                .namespace(namespace)
                .createNamespace(true)
                // Seed 004's Pending PVCs and CrashLoopBackOffs failed nothing: waiting makes them fail the deployment.
                .wait(true)
                // Below the kubectl handler's own 15-minute limit, so Helm reports why before the Lambda is stopped.
                .timeout(Duration.minutes(10))
                .values(values)
                .build();
    }

    static Role podRole(Construct scope, ICluster cluster, String id, String description) {
        // Only this cluster's pods, in this account, may take the role (EKS Pod Identity's confused-deputy conditions).
        Map<String, Object> conditions = new LinkedHashMap<>();
        conditions.put("StringEquals", ordered("aws:SourceAccount", Stack.of(scope).getAccount()));
        conditions.put("ArnEquals", ordered("aws:SourceArn", cluster.getClusterArn()));
        return Role.Builder.create(scope, id)
                .assumedBy(new ServicePrincipal("pods.eks.amazonaws.com").withConditions(conditions).withSessionTags())
                .description(description)
                .build();
    }

    /** A container's requests (CPU and memory) and its memory limit, the shape every chart here takes. */
    static Map<String, Object> resources(String cpu, int requestMiB, int limitMiB) {
        return ordered("requests", ordered("cpu", cpu, "memory", requestMiB + "Mi"), "limits", ordered("memory", limitMiB + "Mi"));
    }
}
