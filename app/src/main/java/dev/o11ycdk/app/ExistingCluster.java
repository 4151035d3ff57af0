package dev.o11ycdk.app;

import java.util.List;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.eks_v2.AccessEntry;
import software.amazon.awscdk.services.eks_v2.AccessPolicy;
import software.amazon.awscdk.services.eks_v2.AccessPolicyNameOptions;
import software.amazon.awscdk.services.eks_v2.AccessScopeType;
import software.amazon.awscdk.services.eks_v2.Cluster;
import software.amazon.awscdk.services.eks_v2.ClusterAttributes;
import software.amazon.awscdk.services.eks_v2.ICluster;
import software.amazon.awscdk.services.eks_v2.KubectlProvider;
import software.amazon.awscdk.services.eks_v2.KubectlProviderProps;
import software.amazon.awscdk.services.lambda.ILayerVersion;

/**
 * An existing cluster by name (seed 004's team had one): our own kubectl provider, in the VPC's
 * private subnets when the VPC is given, admitted by an access entry. Made in the stack itself, as
 * ExistingCluster, KubectlProvider, KubectlAccess and Cluster (the import that carries the provider).
 */
final class ExistingCluster {
    private ExistingCluster() {
    }

    static EksCluster create(Stack stack, Settings s, ILayerVersion kubectlLayer) {
        EksSettings e = s.eks();
        IVpc vpc = s.vpcId() != null ? Network.vpc(stack, s) : null;
        ClusterAttributes.Builder attrs = ClusterAttributes.builder().clusterName(e.clusterName());
        if (vpc != null) {
            attrs.vpc(vpc);
        }
        ICluster existing = Cluster.fromClusterAttributes(stack, "ExistingCluster", attrs.build());
        KubectlProviderProps.Builder pb = KubectlProviderProps.builder().cluster(existing).kubectlLayer(kubectlLayer);
        if (vpc != null) {
            // In the VPC's private subnets, so a private endpoint is reachable; admitted by the cluster's group.
            SecurityGroup kubectlGroup = EksCluster.kubectlGroup(stack, vpc);
            pb.privateSubnets(vpc.getPrivateSubnets()).securityGroups(List.of(kubectlGroup));
            if (e.clusterSecurityGroupId() != null) {
                SecurityGroup.fromSecurityGroupId(stack, "ExistingClusterSecurityGroup", e.clusterSecurityGroupId())
                        .addIngressRule(kubectlGroup, Port.tcp(443), "o11y-cdk kubectl provider to the cluster endpoint");
            } else {
                Annotations.of(stack).addWarningV2("@o11y-cdk/eks:kubectlIngress", "eksClusterSecurityGroupId is empty: "
                        + "allow HTTPS (443) from the KubectlProviderSecurityGroup to cluster " + e.clusterName()
                        + "'s endpoint yourself, or set it and the stack adds the rule");
            }
        } else {
            Annotations.of(stack).addWarningV2("@o11y-cdk/eks:kubectlOutsideVpc", "vpcId is empty: the kubectl provider "
                    + "runs outside any VPC, so cluster " + e.clusterName() + " needs a public endpoint that admits AWS "
                    + "Lambda; set vpcId and its subnets to reach a private endpoint from inside");
        }
        KubectlProvider provider = new KubectlProvider(stack, "KubectlProvider", pb.build());
        EksFindings.kubectlProvider(provider);
        AccessEntry access = AccessEntry.Builder.create(stack, "KubectlAccess")
                .cluster(existing)
                .principal(provider.getRole().getRoleArn())
                .accessPolicies(List.of(AccessPolicy.fromAccessPolicyName("AmazonEKSClusterAdminPolicy",
                        AccessPolicyNameOptions.builder().accessScopeType(AccessScopeType.CLUSTER).build())))
                .build();
        ICluster cluster = Cluster.fromClusterAttributes(stack, "Cluster", ClusterAttributes.builder()
                .clusterName(e.clusterName()).kubectlProvider(provider).vpc(vpc).build());
        return new EksCluster(cluster, null, access);
    }
}
