package dev.o11ycdk.app;

import dev.o11ycdk.core.KeyPolicies;
import dev.o11ycdk.eks.KubePrometheusStack;
import dev.o11ycdk.eks.KubePrometheusStackProps;
import java.util.List;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.CfnCondition;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.certificatemanager.Certificate;
import software.amazon.awscdk.services.certificatemanager.CertificateValidation;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.InstanceArchitecture;
import software.amazon.awscdk.services.ec2.InstanceType;
import software.amazon.awscdk.services.ec2.Peer;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.eks_v2.AccessEntry;
import software.amazon.awscdk.services.eks_v2.AccessPolicy;
import software.amazon.awscdk.services.eks_v2.AccessPolicyNameOptions;
import software.amazon.awscdk.services.eks_v2.AccessScopeType;
import software.amazon.awscdk.services.eks_v2.AlbControllerOptions;
import software.amazon.awscdk.services.eks_v2.AlbControllerVersion;
import software.amazon.awscdk.services.eks_v2.Cluster;
import software.amazon.awscdk.services.eks_v2.ClusterAttributes;
import software.amazon.awscdk.services.eks_v2.ClusterLoggingTypes;
import software.amazon.awscdk.services.eks_v2.DefaultCapacityType;
import software.amazon.awscdk.services.eks_v2.EndpointAccess;
import software.amazon.awscdk.services.eks_v2.ICluster;
import software.amazon.awscdk.services.eks_v2.KubectlProvider;
import software.amazon.awscdk.services.eks_v2.KubectlProviderOptions;
import software.amazon.awscdk.services.eks_v2.KubectlProviderProps;
import software.amazon.awscdk.services.eks_v2.KubernetesVersion;
import software.amazon.awscdk.services.eks_v2.Nodegroup;
import software.amazon.awscdk.services.eks_v2.NodegroupAmiType;
import software.amazon.awscdk.services.eks_v2.NodegroupOptions;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.lambda.CfnFunction;
import software.amazon.awscdk.services.lambda.ILayerVersion;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.route53.IHostedZone;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.constructs.Construct;
import software.constructs.IConstruct;

/**
 * Layout 3: the platform on EKS. A new cluster (private endpoint, every control-plane log type,
 * secrets encrypted with a customer-managed key, a managed node group in the private subnets, the
 * AWS Load Balancer Controller), or an existing one by name; then {@link KubePrometheusStack} with
 * the same settings as the other layouts.
 */
public class EksStack extends LayoutStack {
    /** The AWS Load Balancer Controller the new cluster gets (its IAM policy ships with aws-cdk-lib). */
    static final AlbControllerVersion ALB_CONTROLLER = AlbControllerVersion.V2_17_1;

    private final ICluster cluster;
    private final Nodegroup nodes;
    private final KubePrometheusStack monitoring;

