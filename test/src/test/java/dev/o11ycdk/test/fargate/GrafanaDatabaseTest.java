package dev.o11ycdk.test.fargate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.o11ycdk.fargate.GrafanaDatabase;
import dev.o11ycdk.test.support.Cfn;
import dev.o11ycdk.test.support.CfnGuard;
import dev.o11ycdk.test.support.CreateOnly;
import dev.o11ycdk.test.support.Synth;
import dev.o11ycdk.test.support.Tools;
import dev.o11ycdk.test.support.UpgradeCheck;
import dev.o11ycdk.test.support.UsesTools;
import dev.o11ycdk.test.support.CdkJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;

/**
 * grafanaDatabase = aurora on the Fargate layout: {@link GrafanaDatabase} (Aurora PostgreSQL
 * Serverless v2) and two Grafana tasks on it, read from the app's synthesized template.
 */
@UsesTools
class GrafanaDatabaseTest {
    static final Map<String, String> AURORA = Map.of("layouts", "fargate", "grafanaDatabase", "aurora");
    static final Map<String, String> SQLITE = Map.of("layouts", "fargate");
    static final String SAM_APPLICATION = "AWS::Serverless::Application";

    private static Map<String, Object> template(Map<String, String> settings) {
        Synth s = Synth.of(settings);
        return s.templateJson(s.stacks().fargate());
    }

    private static Map<String, Object> aurora() {
        return template(AURORA);
    }

    @SuppressWarnings("unchecked")
    private static Map.Entry<String, Map<String, Object>> only(Map<String, Object> t, String type) {
        Map<String, Map<String, Object>> all = Cfn.byType(t, type);
        assertThat(all).as(type).hasSize(1);
        return all.entrySet().iterator().next();
    }

    @Test
    @SuppressWarnings("unchecked")
    void auroraPostgres17ServerlessV2EncryptedWithItsOwnRotatingKeyProtectedAndSnapshottedOnRemoval() {
        Map<String, Object> t = aurora();
        Map.Entry<String, Map<String, Object>> cluster = only(t, "AWS::RDS::DBCluster");
        Map<String, Object> p = Cfn.props(cluster.getValue());
        assertThat(p).containsEntry("Engine", "aurora-postgresql").containsEntry("EngineVersion", "17.9")
                .containsEntry("StorageEncrypted", true).containsEntry("DeletionProtection", true)
                .containsEntry("BackupRetentionPeriod", 7).containsEntry("Port", 5432).containsEntry("DatabaseName", "grafana");
        assertThat(p.get("ServerlessV2ScalingConfiguration")).isEqualTo(Map.of("MinCapacity", 0.5, "MaxCapacity", 2));
        assertThat(cluster.getValue()).containsEntry("DeletionPolicy", "Snapshot").containsEntry("UpdateReplacePolicy", "Snapshot");
        // Its own key, rotated.
        Object keyRef = ((Map<String, Object>) p.get("KmsKeyId")).get("Fn::GetAtt");
        String keyId = String.valueOf(((List<Object>) keyRef).get(0));
        Map<String, Object> key = (Map<String, Object>) Cfn.resources(t).get(keyId);
        assertThat(key.get("Type")).isEqualTo("AWS::KMS::Key");
        assertThat(Cfn.props(key)).containsEntry("EnableKeyRotation", true);
        assertThat(key).containsEntry("DeletionPolicy", "Retain");
        // One serverless writer, private.
        Map<String, Object> instance = Cfn.props(only(t, "AWS::RDS::DBInstance").getValue());
        assertThat(instance).containsEntry("DBInstanceClass", "db.serverless").containsEntry("PubliclyAccessible", false);
        // In the private subnets.
        Map<String, Object> subnets = Cfn.props(only(t, "AWS::RDS::DBSubnetGroup").getValue());
        assertThat(Cfn.json(subnets.get("SubnetIds")).toLowerCase()).contains("privatesubnet").doesNotContain("publicsubnet");
    }

