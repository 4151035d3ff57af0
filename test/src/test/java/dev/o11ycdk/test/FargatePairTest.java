package dev.o11ycdk.test;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.o11ycdk.app.CostReport;
import dev.o11ycdk.app.Settings;
import dev.o11ycdk.config.PrometheusConfig;
import dev.o11ycdk.cost.CostEstimate;
import dev.o11ycdk.fargate.FargatePrometheus;
import dev.o11ycdk.grafana.Datasource;
import dev.o11ycdk.test.support.Cfn;
import dev.o11ycdk.test.support.CfnGuard;
import dev.o11ycdk.test.support.PrometheusTools;
import dev.o11ycdk.test.support.Synth;
import dev.o11ycdk.test.support.Tools;
import dev.o11ycdk.test.support.UsesTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;

/**
 * The Fargate layout with {@code prometheusReplicas = 2} and {@code remoteWrite = create}: two
 * Prometheus services, the second deployed after the first, each on its own EFS access points, with
 * AMP's high-availability labels; Grafana reading AMP as its default datasource with a query-only
 * role; within cdk-nag, the Control Tower rules and cfn-lint.
 */
class FargatePairTest {
    static final Map<String, String> PAIR = Map.of("prometheusReplicas", "2", "remoteWrite", "create");
    private final Synth synth = Synth.of(PAIR);
    private final Map<String, Object> template = synth.templateJson(synth.stacks().fargate());

    @SuppressWarnings("unchecked")
    private Map<String, Map<String, Object>> resources(String type) {
        Map<String, Map<String, Object>> out = new java.util.TreeMap<>();
        Cfn.resources(template).forEach((id, r) -> {
            if (type.equals(((Map<String, Object>) r).get("Type"))) {
                out.put(id, (Map<String, Object>) r);
            }
        });
        return out;
    }

    private String logicalId(String type, String prefix) {
        List<String> ids = resources(type).keySet().stream().filter(id -> id.startsWith(prefix)).toList();
        assertThat(ids).as(type + " " + prefix).hasSize(1);
        return ids.get(0);
    }

    @Test
    void twoServicesTheSecondDeployedAfterTheFirstEachOneTaskStoppedBeforeItsReplacement() {
        String first = logicalId("AWS::ECS::Service", "PrometheusService");
        String second = logicalId("AWS::ECS::Service", "PrometheusReplica2Service");
        Map<String, Object> r2 = resources("AWS::ECS::Service").get(second);
        assertThat(Cfn.json(r2.get("DependsOn"))).as("CloudFormation updates replica 1 first").contains("\"" + first + "\"");
        for (String id : List.of(first, second)) {
            Map<String, Object> p = Cfn.props(resources("AWS::ECS::Service").get(id));
            assertThat(p.get("DesiredCount")).isEqualTo(1);
            assertThat(Cfn.json(p.get("DeploymentConfiguration"))).contains("\"MaximumPercent\":100", "\"MinimumHealthyPercent\":0");
            // One security group for both: every rule that opens a port to Prometheus opens it to the pair.
            assertThat(Cfn.json(Cfn.<Object>at(p, "NetworkConfiguration.AwsvpcConfiguration.SecurityGroups")))
                    .contains(logicalId("AWS::EC2::SecurityGroup", "PrometheusServiceSecurityGroup"));
        }
        // Each replica registers in Cloud Map under its own name; Grafana's local datasource stays prometheus.<ns>.
        assertThat(resources("AWS::ServiceDiscovery::Service").values().stream().map(r -> String.valueOf(Cfn.props(r).get("Name"))).toList())
                .contains("prometheus", "prometheus-2");
        // Both replicas have their health alarms.
        assertThat(resources("AWS::CloudWatch::Alarm").keySet()).anyMatch(id -> id.startsWith("PrometheusReplica2TasksBelowDesired"))
                .anyMatch(id -> id.startsWith("PrometheusTasksBelowDesired"));
        // Healthy means ready (its WAL replayed, scraping): what ECS waits for before CloudFormation moves on to the other.
        for (String td : List.of("PrometheusTaskDefinition", "PrometheusReplica2TaskDefinition")) {
            Map<String, Object> prometheus = Cfn.containers(template, td).stream().filter(c -> "prometheus".equals(c.get("Name")))
                    .findFirst().orElseThrow();
            assertThat(Cfn.json(prometheus.get("HealthCheck"))).as(td).contains("http://127.0.0.1:9090/-/ready", "\"StartPeriod\":300");
        }
        Synth one = Synth.defaults();
        Map<String, Object> single = Cfn.containers(one.templateJson(one.stacks().fargate()), "PrometheusTaskDefinition").stream()
                .filter(c -> "prometheus".equals(c.get("Name"))).findFirst().orElseThrow();
        assertThat(Cfn.json(single.get("HealthCheck"))).contains("/-/healthy", "\"StartPeriod\":60");
    }

