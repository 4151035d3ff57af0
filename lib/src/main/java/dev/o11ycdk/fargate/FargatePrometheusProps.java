package dev.o11ycdk.fargate;

import dev.o11ycdk.config.RuleGroups;
import dev.o11ycdk.core.ComputeSize;
import dev.o11ycdk.core.PrometheusBasicsProps;
import dev.o11ycdk.core.PrometheusSizing;
import dev.o11ycdk.core.ScrapeTarget;
import dev.o11ycdk.core.Versions;
import dev.o11ycdk.core.internal.PropsStyle;
import java.util.List;
import org.immutables.value.Value;
import org.jetbrains.annotations.Nullable;
import software.amazon.awscdk.services.ecs.ICluster;
import software.amazon.awscdk.services.servicediscovery.INamespace;

/** Properties of {@link FargatePrometheus}. */
@Value.Immutable
@PropsStyle
public abstract class FargatePrometheusProps implements PrometheusBasicsProps {
    /** The Prometheus image by default. */
    public static final String DEFAULT_IMAGE = "prom/prometheus:v" + Versions.PROMETHEUS;
    /** The ECS discovery sidecar: AWS Distro for OpenTelemetry collector, with its ecs_observer extension. */
    public static final String DEFAULT_DISCOVERY_IMAGE = "public.ecr.aws/aws-observability/aws-otel-collector:v" + Versions.ADOT_COLLECTOR;

    public static Builder builder() {
        return new Builder();
    }

    /** The platform's cluster: Prometheus runs in it, and services in it are discovered. Required. */
    public abstract ICluster getCluster();

    /** Cloud Map namespace Prometheus registers in. @default - the cluster's default namespace */
    @Nullable
    public abstract INamespace getNamespace();

    /** Where the TSDB (access point uid/gid 65534) and the discovery results live. Required. */
    public abstract EfsStorage getStorage();

    /** @default - PrometheusSizing.forSeries(expectedActiveSeries): 1 vCPU / 2 GB up to ~46k series */
    @Nullable
    public abstract ComputeSize getSize();

    /**
     * Active series Prometheus is sized for, and warns above (PrometheusSeriesAboveSizing).
     *
     * @default - PrometheusSizing.expectedSeries(max(5, number of services)): 120 a service
     */
    @Value.Default
    public long getExpectedActiveSeries() {
        return PrometheusSizing.expectedSeries(Math.max(5, getServices().size()));
    }

    /**
     * A Prometheus image, run as uid 65534 on a read-only root file system (its configuration goes
     * on the TSDB's EFS access point).
     *
     * @default DEFAULT_IMAGE
     */
    @Value.Default
    public String getImage() {
        return DEFAULT_IMAGE;
    }

    /** @default 15s */
    @Value.Default
    public String getEvaluationInterval() {
        return "15s";
    }

    /**
     * Services the platform names itself, found by their ECS service name in the discovered clusters.
     * Services that join from their own apps ({@link IFargatePrometheus#scrape}) are not listed here.
     *
     * @default - none
     */
    public abstract List<ScrapeTarget> getServices();

    /** The {@code env} label of a discovered service that does not name its own. @default prod */
    @Value.Default
    public String getEnvironment() {
        return "prod";
    }

    /**
     * Further ECS clusters (names, same region and VPC) whose opted-in services are scraped; the
     * platform's own cluster is always one.
     *
     * @default - none
     */
    public abstract List<String> getDiscoveryClusters();

    /** How often each cluster's tasks are listed (two ECS API calls per 100 tasks). @default 30s */
    @Value.Default
    public String getDiscoveryInterval() {
        return "30s";
    }

    /** An ADOT collector image, run as uid 65534 on a read-only root file system. @default DEFAULT_DISCOVERY_IMAGE */
    @Value.Default
    public String getDiscoveryImage() {
        return DEFAULT_DISCOVERY_IMAGE;
    }

    /** EC2 instances with this tag (and {@link #getEc2DiscoveryTagValue}) are scraped on node_exporter's port. @default monitoring */
    @Value.Default
    public String getEc2DiscoveryTagKey() {
        return "monitoring";
    }

    /** @default prometheus */
    @Value.Default
    public String getEc2DiscoveryTagValue() {
        return "prometheus";
    }

    /** @default AlertRules.defaults(runbookBaseUrl).toRuleGroups(): the seed's and the self-monitoring rules */
    @Override
    @Nullable
    public abstract RuleGroups getRules();

    /** @default - no remote write */
    @Nullable
    public abstract RemoteWrite getRemoteWrite();

    /**
     * 1, or 2 for a pair: a second ECS service with its own EFS directories (one writer each), the
     * same scrape and rule configuration, deployed after the first (CloudFormation DependsOn) so one
     * always scrapes; both carry AMP's high-availability labels and send alerts to the one Alertmanager.
     *
     * @default 1
     */
    @Value.Default
    public int getReplicas() {
        return 1;
    }

    /** Must be 1: the TSDB on EFS allows one writer (a pair is {@link #getReplicas}). @default 1 */
    @Value.Default
    public int getDesiredCount() {
        return 1;
    }

    public static final class Builder extends ImmutableFargatePrometheusProps.Builder {
        /** The EC2 tag of the instances Prometheus scrapes on node_exporter's port. */
        public Builder ec2DiscoveryTag(String key, String value) {
            return ec2DiscoveryTagKey(key).ec2DiscoveryTagValue(value);
        }
    }
}
