package dev.o11ycdk.host;

import dev.o11ycdk.config.AlertRules;
import dev.o11ycdk.config.AlertmanagerConfig;
import dev.o11ycdk.config.RuleGroups;
import dev.o11ycdk.config.ScrapeJob;
import dev.o11ycdk.core.internal.SlackRouting;
import dev.o11ycdk.fargate.AlertmanagerService;
import dev.o11ycdk.grafana.Dashboard;
import dev.o11ycdk.grafana.Dashboards;
import dev.o11ycdk.host.Release;
import java.util.List;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.InstanceClass;
import software.amazon.awscdk.services.ec2.InstanceSize;
import software.amazon.awscdk.services.ec2.InstanceType;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.secretsmanager.ISecret;

/** Properties of {@link ObservabilityInstance}. */
public final class ObservabilityInstanceProps {
    private final IVpc vpc;
    private final SubnetSelection vpcSubnets;
    private final InstanceType instanceType;
    private final Release prometheusRelease;
    private final Release nodeExporterRelease;
    private final Release grafanaRelease;
    private final Release alertmanagerRelease;
    private final ISecret slackWebhookSecret;
    private final String criticalChannel;
    private final String warningChannel;
    private final List<String> mutedEnvironments;
    private final String heartbeatUrl;
    private final AlertmanagerConfig alertmanagerConfig;
    private final Duration retention;
    private final String scrapeInterval;
    private final int expectedActiveSeries;
    private final String grafanaRootUrl;
    private final ISecret grafanaAdminSecret;
    private final String discoveryTagKey;
    private final String discoveryTagValue;
    private final List<ScrapeJob> additionalScrapeJobs;
    private final List<Dashboard> dashboards;
    private final boolean terminationProtection;
    private final RuleGroups rules;
    private final String runbookBaseUrl;

    private ObservabilityInstanceProps(Builder b) {
        this.vpc = b.vpc;
        this.vpcSubnets = b.vpcSubnets != null ? b.vpcSubnets
                : SubnetSelection.builder().subnetType(SubnetType.PRIVATE_WITH_EGRESS).build();
        this.instanceType = b.instanceType != null ? b.instanceType : InstanceType.of(InstanceClass.T3, InstanceSize.MEDIUM);
        this.prometheusRelease = b.prometheusRelease != null ? b.prometheusRelease : Release.prometheus();
        this.nodeExporterRelease = b.nodeExporterRelease != null ? b.nodeExporterRelease : Release.nodeExporter();
        this.grafanaRelease = b.grafanaRelease != null ? b.grafanaRelease : Release.grafana();
        this.alertmanagerRelease = b.alertmanagerRelease != null ? b.alertmanagerRelease : Release.alertmanager();
        this.slackWebhookSecret = b.slackWebhookSecret;
        this.criticalChannel = b.criticalChannel != null ? b.criticalChannel : SlackRouting.DEFAULT_CRITICAL_CHANNEL;
        this.warningChannel = b.warningChannel != null ? b.warningChannel : SlackRouting.DEFAULT_WARNING_CHANNEL;
        this.mutedEnvironments = b.mutedEnvironments != null ? List.copyOf(b.mutedEnvironments) : SlackRouting.DEFAULT_MUTED_ENVIRONMENTS;
        this.heartbeatUrl = b.heartbeatUrl;
        this.alertmanagerConfig = b.alertmanagerConfig;
        this.retention = b.retention != null ? b.retention : Duration.days(15);
        this.scrapeInterval = b.scrapeInterval != null ? b.scrapeInterval : "15s";
        this.expectedActiveSeries = b.expectedActiveSeries != null ? b.expectedActiveSeries : 100_000;
        this.grafanaRootUrl = b.grafanaRootUrl;
        this.grafanaAdminSecret = b.grafanaAdminSecret;
        this.discoveryTagKey = b.discoveryTagKey != null ? b.discoveryTagKey : "monitoring";
        this.discoveryTagValue = b.discoveryTagValue != null ? b.discoveryTagValue : "prometheus";
        this.additionalScrapeJobs = b.additionalScrapeJobs != null ? List.copyOf(b.additionalScrapeJobs) : List.of();
        this.dashboards = b.dashboards != null ? List.copyOf(b.dashboards) : List.of(Dashboards.nodeExporter());
        this.terminationProtection = b.terminationProtection == null || b.terminationProtection;
        this.rules = b.rules;
        this.runbookBaseUrl = b.runbookBaseUrl != null ? b.runbookBaseUrl : AlertRules.DEFAULT_RUNBOOKS;
    }

