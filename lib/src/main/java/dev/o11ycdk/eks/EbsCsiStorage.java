package dev.o11ycdk.eks;

import dev.o11ycdk.core.Suppressions;
import java.util.List;
import software.amazon.awscdk.services.eks.CfnAddon;
import software.amazon.awscdk.services.eks_v2.Cluster;
import software.amazon.awscdk.services.eks_v2.ICluster;
import software.amazon.awscdk.services.eks_v2.KubernetesManifest;
import software.amazon.awscdk.services.iam.ManagedPolicy;
import software.amazon.awscdk.services.iam.Role;
import software.constructs.IConstruct;
import software.constructs.Construct;
import static dev.o11ycdk.config.Rendering.ordered;

/**
 * Seed 004, problems 9 and 10: the EBS CSI driver as an add-on with its own Pod Identity role, and
 * an encrypted gp3 StorageClass every claim of the charts uses. Made in {@code scope}, as
 * EbsCsiRole, EbsCsiDriver and Gp3StorageClass.
 */
final class EbsCsiStorage {
    private final Role role;
    private final KubernetesManifest storageClass;

    EbsCsiStorage(Construct scope, ICluster cluster, String storageClassName, boolean installDriver, boolean defaultClass) {
        this.role = ClusterObjects.podRole(scope, cluster, "EbsCsiRole", "o11y-cdk: EBS CSI driver controller (Pod Identity)");
        role.addManagedPolicy(ManagedPolicy.fromAwsManagedPolicyName("service-role/AmazonEBSCSIDriverPolicy"));
        Suppressions.suppress(role, true, Suppressions.CdkNag.of("AwsSolutions-IAM4",
                "AmazonEBSCSIDriverPolicy is the policy AWS maintains for the EBS CSI driver add-on, scoped by its own tag conditions",
                "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy"));
        IConstruct storageReady;
        if (installDriver) {
            CfnAddon ebs = CfnAddon.Builder.create(scope, "EbsCsiDriver")
                    .clusterName(cluster.getClusterName())
                    .addonName("aws-ebs-csi-driver")
                    .resolveConflicts("OVERWRITE")
                    .podIdentityAssociations(List.of(CfnAddon.PodIdentityAssociationProperty.builder()
                            .serviceAccount("ebs-csi-controller-sa").roleArn(role.getRoleArn()).build()))
                    .build();
            if (cluster instanceof Cluster owned) {
                ebs.getNode().addDependency(owned.getEksPodIdentityAgent());
            }
            storageReady = ebs;
        } else {
            storageReady = role;
        }
        this.storageClass = ClusterObjects.manifest(scope, cluster, "Gp3StorageClass", ordered(
                "apiVersion", "storage.k8s.io/v1",
                "kind", "StorageClass",
                "metadata", ordered("name", storageClassName,
                        "annotations", ordered("storageclass.kubernetes.io/is-default-class", String.valueOf(defaultClass))),
                "provisioner", "ebs.csi.aws.com",
                "parameters", ordered("type", "gp3", "encrypted", "true", "csi.storage.k8s.io/fstype", "ext4"),
                // A deleted claim (or stack) keeps its EBS volume: the TSDB and Grafana's database are state.
                "reclaimPolicy", "Retain",
                "allowVolumeExpansion", true,
                // Bound where the pod is scheduled, so a volume is never in another zone than its pod.
                "volumeBindingMode", "WaitForFirstConsumer"));
        storageClass.getNode().addDependency(storageReady);
    }

    /** The driver controller's role. */
    Role role() {
        return role;
    }

    /** The StorageClass, ready once the driver (or, when the cluster has its own, the role) is. */
    KubernetesManifest storageClass() {
        return storageClass;
    }
}
