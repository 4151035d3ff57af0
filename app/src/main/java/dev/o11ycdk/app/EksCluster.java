package dev.o11ycdk.app;

import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.Peer;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.eks_v2.AccessEntry;
import software.amazon.awscdk.services.eks_v2.ICluster;
import software.amazon.awscdk.services.eks_v2.Nodegroup;
import software.constructs.Construct;

/**
 * The cluster {@link EksStack} installs the platform on, from {@link NewCluster} or
 * {@link ExistingCluster}, with what the charts must wait for.
 *
 * @param nodes  the node group the add-on and the charts run on; null on an existing cluster, whose nodes its owner runs
 * @param access the access entry admitting our own kubectl provider; null on a new cluster, whose provider is its creator
 */
record EksCluster(ICluster cluster, Nodegroup nodes, AccessEntry access) {

    /** The kubectl provider's security group on either path: HTTPS out only. */
    static SecurityGroup kubectlGroup(Construct scope, IVpc vpc) {
        SecurityGroup group = SecurityGroup.Builder.create(scope, "KubectlProviderSecurityGroup")
                .vpc(vpc)
                .description("o11y-cdk: kubectl provider Lambda functions (Helm releases and manifests into the cluster)")
                .allowAllOutbound(false)
                .build();
        group.addEgressRule(Peer.anyIpv4(), Port.tcp(443), "HTTPS: the cluster endpoint, the EKS and STS APIs, "
                + "Helm chart repositories");
        return group;
    }
}