    @Test
    @SuppressWarnings("unchecked")
    void credentialsAreAGeneratedSecretRotatedEveryThirtyDays() {
        Map<String, Object> t = aurora();
        Map<String, Object> cluster = Cfn.props(only(t, "AWS::RDS::DBCluster").getValue());
        assertThat(cluster.get("MasterUsername")).isEqualTo("grafana");
        assertThat(Cfn.json(cluster.get("MasterUserPassword"))).contains("resolve:secretsmanager").contains("password");
        Map<String, Object> schedule = Cfn.props(only(t, "AWS::SecretsManager::RotationSchedule").getValue());
        assertThat(Cfn.json(schedule.get("RotationRules"))).contains("rate(30 days)");
        // Its first rotation runs at creation: after the writer, the rule that rolls Grafana and its state machine.
        String dependsOn = Cfn.json(only(t, "AWS::SecretsManager::RotationSchedule").getValue().get("DependsOn"));
        for (String type : List.of("AWS::RDS::DBInstance", "AWS::StepFunctions::StateMachine")) {
            assertThat(dependsOn).as(type).contains("\"" + only(t, type).getKey() + "\"");
        }
        assertThat(Cfn.byType(t, "AWS::Events::Rule").keySet().stream().filter(id -> id.contains("OnRotation")).toList())
                .hasSize(1).allSatisfy(id -> assertThat(dependsOn).contains("\"" + id + "\""));
        assertThat(Cfn.byType(t, "AWS::Serverless::Application")).as("the single-user rotation function").hasSize(1);
        assertThat(Cfn.json(Cfn.props(only(t, SAM_APPLICATION).getValue()))).contains("SARMapping");
        assertThat(Cfn.json(t.get("Mappings"))).contains("SecretsManagerRDSPostgreSQLRotationSingleUser");
    }

    @Test
    @SuppressWarnings("unchecked")
    void port5432AdmitsGrafanasTasksAndTheRotationFunctionOnly() {
        Map<String, Object> t = aurora();
        String dbSg = securityGroupOf(t, "AWS::RDS::DBCluster", "VpcSecurityGroupIds");
        String clusterId = only(t, "AWS::RDS::DBCluster").getKey();
        assertThat(Cfn.props(only(t, "AWS::RDS::DBCluster").getValue())).containsEntry("Port", 5432);
        List<Map<String, Object>> ingress = ingressTo(t, dbSg);
        assertThat(ingress).hasSize(2);
        List<String> sources = new ArrayList<>();
        for (Map<String, Object> rule : ingress) {
            // 5432, or the cluster's own port (5432 above), as CDK writes the rotation function's rule.
            for (String end : List.of("FromPort", "ToPort")) {
                Object port = rule.get(end);
                assertThat(port.equals(5432) || Cfn.json(port).equals("{\"Fn::GetAtt\":[\"" + clusterId + "\",\"Endpoint.Port\"]}"))
                        .as(end + " " + port).isTrue();
            }
            assertThat(rule).containsEntry("IpProtocol", "tcp").doesNotContainKey("CidrIp");
            sources.add(String.valueOf(((List<Object>) ((Map<String, Object>) rule.get("SourceSecurityGroupId")).get("Fn::GetAtt")).get(0)));
        }
        String grafanaSg = serviceSecurityGroup(t, "Grafana");
        String rotationSg = Cfn.byType(t, "AWS::EC2::SecurityGroup").keySet().stream()
                .filter(k -> k.contains("RotationSingleUserSecurityGroup")).findFirst().orElseThrow();
        assertThat(sources).containsExactlyInAnyOrder(grafanaSg, rotationSg);
        // The database's own group starts nothing.
        Map<String, Object> sg = Cfn.props((Map<String, Object>) Cfn.resources(t).get(dbSg));
        assertThat(Cfn.json(sg.get("SecurityGroupEgress"))).contains("255.255.255.255/32");
    }

