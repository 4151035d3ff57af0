package dev.o11ycdk.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.o11ycdk.core.Suppressions;
import dev.o11ycdk.test.support.Cfn;
import dev.o11ycdk.test.support.Synth;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.sns.Topic;

/**
 * What the AWS Control Tower controls (ControlTowerGuardTest) changed, as behaviour: public subnets
 * without public IPs, ALB deletion protection, detailed monitoring in the host's launch template, log
 * groups kept a year under the stack's own KMS key, the access-log bucket's events, and the
 * suppressions that remain, each with its reason.
 */
class ControlTowerFixesTest {
    /** The host on an existing VPC: the stack then has no log group of its own. */
    static final Map<String, String> EXISTING_VPC = Map.of(
            "layouts", "ec2",
            "vpcId", "vpc-0123456789abcdef0",
            "vpcPublicSubnetIds", "subnet-0aaaaaaaaaaaaaaa1,subnet-0aaaaaaaaaaaaaaa2",
            "vpcPrivateSubnetIds", "subnet-0bbbbbbbbbbbbbbb1,subnet-0bbbbbbbbbbbbbbb2");
    /** Both settings this work added, turned off. */
    static final Map<String, String> SETTINGS_OFF = Map.of("albDeletionProtection", "false", "logsKmsKey", "false");

    private static List<Map<String, Object>> defaultTemplates() {
        Synth s = Synth.defaults();
        return List.of(s.templateJson(s.stacks().ec2Host()), s.templateJson(s.stacks().fargate()));
    }

