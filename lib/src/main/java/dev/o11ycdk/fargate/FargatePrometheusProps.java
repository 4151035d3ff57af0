package dev.o11ycdk.fargate;

import dev.o11ycdk.config.AlertRules;
import dev.o11ycdk.config.RuleGroups;
import dev.o11ycdk.core.ComputeSize;
import dev.o11ycdk.core.PrometheusSizing;
import dev.o11ycdk.core.ScrapeTarget;
import java.util.List;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.ecs.ICluster;
import software.amazon.awscdk.services.servicediscovery.INamespace;

/** Properties of {@link FargatePrometheus}. */
public final class FargatePrometheusProps {
    /** The ECS discovery sidecar: AWS Distro for OpenTelemetry collector, with its ecs_observer extension. */
    public static final String DEFAULT_DISCOVERY_IMAGE = "public.ecr.aws/aws-observability/aws-otel-collector:v0.49.0";

    private final ICluster cluster;
    private final INamespace namespace;
    private final EfsStorage storage;
    private final ComputeSize size;
    private final Long expectedActiveSeries;
    private final String image;
    private final String scrapeInterval;
    private final String evaluationInterval;
    private final Duration retention;
    private final List<ScrapeTarget> services;
    private final String environment;
    private final List<String> discoveryClusters;
    private final String discoveryInterval;
    private final String discoveryImage;
    private final String ec2DiscoveryTagKey;
    private final String ec2DiscoveryTagValue;
    private final RuleGroups rules;
    private final RemoteWrite remoteWrite;
    private final int desiredCount;
    private final String runbookBaseUrl;

