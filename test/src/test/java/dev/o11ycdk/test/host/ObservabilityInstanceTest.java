package dev.o11ycdk.test.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.o11ycdk.config.Check;
import dev.o11ycdk.core.PropsException;
import dev.o11ycdk.host.ObservabilityInstance;
import dev.o11ycdk.host.ObservabilityInstanceProps;
import dev.o11ycdk.test.support.FreshStack;
import dev.o11ycdk.test.support.Cfn;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.services.ec2.MachineImage;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.secretsmanager.Secret;

/** {@link ObservabilityInstance} in a stack of its own. */
class ObservabilityInstanceTest {
    private static ObservabilityInstanceProps.Builder props(FreshStack f) {
        return ObservabilityInstanceProps.builder()
                .vpc(f.vpc())
                .slackWebhookSecret(Secret.fromSecretNameV2(f.stack(), "Slack", "o11y/slack-webhook"));
    }

    @Test
    void aPrivateHostWithoutKeyOnIMDSv2WithAnEncryptedVolumeSizedForTheRetention() {
        FreshStack f = FreshStack.of("Host");
        ObservabilityInstance host = new ObservabilityInstance(f.stack(), "Host", props(f).expectedActiveSeries(200_000)
                .retention(Duration.days(30)).build());
        // 30 d x 86,400 / 15 s x 200,000 series x 2 bytes = 64.4 GiB of TSDB; x1.3 + 10 GiB for the OS and Grafana.
        assertThat(host.getVolumeSizeGiB()).isEqualTo(10 + 84);
        assertThat(host.getRetentionSizeGiB()).isEqualTo(71);
        Template t = f.template();
        t.hasResourceProperties("AWS::EC2::Instance", Match.objectLike(Map.of(
                "InstanceType", "t3.medium",
                "Monitoring", true,
                "DisableApiTermination", false,
                "BlockDeviceMappings", List.of(Map.of("DeviceName", "/dev/xvda", "Ebs", Map.of("VolumeSize", 94, "VolumeType", "gp3",
                        "Encrypted", true, "DeleteOnTermination", true))))));
        assertThat(t.findResources("AWS::EC2::Instance").values().iterator().next().toString()).doesNotContain("KeyName");
        t.hasResourceProperties("AWS::EC2::LaunchTemplate", Match.objectLike(Map.of("LaunchTemplateData", Match.objectLike(Map.of(
                "MetadataOptions", Match.objectLike(Map.of("HttpTokens", "required")))))));
        // node_exporter only from the host's own group.
        t.hasResourceProperties("AWS::EC2::SecurityGroupIngress", Match.objectLike(Map.of("FromPort", 9100, "ToPort", 9100)));
        assertThat(host.getRenderedFiles()).containsKeys("/etc/prometheus/prometheus.yml", "/etc/alertmanager/alertmanager.yml");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theDataLivesOnARetainedEncryptedVolumeInTheInstancesZoneBackedUpDailyAndOnlyItsInstanceAttachesIt() {
        FreshStack f = FreshStack.of("Data");
        ObservabilityInstance host = new ObservabilityInstance(f.stack(), "Host", props(f).expectedActiveSeries(200_000)
                .retention(Duration.days(30)).backupRetentionDays(14).build());
        // 64.4 GiB of TSDB x1.25 (size-based retention keeps it at 88 %) + 2 GiB for Grafana and Alertmanager.
        assertThat(host.getDataVolumeSizeGiB()).isEqualTo(81 + 2);
        Map<String, Object> t = f.template().toJSON();
        Map<String, Object> volume = Cfn.resources(t).values().stream().map(r -> (Map<String, Object>) r)
                .filter(r -> "AWS::EC2::Volume".equals(r.get("Type"))).findFirst().orElseThrow();
        assertThat(volume).containsEntry("DeletionPolicy", "Retain").containsEntry("UpdateReplacePolicy", "Retain");
        Map<String, Object> instance = Cfn.props(t, "AWS::EC2::Instance", "Host");
        assertThat((Map<String, Object>) volume.get("Properties")).containsEntry("Size", 83).containsEntry("VolumeType", "gp3")
                .containsEntry("Encrypted", true).containsEntry("AvailabilityZone", instance.get("AvailabilityZone"));
        assertThat(Cfn.json(Cfn.props(t, "AWS::Backup::BackupSelection", "Host"))).contains(":volume/", "HostDataVolume");
        assertThat(Cfn.json(Cfn.props(t, "AWS::Backup::BackupPlan", "Host"))).contains("\"DeleteAfterDays\":14",
                "cron(0 18 * * ? *)");
        assertThat(Cfn.resources(t).values().stream().map(r -> (Map<String, Object>) r)
                .filter(r -> "AWS::Backup::BackupVault".equals(r.get("Type"))).findFirst().orElseThrow())
                .containsEntry("DeletionPolicy", "Retain");
        // ec2:AttachVolume on the volume and on an instance, both carrying the grant's tag.
        String policy = Cfn.json(Cfn.props(t, "AWS::IAM::Policy", "HostRole"));
        assertThat(policy).contains("\"Action\":\"ec2:AttachVolume\"", "ec2:ResourceTag/VolumeGrantAttach-", ":instance/*",
                ":volume/\",{\"Ref\":\"HostDataVolume");
        assertThat(Cfn.json(instance.get("Tags"))).contains("VolumeGrantAttach-");
        assertThat(Cfn.json(volume.get("Properties"))).contains("VolumeGrantAttach-");
        assertThat(t).containsKey("Parameters");
        Map<String, Object> ami = (Map<String, Object>) ((Map<String, Object>) t.get("Parameters")).get("HostAmiId");
        assertThat(ami).containsEntry("Type", "AWS::EC2::Image::Id").doesNotContainKey("Default");
        assertThat(instance.get("ImageId")).isEqualTo(Map.of("Ref", "HostAmiId"));
    }

    /** UserData is "update with some interruption" (a stop/start); the metadata is not a property at all. */
    @Test
    @SuppressWarnings("unchecked")
    void dashboardsRulesScrapeJobsAndReleasesChangeTheMetadataNeverTheUserData() {
        Map<String, Object> base = host(props -> props);
        Map<String, Object> changed = host(props -> props
                .dashboards(List.of(dev.o11ycdk.grafana.Dashboards.nodeExporter(), dev.o11ycdk.grafana.Dashboards.service()))
                .rules(ObservabilityInstance.defaultRules(null).override("ServiceDown",
                        r -> r.withExpr(null, "5m")).toRuleGroups())
                .additionalScrapeJobs(List.of(dev.o11ycdk.config.ScrapeJob.builder("api")
                        .staticTargets(List.of("10.0.1.10:8080"), Map.of()).build()))
                .prometheusRelease(dev.o11ycdk.host.Release.prometheus().withVersion("3.13.9", "a".repeat(64), "b".repeat(64))));
        assertThat(instance(changed).get("UserData")).isEqualTo(instance(base).get("UserData"));
        assertThat(Cfn.json(metadata(changed))).isNotEqualTo(Cfn.json(metadata(base))).contains("3.13.9", "10.0.1.10:8080", "o11y-service");
        // Nothing but the metadata differs on the instance.
        assertThat(instance(changed)).isEqualTo(instance(base));
    }

    @Test
    @SuppressWarnings("unchecked")
    void cfnHupListensBeforeTheFirstApplyAndOneCfnInitRunsAtATime() {
        Map<String, Object> t = host(props -> props);
        Map<String, Object> init = (Map<String, Object>) ((Map<String, Object>) metadata(t)).get("AWS::CloudFormation::Init");
        assertThat(init.get("configSets")).isEqualTo(Map.of("o11y", List.of("clean", "stage", "apply")));
        // A first apply that fails (a download, a check) must still leave the host listening for the next change.
        assertThat(Cfn.json(((Map<String, Object>) init.get("stage")).get("commands"))).contains("systemctl enable --now cfn-hup");
        assertThat(Cfn.json(((Map<String, Object>) init.get("apply")).get("commands"))).doesNotContain("cfn-hup");
        String hook = dev.o11ycdk.test.support.UserData.initFiles(t, Map.of()).get("/etc/cfn/hooks.d/o11y.conf");
        assertThat(hook).contains("action=flock /run/o11y-cfn-init.lock /opt/aws/bin/cfn-init -v ", "triggers=post.update",
                "path=Resources.HostF593FDA4.Metadata.AWS::CloudFormation::Init");
        String userData = dev.o11ycdk.test.support.UserData.of(t);
        assertThat(userData).contains("\nflock /run/o11y-cfn-init.lock /opt/aws/bin/cfn-init -v ", "\nsystemctl restart cfn-hup\n");
        // Fixed ids: a volume moved to another instance keeps its owners.
        assertThat(userData).contains("useradd --system --uid 59090 --gid prometheus", "useradd --system --uid 59300 --gid grafana");
    }

    private Map<String, Object> host(java.util.function.UnaryOperator<ObservabilityInstanceProps.Builder> change) {
        FreshStack f = FreshStack.of("Config");
        new ObservabilityInstance(f.stack(), "Host", change.apply(props(f)).build());
        return f.template().toJSON();
    }

    private static Map<String, Object> instance(Map<String, Object> template) {
        return Cfn.props(template, "AWS::EC2::Instance", "Host");
    }

    @SuppressWarnings("unchecked")
    private static Object metadata(Map<String, Object> template) {
        return Cfn.resources(template).values().stream().map(r -> (Map<String, Object>) r)
                .filter(r -> "AWS::EC2::Instance".equals(r.get("Type"))).findFirst().orElseThrow().get("Metadata");
    }

    @Test
    void aGivenImageIsTheInstancesAndNoParameterIsAsked() {
        FreshStack f = FreshStack.of("Pinned");
        new ObservabilityInstance(f.stack(), "Host", props(f)
                .machineImage(MachineImage.genericLinux(Map.of("ap-northeast-2", "ami-0123456789abcdef0"))).build());
        Map<String, Object> t = f.template().toJSON();
        assertThat(Cfn.props(t, "AWS::EC2::Instance", "Host")).containsEntry("ImageId", "ami-0123456789abcdef0");
        assertThat(Cfn.json(t.getOrDefault("Parameters", Map.of()))).doesNotContain("AmiId");
    }

    @Test
    void theSlackWebhookSecretIsARequiredPropNamedAsTheLibraryNamesIt() {
        FreshStack f = FreshStack.of("NoSlack");
        assertThatThrownBy(() -> ObservabilityInstanceProps.builder().vpc(f.vpc()).build())
                .isInstanceOf(PropsException.class)
                .hasMessage("Cannot build ObservabilityInstanceProps, some of required attributes are not set [slackWebhookSecret]");
    }

    @Test
    void aTsdbAboveGp3sLargestVolumeFailsNamingTheSeries() {
        FreshStack f = FreshStack.of("Huge");
        assertThatThrownBy(() -> new ObservabilityInstance(f.stack(), "Host", props(f).expectedActiveSeries(50_000_000)
                .retention(Duration.days(365)).build()))
                .isInstanceOf(Check.BadValue.class)
                .hasMessageStartingWith("expectedActiveSeries = 50000000: needs a ").hasMessageEndingWith(
                        " GiB volume for 365 days; above the 16 TiB gp3 limit");
    }
}
