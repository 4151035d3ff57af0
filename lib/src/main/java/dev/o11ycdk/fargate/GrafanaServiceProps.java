package dev.o11ycdk.fargate;

import dev.o11ycdk.alb.MonitoringAlb;
import dev.o11ycdk.core.Versions;
import dev.o11ycdk.core.internal.PropsStyle;
import dev.o11ycdk.grafana.Dashboard;
import java.util.List;
import org.immutables.value.Value;
import org.jetbrains.annotations.Nullable;
import software.amazon.awscdk.services.ecs.ICluster;
import software.amazon.awscdk.services.secretsmanager.ISecret;

/** Properties of {@link GrafanaService}. */
@Value.Immutable
@PropsStyle
public abstract class GrafanaServiceProps {
    /** The Grafana image by default. */
    public static final String DEFAULT_IMAGE = "grafana/grafana:" + Versions.GRAFANA;

    public static Builder builder() {
        return new Builder();
    }

    /** Required; Grafana registers in its default Cloud Map namespace as grafana. */
    public abstract ICluster getCluster();

    /** Grafana's state (SQLite, plugins) on an access point with uid/gid 472. Required. */
    public abstract EfsStorage getStorage();

    /** The HTTPS entry point. Required. */
    public abstract MonitoringAlb getAlb();

    /** @default 5 */
    @Value.Default
    public int getPriority() {
        return 5;
    }

    /** @default grafana */
    @Value.Default
    public String getSubdomain() {
        return "grafana";
    }

    /** The default datasource, e.g. FargatePrometheus.getInternalUrl(). Required. */
    public abstract String getPrometheusUrl();

    /**
     * The AMP workspace Prometheus writes to, as Grafana's default datasource (uid {@code prometheus},
     * so the dashboards read it unchanged), signed with SigV4 by Grafana's task role, which may query
     * that workspace only; the Prometheus task stays a second datasource ({@code prometheus-local}).
     *
     * @default - none: Prometheus is the default datasource
     */
    @Nullable
    public abstract RemoteWrite getAmp();

    /** Prometheus' scrape interval, for rate() windows. @default 15s */
    @Value.Default
    public String getScrapeInterval() {
        return "15s";
    }

    /** Admin password (plain string secret). @default - a new generated secret */
    @Nullable
    public abstract ISecret getAdminSecret();

    /** @default - basic auth only */
    @Nullable
    public abstract GrafanaOAuth getOauth();

    /**
     * A shared PostgreSQL: two tasks behind the ALB, rolled one at a time, with Grafana Alerting's HA.
     *
     * @default - SQLite on EFS, one task
     */
    @Nullable
    public abstract GrafanaDatabase getDatabase();

    /** @default - Dashboards.fargateDefaults(the region's prices, else Seoul's) */
    @Nullable
    public abstract List<Dashboard> getDashboards();

    /**
     * A Grafana image, run as uid 472 on a read-only root file system (provisioning, dashboards and
     * TMPDIR go on its EFS access point).
     *
     * @default DEFAULT_IMAGE
     */
    @Value.Default
    public String getImage() {
        return DEFAULT_IMAGE;
    }

    public static final class Builder extends ImmutableGrafanaServiceProps.Builder {
    }
}
