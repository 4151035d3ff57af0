package dev.o11ycdk.host;

import dev.o11ycdk.config.RuleGroups;
import dev.o11ycdk.config.ScrapeJob;
import dev.o11ycdk.core.AlertRoutingProps;
import dev.o11ycdk.core.PrometheusBasicsProps;
import dev.o11ycdk.core.internal.PropsStyle;
import dev.o11ycdk.grafana.Dashboard;
import dev.o11ycdk.grafana.Dashboards;
import java.util.List;
import org.immutables.value.Value;
import org.jetbrains.annotations.Nullable;
import software.amazon.awscdk.services.ec2.IMachineImage;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.InstanceClass;
import software.amazon.awscdk.services.ec2.InstanceSize;
import software.amazon.awscdk.services.ec2.InstanceType;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.secretsmanager.ISecret;

/**
 * Properties of {@link ObservabilityInstance}: the host, its pinned releases, its Prometheus
 * ({@link PrometheusBasicsProps}) and where its alerts go ({@link AlertRoutingProps}; the Slack
 * receivers read {@link ObservabilityInstance#SLACK_WEBHOOK_FILE}, written at every boot).
 */
@Value.Immutable
@PropsStyle
public abstract class ObservabilityInstanceProps implements PrometheusBasicsProps, AlertRoutingProps {
    public static Builder builder() {
        return new Builder();
    }

    /** Required. */
    public abstract IVpc getVpc();

    /** @default - private subnets with egress (downloads, EC2 API); never a public IP */
    @Value.Default
    public SubnetSelection getVpcSubnets() {
        return SubnetSelection.builder().subnetType(SubnetType.PRIVATE_WITH_EGRESS).build();
    }

    /** @default t3.medium (2 vCPU, 4 GiB: Prometheus, Grafana, Alertmanager and node_exporter side by side) */
    @Value.Default
    public InstanceType getInstanceType() {
        return InstanceType.of(InstanceClass.T3, InstanceSize.MEDIUM);
    }

    /** @default Release.prometheus() (3.13.2 LTS, checksummed) */
    @Value.Default
    public Release getPrometheusRelease() {
        return Release.prometheus();
    }

    /** @default Release.nodeExporter() (1.12.1, checksummed) */
    @Value.Default
    public Release getNodeExporterRelease() {
        return Release.nodeExporter();
    }

    /** @default Release.grafana() (13.2.3, checksummed) */
    @Value.Default
    public Release getGrafanaRelease() {
        return Release.grafana();
    }

    /** @default Release.alertmanager() (0.34.1, checksummed) */
    @Value.Default
    public Release getAlertmanagerRelease() {
        return Release.alertmanager();
    }

    /** Active series the volume is sized for (about 2 bytes per sample). @default 100000 */
    @Value.Default
    public int getExpectedActiveSeries() {
        return 100_000;
    }

    /** Public Grafana URL (links in alerts, OAuth callbacks). @default - http://localhost:3000/ */
    @Nullable
    public abstract String getGrafanaRootUrl();

    /** Secret holding the Grafana admin password (plain string). @default - a new generated secret */
    @Nullable
    public abstract ISecret getGrafanaAdminSecret();

    /** EC2 instances with this tag (and {@link #getDiscoveryTagValue}) are scraped on node_exporter's port. @default monitoring */
    @Value.Default
    public String getDiscoveryTagKey() {
        return "monitoring";
    }

    /** @default prometheus */
    @Value.Default
    public String getDiscoveryTagValue() {
        return "prometheus";
    }

    /**
     * The {@code env} label of a team's service that does not name its own
     * ({@link IObservabilityHost#scrape}). @default prod
     */
    @Value.Default
    public String getEnvironment() {
        return "prod";
    }

    /** @default - none */
    public abstract List<ScrapeJob> getAdditionalScrapeJobs();

    /** @default - the node_exporter dashboard */
    @Value.Default
    public List<Dashboard> getDashboards() {
        return List.of(Dashboards.nodeExporter());
    }

    /**
     * The host's AMI, pinned: a new one replaces the instance (the data volume moves over). Give the
     * image of {@code instanceType}'s architecture, e.g.
     * {@code MachineImage.genericLinux(Map.of("ap-northeast-2", "ami-..."))}.
     *
     * @default - the template's parameter {@code <id>AmiId} (AWS::EC2::Image::Id, no default: the first
     *          deploy passes it, later deploys keep it), with a synth warning
     */
    @Nullable
    public abstract IMachineImage getMachineImage();

    /**
     * Refuse API termination of the instance. The data is on its own retained volume, so
     * termination loses none of it; protection also stops CloudFormation from terminating the old
     * instance when a new AMI replaces it, and the new one would wait for the volume: turn it off
     * for that deploy (README, "Moving the host to a new AMI").
     *
     * @default false
     */
    @Value.Default
    public boolean isTerminationProtection() {
        return false;
    }

    /**
     * The KMS key of the data volume; the instance's role may then use it to attach the volume.
     * Set it when the account encrypts EBS with a customer-managed key by default: without it, the
     * role has no {@code kms:CreateGrant} on that key and the attach fails.
     *
     * @default - the account's default EBS encryption key
     */
    @Nullable
    public abstract IKey getDataVolumeEncryptionKey();

    /** How long the daily backups of the data volume are kept. @default 35 */
    @Value.Default
    public int getBackupRetentionDays() {
        return 35;
    }

    /** @default ObservabilityInstance.defaultRules(runbookBaseUrl): the defaults without the rules on ECS metrics */
    @Override
    @Nullable
    public abstract RuleGroups getRules();

    public static final class Builder extends ImmutableObservabilityInstanceProps.Builder {
        /** The EC2 tag of the instances Prometheus scrapes on node_exporter's port. */
        public Builder discoveryTag(String key, String value) {
            return discoveryTagKey(key).discoveryTagValue(value);
        }
    }
}