    public EksStack(Construct scope, String id, StackProps props, Settings s) {
        super(scope, id, props, s);
        EksSettings e = s.eks();
        FargateSettings f = s.fargate();
        AlertingSettings a = s.alerting();
        IHostedZone zone = Network.zone(this, s);
        ILayerVersion layer = KubectlLayers.create(this, "KubectlLayer", e.kubectlLayerVersion());
        Construct accessReady = null;

        if (e.clusterName() == null) {
            IVpc vpc = Network.vpc(this, s);
            Key secretsKey = Key.Builder.create(this, "ClusterSecretsKey")
                    .description("o11y-cdk: envelope encryption of the EKS cluster's Kubernetes Secrets")
                    .enableKeyRotation(true)
                    .removalPolicy(RemovalPolicy.RETAIN)
                    .build();
            // EKS creates its grant on the key through the service (CT.KMS.PR.3): nobody else may hand out its use.
            KeyPolicies.grantsOnlyForAwsServices(secretsKey);
            // The kubectl provider's Lambda functions run in the private subnets (the endpoint is private) with a
            // security group of their own: HTTPS out only, and the control plane admits them on 443. Without it
            // aws-cdk-lib puts them into the cluster security group, which reaches every node and pod.
            SecurityGroup kubectlGroup = kubectlGroup(vpc);
            // EKS writes the control-plane logs to /aws/eks/<name>/cluster, a group it creates without expiry and
            // that outlives the stack: made here first (a named cluster), it is kept a year and encrypted like the rest.
            String clusterName = getStackName() + "-cluster";
            LogGroup controlPlaneLogs = LogGroup.Builder.create(this, "ControlPlaneLogs")
                    .logGroupName("/aws/eks/" + clusterName + "/cluster")
                    .retention(RetentionDays.ONE_YEAR)
                    .removalPolicy(RemovalPolicy.RETAIN)
                    .build();
            Cluster owned = Cluster.Builder.create(this, "Cluster")
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
                    .kubectlProviderOptions(KubectlProviderOptions.builder().kubectlLayer(layer)
                            .securityGroups(List.of(kubectlGroup)).build())
                    .albController(AlbControllerOptions.builder().version(ALB_CONTROLLER).build())
                    .build();
            boolean arm = new InstanceType(e.nodeInstanceType()).getArchitecture() == InstanceArchitecture.ARM_64;
            this.nodes = owned.addNodegroupCapacity("Nodes", NodegroupOptions.builder()
                    .instanceTypes(List.of(new InstanceType(e.nodeInstanceType())))
                    .amiType(arm ? NodegroupAmiType.AL2023_ARM_64_STANDARD : NodegroupAmiType.AL2023_X86_64_STANDARD)
                    .minSize(e.nodeMinSize())
                    .desiredSize(e.nodeDesiredSize())
                    .maxSize(e.nodeMaxSize())
                    .subnets(SubnetSelection.builder().subnetType(SubnetType.PRIVATE_WITH_EGRESS).build())
                    .build());
            owned.getConnections().allowFrom(kubectlGroup, Port.tcp(443), "The kubectl provider to the cluster endpoint");
            owned.getNode().addDependency(controlPlaneLogs);
            this.cluster = owned;
            suppressClusterFindings(owned);
        } else {
            // An existing cluster (seed 004's team had one): our own kubectl provider, admitted by an access entry.
            IVpc vpc = s.vpcId() != null ? Network.vpc(this, s) : null;
            ClusterAttributes.Builder attrs = ClusterAttributes.builder().clusterName(e.clusterName());
            if (vpc != null) {
                attrs.vpc(vpc);
            }
            ICluster existing = Cluster.fromClusterAttributes(this, "ExistingCluster", attrs.build());
            KubectlProviderProps.Builder pb = KubectlProviderProps.builder().cluster(existing).kubectlLayer(layer);
            if (vpc != null) {
                // In the VPC's private subnets, so a private endpoint is reachable; admitted by the cluster's group.
                SecurityGroup kubectlGroup = kubectlGroup(vpc);
                pb.privateSubnets(vpc.getPrivateSubnets()).securityGroups(List.of(kubectlGroup));
                if (e.clusterSecurityGroupId() != null) {
                    SecurityGroup.fromSecurityGroupId(this, "ExistingClusterSecurityGroup", e.clusterSecurityGroupId())
                            .addIngressRule(kubectlGroup, Port.tcp(443), "o11y-cdk kubectl provider to the cluster endpoint");
                } else {
                    Annotations.of(this).addWarningV2("@o11y-cdk/eks:kubectlIngress", "eksClusterSecurityGroupId is empty: "
                            + "allow HTTPS (443) from the KubectlProviderSecurityGroup to cluster " + e.clusterName()
                            + "'s endpoint yourself, or set it and the stack adds the rule");
                }
            } else {
                Annotations.of(this).addWarningV2("@o11y-cdk/eks:kubectlOutsideVpc", "vpcId is empty: the kubectl provider "
                        + "runs outside any VPC, so cluster " + e.clusterName() + " needs a public endpoint that admits AWS "
                        + "Lambda; set vpcId and its subnets to reach a private endpoint from inside");
            }
            KubectlProvider provider = new KubectlProvider(this, "KubectlProvider", pb.build());
            suppressKubectlProviderFindings(provider);
            accessReady = AccessEntry.Builder.create(this, "KubectlAccess")
                    .cluster(existing)
                    .principal(provider.getRole().getRoleArn())
                    .accessPolicies(List.of(AccessPolicy.fromAccessPolicyName("AmazonEKSClusterAdminPolicy",
                            AccessPolicyNameOptions.builder().accessScopeType(AccessScopeType.CLUSTER).build())))
                    .build();
            this.cluster = Cluster.fromClusterAttributes(this, "Cluster", ClusterAttributes.builder()
                    .clusterName(e.clusterName()).kubectlProvider(provider).vpc(vpc).build());
            this.nodes = null;
        }

        String certificateArn = s.certificateArn() != null ? s.certificateArn()
                : Certificate.Builder.create(this, "Certificate")
                        .domainName("*." + s.domainName())
                        .validation(CertificateValidation.fromDns(zone))
                        .build().getCertificateArn();
        KubePrometheusStackProps.Builder kb = KubePrometheusStackProps.builder()
                .cluster(cluster)
                .domainName(s.domainName())
                .certificateArn(certificateArn)
                .hostedZone(zone)
                .grafanaAllowedCidrs(s.allowedCidrs())
                .prometheusAllowedCidrs(s.prometheusAllowedCidrs())
                .environment(f.environment())
                .scrapeInterval(s.scrapeInterval())
                .retention(Duration.days(s.retentionDays()))
                .expectedActiveSeries(f.expectedActiveSeries() + KubePrometheusStack.clusterSeries(e.nodeMaxSize()))
                .services(f.services())
                .logRetention(Duration.days(e.logRetentionDays()))
                .logGiBPerDay(e.logGiBPerDay())
                .slackWebhookSecret(a.slackWebhookSecret(this))
                .criticalChannel(a.slackCriticalChannel())
                .warningChannel(a.slackWarningChannel())
                .mutedEnvironments(a.mutedEnvironments())
                .heartbeatUrl(a.heartbeatUrl())
                .runbookBaseUrl(a.runbookBaseUrl())
                .rules(KubePrometheusStack.defaultRules(a.runbookBaseUrl())
                        .override("ServiceDown", r -> r.withExpr(null, a.serviceDownFor())).toRuleGroups())
                .kubePrometheusStackVersion(e.kubePrometheusStackVersion())
                .lokiVersion(e.lokiVersion())
                .alloyVersion(e.alloyVersion())
                .externalSecretsVersion(e.externalSecretsVersion())
                .installEbsCsiDriver(e.installEbsCsiDriver())
                // A cluster we do not own may have a gp3 class and a default of its own: ours stays beside them.
                .storageClassName(e.clusterName() == null ? "gp3" : "o11y-gp3")
                .defaultStorageClass(e.clusterName() == null);
        if (f.grafanaAdminSecretName() != null) {
            kb.grafanaAdminSecret(Secret.fromSecretNameV2(this, "GrafanaAdmin", f.grafanaAdminSecretName()));
        }
        this.monitoring = new KubePrometheusStack(this, "Monitoring", kb.build());
        if (cluster instanceof Cluster owned && owned.getAlbController() != null) {
            // The ingresses need the controller to get their ALBs, and must go before it on delete, or the ALBs dangle.
            monitoring.getNode().addDependency(owned.getAlbController());
        }
        if (nodes != null) {
            // The add-on and the charts need nodes to run on.
            monitoring.getNode().addDependency(nodes);
        }
        if (accessReady != null) {
            monitoring.getNode().addDependency(accessReady);
        }
        warnVersion(e);
        cfnJsonHandler();
        Logs.encrypt(this, s);

        CfnOutput.Builder.create(this, "GrafanaUrl").value("https://grafana." + s.domainName() + "/").build();
        CfnOutput.Builder.create(this, "PrometheusUrl").value("https://prometheus." + s.domainName() + "/")
                .description(s.prometheusAllowedCidrs() + " only, on an internal ALB").build();
        CfnOutput.Builder.create(this, "GrafanaAdminSecretArn").value(monitoring.getGrafanaAdminSecret().getSecretArn()).build();
        CfnOutput.Builder.create(this, "UpdateKubeconfig").value("aws eks update-kubeconfig --region " + s.region() + " --name "
                + cluster.getClusterName()).build();
    }