    /** @default ObservabilityInstance.defaultRules(runbookBaseUrl): the defaults without the rules on ECS metrics */
    public RuleGroups getRules() {
        return rules;
    }

    /** @default AlertRules.DEFAULT_RUNBOOKS */
    public String getRunbookBaseUrl() {
        return runbookBaseUrl;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Required. */
    public IVpc getVpc() {
        return vpc;
    }

    /** @default - private subnets with egress (downloads, EC2 API); never a public IP */
    public SubnetSelection getVpcSubnets() {
        return vpcSubnets;
    }

    /** @default t3.medium (2 vCPU, 4 GiB: Prometheus, Grafana, Alertmanager and node_exporter side by side) */
    public InstanceType getInstanceType() {
        return instanceType;
    }

    /** @default Release.prometheus() (2.51.1, checksummed) */
    public Release getPrometheusRelease() {
        return prometheusRelease;
    }

    /** @default Release.nodeExporter() (1.7.0, checksummed) */
    public Release getNodeExporterRelease() {
        return nodeExporterRelease;
    }

    /** @default Release.grafana() (10.4.2, checksummed) */
    public Release getGrafanaRelease() {
        return grafanaRelease;
    }

    /** @default Release.alertmanager() (0.27.0, checksummed) */
    public Release getAlertmanagerRelease() {
        return alertmanagerRelease;
    }

    /**
     * Secret whose string is the Slack incoming-webhook URL. The host reads it at every boot through
     * its instance role; it is never in the user data or the template. Required.
     */
    public ISecret getSlackWebhookSecret() {
        return slackWebhookSecret;
    }

    /** @default #alerts-critical */
    public String getCriticalChannel() {
        return criticalChannel;
    }

    /** @default #alerts-warning */
    public String getWarningChannel() {
        return warningChannel;
    }

    /** Environments whose alerts go to the null receiver (seed 004). @default test */
    public List<String> getMutedEnvironments() {
        return mutedEnvironments;
    }

    /**
     * A dead-man's switch that receives the always-firing Watchdog every minute (as AlertmanagerService's).
     *
     * @default - none: Watchdog goes to a null receiver
     */
    public String getHeartbeatUrl() {
        return heartbeatUrl;
    }

    /**
     * A whole routing tree instead of the seed's; its Slack receivers must read
     * {@link ObservabilityInstance#SLACK_WEBHOOK_FILE}.
     * @default - AlertmanagerConfig.seedDefaults(...), as AlertmanagerService
     */
    public AlertmanagerConfig getAlertmanagerConfig() {
        return alertmanagerConfig;
    }

    /** TSDB retention; also sizes the EBS volume. @default 15 days */
    public Duration getRetention() {
        return retention;
    }

    /** @default 15s */
    public String getScrapeInterval() {
        return scrapeInterval;
    }

    /** Active series the volume is sized for (about 2 bytes per sample). @default 100000 */
    public int getExpectedActiveSeries() {
        return expectedActiveSeries;
    }

    /** Public Grafana URL (links in alerts, OAuth callbacks). @default - http://localhost:3000/ */
    public String getGrafanaRootUrl() {
        return grafanaRootUrl;
    }

    /** Secret holding the Grafana admin password (plain string). @default - a new generated secret */
    public ISecret getGrafanaAdminSecret() {
        return grafanaAdminSecret;
    }

    /** EC2 instances with this tag are scraped on node_exporter's port. @default monitoring */
    public String getDiscoveryTagKey() {
        return discoveryTagKey;
    }

    /** @default prometheus */
    public String getDiscoveryTagValue() {
        return discoveryTagValue;
    }

    /** @default - none */
    public List<ScrapeJob> getAdditionalScrapeJobs() {
        return additionalScrapeJobs;
    }

    /** @default - the node_exporter dashboard */
    public List<Dashboard> getDashboards() {
        return dashboards;
    }

    /** The host keeps the TSDB and Grafana's state: refuse API termination. @default true */
    public boolean isTerminationProtection() {
        return terminationProtection;
    }

    public static final class Builder {
        private IVpc vpc;
        private SubnetSelection vpcSubnets;
        private InstanceType instanceType;
        private Release prometheusRelease;
        private Release nodeExporterRelease;
        private Release grafanaRelease;
        private Release alertmanagerRelease;
        private ISecret slackWebhookSecret;
        private String criticalChannel;
        private String warningChannel;
        private List<String> mutedEnvironments;
        private String heartbeatUrl;
        private AlertmanagerConfig alertmanagerConfig;
        private Duration retention;
        private String scrapeInterval;
        private Integer expectedActiveSeries;
        private String grafanaRootUrl;
        private ISecret grafanaAdminSecret;
        private String discoveryTagKey;
        private String discoveryTagValue;
        private List<ScrapeJob> additionalScrapeJobs;
        private List<Dashboard> dashboards;
        private Boolean terminationProtection;
        private RuleGroups rules;
        private String runbookBaseUrl;

        public Builder rules(RuleGroups rules) {
            this.rules = rules;
            return this;
        }

        public Builder runbookBaseUrl(String url) {
            this.runbookBaseUrl = url;
            return this;
        }

        public Builder vpc(IVpc vpc) {
            this.vpc = vpc;
            return this;
        }

        public Builder vpcSubnets(SubnetSelection vpcSubnets) {
            this.vpcSubnets = vpcSubnets;
            return this;
        }

        public Builder instanceType(InstanceType instanceType) {
            this.instanceType = instanceType;
            return this;
        }

        public Builder prometheusRelease(Release release) {
            this.prometheusRelease = release;
            return this;
        }

        public Builder nodeExporterRelease(Release release) {
            this.nodeExporterRelease = release;
            return this;
        }

        public Builder grafanaRelease(Release release) {
            this.grafanaRelease = release;
            return this;
        }

        public Builder alertmanagerRelease(Release release) {
            this.alertmanagerRelease = release;
            return this;
        }

        public Builder slackWebhookSecret(ISecret secret) {
            this.slackWebhookSecret = secret;
            return this;
        }

        public Builder criticalChannel(String channel) {
            this.criticalChannel = channel;
            return this;
        }

        public Builder warningChannel(String channel) {
            this.warningChannel = channel;
            return this;
        }

        public Builder heartbeatUrl(String url) {
            this.heartbeatUrl = url;
            return this;
        }

        public Builder mutedEnvironments(List<String> envs) {
            this.mutedEnvironments = envs;
            return this;
        }

        public Builder alertmanagerConfig(AlertmanagerConfig config) {
            this.alertmanagerConfig = config;
            return this;
        }

        public Builder retention(Duration retention) {
            this.retention = retention;
            return this;
        }

        public Builder scrapeInterval(String scrapeInterval) {
            this.scrapeInterval = scrapeInterval;
            return this;
        }

        public Builder expectedActiveSeries(int expectedActiveSeries) {
            this.expectedActiveSeries = expectedActiveSeries;
            return this;
        }

        public Builder grafanaRootUrl(String grafanaRootUrl) {
            this.grafanaRootUrl = grafanaRootUrl;
            return this;
        }

        public Builder grafanaAdminSecret(ISecret grafanaAdminSecret) {
            this.grafanaAdminSecret = grafanaAdminSecret;
            return this;
        }

        public Builder discoveryTag(String key, String value) {
            this.discoveryTagKey = key;
            this.discoveryTagValue = value;
            return this;
        }

        public Builder additionalScrapeJobs(List<ScrapeJob> jobs) {
            this.additionalScrapeJobs = jobs;
            return this;
        }

        public Builder dashboards(List<Dashboard> dashboards) {
            this.dashboards = dashboards;
            return this;
        }

        public Builder terminationProtection(boolean terminationProtection) {
            this.terminationProtection = terminationProtection;
            return this;
        }

        public ObservabilityInstanceProps build() {
            return new ObservabilityInstanceProps(this);
        }
    }
}