    @Test
    @SuppressWarnings("unchecked")
    void eachReplicaWritesItsOwnDirectories() {
        Map<String, String> pathById = new java.util.TreeMap<>();
        resources("AWS::EFS::AccessPoint").forEach((id, r) -> pathById.put(id, String.valueOf(Cfn.<Object>at(Cfn.props(r), "RootDirectory.Path"))));
        assertThat(pathById.values()).contains("/prometheus", "/discovery", "/prometheus-2", "/discovery-2");
        Set<String> used = new TreeSet<>();
        for (String td : List.of("PrometheusTaskDefinition", "PrometheusReplica2TaskDefinition")) {
            List<Map<String, Object>> volumes = (List<Map<String, Object>>) Cfn.props(template, "AWS::ECS::TaskDefinition", td).get("Volumes");
            List<String> paths = new ArrayList<>();
            for (Map<String, Object> v : volumes) {
                String ap = Cfn.json(Cfn.<Object>at(v, "EFSVolumeConfiguration.AuthorizationConfig.AccessPointId"));
                String id = pathById.keySet().stream().filter(ap::contains).findFirst().orElseThrow();
                assertThat(used.add(id)).as("access point " + id + " used by one task definition only").isTrue();
                paths.add(pathById.get(id));
            }
            assertThat(paths).containsExactlyInAnyOrderElementsOf(td.contains("Replica2") ? List.of("/prometheus-2", "/discovery-2")
                    : List.of("/prometheus", "/discovery"));
        }
    }

    @Test
    @UsesTools
    void bothReplicasCarryAmpsHighAvailabilityLabelsAndDropTheReplicaFromAlerts(@TempDir Path dir) throws IOException {
        FargatePrometheus prometheus = synth.stacks().fargate().getPrometheus();
        String one = prometheus.getPrometheusConfig(1).toYaml();
        String two = prometheus.getPrometheusConfig(2).toYaml();
        for (String[] c : new String[][] {{one, "replica-1"}, {two, "replica-2"}}) {
            // AWS, "Send high availability data to Amazon Managed Service for Prometheus": cluster and __replica__.
            assertThat(c[0]).contains("    " + PrometheusConfig.HA_CLUSTER_LABEL + ": O11yFargate\n",
                    "    " + PrometheusConfig.HA_REPLICA_LABEL + ": " + c[1] + "\n",
                    "alerting:\n  alert_relabel_configs:\n    - action: labeldrop\n      regex: __replica__\n");
        }
        // The same jobs and rules: the files differ in the replica label only.
        assertThat(two.replace("replica-2", "replica-1")).isEqualTo(one);
        Map<String, Map<String, String>> files = synth.renderedFiles();
        Map<String, String> rendered = files.get("O11yFargate");
        assertThat(rendered.get("prometheus-2/rules/o11y.yml")).isEqualTo(rendered.get("prometheus/rules/o11y.yml"));
        // Both as the real promtool reads them.
        Files.createDirectories(dir.resolve("rules"));
        Files.writeString(dir.resolve("rules/o11y.yml"), prometheus.getRules().toYaml());
        for (int r = 1; r <= 2; r++) {
            Path f = dir.resolve("prometheus-" + r + ".yml");
            Files.writeString(f, prometheus.getPrometheusConfig(r).toYaml());
            Tools.Result check = Tools.run(List.of(PrometheusTools.promtool(), "check", "config", "--syntax-only", f.toString()), dir, 60);
            assertThat(check.exitCode()).as(check.output()).isZero();
        }
        // The default (one Prometheus) carries neither label.
        assertThat(Synth.defaults().stacks().fargate().getPrometheus().getPrometheusConfig().toYaml())
                .doesNotContain("__replica__").doesNotContain("alert_relabel_configs");
    }