    /** The stack's logs key (other constructs may bring keys of their own). */
    private static Map<String, Map<String, Object>> logsKeys(Map<String, Object> template) {
        Map<String, Map<String, Object>> keys = Cfn.byType(template, "AWS::KMS::Key");
        keys.keySet().removeIf(id -> !id.startsWith("LogsKey"));
        return keys;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> props(Map<String, Object> resource) {
        return (Map<String, Object>) resource.get("Properties");
    }

    @Test
    void noSubnetHandsOutPublicIpsAndNothingThatNeedsOneLaunchesThere() {
        for (Map<String, Object> t : defaultTemplates()) {
            Map<String, Map<String, Object>> subnets = Cfn.byType(t, "AWS::EC2::Subnet");
            assertThat(subnets).hasSize(4);
            subnets.values().forEach(s -> assertThat(props(s).get("MapPublicIpOnLaunch")).isEqualTo(false));
            // The NAT gateway brings its own Elastic IP; the ALB is internet-facing with addresses of its own.
            Cfn.byType(t, "AWS::EC2::NatGateway").values().forEach(n ->
                    assertThat(String.valueOf(props(n).get("AllocationId"))).matches("\\{Fn::GetAtt=\\[VpcpublicSubnet1EIP\\w+, AllocationId]}"));
            Cfn.byType(t, "AWS::ElasticLoadBalancingV2::LoadBalancer").values().forEach(lb -> assertThat(props(lb).get("Scheme")).isEqualTo("internet-facing"));
        }
        Synth s = Synth.defaults();
        Map<String, Object> instance = Cfn.props(s.templateJson(s.stacks().ec2Host()), "AWS::EC2::Instance", "Host");
        assertThat(String.valueOf(instance.get("NetworkInterfaces")))
                .contains("AssociatePublicIpAddress=false", "SubnetId={Ref=VpcprivateSubnet1SubnetCEAD3716}");
        Cfn.byType(s.templateJson(s.stacks().fargate()), "AWS::ECS::Service").values().forEach(svc ->
                assertThat(String.valueOf(props(svc).get("NetworkConfiguration"))).contains("AssignPublicIp=DISABLED", "privateSubnet"));
    }

    @Test
    void theAlbIsProtectedFromDeletionUntilTheSettingTurnsItOff() {
        for (Map<String, Object> t : defaultTemplates()) {
            Template.fromJSON(t).hasResourceProperties("AWS::ElasticLoadBalancingV2::LoadBalancer", Map.of("LoadBalancerAttributes",
                    Match.arrayWith(List.of(Map.of("Key", "deletion_protection.enabled", "Value", "true")))));
        }
        Synth off = Synth.of(SETTINGS_OFF);
        for (Stack stack : List.<Stack>of(off.stacks().ec2Host(), off.stacks().fargate())) {
            off.template(stack).hasResourceProperties("AWS::ElasticLoadBalancingV2::LoadBalancer", Map.of("LoadBalancerAttributes",
                    Match.arrayWith(List.of(Map.of("Key", "deletion_protection.enabled", "Value", "false")))));
        }
    }

    @Test
    void theHostHasDetailedMonitoringAndItsLaunchTemplateStaysAsDeployedSoTheHostIsNotReplaced() {
        Synth s = Synth.defaults();
        Template t = s.template(s.stacks().ec2Host());
        t.resourceCountIs("AWS::EC2::LaunchTemplate", 1);
        // Exactly what earlier releases deployed: a new template version would replace the instance and its data.
        t.hasResourceProperties("AWS::EC2::LaunchTemplate", Map.of("LaunchTemplateData",
                Map.of("MetadataOptions", Map.of("HttpTokens", "required"))));
        t.hasResourceProperties("AWS::EC2::LaunchTemplate", Map.of("LaunchTemplateData",
                Match.objectLike(Map.of("Monitoring", Match.absent()))));
        t.hasResourceProperties("AWS::EC2::Instance", Map.of("Monitoring", true));
        t.hasResource("AWS::EC2::LaunchTemplate", Map.of("Metadata", Map.of("guard", Match.objectLike(Map.of(
                "SuppressedRules", List.of("ec2_launch_template_monitoring_enabled_check"))))));
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyLogGroupIsKeptAYearUnderItsStacksOwnRetainedRotatedKey() {
        List<Integer> logGroupCounts = List.of(2, 7);
        for (int i = 0; i < 2; i++) {
            Map<String, Object> t = defaultTemplates().get(i);
            Map<String, Map<String, Object>> keys = logsKeys(t);
            assertThat(keys).hasSize(1);
            String keyId = keys.keySet().iterator().next();
            Map<String, Object> key = keys.get(keyId);
            assertThat(key.get("DeletionPolicy")).isEqualTo("Retain");
            assertThat(props(key).get("EnableKeyRotation")).isEqualTo(true);
            Map<String, Map<String, Object>> groups = Cfn.byType(t, "AWS::Logs::LogGroup");
            // The flow log and the default-SG custom resource's handler; on Fargate also the four services and EcsTaskCounts.
            assertThat(groups).hasSize(logGroupCounts.get(i));
            groups.forEach((id, g) -> {
                assertThat(props(g).get("KmsKeyId")).as(id).isEqualTo(Map.of("Fn::GetAtt", List.of(keyId, "Arn")));
                assertThat((Integer) props(g).get("RetentionInDays")).as(id).isGreaterThanOrEqualTo(365);
                assertThat(g.get("DeletionPolicy")).as(id).isEqualTo("Retain");
            });
            Template.fromJSON(t).hasResourceProperties("AWS::KMS::Key", Map.of("Description", Match.stringLikeRegexp("o11y-cdk: CloudWatch Logs of .*"),
                    "KeyPolicy", Map.of("Statement", Match.arrayWith(List.of(
                    Match.objectLike(Map.of("Effect", "Allow", "Principal", Map.of("Service", "logs.ap-northeast-2.amazonaws.com"),
                            "Action", List.of("kms:Decrypt*", "kms:Describe*", "kms:Encrypt*", "kms:GenerateDataKey*", "kms:ReEncrypt*"),
                            "Condition", Map.of("ArnLike", Map.of("kms:EncryptionContext:aws:logs:arn", Map.of("Fn::Join", List.of("",
                                    List.of("arn:aws:logs:ap-northeast-2:", Map.of("Ref", "AWS::AccountId"), ":log-group:*"))))))),
                    Match.objectLike(Map.of("Effect", "Deny", "Action", "kms:CreateGrant", "Principal", Map.of("AWS", "*"),
                            "Condition", Map.of("BoolIfExists", Map.of("kms:GrantIsForAWSResource", "false", "aws:PrincipalIsAWSService", "false")))))))));
        }
    }

    @Test
    void theDefaultSecurityGroupHandlerLogsIntoALogGroupOfTheStack() {
        for (Map<String, Object> t : defaultTemplates()) {
            Map<String, Object> handler = Cfn.props(t, "AWS::Lambda::Function", "CustomVpcRestrictDefaultSG");
            assertThat(handler.get("LoggingConfig")).isEqualTo(Map.of("LogGroup", Map.of("Ref", "RestrictDefaultSgLogsDDF1DACF")));
            assertThat(Cfn.props(t, "AWS::Logs::LogGroup", "RestrictDefaultSgLogs").get("RetentionInDays")).isEqualTo(365);
        }
    }

    @Test
    void withLogsKmsKeyOffThereIsNoKeyAndEachLogGroupSaysWhy() {
        Synth off = Synth.of(SETTINGS_OFF);
        for (Stack stack : List.<Stack>of(off.stacks().ec2Host(), off.stacks().fargate())) {
            Map<String, Object> t = off.templateJson(stack);
            assertThat(logsKeys(t)).isEmpty();
            Cfn.byType(t, "AWS::Logs::LogGroup").forEach((id, g) -> {
                assertThat(props(g)).as(id).doesNotContainKey("KmsKeyId");
                assertThat(String.valueOf(g.get("Metadata"))).as(id).contains("SuppressedRules=[cloudwatch_log_group_encrypted_check]",
                        "logsKmsKey is false");
            });
        }
    }

    @Test
    void aStackWithoutLogGroupsGetsNoKey() {
        Synth existing = Synth.of(EXISTING_VPC);
        Map<String, Object> t = existing.templateJson(existing.stacks().ec2Host());
        assertThat(Cfn.byType(t, "AWS::Logs::LogGroup")).isEmpty();
        assertThat(logsKeys(t)).isEmpty();
        assertThat(Cfn.byType(t, "AWS::EC2::Subnet")).isEmpty();
    }

    @Test
    void theAccessLogBucketPublishesItsEventsAndSaysWhyTheOtherS3ControlsDoNotApply() {
        for (Map<String, Object> t : defaultTemplates()) {
            Map<String, Object> bucket = Cfn.byType(t, "AWS::S3::Bucket").get("AlbAccessLogs4EBA3815");
            assertThat(props(bucket).get("NotificationConfiguration")).isEqualTo(Map.of("EventBridgeConfiguration", Map.of("EventBridgeEnabled", true)));
            assertThat(((Map<?, ?>) props(bucket).get("BucketEncryption")).toString()).contains("SSEAlgorithm=AES256");
            @SuppressWarnings("unchecked")
            Map<String, Object> guard = (Map<String, Object>) ((Map<String, Object>) bucket.get("Metadata")).get("guard");
            assertThat(guard.get("SuppressedRules")).isEqualTo(List.of("s3_bucket_logging_enabled_check",
                    "s3_bucket_default_encryption_kms_check", "s3_bucket_object_lock_enabled_check"));
            assertThat(String.valueOf(guard.get("Reasons"))).contains("supports SSE-S3 only", "access-log sink", "Content-MD5");
        }
    }

    @Test
    void theFileSystemSaysItsBackupPlanReplacesEfsAutomaticBackups() {
        Synth s = Synth.defaults();
        Map<String, Object> t = s.templateJson(s.stacks().fargate());
        Map<String, Object> fs = Cfn.byType(t, "AWS::EFS::FileSystem").values().iterator().next();
        // No BackupPolicy: a file system created through the API has automatic backups off.
        assertThat(props(fs)).doesNotContainKey("BackupPolicy");
        assertThat(String.valueOf(fs.get("Metadata"))).contains("efs_automatic_backups_enabled_check", "backs this file system up daily");
        // ...and the plan really selects it.
        assertThat(String.valueOf(Cfn.byType(t, "AWS::Backup::BackupSelection").values())).contains("Storage6B64FB91");
    }

    @Test
    void bothSettingsTakeOnlyTrueOrFalseAndSaySoInOneLine() {
        assertThatThrownBy(() -> Synth.build(Map.of("logsKmsKey", "yes"))).hasMessage("setting 'logsKmsKey' = 'yes': must be true or false");
        assertThatThrownBy(() -> Synth.build(Map.of("albDeletionProtection", "off")))
                .hasMessage("setting 'albDeletionProtection' = 'off': must be true or false");
    }

    /**
     * CT.LAMBDA.PR.3 on the EKS stack: aws-cdk-lib's kubectl provider (its handler and the custom-resource
     * framework's onEvent) runs in the private subnets with a security group of its own, HTTPS out only,
     * and the cluster admits that group on 443; the cluster security group (every node and pod) is not theirs.
     */
    @Test
    @SuppressWarnings("unchecked")
    void theKubectlProviderRunsInThePrivateSubnetsWithItsOwnHttpsOnlySecurityGroup() {
        Synth s = Synth.defaults();
        Map<String, Object> t = s.templateJson(s.stacks().eks());
        Map<String, Map<String, Object>> groups = Cfn.byType(t, "AWS::EC2::SecurityGroup");
        String kubectl = groups.keySet().stream().filter(id -> id.startsWith("KubectlProviderSecurityGroup")).findFirst().orElseThrow();
        assertThat(props(groups.get(kubectl)).get("SecurityGroupEgress")).isEqualTo(List.of(Map.of("CidrIp", "0.0.0.0/0",
                "Description", "HTTPS: the cluster endpoint, the EKS and STS APIs, Helm chart repositories",
                "FromPort", 443, "IpProtocol", "tcp", "ToPort", 443)));
        assertThat(props(groups.get(kubectl))).doesNotContainKey("SecurityGroupIngress");
        for (String prefix : List.of("ClusterKubectlProviderHandler", "ClusterKubectlProviderframeworkonEvent")) {
            Map<String, Object> vpc = (Map<String, Object>) Cfn.props(t, "AWS::Lambda::Function", prefix).get("VpcConfig");
            assertThat(vpc.get("SecurityGroupIds")).as(prefix).isEqualTo(List.of(Map.of("Fn::GetAtt", List.of(kubectl, "GroupId"))));
            assertThat(String.valueOf(vpc.get("SubnetIds"))).as(prefix).contains("VpcprivateSubnet1", "VpcprivateSubnet2")
                    .doesNotContain("public");
        }
        // The control plane admits the provider on 443 (both of the endpoint's security groups).
        List<Map<String, Object>> ingress = Cfn.byType(t, "AWS::EC2::SecurityGroupIngress").values().stream().map(ControlTowerFixesTest::props)
                .filter(i -> Map.of("Fn::GetAtt", List.of(kubectl, "GroupId")).equals(i.get("SourceSecurityGroupId"))).toList();
        assertThat(ingress).hasSize(2).allSatisfy(i -> assertThat(i).containsEntry("FromPort", 443).containsEntry("ToPort", 443)
                .containsEntry("IpProtocol", "tcp"));
        assertThat(Cfn.json(ingress)).contains("ClusterSecurityGroupId", "ClusterControlPlaneSecurityGroup");
        // The one Lambda function outside the VPC says why.
        assertThat(String.valueOf(Cfn.resources(t).entrySet().stream().filter(e -> e.getKey().startsWith("AWSCDKCfnUtilsProvider")
                && "AWS::Lambda::Function".equals(((Map<String, Object>) e.getValue()).get("Type"))).findFirst().orElseThrow().getValue()))
                .contains("SuppressedRules=[lambda_inside_vpc_check]", "Custom::AWSCDKCfnJson", "calls no API");
    }

    /** CT.KMS.PR.3 on the key of the cluster's Kubernetes Secrets: kept, rotated, grants only through AWS services (EKS). */
    @Test
    void theClusterSecretsKeyIsRetainedRotatedAndGrantsOnlyToAwsServices() {
        Synth s = Synth.defaults();
        Template t = s.template(s.stacks().eks());
        t.hasResource("AWS::KMS::Key", Map.of("DeletionPolicy", "Retain", "Properties", Match.objectLike(Map.of(
                "Description", "o11y-cdk: envelope encryption of the EKS cluster's Kubernetes Secrets",
                "EnableKeyRotation", true,
                "KeyPolicy", Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of("Sid", "GrantsOnlyForAwsServices",
                        "Effect", "Deny", "Action", "kms:CreateGrant", "Principal", Map.of("AWS", "*"),
                        "Condition", Map.of("BoolIfExists", Map.of("kms:GrantIsForAWSResource", "false",
                                "aws:PrincipalIsAWSService", "false")))))))))));
        t.hasResourceProperties("AWS::EKS::Cluster", Map.of("EncryptionConfig", List.of(Map.of("Provider",
                Map.of("KeyArn", Match.objectLike(Map.of("Fn::GetAtt", Match.arrayWith(List.of("Arn"))))), "Resources", List.of("secrets")))));
    }

    @Test
    void aSuppressionCannotBeWrittenWithoutAReason() {
        assertThatThrownBy(() -> Suppressions.CfnGuard.of("lambda_inside_vpc_check", " ")).hasMessage(
                "a cfn-guard suppression of lambda_inside_vpc_check needs a reason");
        assertThatThrownBy(() -> Suppressions.CfnGuard.of("CT.LAMBDA.PR.3", "a reason long enough")).hasMessageContaining("names the rule");
        assertThatThrownBy(() -> Suppressions.CdkNag.of("AwsSolutions-S1", null)).hasMessage("a cdk-nag suppression of AwsSolutions-S1 needs a reason");
    }

    @Test
    @SuppressWarnings("unchecked")
    void cdkNagAndGuardSuppressionsOfOneResourceSitSideBySideAndAccumulate() {
        Stack stack = new Stack(new App(), "S");
        Topic topic = Topic.Builder.create(stack, "T").build();
        Suppressions.suppress(topic, false, Suppressions.CdkNag.of("AwsSolutions-SNS3", "a reason long enough"), Suppressions.CfnGuard.of("rule_one", "first reason here"));
        Suppressions.suppress(topic, false, Suppressions.CfnGuard.of("rule_two", "second reason here"));
        Map<String, Object> meta = (Map<String, Object>) ((Map<String, Object>) Template.fromStack(stack).toJSON().get("Resources"))
                .values().stream().map(r -> (Map<String, Object>) r).filter(r -> "AWS::SNS::Topic".equals(r.get("Type"))).findFirst()
                .orElseThrow().get("Metadata");
        assertThat(meta.get("guard")).isEqualTo(Map.of("SuppressedRules", List.of("rule_one", "rule_two"),
                "Reasons", Map.of("rule_one", "first reason here", "rule_two", "second reason here")));
        assertThat(String.valueOf(meta.get("cdk_nag"))).contains("id=AwsSolutions-SNS3", "reason=a reason long enough");
    }
}