    @Test
    @SuppressWarnings("unchecked")
    void grafanaReadsThePostgresEndpointAndItsCredentialsFromTheSecretNeverInPlainText() {
        Map<String, Object> t = aurora();
        Map<String, Object> container = Cfn.container(t, "Grafana");
        Map<String, Object> env = Cfn.environment(container);
        assertThat(env).containsEntry("GF_DATABASE_TYPE", "postgres").containsEntry("GF_DATABASE_NAME", "grafana")
                .containsEntry("GF_DATABASE_SSL_MODE", "require")
                .containsEntry("GF_UNIFIED_ALERTING_HA_PEERS", "grafana.o11y.local:9094")
                .doesNotContainKeys("GF_DATABASE_USER", "GF_DATABASE_PASSWORD", "GF_PATHS_DATA");
        assertThat(Cfn.json(env.get("GF_DATABASE_HOST"))).contains("Endpoint.Address").contains("Endpoint.Port");
        Map<String, String> secrets = new TreeMap<>();
        for (Map<String, Object> s : (List<Map<String, Object>>) container.get("Secrets")) {
            secrets.put(String.valueOf(s.get("Name")), Cfn.json(s.get("ValueFrom")));
        }
        assertThat(secrets.get("GF_DATABASE_USER")).contains("GrafanaDatabaseClusterSecretAttachment").endsWith(":username::\"]]}");
        assertThat(secrets.get("GF_DATABASE_PASSWORD")).contains("GrafanaDatabaseClusterSecretAttachment").endsWith(":password::\"]]}");
        // Provisioning and dashboards at one path in every task (Grafana keys a provisioned dashboard by its file's path, in the
        // shared database); what each task writes as it runs in a directory of its own on the shared EFS access point.
        assertThat(env).containsEntry("GF_PATHS_PROVISIONING", "/var/lib/grafana/o11y/provisioning");
        String script = String.valueOf(((List<Object>) container.get("Command")).get(0));
        assertThat(script).contains("rm -rf '/var/lib/grafana/o11y'\n", "O11Y_TASK='/var/lib/grafana/tasks'/\"$(hostname)\"\n",
                "mkdir -p \"$O11Y_TASK\" \"$O11Y_TASK\"'/tmp' \"$O11Y_TASK\"'/plugins'\n",
                "export GF_PATHS_DATA=\"$O11Y_TASK\"\n", "export TMPDIR=\"$O11Y_TASK\"'/tmp'\n",
                "export GF_PATHS_PLUGINS=\"$O11Y_TASK\"'/plugins'\n").doesNotContain("rm -rf \"$O11Y_TASK\"");
        assertThat(env.values().stream().map(String::valueOf).filter(v -> v.contains("path: /var/lib/grafana/o11y/dashboards")).count())
                .isEqualTo(1);
    }