    @Test
    @SuppressWarnings("unchecked")
    void grafanaReadsAmpAsItsDefaultDatasourceWithAQueryOnlyRole() throws IOException {
        Map<String, Object> grafana = Cfn.container(template, "GrafanaTaskDefinition");
        // Grafana 13's core Prometheus datasource has no SigV4: AMP's plugin, pinned, installed before Grafana starts.
        assertThat(Cfn.environment(grafana)).containsEntry("GF_AUTH_SIGV4_AUTH_ENABLED", "true")
                .containsEntry("GF_PLUGINS_PREINSTALL_SYNC", "grafana-amazonprometheus-datasource@" + dev.o11ycdk.core.Versions.GRAFANA_AMP_PLUGIN);
        JsonNode ds = Cfn.YAML.readTree(synth.stacks().fargate().getGrafana().getDatasourcesYaml()).path("datasources");
        JsonNode amp = null;
        for (JsonNode d : ds) {
            if (d.path("uid").asText().equals("prometheus")) {
                amp = d;
            }
        }
        assertThat(amp).as("the dashboards' uid").isNotNull();
        assertThat(amp.path("isDefault").asBoolean()).isTrue();
        assertThat(amp.path("type").asText()).isEqualTo("grafana-amazonprometheus-datasource");
        assertThat(amp.path("url").asText()).startsWith("https://aps-workspaces.ap-northeast-2.amazonaws.com/workspaces/");
        assertThat(amp.path("jsonData").path("sigV4Auth").asBoolean()).isTrue();
        assertThat(amp.path("jsonData").path("sigV4AuthType").asText()).isEqualTo("default");
        assertThat(amp.path("jsonData").path("sigV4Region").asText()).isEqualTo("ap-northeast-2");
        assertThat(ds.findValuesAsText("uid")).containsExactly("prometheus", "prometheus-local", "cloudwatch");

        // Query on that workspace only: the four read actions, its ARN, nothing else of aps.
        String grafanaRole = logicalId("AWS::IAM::Role", "GrafanaTaskDefinitionTaskRole");
        String workspace = logicalId("AWS::APS::Workspace", "AmpWorkspace");
        List<Map<String, Object>> apsStatements = new ArrayList<>();
        for (Map<String, Object> policy : resources("AWS::IAM::Policy").values()) {
            Map<String, Object> p = Cfn.props(policy);
            boolean grafanas = Cfn.json(p.get("Roles")).contains(grafanaRole);
            for (Map<String, Object> st : (List<Map<String, Object>>) Cfn.<Map<String, Object>>at(p, "PolicyDocument").get("Statement")) {
                String actions = Cfn.json(st.get("Action"));
                if (!actions.contains("aps:")) {
                    continue;
                }
                apsStatements.add(st);
                assertThat(st.get("Resource")).as(actions).isEqualTo(Map.of("Fn::GetAtt", List.of(workspace, "Arn")));
                assertThat(st).doesNotContainKey("NotAction");
                if (grafanas) {
                    assertThat((List<String>) st.get("Action")).containsExactlyInAnyOrderElementsOf(Datasource.AMP_QUERY);
                } else {
                    assertThat(st.get("Action")).isEqualTo("aps:RemoteWrite");
                }
            }
        }
        assertThat(apsStatements).as("Grafana's, and each replica's aps:RemoteWrite").hasSize(3);
        Map<String, Object> ws = Cfn.props(resources("AWS::APS::Workspace").get(workspace));
        assertThat((Object) Cfn.at(ws, "WorkspaceConfiguration.RetentionPeriodInDays")).isEqualTo(150);
    }

