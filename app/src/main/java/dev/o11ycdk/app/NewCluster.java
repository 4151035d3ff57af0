package dev.o11ycdk.app;

import dev.o11ycdk.core.KeyPolicies;
import java.util.List;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.InstanceArchitecture;
import software.amazon.awscdk.services.ec2.InstanceType;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.eks_v2.AlbControllerOptions;
import software.amazon.awscdk.services.eks_v2.AlbControllerVersion;
import software.amazon.awscdk.services.eks_v2.Cluster;
import software.amazon.awscdk.services.eks_v2.ClusterLoggingTypes;
import software.amazon.awscdk.services.eks_v2.DefaultCapacityType;
import software.amazon.awscdk.services.eks_v2.EndpointAccess;
import software.amazon.awscdk.services.eks_v2.KubectlProviderOptions;
import software.amazon.awscdk.services.eks_v2.KubernetesVersion;
import software.amazon.awscdk.services.eks_v2.Nodegroup;
import software.amazon.awscdk.services.eks_v2.NodegroupAmiType;
import software.amazon.awscdk.services.eks_v2.NodegroupOptions;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.lambda.ILayerVersion;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;

/**
 * The cluster the app creates: private endpoint, every control-plane log type, Secrets encrypted
 * with a customer-managed key, a managed node group in the private subnets, the AWS Load Balancer
 * Controller. Made in the stack itself, as ClusterSecretsKey, ControlPlaneLogs, Cluster and its Nodes.
 */
final class NewCluster {
    /**
     * The AWS Load Balancer Controller the new cluster gets: the latest minor, the only one upstream
     * fixes, with the IAM policy aws-cdk-lib ships for v3.2.2 (the same from v3.2.2 to v3.5.0).
     */
    static final AlbControllerVersion ALB_CONTROLLER = AlbControllerVersion.of("v3.5.0", "3.5.0");

    private NewCluster() {
    }

    static EksCluster create(Stack stack, Settings s, ILayerVersion kubectlLayer) {
        EksSettings e = s.eks();
        IVpc vpc = Network.vpc(stack, s);
        Key secretsKey = Key.Builder.create(stack, "ClusterSecretsKey")
                .description("o11y-cdk: envelope encryption of the EKS cluster's Kubernetes Secrets")
                .enableKeyRotation(true)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        // EKS creates its grant on the key through the service (CT.KMS.PR.3): nobody else may hand out its use.
        KeyPolicies.grantsOnlyForAwsServices(secretsKey);
        // The kubectl provider's Lambda functions run in the private subnets (the endpoint is private) with a
        // security group of their own: HTTPS out only, and the control plane admits them on 443. Without it
        // aws-cdk-lib puts them into the cluster security group, which reaches every node and pod.
        SecurityGroup kubectlGroup = EksCluster.kubectlGroup(stack, vpc);
        // EKS writes the control-plane logs to /aws/eks/<name>/cluster, a group it creates without expiry and
        // that outlives the stack: made here first (a named cluster), it is kept a year and encrypted like the rest.
        String clusterName = stack.getStackName() + "-cluster";
        LogGroup controlPlaneLogs = LogGroup.Builder.create(stack, "ControlPlaneLogs")
                .logGroupName("/aws/eks/" + clusterName + "/cluster")
                .retention(RetentionDays.ONE_YEAR)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        Cluster owned = Cluster.Builder.create(stack, "Cluster")
                .clusterName(clusterName)
                .version(KubernetesVersion.of(e.kubernetesVersion()))
                .vpc(vpc)
                .vpcSubnets(List.of(SubnetSelection.builder().subnetType(SubnetType.PRIVATE_WITH_EGRESS).build()))
                .defaultCapacityType(DefaultCapacityType.NODEGROUP)
                .defaultCapacity(0)
                .endpointAccess(e.publicEndpointCidrs().isEmpty() ? EndpointAccess.PRIVATE
                        : EndpointAccess.PUBLIC_AND_PRIVATE.onlyFrom(e.publicEndpointCidrs().toArray(String[]::new)))
                .clusterLogging(List.of(ClusterLoggingTypes.API, ClusterLoggingTypes.AUDIT, ClusterLoggingTypes.AUTHENTICATOR,
                        ClusterLoggingTypes.CONTROLLER_MANAGER, ClusterLoggingTypes.SCHEDULER))
                .secretsEncryptionKey(secretsKey)
                .kubectlProviderOptions(KubectlProviderOptions.builder().kubectlLayer(kubectlLayer)
                        .securityGroups(List.of(kubectlGroup)).build())
                .albController(AlbControllerOptions.builder().version(ALB_CONTROLLER).policy(AlbControllerPolicy.shipped()).build())
                .build();
        boolean arm = new InstanceType(e.nodeInstanceType()).getArchitecture() == InstanceArchitecture.ARM_64;
        Nodegroup nodes = owned.addNodegroupCapacity("Nodes", NodegroupOptions.builder()
                .instanceTypes(List.of(new InstanceType(e.nodeInstanceType())))
                .amiType(arm ? NodegroupAmiType.AL2023_ARM_64_STANDARD : NodegroupAmiType.AL2023_X86_64_STANDARD)
                .minSize(e.nodeMinSize())
                .desiredSize(e.nodeDesiredSize())
                .maxSize(e.nodeMaxSize())
                .subnets(SubnetSelection.builder().subnetType(SubnetType.PRIVATE_WITH_EGRESS).build())
                .build());
        owned.getConnections().allowFrom(kubectlGroup, Port.tcp(443), "The kubectl provider to the cluster endpoint");
        owned.getNode().addDependency(controlPlaneLogs);
        EksFindings.newCluster(owned);
        return new EksCluster(owned, nodes, null);
    }
}
