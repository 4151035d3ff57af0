package dev.o11ycdk.app;

import dev.o11ycdk.core.Suppressions;
import software.amazon.awscdk.CfnCondition;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.eks_v2.Cluster;
import software.amazon.awscdk.services.lambda.CfnFunction;
import software.constructs.IConstruct;

/** The cdk-nag and cfn-guard findings on what aws-cdk-lib builds for the EKS layout, each with why it stays. */
final class EksFindings {
    private EksFindings() {
    }

    private static String managed(String name) {
        return "Policy::arn:<AWS::Partition>:iam::aws:policy/" + name;
    }

    /** On the cluster the app creates: its roles, its kubectl provider and the AWS Load Balancer Controller. */
    static void newCluster(Cluster owned) {
        kubectlProvider(owned);
        Suppressions.suppress(owned, true, Suppressions.CdkNag.of("AwsSolutions-IAM4", "The policies EKS documents for its "
                + "cluster role and managed node group role (worker, VPC CNI, ECR pull); AWS keeps them current with the service",
                managed("AmazonEKSClusterPolicy"), managed("AmazonEKSWorkerNodePolicy"), managed("AmazonEKS_CNI_Policy"),
                managed("AmazonEC2ContainerRegistryReadOnly")));
        IConstruct alb = owned.getAlbController();
        Suppressions.suppress(alb, true, Suppressions.CdkNag.of("AwsSolutions-IAM5", "The AWS Load Balancer Controller's "
                + "published IAM policy (kubernetes-sigs/aws-load-balancer-controller " + NewCluster.ALB_CONTROLLER.getVersion()
                + ", the same as aws-cdk-lib ships for " + AlbControllerPolicy.SHIPPED.getVersion() + "): it creates and tags load balancers, target groups and security groups whose names "
                + "it cannot know in advance, and its write actions are conditioned on the elbv2.k8s.aws/cluster tag",
                "Resource::*", "Resource::arn:<AWS::Partition>:ec2:*:*:security-group/*",
                "Resource::arn:<AWS::Partition>:elasticloadbalancing:*:*:loadbalancer/app/*/*",
                "Resource::arn:<AWS::Partition>:elasticloadbalancing:*:*:loadbalancer/net/*/*",
                "Resource::arn:<AWS::Partition>:elasticloadbalancing:*:*:targetgroup/*/*",
                "Resource::arn:<AWS::Partition>:elasticloadbalancing:*:*:listener/app/*/*/*",
                "Resource::arn:<AWS::Partition>:elasticloadbalancing:*:*:listener/net/*/*/*",
                "Resource::arn:<AWS::Partition>:elasticloadbalancing:*:*:listener-rule/app/*/*/*",
                "Resource::arn:<AWS::Partition>:elasticloadbalancing:*:*:listener-rule/net/*/*/*"));
    }

    /**
     * The Lambda function behind CDK's Custom::AWSCDKCfnJson, which the IAM roles for service accounts use to
     * write the cluster's OIDC issuer into their trust policy's condition keys.
     */
    static void cfnJsonHandler(Stack stack) {
        IConstruct provider = stack.getNode().tryFindChild("AWSCDKCfnUtilsProviderCustomResourceProvider");
        if (provider == null) {
            return;
        }
        Suppressions.suppress(provider.getNode().findChild("Handler"), false, Suppressions.CfnGuard.of("lambda_inside_vpc_check",
                "CDK's own singleton handler of Custom::AWSCDKCfnJson: it returns the JSON value it is given (the "
                        + "OIDC-issuer condition keys of the service-account roles' trust policies) and calls no API and no "
                        + "network at all; in the VPC it would only add a network interface and a security group."));
    }

    /** On aws-cdk-lib's kubectl provider under {@code scope} (ours, or the new cluster's). */
    static void kubectlProvider(IConstruct scope) {
        Stack stack = Stack.of(scope);
        String condition = null;
        String handler = null;
        for (IConstruct c : scope.getNode().findAll()) {
            if (c instanceof CfnCondition cc && c.getNode().getId().equals("HasEcrPublic")) {
                condition = stack.getLogicalId(cc);
            } else if (c instanceof CfnFunction fn && c.getNode().getPath().endsWith("KubectlProvider/Handler/Resource")) {
                handler = stack.getLogicalId(fn);
            }
        }
        if (condition == null || handler == null) {
            throw new IllegalStateException("aws-cdk-lib's kubectl provider changed shape under " + scope.getNode().getPath());
        }
        Suppressions.suppress(scope, true,
                Suppressions.CdkNag.of("AwsSolutions-IAM4", "The kubectl provider's policies as aws-cdk-lib attaches them: Lambda "
                        + "logs and VPC access, and ECR pull for OCI charts",
                        managed("AmazonEC2ContainerRegistryReadOnly"), managed("service-role/AWSLambdaBasicExecutionRole"),
                        managed("service-role/AWSLambdaVPCAccessExecutionRole"),
                        "Policy::{\"Fn::If\":[\"" + condition + "\",{\"Fn::Join\":[\"\",[\"arn:\","
                                + "{\"Ref\":\"AWS::Partition\"},\":iam::aws:policy/AmazonElasticContainerRegistryPublicReadOnly\"]]},"
                                + "{\"Ref\":\"AWS::NoValue\"}]}"),
                Suppressions.CdkNag.of("AwsSolutions-IAM5", "The custom-resource framework may invoke every version of the "
                        + "kubectl handler it owns (<handler ARN>:*), as aws-cdk-lib's Provider grants",
                        "Resource::<" + handler + ".Arn>:*"),
                Suppressions.CdkNag.of("AwsSolutions-L1", "The kubectl handler's Python runtime is chosen by aws-cdk-lib "
                        + "(Runtime.determineLatestPythonRuntime) to match the handler code it ships"));
    }
}