    @Test
    void cdkNagFindsNothingUnsuppressedAndEverySuppressionHasAReason() throws IOException {
        Stack stack = synth.stacks().fargate();
        Annotations a = Annotations.fromStack(stack);
        assertThat(a.findError("*", Match.stringLikeRegexp("AwsSolutions-.*"))).isEmpty();
        assertThat(a.findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*"))).isEmpty();
        List<String> rows = Files.readAllLines(synth.outdir().resolve("AwsSolutions-O11yFargate-NagReport.csv"));
        assertThat(rows.stream().filter(r -> r.contains("\"Non-Compliant\"")).toList()).isEmpty();
        assertThat(rows.stream().filter(r -> r.contains("/Prometheus/Replica2/") && r.contains("\"Compliant\"")).count())
                .as("nag ran on replica 2").isGreaterThan(5);
        for (String row : rows.stream().filter(r -> r.contains("\"Suppressed\"")).toList()) {
            assertThat(row.substring(row.lastIndexOf(",\"") + 2, row.length() - 1)).as(row).hasSizeGreaterThan(40);
        }
    }

    @Test
    @UsesTools
    @SuppressWarnings("unchecked")
    void controlTowerRulesAndCfnLintPass() throws IOException {
        Path file = synth.templateFile(synth.stacks().fargate());
        CfnGuard.Report report = controlTowerAndCfnLintPass(file);
        assertThat(report.findings().stream().filter(f -> f.resource().startsWith("PrometheusReplica2")).toList())
                .as("replica 2's findings are the same rules as replica 1's")
                .allSatisfy(f -> assertThat(report.findings()).anyMatch(g -> g.rule().equals(f.rule())
                        && g.resource().startsWith("Prometheus") && !g.resource().startsWith("PrometheusReplica2")));
    }

    /** No Control Tower finding without a reasoned suppression, and no cfn-lint error, in the template at {@code file}. */
    @SuppressWarnings("unchecked")
    private static CfnGuard.Report controlTowerAndCfnLintPass(Path file) throws IOException {
        CfnGuard.Report report = CfnGuard.require().validate(List.of(file)).get(0);
        Map<String, Object> t = new ObjectMapper().readValue(Files.readString(file), Map.class);
        assertThat(CfnGuard.unsuppressed(t, report.findings())).as("Control Tower findings without a reasoned suppression").isEmpty();
        CfnGuard.suppressions(t).forEach((f, reason) -> assertThat(reason).as(f.toString()).hasSizeGreaterThan(40));
        Tools.Result r = Tools.run(List.of(Tools.require("cfn-lint", "pip install cfn-lint"), "--format", "parseable", file.toString()), null, 300);
        assertThat(r.exitCode() & 3).as("cfn-lint errors:\n" + r.output()).isZero();
        return report;
    }

    @Test
    @UsesTools
    @SuppressWarnings("unchecked")
    void everyHighAvailabilityOptionTogetherStaysWithinLimitsNagControlTowerAndCfnLint() throws IOException {
        Map<String, String> all = new java.util.HashMap<>(PAIR);
        all.put("grafanaDatabase", "aurora");
        Synth together = Synth.of(all);
        Stack stack = together.stacks().fargate();
        assertThat(Annotations.fromStack(stack).findError("*", Match.stringLikeRegexp("AwsSolutions-.*"))).isEmpty();
        Path file = together.templateFile(stack);
        Map<String, Object> t = new ObjectMapper().readValue(Files.readString(file), Map.class);
        // CloudFormation's hard limits: 500 resources, 1 MB of template through S3.
        assertThat(Cfn.resources(t)).hasSizeLessThan(500);
        assertThat(Files.size(file)).isLessThan(1_000_000L);
        assertThat(Cfn.resources(t).keySet()).anyMatch(id -> id.startsWith("PrometheusReplica2Service"))
                .anyMatch(id -> id.startsWith("GrafanaDatabase")).anyMatch(id -> id.startsWith("AmpWorkspace"));
        controlTowerAndCfnLintPass(file);
    }

    @Test
    @SuppressWarnings("unchecked")
    void withAmpTheShorterLocalRetentionIsAWarningNamingBothSettingsAndTheWorkspaceIsRetained() {
        Synth amp = Synth.of(Map.of("remoteWrite", "create"));
        assertThat(Annotations.fromStack(amp.stacks().fargate()).findWarning("*", Match.stringLikeRegexp(
                "remoteWrite is set, so each Prometheus task keeps ampLocalRetentionDays = 2 days of its own TSDB, not "
                        + "retentionDays = 15: its next start deletes older blocks.*ampLocalRetentionDays = 15 to keep them locally.*")))
                .hasSize(1);
        Synth keep = Synth.of(Map.of("remoteWrite", "create", "ampLocalRetentionDays", "15"));
        assertThat(Annotations.fromStack(keep.stacks().fargate()).findWarning("*", Match.stringLikeRegexp(".*ampLocalRetentionDays.*")))
                .isEmpty();
        // The store Grafana reads outlives the stack's hold on it: dropping remoteWrite leaves the workspace and its samples.
        Map<String, Object> workspace = Cfn.resources(template).entrySet().stream().filter(e -> e.getKey().startsWith("AmpWorkspace"))
                .map(e -> (Map<String, Object>) e.getValue()).findFirst().orElseThrow();
        assertThat(workspace).containsEntry("DeletionPolicy", "Retain").containsEntry("UpdateReplacePolicy", "Retain");
    }

    @Test
    void onEksTheSameSettingIsTwoOperatorReplicasWithTheReplicaLabel() {
        Map<String, Object> eks = synth.templateJson(synth.stacks().eks());
        Map<String, Object> spec = Cfn.at(Cfn.helmValues(eks, "MonitoringKubePrometheusStack"), "prometheus.prometheusSpec");
        assertThat(spec).containsEntry("replicas", 2).containsEntry("replicaExternalLabelName", "__replica__");
        assertThat(Cfn.<Map<String, Object>>at(spec, "externalLabels")).containsEntry("cluster", "O11yEks");
        double one = CostReport.estimate(Synth.defaults().assembly(), Settings.from(Synth.defaults().app()), Synth.defaults().stacks())
                .get("O11yEks").total();
        double two = CostReport.estimate(synth.assembly(), Settings.from(synth.app()), synth.stacks()).get("O11yEks").total();
        System.out.printf(Locale.ROOT, "PAIR cost O11yEks (Seoul): one Prometheus $%.2f, two replicas $%.2f (the second volume)%n", one, two);
        assertThat(two).isGreaterThan(one);
    }

    @Test
    void theCostEstimatePricesTheSecondReplicaAndAmp() {
        double single = fargateTotal(Synth.defaults());
        double pair = fargateTotal(Synth.of(Map.of("prometheusReplicas", "2")));
        CostEstimate withAmp = CostReport.estimate(synth.assembly(), Settings.from(synth.app()), synth.stacks()).get("O11yFargate");
        double ampTotal = withAmp.byCategory().getOrDefault("AMP", 0.0);
        for (Synth s : List.of(Synth.defaults(), Synth.of(Map.of("remoteWrite", "create")), Synth.of(Map.of("prometheusReplicas", "2")), synth)) {
            CostEstimate e = CostReport.estimate(s.assembly(), Settings.from(s.app()), s.stacks()).get("O11yFargate");
            System.out.printf(Locale.ROOT, "PAIR cost by category (replicas %d, AMP %s): %s total $%.2f%n",
                    s.stacks().fargate().getPrometheus().getReplicas(), Settings.from(s.app()).fargate().remoteWrite(), e.byCategory(), e.total());
        }
        System.out.printf(Locale.ROOT, "PAIR cost (Seoul): one Prometheus $%.2f, pair $%.2f (+$%.2f), pair + AMP $%.2f (AMP $%.2f: %s)%n",
                single, pair, pair - single, withAmp.total(), ampTotal,
                withAmp.lines().stream().filter(l -> l.category().equals("AMP")).map(l -> l.item() + String.format(Locale.ROOT, " $%.2f",
                        l.monthlyUsd())).toList());
        // The second task's Fargate hours at least (1 vCPU / 2 GB in Seoul: ~$41.45).
        assertThat(pair - single).isGreaterThan(40);
        assertThat(withAmp.lines()).filteredOn(l -> l.category().equals("AMP")).hasSize(3);
        assertThat(ampTotal).isGreaterThan(0);
        assertThat(withAmp.lines()).filteredOn(l -> l.item().startsWith("PrometheusReplica2Service")).hasSize(1);
    }

    private static double fargateTotal(Synth s) {
        return CostReport.estimate(s.assembly(), Settings.from(s.app()), s.stacks()).get("O11yFargate").total();
    }
}