    private SecurityGroup kubectlGroup(IVpc vpc) {
        SecurityGroup group = SecurityGroup.Builder.create(this, "KubectlProviderSecurityGroup")
                .vpc(vpc)
                .description("o11y-cdk: kubectl provider Lambda functions (Helm releases and manifests into the cluster)")
                .allowAllOutbound(false)
                .build();
        group.addEgressRule(Peer.anyIpv4(), Port.tcp(443), "HTTPS: the cluster endpoint, the EKS and STS APIs, "
                + "Helm chart repositories");
        return group;
    }

    private static String managed(String name) {
        return "Policy::arn:<AWS::Partition>:iam::aws:policy/" + name;
    }

    /** cdk-nag findings on what aws-cdk-lib's eks_v2 builds for the cluster, each with why it stays. */
    private void suppressClusterFindings(Cluster owned) {
        suppressKubectlProviderFindings(owned);
        dev.o11ycdk.core.Suppressions.suppress(owned, true, dev.o11ycdk.core.Suppressions.CdkNag.of("AwsSolutions-IAM4", "The policies EKS documents for its "
                + "cluster role and managed node group role (worker, VPC CNI, ECR pull); AWS keeps them current with the service",
                managed("AmazonEKSClusterPolicy"), managed("AmazonEKSWorkerNodePolicy"), managed("AmazonEKS_CNI_Policy"),
                managed("AmazonEC2ContainerRegistryReadOnly")));
        software.constructs.IConstruct alb = owned.getAlbController();
        dev.o11ycdk.core.Suppressions.suppress(alb, true, dev.o11ycdk.core.Suppressions.CdkNag.of("AwsSolutions-IAM5", "The AWS Load Balancer Controller's "
                + "published IAM policy (kubernetes-sigs/aws-load-balancer-controller " + ALB_CONTROLLER.getVersion() + ", shipped "
                + "with aws-cdk-lib): it creates and tags load balancers, target groups and security groups whose names it "
                + "cannot know in advance, and its write actions are conditioned on the elbv2.k8s.aws/cluster tag",
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
    private void cfnJsonHandler() {
        software.constructs.IConstruct provider = getNode().tryFindChild("AWSCDKCfnUtilsProviderCustomResourceProvider");
        if (provider == null) {
            return;
        }
        dev.o11ycdk.core.Suppressions.suppress(provider.getNode().findChild("Handler"), false, dev.o11ycdk.core.Suppressions.CfnGuard.of("lambda_inside_vpc_check",
                "CDK's own singleton handler of Custom::AWSCDKCfnJson: it returns the JSON value it is given (the "
                        + "OIDC-issuer condition keys of the service-account roles' trust policies) and calls no API and no "
                        + "network at all; in the VPC it would only add a network interface and a security group."));
    }

    /** cdk-nag findings on aws-cdk-lib's kubectl provider under {@code scope} (ours, or the new cluster's), each with why it stays. */
    private void suppressKubectlProviderFindings(IConstruct scope) {
        String condition = null;
        String handler = null;
        for (IConstruct c : scope.getNode().findAll()) {
            if (c instanceof CfnCondition cc && c.getNode().getId().equals("HasEcrPublic")) {
                condition = getLogicalId(cc);
            } else if (c instanceof CfnFunction fn && c.getNode().getPath().endsWith("KubectlProvider/Handler/Resource")) {
                handler = getLogicalId(fn);
            }
        }
        if (condition == null || handler == null) {
            throw new IllegalStateException("aws-cdk-lib's kubectl provider changed shape under " + scope.getNode().getPath());
        }
        dev.o11ycdk.core.Suppressions.suppress(scope, true,
                dev.o11ycdk.core.Suppressions.CdkNag.of("AwsSolutions-IAM4", "The kubectl provider's policies as aws-cdk-lib attaches them: Lambda "
                        + "logs and VPC access, and ECR pull for OCI charts",
                        managed("AmazonEC2ContainerRegistryReadOnly"), managed("service-role/AWSLambdaBasicExecutionRole"),
                        managed("service-role/AWSLambdaVPCAccessExecutionRole"),
                        "Policy::{\"Fn::If\":[\"" + condition + "\",{\"Fn::Join\":[\"\",[\"arn:\","
                                + "{\"Ref\":\"AWS::Partition\"},\":iam::aws:policy/AmazonElasticContainerRegistryPublicReadOnly\"]]},"
                                + "{\"Ref\":\"AWS::NoValue\"}]}"),
                dev.o11ycdk.core.Suppressions.CdkNag.of("AwsSolutions-IAM5", "The custom-resource framework may invoke every version of the "
                        + "kubectl handler it owns (<handler ARN>:*), as aws-cdk-lib's Provider grants",
                        "Resource::<" + handler + ".Arn>:*"),
                dev.o11ycdk.core.Suppressions.CdkNag.of("AwsSolutions-L1", "The kubectl handler's Python runtime is chosen by aws-cdk-lib "
                        + "(Runtime.determineLatestPythonRuntime) to match the handler code it ships"));
    }

    private void warnVersion(EksSettings e) {
        java.time.LocalDate ends = e.standardSupportEnds();
        if (ends != null && !e.today().isBefore(ends)) {
            Annotations.of(this).addWarningV2("@o11y-cdk/eks:extendedSupport", "eksKubernetesVersion " + e.kubernetesVersion()
                    + " left EKS standard support on " + ends + ": the control plane costs $0.60 an hour in extended support instead "
                    + "of $0.10 (six times); upgrade the cluster");
        }
        if (e.kubectlSkew() > 1) {
            Annotations.of(this).addWarningV2("@o11y-cdk/eks:kubectlSkew", "the kubectl layer (" + e.kubectlLayerVersion()
                    + ") is " + e.kubectlSkew() + " minor versions from Kubernetes " + e.kubernetesVersion() + "; kubectl supports one. "
                    + "Helm installs and plain manifests work across this skew; when a newer cdk-lambda-layer-kubectl artifact is "
                    + "reachable, add it to app/pom.xml and set eksKubectlLayerVersion");
        }
    }

    public ICluster getCluster() {
        return cluster;
    }

    public KubePrometheusStack getMonitoring() {
        return monitoring;
    }
}
