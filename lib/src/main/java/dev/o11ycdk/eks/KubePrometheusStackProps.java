package dev.o11ycdk.eks;

import dev.o11ycdk.config.AlertRules;
import dev.o11ycdk.config.AlertmanagerConfig;
import dev.o11ycdk.config.RuleGroups;
import dev.o11ycdk.core.ComputeSize;
import dev.o11ycdk.core.ScrapeTarget;
import dev.o11ycdk.core.internal.SlackRouting;
import java.util.List;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.eks_v2.ICluster;
import software.amazon.awscdk.services.route53.IHostedZone;
import software.amazon.awscdk.services.secretsmanager.ISecret;

/** Properties of {@link KubePrometheusStack}. */
public final class KubePrometheusStackProps {
    /** kube-prometheus-stack (Prometheus, Alertmanager, Grafana, node-exporter, kube-state-metrics, operator). */
    public static final String KUBE_PROMETHEUS_STACK_VERSION = "88.5.3";
    /** grafana/loki, single binary. */
    public static final String LOKI_VERSION = "6.29.0";
    /** grafana/alloy, the log shipper (Promtail's successor). */
    public static final String ALLOY_VERSION = "0.12.5";
    /** external-secrets, which copies Secrets Manager secrets into Kubernetes Secrets. */
    public static final String EXTERNAL_SECRETS_VERSION = "2.0.0";

    private final ICluster cluster;
    private final String namespace;
    private final String domainName;
    private final String certificateArn;
    private final IHostedZone hostedZone;
    private final List<String> grafanaAllowedCidrs;
    private final List<String> prometheusAllowedCidrs;
    private final boolean prometheusPublic;
    private final String environment;
    private final String scrapeInterval;
    private final Duration retention;
    private final Long expectedActiveSeries;
    private final List<ScrapeTarget> services;
    private final Duration logRetention;
    private final int logGiBPerDay;
    private final ISecret slackWebhookSecret;
    private final ISecret grafanaAdminSecret;
    private final String criticalChannel;
    private final String warningChannel;
    private final List<String> mutedEnvironments;
    private final String heartbeatUrl;
    private final String runbookBaseUrl;
    private final RuleGroups rules;
    private final AlertmanagerConfig alertmanagerConfig;
    private final String kubePrometheusStackVersion;
    private final String lokiVersion;
    private final String alloyVersion;
    private final String externalSecretsVersion;
    private final boolean installEbsCsiDriver;
    private final String storageClassName;
    private final boolean defaultStorageClass;