    private FargatePrometheusProps(Builder b) {
        this.cluster = b.cluster;
        this.namespace = b.namespace;
        this.storage = b.storage;
        this.size = b.size;
        this.expectedActiveSeries = b.expectedActiveSeries;
        this.image = b.image != null ? b.image : "prom/prometheus:v2.51.1";
        this.scrapeInterval = b.scrapeInterval != null ? b.scrapeInterval : "15s";
        this.evaluationInterval = b.evaluationInterval != null ? b.evaluationInterval : "15s";
        this.retention = b.retention != null ? b.retention : Duration.days(15);
        this.services = b.services != null ? List.copyOf(b.services) : List.of();
        this.environment = b.environment != null ? b.environment : "prod";
        this.discoveryClusters = b.discoveryClusters != null ? List.copyOf(b.discoveryClusters) : List.of();
        this.discoveryInterval = b.discoveryInterval != null ? b.discoveryInterval : "30s";
        this.discoveryImage = b.discoveryImage != null ? b.discoveryImage : DEFAULT_DISCOVERY_IMAGE;
        this.ec2DiscoveryTagKey = b.ec2DiscoveryTagKey != null ? b.ec2DiscoveryTagKey : "monitoring";
        this.ec2DiscoveryTagValue = b.ec2DiscoveryTagValue != null ? b.ec2DiscoveryTagValue : "prometheus";
        this.rules = b.rules;
        this.remoteWrite = b.remoteWrite;
        this.desiredCount = b.desiredCount != null ? b.desiredCount : 1;
        this.runbookBaseUrl = b.runbookBaseUrl != null ? b.runbookBaseUrl : AlertRules.DEFAULT_RUNBOOKS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The platform's cluster: Prometheus runs in it, and services in it are discovered. Required. */
    public ICluster getCluster() {
        return cluster;
    }

    /** Cloud Map namespace Prometheus registers in. @default - the cluster's default namespace */
    public INamespace getNamespace() {
        return namespace;
    }

    /** Where the TSDB (access point uid/gid 65534) and the discovery results live. Required. */
    public EfsStorage getStorage() {
        return storage;
    }

    /** @default - PrometheusSizing.forSeries(expectedActiveSeries): 1 vCPU / 2 GB up to ~46k series */
    public ComputeSize getSize() {
        return size;
    }

    /**
     * Active series Prometheus is sized for, and warns above (PrometheusSeriesAboveSizing).
     *
     * @default - PrometheusSizing.expectedSeries(max(5, number of services)): 120 a service
     */
    public long getExpectedActiveSeries() {
        return expectedActiveSeries != null ? expectedActiveSeries
                : PrometheusSizing.expectedSeries(Math.max(5, services.size()));
    }

    /**
     * A Prometheus image, run as uid 65534 on a read-only root file system (its configuration goes
     * on the TSDB's EFS access point).
     *
     * @default prom/prometheus:v2.51.1
     */
    public String getImage() {
        return image;
    }

    /** @default 15s */
    public String getScrapeInterval() {
        return scrapeInterval;
    }

    /** @default 15s */
    public String getEvaluationInterval() {
        return evaluationInterval;
    }

    /** @default 15 days */
    public Duration getRetention() {
        return retention;
    }

    /**
     * Services the platform names itself, found by their ECS service name in the discovered clusters.
     * Services that join from their own apps ({@link IFargatePrometheus#scrape}) are not listed here.
     *
     * @default - none
     */
    public List<ScrapeTarget> getServices() {
        return services;
    }

    /** The {@code env} label of a discovered service that does not name its own. @default prod */
    public String getEnvironment() {
        return environment;
    }

    /**
     * Further ECS clusters (names, same region and VPC) whose opted-in services are scraped; the
     * platform's own cluster is always one.
     *
     * @default - none
     */
    public List<String> getDiscoveryClusters() {
        return discoveryClusters;
    }

    /** How often each cluster's tasks are listed (two ECS API calls per 100 tasks). @default 30s */
    public String getDiscoveryInterval() {
        return discoveryInterval;
    }

    /** An ADOT collector image, run as uid 65534 on a read-only root file system. @default DEFAULT_DISCOVERY_IMAGE */
    public String getDiscoveryImage() {
        return discoveryImage;
    }

    /** @default monitoring */
    public String getEc2DiscoveryTagKey() {
        return ec2DiscoveryTagKey;
    }

    /** @default prometheus */
    public String getEc2DiscoveryTagValue() {
        return ec2DiscoveryTagValue;
    }

    /** @default AlertRules.defaults(runbookBaseUrl).toRuleGroups(): the seed's and the self-monitoring rules */
    public RuleGroups getRules() {
        return rules;
    }

    /** @default - no remote write */
    public RemoteWrite getRemoteWrite() {
        return remoteWrite;
    }

    /** Must be 1: the TSDB on EFS allows one writer. @default 1 */
    public int getDesiredCount() {
        return desiredCount;
    }

    /** Base URL of the platform's own runbooks. @default AlertRules.DEFAULT_RUNBOOKS */
    public String getRunbookBaseUrl() {
        return runbookBaseUrl;
    }

    public static final class Builder {
        private ICluster cluster;
        private INamespace namespace;
        private EfsStorage storage;
        private ComputeSize size;
        private Long expectedActiveSeries;
        private String image;
        private String scrapeInterval;
        private String evaluationInterval;
        private Duration retention;
        private List<ScrapeTarget> services;
        private String environment;
        private List<String> discoveryClusters;
        private String discoveryInterval;
        private String discoveryImage;
        private String ec2DiscoveryTagKey;
        private String ec2DiscoveryTagValue;
        private RuleGroups rules;
        private RemoteWrite remoteWrite;
        private Integer desiredCount;
        private String runbookBaseUrl;

        public Builder cluster(ICluster cluster) {
            this.cluster = cluster;
            return this;
        }

        public Builder namespace(INamespace namespace) {
            this.namespace = namespace;
            return this;
        }

        public Builder storage(EfsStorage storage) {
            this.storage = storage;
            return this;
        }

        public Builder size(ComputeSize size) {
            this.size = size;
            return this;
        }

        public Builder expectedActiveSeries(long series) {
            this.expectedActiveSeries = series;
            return this;
        }

        public Builder image(String image) {
            this.image = image;
            return this;
        }

        public Builder scrapeInterval(String scrapeInterval) {
            this.scrapeInterval = scrapeInterval;
            return this;
        }

        public Builder evaluationInterval(String evaluationInterval) {
            this.evaluationInterval = evaluationInterval;
            return this;
        }

        public Builder retention(Duration retention) {
            this.retention = retention;
            return this;
        }

        public Builder services(List<ScrapeTarget> services) {
            this.services = services;
            return this;
        }

        public Builder environment(String environment) {
            this.environment = environment;
            return this;
        }

        public Builder discoveryClusters(List<String> clusterNames) {
            this.discoveryClusters = clusterNames;
            return this;
        }

        public Builder discoveryInterval(String interval) {
            this.discoveryInterval = interval;
            return this;
        }

        public Builder discoveryImage(String image) {
            this.discoveryImage = image;
            return this;
        }

        public Builder ec2DiscoveryTag(String key, String value) {
            this.ec2DiscoveryTagKey = key;
            this.ec2DiscoveryTagValue = value;
            return this;
        }

        public Builder rules(RuleGroups rules) {
            this.rules = rules;
            return this;
        }

        public Builder remoteWrite(RemoteWrite remoteWrite) {
            this.remoteWrite = remoteWrite;
            return this;
        }

        public Builder desiredCount(int desiredCount) {
            this.desiredCount = desiredCount;
            return this;
        }

        public Builder runbookBaseUrl(String url) {
            this.runbookBaseUrl = url;
            return this;
        }

        public FargatePrometheusProps build() {
            return new FargatePrometheusProps(this);
        }
    }
}
