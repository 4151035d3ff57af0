package dev.o11ycdk;

import dev.o11ycdk.config.RuleGroups;
import java.util.List;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.ecs.ICluster;
import software.amazon.awscdk.services.servicediscovery.INamespace;

/** Properties of {@link FargatePrometheus}. */
public final class FargatePrometheusProps {
    private final ICluster cluster;
    private final INamespace namespace;
    private final EfsStorage storage;
    private final FargateSize size;
    private final String image;
    private final String scrapeInterval;
    private final String evaluationInterval;
    private final Duration retention;
    private final List<ScrapeTarget> targets;
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
        this.image = b.image != null ? b.image : "prom/prometheus:v2.51.1";
        this.scrapeInterval = b.scrapeInterval != null ? b.scrapeInterval : "15s";
        this.evaluationInterval = b.evaluationInterval != null ? b.evaluationInterval : "15s";
        this.retention = b.retention != null ? b.retention : Duration.days(15);
        this.targets = b.targets != null ? List.copyOf(b.targets) : List.of();
        this.ec2DiscoveryTagKey = b.ec2DiscoveryTagKey != null ? b.ec2DiscoveryTagKey : "monitoring";
        this.ec2DiscoveryTagValue = b.ec2DiscoveryTagValue != null ? b.ec2DiscoveryTagValue : "prometheus";
        this.rules = b.rules;
        this.remoteWrite = b.remoteWrite;
        this.desiredCount = b.desiredCount != null ? b.desiredCount : 1;
        this.runbookBaseUrl = b.runbookBaseUrl != null ? b.runbookBaseUrl : DEFAULT_RUNBOOKS;
    }

    /** The runbooks of the platform's own alerts, in this project's README. */
    public static final String DEFAULT_RUNBOOKS = "https://github.com/o11y-cdk/o11y-cdk/blob/main/README.md";

    /** Base URL of the runbooks of ServiceDown and HighCPUUsage. @default DEFAULT_RUNBOOKS */
    public String getRunbookBaseUrl() {
        return runbookBaseUrl;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Required; its VPC is used. */
    public ICluster getCluster() {
        return cluster;
    }

    /** Cloud Map namespace of the targets and of Prometheus itself. @default - the cluster's default namespace */
    public INamespace getNamespace() {
        return namespace;
    }

    /** Where the TSDB lives (access point uid/gid 65534). Required. */
    public EfsStorage getStorage() {
        return storage;
    }

    /** @default - FargateSize.forPrometheusTargets(number of targets), 1 vCPU / 2 GB for up to 5 */
    public FargateSize getSize() {
        return size;
    }

    /** @default prom/prometheus:v2.51.1 */
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

    /** Application services found through Cloud Map. @default - none */
    public List<ScrapeTarget> getTargets() {
        return targets;
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

    public static final class Builder {
        private ICluster cluster;
        private INamespace namespace;
        private EfsStorage storage;
        private FargateSize size;
        private String image;
        private String scrapeInterval;
        private String evaluationInterval;
        private Duration retention;
        private List<ScrapeTarget> targets;
        private String ec2DiscoveryTagKey;
        private String ec2DiscoveryTagValue;
        private RuleGroups rules;
        private RemoteWrite remoteWrite;
        private Integer desiredCount;
        private String runbookBaseUrl;

        public Builder runbookBaseUrl(String url) {
            this.runbookBaseUrl = url;
            return this;
        }

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

        public Builder size(FargateSize size) {
            this.size = size;
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

        public Builder targets(List<ScrapeTarget> targets) {
            this.targets = targets;
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

        public FargatePrometheusProps build() {
            return new FargatePrometheusProps(this);
        }
    }
}