    @Test
    @SuppressWarnings("unchecked")
    void twoGrafanaTasksRollWithoutDowntimeAndGossipOn9094AmongThemselvesOnly() {
        Map<String, Object> t = aurora();
        Map<String, Object> service = Cfn.props(t, "AWS::ECS::Service", "GrafanaService");
        Map<String, Object> serviceResource = Cfn.byType(t, "AWS::ECS::Service").entrySet().stream()
                .filter(e -> e.getKey().startsWith("GrafanaService")).map(Map.Entry::getValue).findFirst().orElseThrow();
        assertThat(Cfn.json(serviceResource.get("DependsOn"))).as("the first tasks wait for the writer")
                .contains(only(t, "AWS::RDS::DBInstance").getKey());
        assertThat(service).containsEntry("DesiredCount", 2);
        assertThat((Map<String, Object>) service.get("DeploymentConfiguration")).containsEntry("MinimumHealthyPercent", 100)
                .containsEntry("MaximumPercent", 200);
        String grafanaSg = serviceSecurityGroup(t, "Grafana");
        List<Map<String, Object>> ha = ingressTo(t, grafanaSg).stream().filter(r -> Integer.valueOf(9094).equals(r.get("FromPort"))).toList();
        assertThat(ha).extracting(r -> r.get("IpProtocol")).containsExactlyInAnyOrder("tcp", "udp");
        for (Map<String, Object> r : ha) {
            assertThat(r).containsEntry("ToPort", 9094);
            assertThat(Cfn.json(r.get("SourceSecurityGroupId"))).contains(grafanaSg);
        }
        // sqlite: exactly today's one writer.
        Map<String, Object> one = Cfn.props(template(SQLITE), "AWS::ECS::Service", "GrafanaService");
        assertThat(one).containsEntry("DesiredCount", 1);
        assertThat((Map<String, Object>) one.get("DeploymentConfiguration")).containsEntry("MinimumHealthyPercent", 0)
                .containsEntry("MaximumPercent", 100);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aRotationRedeploysGrafanaThroughAStateMachineThatMayUpdateThatServiceOnly() {
        Map<String, Object> t = aurora();
        Map<String, Object> rule = Cfn.props(t, "AWS::Events::Rule", "GrafanaDatabase");
        Map<String, Object> pattern = (Map<String, Object>) rule.get("EventPattern");
        assertThat(pattern).containsEntry("source", List.of("aws.secretsmanager"));
        Map<String, Object> detail = (Map<String, Object>) pattern.get("detail");
        assertThat(detail).containsEntry("eventName", List.of("RotationSucceeded"));
        assertThat(Cfn.json(detail.get("additionalEventData"))).contains("GrafanaDatabaseClusterSecretAttachment");
        Map.Entry<String, Map<String, Object>> sm = only(t, "AWS::StepFunctions::StateMachine");
        assertThat(Cfn.json(rule.get("Targets"))).contains(sm.getKey());
        String definition = Cfn.json(Cfn.props(sm.getValue()).get("DefinitionString"));
        assertThat(definition).contains(":states:::aws-sdk:ecs:updateService").contains("ForceNewDeployment\\\":true")
                .contains("\"Service\\\":\\\"\",{\"Ref\":\"GrafanaService");
        // The state machine's role: ecs:UpdateService on the Grafana service, nothing else but its logs and traces.
        List<Map<String, Object>> statements = new ArrayList<>();
        Cfn.byType(t, "AWS::IAM::Policy").forEach((id, policy) -> {
            if (id.startsWith("GrafanaDatabaseRedeployGrafanaRoleDefaultPolicy")) {
                statements.addAll((List<Map<String, Object>>) ((Map<String, Object>) Cfn.props(policy).get("PolicyDocument")).get("Statement"));
            }
        });
        List<Map<String, Object>> ecs = statements.stream().filter(s -> Cfn.json(s.get("Action")).contains("ecs:")).toList();
        assertThat(ecs).hasSize(1);
        assertThat(ecs.get(0).get("Action")).isEqualTo("ecs:UpdateService");
        assertThat(Cfn.json(ecs.get(0).get("Resource"))).contains("GrafanaService").doesNotContain("\"*\"");
        // The rule's role may start that state machine only.
        Map<String, Object> ruleRole = Cfn.byType(t, "AWS::IAM::Policy").entrySet().stream()
                .filter(e -> e.getKey().startsWith("GrafanaDatabaseRedeployGrafanaEventsRole")).map(Map.Entry::getValue).findFirst().orElseThrow();
        assertThat(Cfn.json(Cfn.props(ruleRole).get("PolicyDocument"))).contains("states:StartExecution").contains(sm.getKey())
                .doesNotContain("\"*\"");
    }

    @Test
    void cdkNagAndControlTowerPassWithReasonedSuppressionsOnly() {
        Synth s = Synth.of(AURORA);
        Annotations a = Annotations.fromStack(s.stacks().fargate());
        assertThat(a.findError("*", Match.stringLikeRegexp("AwsSolutions-.*"))).isEmpty();
        assertThat(a.findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*"))).isEmpty();
        assertThat(a.findWarning("*", Match.stringLikeRegexp(".*SQLite database on EFS.*"))).isEmpty();
        assertThat(Annotations.fromStack(Synth.of(SQLITE).stacks().fargate()).findWarning("*",
                Match.stringLikeRegexp(".*SQLite database on EFS.*"))).hasSize(1);
        CfnGuard guard = CfnGuard.require();
        java.nio.file.Path file = s.templateFile(s.stacks().fargate());
        CfnGuard.Report r = guard.validate(List.of(file)).get(0);
        Map<String, Object> t = s.templateJson(s.stacks().fargate());
        assertThat(CfnGuard.unsuppressed(t, r.findings())).as("Control Tower findings without a reasoned suppression").isEmpty();
        CfnGuard.suppressions(t).forEach((f, reason) -> assertThat(reason).as(f.toString()).hasSizeGreaterThan(40));
        assertThat(r.findings()).containsAll(CfnGuard.suppressions(t).keySet());
    }

    @Test
    void auroraSynthesizesWithinEveryCloudFormationLimitAndTheGrafanaTaskDefinitionWithinEcss() throws java.io.IOException {
        for (Map<String, String> settings : List.of(SQLITE, AURORA)) {
            Synth s = Synth.of(settings);
            Map<String, Object> t = s.templateJson(s.stacks().fargate());
            long bytes = java.nio.file.Files.size(s.templateFile(s.stacks().fargate()));
            assertThat(dev.o11ycdk.core.StackLimits.check("O11yFargate", t, bytes)).isEmpty();
            int grafanaBytes = s.stacks().fargate().getGrafana().getTaskDefinitionBytes();
            assertThat(grafanaBytes).isLessThan(dev.o11ycdk.fargate.FargatePlatformService.MAX_TASK_DEFINITION_BYTES);
            System.out.printf("grafanaDatabase %s: O11yFargate %d resources, %d template bytes, Grafana task definition %d bytes%n",
                    settings.getOrDefault("grafanaDatabase", "sqlite"), Cfn.resources(t).size(), bytes, grafanaBytes);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void shellcheckAcceptsThePerTaskEntrypoint(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws java.io.IOException {
        String shellcheck = Tools.require("shellcheck", "apt-get install shellcheck");
        String script = String.valueOf(((List<Object>) Cfn.container(aurora(), "Grafana").get("Command")).get(0));
        java.nio.file.Path file = dir.resolve("entrypoint.sh");
        java.nio.file.Files.writeString(file, "#!/bin/sh\n" + script);
        Tools.Result r = Tools.run(List.of(shellcheck, "--severity=style", file.toString()), dir, 60);
        assertThat(r.exitCode()).as(r.output()).isZero();
    }

    @Test
    void cfnLintFindsNoErrors() {
        String cfnLint = Tools.require("cfn-lint", "pip install cfn-lint");
        Synth s = Synth.of(AURORA);
        Tools.Result r = Tools.run(List.of(cfnLint, "--format", "parseable", s.templateFile(s.stacks().fargate()).toString()), null, 300);
        assertThat(r.exitCode() & 3).as("cfn-lint errors:\n" + r.output()).isZero();
    }

    /** Day 2: turning aurora on, or changing its ACUs, replaces nothing that holds data (cfn-lint's createOnlyProperties). */
    @Test
    void switchingToAuroraOrChangingItsCapacityReplacesNothingThatHoldsData() {
        Map<String, Object> sqlite = template(SQLITE);
        Map<String, Object> aurora = aurora();
        Map<String, String> moreAcu = new TreeMap<>(AURORA);
        moreAcu.put("grafanaDatabaseMinAcu", "1");
        moreAcu.put("grafanaDatabaseMaxAcu", "8");
        Map<String, Object> bigger = template(moreAcu);
        assertThat(Cfn.json(bigger)).contains("\"MinCapacity\":1").contains("\"MaxCapacity\":8");
        // The SAM transform makes the rotation function's AWS::Serverless::Application a nested AWS::CloudFormation::Stack.
        java.util.Set<String> types = new java.util.TreeSet<>(UpgradeCheck.types(List.of(sqlite, aurora, bigger)));
        types.remove(SAM_APPLICATION);
        types.add("AWS::CloudFormation::Stack");
        CreateOnly rules = CreateOnly.fromCfnLint(types, String.valueOf(CdkJson.context().get("region")))
                .withAlias(SAM_APPLICATION, "AWS::CloudFormation::Stack");
        List<List<UpgradeCheck.Finding>> steps = new ArrayList<>();
        for (List<Map<String, Object>> pair : List.of(List.of(sqlite, aurora), List.of(aurora, bigger), List.of(aurora, sqlite))) {
            List<UpgradeCheck.Finding> found = UpgradeCheck.compare("O11yFargate", pair.get(0), pair.get(1), rules, Map.of());
            found.forEach(f -> System.out.println("day 2: " + f.line()));
            steps.add(found);
        }
        assertThat(steps.get(0).stream().filter(UpgradeCheck.Finding::fails).map(UpgradeCheck.Finding::line).toList())
                .as("sqlite → aurora").isEmpty();
        assertThat(steps.get(0).stream().map(UpgradeCheck.Finding::logicalId).toList()).as("sqlite → aurora: only the new task "
                + "definition is replaced").containsExactly(Cfn.byType(aurora, "AWS::ECS::TaskDefinition").keySet().stream()
                .filter(k -> k.startsWith("GrafanaTaskDefinition")).findFirst().orElseThrow());
        assertThat(steps.get(1)).as("ACUs 0.5-2 → 1-8: an update in place").isEmpty();
        // aurora → sqlite takes the cluster out of the stack: DeletionPolicy Snapshot keeps its data as a final snapshot
        // (and deletion protection makes CloudFormation leave it running until it is turned off); the retained key and
        // secret still read and open it. Nothing else that holds data goes.
        assertThat(steps.get(2).stream().filter(UpgradeCheck.Finding::fails)
                .filter(f -> !f.type().equals("AWS::RDS::DBCluster") && !f.type().equals("AWS::RDS::DBInstance") && !f.why().contains("Retain"))
                .map(UpgradeCheck.Finding::line).toList()).as("aurora → sqlite").isEmpty();
    }

    private static String serviceSecurityGroup(Map<String, Object> t, String prefix) {
        return Cfn.resources(t).keySet().stream().filter(k -> k.startsWith(prefix + "ServiceSecurityGroup")).findFirst().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static String securityGroupOf(Map<String, Object> t, String type, String property) {
        List<Object> groups = (List<Object>) Cfn.props(only(t, type).getValue()).get(property);
        assertThat(groups).hasSize(1);
        return String.valueOf(((List<Object>) ((Map<String, Object>) groups.get(0)).get("Fn::GetAtt")).get(0));
    }

    /** Every ingress rule into {@code sg}: its own SecurityGroupIngress and the separate AWS::EC2::SecurityGroupIngress resources. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> ingressTo(Map<String, Object> t, String sg) {
        List<Map<String, Object>> out = new ArrayList<>();
        Map<String, Object> group = Cfn.props((Map<String, Object>) Cfn.resources(t).get(sg));
        out.addAll((List<Map<String, Object>>) group.getOrDefault("SecurityGroupIngress", List.of()));
        Cfn.byType(t, "AWS::EC2::SecurityGroupIngress").values().forEach(r -> {
            Map<String, Object> p = Cfn.props(r);
            if (Cfn.json(p.get("GroupId")).contains("\"" + sg + "\"")) {
                out.add(p);
            }
        });
        return out;
    }
}
