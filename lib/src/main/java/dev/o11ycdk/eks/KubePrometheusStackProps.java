package dev.o11ycdk.eks;

import dev.o11ycdk.config.RuleGroups;
import dev.o11ycdk.core.AlertRoutingProps;
import dev.o11ycdk.core.PrometheusBasicsProps;
import dev.o11ycdk.core.PrometheusSizing;
import dev.o11ycdk.core.ScrapeTarget;
import dev.o11ycdk.core.Versions;
import dev.o11ycdk.core.internal.PropsStyle;
import java.util.List;
import org.immutables.value.Value;
import org.jetbrains.annotations.Nullable;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.eks_v2.ICluster;
import software.amazon.awscdk.services.route53.IHostedZone;
import software.amazon.awscdk.services.secretsmanager.ISecret;

/**
 * Properties of {@link KubePrometheusStack}: the cluster and the charts, its Prometheus
 * ({@link PrometheusBasicsProps}) and where its alerts go ({@link AlertRoutingProps}).
 */
@Value.Immutable
@PropsStyle
public abstract class KubePrometheusStackProps implements PrometheusBasicsProps, AlertRoutingProps {
    /** kube-prometheus-stack (Prometheus, Alertmanager, Grafana, node-exporter, kube-state-metrics, operator). */
    public static final String KUBE_PROMETHEUS_STACK_VERSION = "92.3.0";
    /**
     * Loki's community chart (grafana-community/helm-charts; from 7.0 grafana/loki is the Enterprise
     * chart), one monolithic binary.
     */
    public static final String LOKI_VERSION = "18.13.8";
    /** grafana/alloy, the log shipper (Promtail's successor). */
    public static final String ALLOY_VERSION = "1.13.0";
    /** external-secrets, which copies Secrets Manager secrets into Kubernetes Secrets. */
    public static final String EXTERNAL_SECRETS_VERSION = "2.12.0";

    public static Builder builder() {
        return new Builder();
    }

    /** The cluster: one the app creates, or {@code Cluster.fromClusterAttributes} with a kubectl provider. Required. */
    public abstract ICluster getCluster();

    /** @default monitoring */
    @Value.Default
    public String getNamespace() {
        return "monitoring";
    }

    /** Grafana answers at grafana.&lt;domainName&gt;, Prometheus at prometheus.&lt;domainName&gt;. Required. */
    public abstract String getDomainName();

    /** ACM certificate (in the cluster's region) for both host names, on the ALB's HTTPS listener. Required. */
    public abstract String getCertificateArn();

    /** @default - no DNS records: point grafana./prometheus. at the ALBs yourself */
    @Nullable
    public abstract IHostedZone getHostedZone();

    /** @default 0.0.0.0/0 */
    @Value.Default
    public List<String> getGrafanaAllowedCidrs() {
        return List.of("0.0.0.0/0");
    }

    /** Who may reach prometheus.&lt;domainName&gt;. @default 10.0.0.0/8 */
    @Value.Default
    public List<String> getPrometheusAllowedCidrs() {
        return List.of("10.0.0.0/8");
    }

    /** An internet-facing ALB for Prometheus instead of an internal one. @default false */
    @Value.Default
    public boolean isPrometheusPublic() {
        return false;
    }

    /** The {@code env} external label on every series and alert. @default prod */
    @Value.Default
    public String getEnvironment() {
        return "prod";
    }

    /** Sizes Prometheus' memory, CPU and volume. @default - from the number of services ({@link dev.o11ycdk.core.PrometheusSizing#expectedSeries}) */
    @Nullable
    public abstract Long getExpectedActiveSeries();

    /** Services scraped by Service name and port, each at its own metrics path. @default none */
    public abstract List<ScrapeTarget> getServices();

    /**
     * Prometheus pods: 2 is a pair, each with its own volume, labelled {@code __replica__} by the
     * operator beside the {@code cluster} external label (AMP's high-availability labels); the
     * operator drops the replica label from alerts, so Alertmanager notifies once.
     *
     * @default 1
     */
    @Value.Default
    public int getPrometheusReplicas() {
        return 1;
    }

    /** @default 7 days */
    @Value.Default
    public Duration getLogRetention() {
        return Duration.days(7);
    }

    /** Log volume the cluster writes a day, which sizes Loki's volume. @default 2 */
    @Value.Default
    public int getLogGiBPerDay() {
        return 2;
    }

    /** Secret whose string is Grafana's admin password. @default - a generated secret */
    @Nullable
    public abstract ISecret getGrafanaAdminSecret();

    /** @default {@link KubePrometheusStack#defaultRules} */
    @Override
    @Nullable
    public abstract RuleGroups getRules();

    /** The Prometheus image (quay.io/prometheus/prometheus), as on the other layouts. @default Versions.PROMETHEUS */
    @Value.Default
    public String getPrometheusVersion() {
        return Versions.PROMETHEUS;
    }

    /** The Alertmanager image (quay.io/prometheus/alertmanager). @default Versions.ALERTMANAGER */
    @Value.Default
    public String getAlertmanagerVersion() {
        return Versions.ALERTMANAGER;
    }

    /** The Grafana image (docker.io/grafana/grafana). @default Versions.GRAFANA */
    @Value.Default
    public String getGrafanaVersion() {
        return Versions.GRAFANA;
    }

    /** The node-exporter image (quay.io/prometheus/node-exporter). @default Versions.NODE_EXPORTER */
    @Value.Default
    public String getNodeExporterVersion() {
        return Versions.NODE_EXPORTER;
    }

    /** @default {@link #KUBE_PROMETHEUS_STACK_VERSION} */
    @Value.Default
    public String getKubePrometheusStackVersion() {
        return KUBE_PROMETHEUS_STACK_VERSION;
    }

    /** @default {@link #LOKI_VERSION} */
    @Value.Default
    public String getLokiVersion() {
        return LOKI_VERSION;
    }

    /** @default {@link #ALLOY_VERSION} */
    @Value.Default
    public String getAlloyVersion() {
        return ALLOY_VERSION;
    }

    /** @default {@link #EXTERNAL_SECRETS_VERSION} */
    @Value.Default
    public String getExternalSecretsVersion() {
        return EXTERNAL_SECRETS_VERSION;
    }

    /**
     * Installs the aws-ebs-csi-driver add-on with its own Pod Identity role (seed 004, problem 10);
     * false for a cluster that already has it. @default true
     */
    @Value.Default
    public boolean isInstallEbsCsiDriver() {
        return true;
    }

    /**
     * The StorageClass the construct makes (encrypted gp3, Retain) and every volume claims. On a
     * cluster you do not own, pick a name its owner does not use (e.g. o11y-gp3). @default gp3
     */
    @Value.Default
    public String getStorageClassName() {
        return "gp3";
    }

    /**
     * Marks that class the cluster's default, so no claim waits for a class (seed 004, problem 9);
     * false on a cluster that already has a default. @default true
     */
    @Value.Default
    public boolean isDefaultStorageClass() {
        return true;
    }

    public static final class Builder extends ImmutableKubePrometheusStackProps.Builder {
    }
}
