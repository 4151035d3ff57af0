package dev.o11ycdk.fargate;

import dev.o11ycdk.config.AlertmanagerConfig;
import dev.o11ycdk.core.internal.SlackRouting;
import java.util.List;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ecs.ICluster;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.amazon.awscdk.services.servicediscovery.INamespace;

/** Properties of {@link AlertmanagerService}. */
public final class AlertmanagerServiceProps {
    private final ICluster cluster;
    private final INamespace namespace;
    private final ISecret slackWebhookSecret;
    private final String criticalChannel;
    private final String warningChannel;
    private final List<String> mutedEnvironments;
    private final String heartbeatUrl;
    private final AlertmanagerConfig config;
    private final String image;
    private final SubnetSelection vpcSubnets;

    private AlertmanagerServiceProps(Builder b) {
        this.cluster = b.cluster;
        this.namespace = b.namespace;
        this.slackWebhookSecret = b.slackWebhookSecret;
        this.criticalChannel = b.criticalChannel != null ? b.criticalChannel : SlackRouting.DEFAULT_CRITICAL_CHANNEL;
        this.warningChannel = b.warningChannel != null ? b.warningChannel : SlackRouting.DEFAULT_WARNING_CHANNEL;
        this.mutedEnvironments = b.mutedEnvironments != null ? List.copyOf(b.mutedEnvironments) : SlackRouting.DEFAULT_MUTED_ENVIRONMENTS;
        this.heartbeatUrl = b.heartbeatUrl;
        this.config = b.config;
        this.image = b.image != null ? b.image : "prom/alertmanager:v0.27.0";
        this.vpcSubnets = b.vpcSubnets;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Required. */
    public ICluster getCluster() {
        return cluster;
    }

    /** @default - the cluster's default Cloud Map namespace */
    public INamespace getNamespace() {
        return namespace;
    }

    /** Secret whose string is the Slack incoming-webhook URL. Required. */
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
     * A dead-man's switch (Healthchecks.io, Cronitor, Dead Man's Snitch: any https URL that counts requests) that
     * receives the always-firing Watchdog every minute and pages when it stops.
     *
     * @default - none: Watchdog goes to a null receiver and nothing notices when alerting is down
     */
    public String getHeartbeatUrl() {
        return heartbeatUrl;
    }

    /** A whole routing tree instead of the seed's. @default - AlertmanagerConfig.seedDefaults(...) */
    public AlertmanagerConfig getConfig() {
        return config;
    }

    /**
     * An Alertmanager image run as uid 65534 on a read-only root file system: it must declare
     * {@code VOLUME ["/alertmanager"]} on a directory that user owns, as prom/alertmanager does (the
     * task-local volume there is the only place it writes).
     *
     * @default prom/alertmanager:v0.27.0
     */
    public String getImage() {
        return image;
    }

    /** Needs internet egress for Slack. @default - private subnets with egress */
    public SubnetSelection getVpcSubnets() {
        return vpcSubnets;
    }

    public static final class Builder {
        private ICluster cluster;
        private INamespace namespace;
        private ISecret slackWebhookSecret;
        private String criticalChannel;
        private String warningChannel;
        private List<String> mutedEnvironments;
        private String heartbeatUrl;
        private AlertmanagerConfig config;
        private String image;
        private SubnetSelection vpcSubnets;

        public Builder cluster(ICluster cluster) {
            this.cluster = cluster;
            return this;
        }

        public Builder namespace(INamespace namespace) {
            this.namespace = namespace;
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

        public Builder config(AlertmanagerConfig config) {
            this.config = config;
            return this;
        }

        public Builder image(String image) {
            this.image = image;
            return this;
        }

        public Builder vpcSubnets(SubnetSelection vpcSubnets) {
            this.vpcSubnets = vpcSubnets;
            return this;
        }

        public AlertmanagerServiceProps build() {
            return new AlertmanagerServiceProps(this);
        }
    }
}