    private KubePrometheusStackProps(Builder b) {
        this.cluster = b.cluster;
        this.namespace = b.namespace != null ? b.namespace : "monitoring";
        this.domainName = b.domainName;
        this.certificateArn = b.certificateArn;
        this.hostedZone = b.hostedZone;
        this.grafanaAllowedCidrs = b.grafanaAllowedCidrs != null ? List.copyOf(b.grafanaAllowedCidrs) : List.of("0.0.0.0/0");
        this.prometheusAllowedCidrs = b.prometheusAllowedCidrs != null ? List.copyOf(b.prometheusAllowedCidrs) : List.of("10.0.0.0/8");
        this.prometheusPublic = b.prometheusPublic;
        this.environment = b.environment != null ? b.environment : "prod";
        this.scrapeInterval = b.scrapeInterval != null ? b.scrapeInterval : "15s";
        this.retention = b.retention != null ? b.retention : Duration.days(15);
        this.expectedActiveSeries = b.expectedActiveSeries;
        this.services = b.services != null ? List.copyOf(b.services) : List.of();
        this.logRetention = b.logRetention != null ? b.logRetention : Duration.days(7);
        this.logGiBPerDay = b.logGiBPerDay != null ? b.logGiBPerDay : 2;
        this.slackWebhookSecret = b.slackWebhookSecret;
        this.grafanaAdminSecret = b.grafanaAdminSecret;
        this.criticalChannel = b.criticalChannel != null ? b.criticalChannel : SlackRouting.DEFAULT_CRITICAL_CHANNEL;
        this.warningChannel = b.warningChannel != null ? b.warningChannel : SlackRouting.DEFAULT_WARNING_CHANNEL;
        this.mutedEnvironments = b.mutedEnvironments != null ? List.copyOf(b.mutedEnvironments) : SlackRouting.DEFAULT_MUTED_ENVIRONMENTS;
        this.heartbeatUrl = b.heartbeatUrl;
        this.runbookBaseUrl = b.runbookBaseUrl != null ? b.runbookBaseUrl : AlertRules.DEFAULT_RUNBOOKS;
        this.rules = b.rules;
        this.alertmanagerConfig = b.alertmanagerConfig;
        this.kubePrometheusStackVersion = b.kubePrometheusStackVersion != null ? b.kubePrometheusStackVersion : KUBE_PROMETHEUS_STACK_VERSION;
        this.lokiVersion = b.lokiVersion != null ? b.lokiVersion : LOKI_VERSION;
        this.alloyVersion = b.alloyVersion != null ? b.alloyVersion : ALLOY_VERSION;
        this.externalSecretsVersion = b.externalSecretsVersion != null ? b.externalSecretsVersion : EXTERNAL_SECRETS_VERSION;
        this.installEbsCsiDriver = b.installEbsCsiDriver;
        this.storageClassName = b.storageClassName != null ? b.storageClassName : "gp3";
        this.defaultStorageClass = b.defaultStorageClass != null ? b.defaultStorageClass : true;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The cluster: one the app creates, or {@code Cluster.fromClusterAttributes} with a kubectl provider. Required. */
    public ICluster getCluster() {
        return cluster;
    }

    /** @default monitoring */
    public String getNamespace() {
        return namespace;
    }

    /** Grafana answers at grafana.&lt;domainName&gt;, Prometheus at prometheus.&lt;domainName&gt;. Required. */
    public String getDomainName() {
        return domainName;
    }

    /** ACM certificate (in the cluster's region) for both host names, on the ALB's HTTPS listener. Required. */
    public String getCertificateArn() {
        return certificateArn;
    }

    /** @default - no DNS records: point grafana./prometheus. at the ALBs yourself */
    public IHostedZone getHostedZone() {
        return hostedZone;
    }

    /** @default 0.0.0.0/0 */
    public List<String> getGrafanaAllowedCidrs() {
        return grafanaAllowedCidrs;
    }

    /** Who may reach prometheus.&lt;domainName&gt;. @default 10.0.0.0/8 */
    public List<String> getPrometheusAllowedCidrs() {
        return prometheusAllowedCidrs;
    }

    /** An internet-facing ALB for Prometheus instead of an internal one. @default false */
    public boolean isPrometheusPublic() {
        return prometheusPublic;
    }

    /** The {@code env} external label on every series and alert. @default prod */
    public String getEnvironment() {
        return environment;
    }

    /** @default 15s */
    public String getScrapeInterval() {
        return scrapeInterval;
    }

    /** @default 15 days */
    public Duration getRetention() {
        return retention;
    }

    /** Sizes Prometheus' memory, CPU and volume. @default - from the number of services ({@link ComputeSize#expectedSeries}) */
    public Long getExpectedActiveSeries() {
        return expectedActiveSeries;
    }

    /** Services scraped by Service name and port, each at its own metrics path. @default none */
    public List<ScrapeTarget> getServices() {
        return services;
    }

    /** @default 7 days */
    public Duration getLogRetention() {
        return logRetention;
    }

    /** Log volume the cluster writes a day, which sizes Loki's volume. @default 2 */
    public int getLogGiBPerDay() {
        return logGiBPerDay;
    }

    /** Secret whose string is the Slack incoming-webhook URL. Required. */
    public ISecret getSlackWebhookSecret() {
        return slackWebhookSecret;
    }

    /** Secret whose string is Grafana's admin password. @default - a generated secret */
    public ISecret getGrafanaAdminSecret() {
        return grafanaAdminSecret;
    }

    /** @default #alerts-critical */
    public String getCriticalChannel() {
        return criticalChannel;
    }

    /** @default #alerts-warning */
    public String getWarningChannel() {
        return warningChannel;
    }

    /** @default [test] */
    public List<String> getMutedEnvironments() {
        return mutedEnvironments;
    }

    /** @default - Watchdog goes nowhere */
    public String getHeartbeatUrl() {
        return heartbeatUrl;
    }

    /** @default docs/runbooks.md */
    public String getRunbookBaseUrl() {
        return runbookBaseUrl;
    }

    /** @default {@link KubePrometheusStack#defaultRules} */
    public RuleGroups getRules() {
        return rules;
    }

    /** @default the seed's routing (severity to Slack, muted env to null) */
    public AlertmanagerConfig getAlertmanagerConfig() {
        return alertmanagerConfig;
    }

    /** @default {@link #KUBE_PROMETHEUS_STACK_VERSION} */
    public String getKubePrometheusStackVersion() {
        return kubePrometheusStackVersion;
    }

    /** @default {@link #LOKI_VERSION} */
    public String getLokiVersion() {
        return lokiVersion;
    }

    /** @default {@link #ALLOY_VERSION} */
    public String getAlloyVersion() {
        return alloyVersion;
    }

    /** @default {@link #EXTERNAL_SECRETS_VERSION} */
    public String getExternalSecretsVersion() {
        return externalSecretsVersion;
    }

    /**
     * Installs the aws-ebs-csi-driver add-on with its own Pod Identity role (seed 004, problem 10);
     * false for a cluster that already has it. @default true
     */
    public boolean isInstallEbsCsiDriver() {
        return installEbsCsiDriver;
    }

    /**
     * The StorageClass the construct makes (encrypted gp3, Retain) and every volume claims. On a
     * cluster you do not own, pick a name its owner does not use (e.g. o11y-gp3). @default gp3
     */
    public String getStorageClassName() {
        return storageClassName;
    }

    /**
     * Marks that class the cluster's default, so no claim waits for a class (seed 004, problem 9);
     * false on a cluster that already has a default. @default true
     */
    public boolean isDefaultStorageClass() {
        return defaultStorageClass;
    }

    public static final class Builder {
        private ICluster cluster;
        private String namespace;
        private String domainName;
        private String certificateArn;
        private IHostedZone hostedZone;
        private List<String> grafanaAllowedCidrs;
        private List<String> prometheusAllowedCidrs;
        private boolean prometheusPublic;
        private String environment;
        private String scrapeInterval;
        private Duration retention;
        private Long expectedActiveSeries;
        private List<ScrapeTarget> services;
        private Duration logRetention;
        private Integer logGiBPerDay;
        private ISecret slackWebhookSecret;
        private ISecret grafanaAdminSecret;
        private String criticalChannel;
        private String warningChannel;
        private List<String> mutedEnvironments;
        private String heartbeatUrl;
        private String runbookBaseUrl;
        private RuleGroups rules;
        private AlertmanagerConfig alertmanagerConfig;
        private String kubePrometheusStackVersion;
        private String lokiVersion;
        private String alloyVersion;
        private String externalSecretsVersion;
        private boolean installEbsCsiDriver = true;
        private String storageClassName;
        private Boolean defaultStorageClass;

        private Builder() {
        }

        public Builder cluster(ICluster v) {
            this.cluster = v;
            return this;
        }

        public Builder namespace(String v) {
            this.namespace = v;
            return this;
        }

        public Builder domainName(String v) {
            this.domainName = v;
            return this;
        }

        public Builder certificateArn(String v) {
            this.certificateArn = v;
            return this;
        }

        public Builder hostedZone(IHostedZone v) {
            this.hostedZone = v;
            return this;
        }

        public Builder grafanaAllowedCidrs(List<String> v) {
            this.grafanaAllowedCidrs = v;
            return this;
        }

        public Builder prometheusAllowedCidrs(List<String> v) {
            this.prometheusAllowedCidrs = v;
            return this;
        }

        public Builder prometheusPublic(boolean v) {
            this.prometheusPublic = v;
            return this;
        }

        public Builder environment(String v) {
            this.environment = v;
            return this;
        }

        public Builder scrapeInterval(String v) {
            this.scrapeInterval = v;
            return this;
        }

        public Builder retention(Duration v) {
            this.retention = v;
            return this;
        }

        public Builder expectedActiveSeries(Long v) {
            this.expectedActiveSeries = v;
            return this;
        }

        public Builder services(List<ScrapeTarget> v) {
            this.services = v;
            return this;
        }

        public Builder logRetention(Duration v) {
            this.logRetention = v;
            return this;
        }

        public Builder logGiBPerDay(int v) {
            this.logGiBPerDay = v;
            return this;
        }

        public Builder slackWebhookSecret(ISecret v) {
            this.slackWebhookSecret = v;
            return this;
        }

        public Builder grafanaAdminSecret(ISecret v) {
            this.grafanaAdminSecret = v;
            return this;
        }

        public Builder criticalChannel(String v) {
            this.criticalChannel = v;
            return this;
        }

        public Builder warningChannel(String v) {
            this.warningChannel = v;
            return this;
        }

        public Builder mutedEnvironments(List<String> v) {
            this.mutedEnvironments = v;
            return this;
        }

        public Builder heartbeatUrl(String v) {
            this.heartbeatUrl = v;
            return this;
        }

        public Builder runbookBaseUrl(String v) {
            this.runbookBaseUrl = v;
            return this;
        }

        public Builder rules(RuleGroups v) {
            this.rules = v;
            return this;
        }

        public Builder alertmanagerConfig(AlertmanagerConfig v) {
            this.alertmanagerConfig = v;
            return this;
        }

        public Builder kubePrometheusStackVersion(String v) {
            this.kubePrometheusStackVersion = v;
            return this;
        }

        public Builder lokiVersion(String v) {
            this.lokiVersion = v;
            return this;
        }

        public Builder alloyVersion(String v) {
            this.alloyVersion = v;
            return this;
        }

        public Builder externalSecretsVersion(String v) {
            this.externalSecretsVersion = v;
            return this;
        }

        public Builder installEbsCsiDriver(boolean v) {
            this.installEbsCsiDriver = v;
            return this;
        }

        public Builder storageClassName(String v) {
            this.storageClassName = v;
            return this;
        }

        public Builder defaultStorageClass(boolean v) {
            this.defaultStorageClass = v;
            return this;
        }

        public KubePrometheusStackProps build() {
            return new KubePrometheusStackProps(this);
        }
    }
}
