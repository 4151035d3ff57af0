package dev.o11ycdk.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.o11ycdk.fargate.FargatePrometheus;
import dev.o11ycdk.test.support.Cfn;
import dev.o11ycdk.test.support.Synth;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** SPEC "Layout 2" and issue 3, item by item, on the Fargate stack from cdk.json's defaults. */
class FargateStackTest {
    private static Template template;
    private static Map<String, Object> json;

    @BeforeAll
    static void synth() {
        Synth synth = Synth.defaults();
        template = synth.template(synth.stacks().fargate());
        json = synth.templateJson(synth.stacks().fargate());
    }

    @Test
    void prometheusIsOneVcpuTwoGbWithTheSpecHealthCheckAndAwslogs() {
        template.hasResourceProperties("AWS::ECS::TaskDefinition", Match.objectLike(Map.of(
                "Cpu", "1024", "Memory", "2048", "NetworkMode", "awsvpc", "RequiresCompatibilities", List.of("FARGATE"),
                "ContainerDefinitions", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Name", "prometheus",
                        "Image", "prom/prometheus:v3.13.2",
                        "HealthCheck", Map.of("Command", List.of("CMD-SHELL", "wget -q -O /dev/null http://127.0.0.1:9090/-/healthy || exit 1"),
                                "Interval", 30, "Timeout", 5, "Retries", 3, "StartPeriod", 60),
                        "LogConfiguration", Match.objectLike(Map.of("LogDriver", "awslogs")))))))));
        template.hasResourceProperties("AWS::Logs::LogGroup", Map.of("RetentionInDays", 365));
    }

    @Test
    void prometheusTsdbIsOnItsEfsAccessPointWithTransitEncryptionAndIamAuthorization() {
        template.hasResourceProperties("AWS::ECS::TaskDefinition", Match.objectLike(Map.of(
                "Volumes", Match.arrayWith(List.of(Map.of("Name", "tsdb", "EFSVolumeConfiguration", Map.of(
                        "FilesystemId", Map.of("Ref", Match.stringLikeRegexp("Storage.*")),
                        "TransitEncryption", "ENABLED",
                        "AuthorizationConfig", Map.of("AccessPointId", Map.of("Ref", Match.stringLikeRegexp("StoragePrometheus.*")), "IAM", "ENABLED"))))),
                "ContainerDefinitions", Match.arrayWith(List.of(Match.objectLike(Map.of("Name", "prometheus",
                        "MountPoints", List.of(Map.of("ContainerPath", "/prometheus", "SourceVolume", "tsdb", "ReadOnly", false),
                                Map.of("ContainerPath", "/o11y/discovery", "SourceVolume", "discovery", "ReadOnly", true)))))))));
        String command = (String) ((List<?>) Cfn.container(json, "PrometheusTaskDefinition").get("Command")).get(0);
        assertThat(command).contains("'--storage.tsdb.path=/prometheus'", "'--storage.tsdb.retention.time=15d'");
    }

    @Test
    void prometheusNeverHasTwoWritersOnEfs() {
        Map<String, Object> svc = Cfn.props(json, "AWS::ECS::Service", "PrometheusService");
        assertThat(svc.get("DesiredCount")).isEqualTo(1);
        assertThat(svc.get("DeploymentConfiguration")).isEqualTo(Map.of(
                "DeploymentCircuitBreaker", Map.of("Enable", true, "Rollback", true),
                "MaximumPercent", 100, "MinimumHealthyPercent", 0));
    }

    @Test
    void everyServiceRunsPrivateWithoutPublicIpInCloudMapWithCircuitBreaker() {
        Map<String, Map<String, Object>> services = template.findResources("AWS::ECS::Service");
        assertThat(services).hasSize(4);
        for (Map<String, Object> s : services.values()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> p = (Map<String, Object>) s.get("Properties");
            assertThat(String.valueOf(p.get("NetworkConfiguration"))).contains("AssignPublicIp=DISABLED", "privateSubnet1", "privateSubnet2");
            assertThat(p).containsKey("ServiceRegistries");
            assertThat(String.valueOf(p.get("DeploymentConfiguration"))).contains("DeploymentCircuitBreaker={Enable=true, Rollback=true}");
        }
        for (String name : List.of("prometheus", "grafana", "alertmanager", "cloudwatch-exporter")) {
            template.hasResourceProperties("AWS::ServiceDiscovery::Service", Match.objectLike(Map.of("Name", name,
                    "DnsConfig", Match.objectLike(Map.of("DnsRecords", List.of(Map.of("TTL", 10, "Type", "A")))))));
        }
        template.hasResourceProperties("AWS::ServiceDiscovery::PrivateDnsNamespace", Map.of("Name", "o11y.local",
                "Vpc", Map.of("Ref", Match.stringLikeRegexp("Vpc.*"))));
    }

    @Test
    void containerInsightsIsOffByDefaultAndASetting() {
        template.hasResourceProperties("AWS::ECS::Cluster", Map.of(
                "ClusterSettings", List.of(Map.of("Name", "containerInsights", "Value", "disabled"))));
        Synth on = Synth.of(Map.of("layouts", "fargate", "containerInsights", "true"));
        on.template(on.stacks().fargate()).hasResourceProperties("AWS::ECS::Cluster", Map.of(
                "ClusterSettings", List.of(Map.of("Name", "containerInsights", "Value", "enabled"))));
    }

    @Test
    void efsIsEncryptedRetainedTlsOnlyAndMovesToIaAfter30Days() {
        template.hasResource("AWS::EFS::FileSystem", Map.of("DeletionPolicy", "Retain", "UpdateReplacePolicy", "Retain",
                "Properties", Match.objectLike(Map.of(
                        "Encrypted", true,
                        "LifecyclePolicies", List.of(Map.of("TransitionToIA", "AFTER_30_DAYS"),
                                Map.of("TransitionToPrimaryStorageClass", "AFTER_1_ACCESS")),
                        "FileSystemPolicy", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(Map.of(
                                "Sid", "DenyWithoutTls", "Effect", "Deny", "Action", "*", "Principal", Map.of("AWS", "*"),
                                "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")))))))))));
    }

    @Test
    void eachTenantHasItsPosixUserAndNonRootDirectory() {
        for (Object[] t : new Object[][] {{"/prometheus", "65534"}, {"/discovery", "65534"}, {"/grafana", "472"}}) {
            template.hasResourceProperties("AWS::EFS::AccessPoint", Match.objectLike(Map.of(
                    "PosixUser", Map.of("Uid", t[1], "Gid", t[1]),
                    "RootDirectory", Map.of("Path", t[0],
                            "CreationInfo", Map.of("OwnerUid", t[1], "OwnerGid", t[1], "Permissions", "750")))));
        }
    }

    @Test
    void efsAcceptsNfsOnlyFromPrometheusAndGrafana() {
        Map<String, Map<String, Object>> nfs = template.findResources("AWS::EC2::SecurityGroupIngress",
                Map.of("Properties", Match.objectLike(Map.of("FromPort", 2049))));
        assertThat(nfs.values().stream().map(r -> String.valueOf(((Map<?, ?>) r.get("Properties")).get("SourceSecurityGroupId"))).sorted().toList())
                .hasSize(2)
                .anySatisfy(s -> assertThat(s).contains("GrafanaService"))
                .anySatisfy(s -> assertThat(s).contains("PrometheusService"));
    }

    @Test
    void efsIsBackedUpDailyIntoARetainedVault() {
        template.hasResourceProperties("AWS::Backup::BackupPlan", Map.of("BackupPlan", Match.objectLike(Map.of(
                "BackupPlanRule", List.of(Match.objectLike(Map.of("RuleName", "Daily", "ScheduleExpression", "cron(0 18 * * ? *)",
                        "Lifecycle", Map.of("DeleteAfterDays", 35))))))));
        template.hasResourceProperties("AWS::Backup::BackupSelection", Map.of("BackupSelection", Match.objectLike(Map.of(
                "Resources", List.of(Map.of("Fn::Join", List.of("", List.of("arn:aws:elasticfilesystem:ap-northeast-2:",
                        Map.of("Ref", "AWS::AccountId"), ":file-system/", Map.of("Ref", Match.stringLikeRegexp("Storage.*"))))))))));
        template.hasResource("AWS::Backup::BackupVault", Map.of("DeletionPolicy", "Retain"));
    }

    @Test
    void grafanaIsHalfVcpuOneGbBehindTheAlbAtGrafanaDomain() {
        template.hasResourceProperties("AWS::ECS::TaskDefinition", Match.objectLike(Map.of("Cpu", "512", "Memory", "1024",
                "ContainerDefinitions", List.of(Match.objectLike(Map.of("Name", "grafana", "Image", "grafana/grafana:13.2.3"))))));
        template.hasResourceProperties("AWS::ElasticLoadBalancingV2::ListenerRule", Match.objectLike(Map.of("Priority", 5,
                "Conditions", List.of(Map.of("Field", "host-header", "HostHeaderConfig", Map.of("Values", List.of("grafana.o11y.example.com")))))));
        template.hasResourceProperties("AWS::ElasticLoadBalancingV2::TargetGroup", Match.objectLike(Map.of(
                "Port", 3000, "TargetType", "ip", "HealthCheckPath", "/api/health")));
        template.hasResourceProperties("AWS::EC2::SecurityGroupIngress", Map.of("FromPort", 3000, "ToPort", 3000, "IpProtocol", "tcp",
                "Description", "ALB to Grafana",
                "GroupId", Map.of("Fn::GetAtt", List.of(Match.stringLikeRegexp("GrafanaServiceSecurityGroup.*"), "GroupId")),
                "SourceSecurityGroupId", Map.of("Fn::GetAtt", List.of(Match.stringLikeRegexp("AlbSecurityGroup.*"), "GroupId"))));
    }

    @Test
    void grafanaIsLockedDownAndGetsItsPasswordFromSecretsManager() {
        Map<String, Object> c = Cfn.container(json, "GrafanaTaskDefinition");
        Map<String, Object> env = Cfn.environment(c);
        assertThat(env).containsEntry("GF_USERS_ALLOW_SIGN_UP", "false")
                .containsEntry("GF_AUTH_ANONYMOUS_ENABLED", "false")
                .containsEntry("GF_SECURITY_COOKIE_SECURE", "true")
                .containsEntry("GF_SERVER_ROOT_URL", "https://grafana.o11y.example.com/")
                .containsEntry("GF_PATHS_DATA", "/var/lib/grafana");
        assertThat(String.valueOf(c.get("Secrets"))).contains("Name=GF_SECURITY_ADMIN_PASSWORD", "GrafanaAdminPassword");
        assertThat(env).doesNotContainKey("GF_SECURITY_ADMIN_PASSWORD")
                .containsEntry("GF_METRICS_ENABLED", "false");
        assertThat(String.valueOf(c.get("MountPoints"))).contains("ContainerPath=/var/lib/grafana");
        String datasources = (String) env.values().stream().filter(v -> String.valueOf(v).contains("datasources:")).findFirst().orElseThrow();
        assertThat(datasources).contains("url: http://prometheus.o11y.local:9090", "isDefault: true", "type: cloudwatch",
                "defaultRegion: ap-northeast-2");
    }

    @Test
    void noSecretEverAppearsInAPlainEnvironmentVariable() {
        for (String td : List.of("PrometheusTaskDefinition", "GrafanaTaskDefinition", "AlertmanagerTaskDefinition", "CloudWatchExporterTaskDefinition")) {
            Map<String, Object> c = Cfn.container(json, td);
            Map<String, Object> env = Cfn.environment(c);
            Cfn.containers(json, td).forEach(each -> assertThat(String.valueOf(Cfn.environment(each))).as(td)
                    .doesNotContain("hooks.slack.com", "AWS_SECRET_ACCESS_KEY"));
            // No plain value stands where a secret goes: secrets come only through ECS secrets.
            assertThat(env.keySet()).as(td).noneMatch(k -> k.matches(".*(PASSWORD|SECRET|WEBHOOK|TOKEN).*"));
            assertThat(env.values()).as(td).noneMatch(v -> String.valueOf(v).contains("hooks.slack.com"));
            // A secret the entrypoint writes to a file goes to a 0600 file and leaves the environment before the process starts.
            String script = (String) ((List<?>) c.get("Command")).get(0);
            for (Object secret : (List<?>) c.getOrDefault("Secrets", List.of())) {
                String name = String.valueOf(((Map<?, ?>) secret).get("Name"));
                if (script.contains("\"$" + name + "\"")) {
                    assertThat(script).as(td).contains("(umask 077; printf '%s' \"$" + name + "\" > '")
                            .containsPattern("unset [A-Z0-9_ ]*\\b" + name + "\\b");
                    assertThat(script.indexOf("unset ")).isLessThan(script.indexOf("exec "));
                }
            }
        }
        assertThat((String) ((List<?>) Cfn.container(json, "AlertmanagerTaskDefinition").get("Command")).get(0))
                .contains("(umask 077; printf '%s' \"$SLACK_WEBHOOK_URL\" > '/alertmanager/o11y/secrets/slack_webhook_url')");
        // Grafana reads its secrets from the environment ECS gives it (GF_*): no file that would land on EFS.
        assertThat(String.valueOf(Cfn.container(json, "GrafanaTaskDefinition").get("Secrets"))).contains("Name=GF_SECURITY_ADMIN_PASSWORD");
        Map<String, Object> am = Cfn.container(json, "AlertmanagerTaskDefinition");
        assertThat(String.valueOf(am.get("Secrets"))).contains("Name=SLACK_WEBHOOK_URL", "secret:o11y/slack-webhook");
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyContainerRunsAsItsNonRootUserOnAReadOnlyRootWithAHardMemoryLimit() {
        // Control Tower CT.ECS.PR.3 / .6 / .7 (Security Hub ECS.4-ECS.5 style), over every task definition of the stack.
        Map<String, Object[]> expected = Map.of(
                "prometheus", new Object[] {"65534:65534", 2048 - 256},
                "ecs-discovery", new Object[] {"65534:65534", 256},
                "grafana", new Object[] {"472:472", 1024},
                "alertmanager", new Object[] {"65534:65534", 512},
                "cloudwatch-exporter", new Object[] {"65534:65534", 512});
        List<String> seen = new java.util.ArrayList<>();
        for (Map<String, Object> td : template.findResources("AWS::ECS::TaskDefinition").values()) {
            Map<String, Object> p = (Map<String, Object>) td.get("Properties");
            int limits = 0;
            for (Map<String, Object> c : (List<Map<String, Object>>) p.get("ContainerDefinitions")) {
                String name = (String) c.get("Name");
                seen.add(name);
                assertThat(expected).as("a container this test does not know: " + name).containsKey(name);
                assertThat(c).as(name).containsEntry("User", expected.get(name)[0])
                        .containsEntry("ReadonlyRootFilesystem", true)
                        .containsEntry("Memory", expected.get(name)[1]);
                limits += (Integer) c.get("Memory");
            }
            // The hard limits add up to the task's memory (ComputeSize): no container may take another's share.
            assertThat(limits).isEqualTo(Integer.parseInt((String) p.get("Memory")));
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(expected.keySet());
        // Alertmanager writes on a task-local volume at the image's own VOLUME (owned by nobody); nothing else is task-local.
        Map<String, Object> am = Cfn.props(json, "AWS::ECS::TaskDefinition", "AlertmanagerTaskDefinition");
        assertThat(am.get("Volumes")).isEqualTo(List.of(Map.of("Name", "alertmanager-data")));
        assertThat(Cfn.container(json, "AlertmanagerTaskDefinition").get("MountPoints"))
                .isEqualTo(List.of(Map.of("ContainerPath", "/alertmanager", "SourceVolume", "alertmanager-data", "ReadOnly", false)));
    }

    @Test
    void alertmanagerIsReachableOnlyFromPrometheusAndNeverThroughTheAlb() {
        Map<String, Map<String, Object>> am = template.findResources("AWS::EC2::SecurityGroupIngress",
                Map.of("Properties", Match.objectLike(Map.of("FromPort", 9093))));
        assertThat(am).hasSize(1);
        assertThat(String.valueOf(am.values().iterator().next())).contains("PrometheusServiceSecurityGroup");
        Map<String, Object> svc = Cfn.props(json, "AWS::ECS::Service", "AlertmanagerService");
        assertThat(svc).doesNotContainKey("LoadBalancers");
        template.resourceCountIs("AWS::ElasticLoadBalancingV2::TargetGroup", 1);
    }

    @Test
    void prometheusAnswersQueriesOnlyFromGrafana() {
        Map<String, Map<String, Object>> q = template.findResources("AWS::EC2::SecurityGroupIngress",
                Map.of("Properties", Match.objectLike(Map.of("FromPort", 9090))));
        assertThat(q).hasSize(1);
        assertThat(String.valueOf(q.values().iterator().next())).contains("GrafanaServiceSecurityGroup");
    }

    @Test
    void cloudWatchExporterIsQuarterVcpuOnPort9106ReadingOnlyCloudWatchAndTags() {
        template.hasResourceProperties("AWS::ECS::TaskDefinition", Match.objectLike(Map.of("Cpu", "256", "Memory", "512",
                "ContainerDefinitions", List.of(Match.objectLike(Map.of("Name", "cloudwatch-exporter",
                        "PortMappings", List.of(Match.objectLike(Map.of("ContainerPort", 9106)))))))));
        template.hasResourceProperties("AWS::IAM::Policy", Map.of("PolicyDocument", Match.objectLike(Map.of("Statement", List.of(Map.of(
                "Action", List.of("cloudwatch:GetMetricData", "cloudwatch:GetMetricStatistics", "cloudwatch:ListMetrics", "tag:GetResources"),
                "Effect", "Allow", "Resource", "*")))),
                "Roles", List.of(Map.of("Ref", Match.stringLikeRegexp("CloudWatchExporterTaskDefinitionTaskRole.*")))));
    }

    @Test
    void grafanaTaskRoleMayReadCloudWatchAndUseItsAccessPointOnly() {
        Map<String, Map<String, Object>> policies = template.findResources("AWS::IAM::Policy", Map.of("Properties", Match.objectLike(Map.of(
                "Roles", List.of(Map.of("Ref", Match.stringLikeRegexp("GrafanaTaskDefinitionTaskRole.*")))))));
        assertThat(policies).hasSize(1);
        String doc = String.valueOf(policies.values().iterator().next());
        assertThat(doc).contains("cloudwatch:GetMetricData", "elasticfilesystem:ClientMount", "StorageGrafana")
                .doesNotContain("ec2:", "s3:", "secretsmanager:", "aps:");
    }

    @Test
    void executionAndTaskRolesAreSeparate() {
        for (String td : List.of("PrometheusTaskDefinition", "GrafanaTaskDefinition", "AlertmanagerTaskDefinition", "CloudWatchExporterTaskDefinition")) {
            Map<String, Object> p = Cfn.props(json, "AWS::ECS::TaskDefinition", td);
            assertThat(String.valueOf(p.get("TaskRoleArn"))).contains("TaskRole");
            assertThat(String.valueOf(p.get("ExecutionRoleArn"))).contains("ExecutionRole");
            assertThat(p.get("TaskRoleArn")).isNotEqualTo(p.get("ExecutionRoleArn"));
        }
    }

    @Test
    void configurationTravelsInsideTheTaskDefinitionSoAChangeIsANewRevision() {
        // ECS registers a new task definition revision whenever a container definition changes; the
        // rendered file is part of it, so cdk deploy alone rolls a configuration change out.
        Map<String, Object> defaults = Cfn.environment(Cfn.container(json, "PrometheusTaskDefinition"));
        Synth other = Synth.of(Map.of("scrapeInterval", "30s"));
        Map<String, Object> changed = Cfn.environment(Cfn.container(other.templateJson(other.stacks().fargate()), "PrometheusTaskDefinition"));
        assertThat(String.valueOf(defaults.get("O11Y_FILE_0"))).contains("scrape_interval: 15s");
        assertThat(String.valueOf(changed.get("O11Y_FILE_0"))).contains("scrape_interval: 30s");
    }

    @Test
    void noContainerStringLooksLikeAnEmbeddedCloudFormationParameter() {
        // CloudFormation validation (E1029) rejects "${X}" outside Fn::Sub, e.g. in a shell entrypoint.
        for (Object r : Cfn.resources(json).values()) {
            if ("AWS::ECS::TaskDefinition".equals(((Map<?, ?>) r).get("Type"))) {
                assertThat(String.valueOf(((Map<?, ?>) r).get("Properties"))).doesNotContain("${");
            }
        }
    }

    @Test
    void ecsDiscoveryRunsBesidePrometheusNonRootRestartedAndWithinItsOwnMemory() {
        List<Map<String, Object>> containers = Cfn.containers(json, "PrometheusTaskDefinition");
        assertThat(containers).hasSize(2);
        Map<String, Object> sidecar = containers.get(1);
        assertThat(sidecar).containsEntry("Name", "ecs-discovery")
                .containsEntry("Image", "public.ecr.aws/aws-observability/aws-otel-collector:v0.50.0")
                .containsEntry("Essential", false)
                .containsEntry("User", "65534:65534")
                .containsEntry("Memory", 256)
                .containsEntry("Cpu", 128)
                .containsEntry("RestartPolicy", Map.of("Enabled", true, "RestartAttemptPeriod", 60))
                .containsEntry("MountPoints", List.of(Map.of("ContainerPath", "/o11y/discovery", "SourceVolume", "discovery", "ReadOnly", false)));
        assertThat(sidecar.get("HealthCheck")).isEqualTo(Map.of("Command", List.of("CMD", "/healthcheck"), "Interval", 30, "Timeout", 5,
                "Retries", 3, "StartPeriod", 30));
        assertThat(Cfn.environment(sidecar)).containsKeys("AOT_CONFIG_CONTENT").containsEntry("AWS_REGION", "ap-northeast-2");
        // Prometheus gets what the task has minus the sidecar's hard limit, and its memory alert knows it.
        assertThat(containers.get(0)).containsEntry("Memory", 2048 - 256);
        assertThat(Synth.defaults().stacks().fargate().getPrometheus().getRules().alerts().stream().map(dev.o11ycdk.config.Rule::expr))
                .contains("max by (instance) (process_resident_memory_bytes{job=\"prometheus\"}) / " + 1792L * 1024 * 1024 + " > 0.8");
    }

    @Test
    void discoveryMayListAndDescribeTasksOnlyInTheDiscoveredClusters() {
        Map<String, Map<String, Object>> policies = template.findResources("AWS::IAM::Policy", Map.of("Properties", Match.objectLike(Map.of(
                "Roles", List.of(Map.of("Ref", Match.stringLikeRegexp("PrometheusTaskDefinitionTaskRole.*")))))));
        String doc = String.valueOf(policies.values().iterator().next());
        assertThat(doc).contains("Action=[ecs:DescribeContainerInstances, ecs:DescribeServices, ecs:DescribeTasks, ecs:ListServices, ecs:ListTasks]",
                "Condition={ArnEquals={ecs:cluster=", ":cluster/, {Ref=Cluster", "Action=[ec2:DescribeAvailabilityZones, ec2:DescribeInstances, "
                        + "ecs:DescribeTaskDefinition]");
        assertThat(doc).doesNotContain("ecs:RunTask", "ecs:UpdateService", "ecs:*");
        Synth more = Synth.of(Map.of("discoveryClusters", "team-a,team-b"));
        assertThat(String.valueOf(more.template(more.stacks().fargate()).findResources("AWS::IAM::Policy")))
                .contains(":cluster/team-a", ":cluster/team-b");
    }

    @Test
    void thePlatformPublishesWhatServiceTeamsImportAsSsmParameters() {
        List<String> names = List.of("security-group-id", "cluster-name", "namespace-name", "namespace-id", "namespace-arn",
                "vpc-id", "private-subnets", "availability-zone-count");
        assertThat(FargatePrometheus.SSM_NAMES).isEqualTo(names);
        for (String name : names) {
            template.hasResourceProperties("AWS::SSM::Parameter", Match.objectLike(Map.of("Name", "/o11y-cdk/platform/" + name,
                    "Type", name.equals("private-subnets") ? "StringList" : "String")));
        }
        // Nothing else: a consumer's scrape() must not depend on a value the platform may rename.
        template.resourceCountIs("AWS::SSM::Parameter", names.size());
        template.hasResourceProperties("AWS::SSM::Parameter", Match.objectLike(Map.of("Name", "/o11y-cdk/platform/security-group-id",
                "Value", Map.of("Fn::GetAtt", List.of(Match.stringLikeRegexp("PrometheusServiceSecurityGroup.*"), "GroupId")))));
    }

    @Test
    void thePlatformPublishesItsVpcAndOnePrivateSubnetPerZoneWithTheZoneCount() {
        template.hasResourceProperties("AWS::SSM::Parameter", Match.objectLike(Map.of("Name", "/o11y-cdk/platform/vpc-id",
                "Value", Map.of("Ref", Match.stringLikeRegexp("Vpc[0-9A-F]{8}")))));
        // Each zone with its subnet, in one value: a reader cannot pair them up wrong.
        template.hasResourceProperties("AWS::SSM::Parameter", Match.objectLike(Map.of("Name", "/o11y-cdk/platform/private-subnets",
                "Value", Map.of("Fn::Join", List.of(",", List.of(
                        Map.of("Fn::Join", List.of("", List.of("ap-northeast-2a:", Map.of("Ref", Match.stringLikeRegexp("VpcprivateSubnet1Subnet.*"))))),
                        Map.of("Fn::Join", List.of("", List.of("ap-northeast-2c:", Map.of("Ref", Match.stringLikeRegexp("VpcprivateSubnet2Subnet.*")))))))))));
        template.hasResourceProperties("AWS::SSM::Parameter", Match.objectLike(Map.of("Name", "/o11y-cdk/platform/availability-zone-count",
                "Value", "2")));
    }

    @Test
    void theClusterIsNamedOnlyWhenTheSettingSaysSoBecauseRenamingReplacesIt() {
        // Unnamed by default: an existing platform's cluster (and every service in it) is not replaced on upgrade.
        template.hasResourceProperties("AWS::ECS::Cluster", Match.objectLike(Map.of("ClusterName", Match.absent())));
        Synth named = Synth.of(Map.of("clusterName", "o11y-platform"));
        Template t = named.template(named.stacks().fargate());
        t.hasResourceProperties("AWS::ECS::Cluster", Match.objectLike(Map.of("ClusterName", "o11y-platform")));
        assertThat(String.valueOf(t.findResources("AWS::IAM::Policy"))).contains(":cluster/o11y-platform");
    }

    @Test
    void outputsNameGrafanaAndTheInternalUrls() {
        template.hasOutput("GrafanaUrl", Map.of("Value", "https://grafana.o11y.example.com/"));
        template.hasOutput("PrometheusInternalUrl", Match.objectLike(Map.of("Value", "http://prometheus.o11y.local:9090")));
        template.hasOutput("AlertmanagerInternalUrl", Map.of("Value", "http://alertmanager.o11y.local:9093"));
    }
}
