package dev.o11ycdk.fargate;

import dev.o11ycdk.alb.MonitoringAlb;
import dev.o11ycdk.grafana.Dashboard;
import java.util.List;
import software.amazon.awscdk.services.ecs.ICluster;
import software.amazon.awscdk.services.secretsmanager.ISecret;

/** Properties of {@link GrafanaService}. */
public final class GrafanaServiceProps {
    private final ICluster cluster;
    private final EfsStorage storage;
    private final MonitoringAlb alb;
    private final int priority;
    private final String subdomain;
    private final String prometheusUrl;
    private final String scrapeInterval;
    private final ISecret adminSecret;
    private final GrafanaOAuth oauth;
    private final List<Dashboard> dashboards;
    private final String image;

    private GrafanaServiceProps(Builder b) {
        this.cluster = b.cluster;
        this.storage = b.storage;
        this.alb = b.alb;
        this.priority = b.priority != null ? b.priority : 5;
        this.subdomain = b.subdomain != null ? b.subdomain : "grafana";
        this.prometheusUrl = b.prometheusUrl;
        this.scrapeInterval = b.scrapeInterval != null ? b.scrapeInterval : "15s";
        this.adminSecret = b.adminSecret;
        this.oauth = b.oauth;
        this.dashboards = b.dashboards != null ? List.copyOf(b.dashboards) : null;
        this.image = b.image != null ? b.image : "grafana/grafana:10.4.2";
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Required; Grafana registers in its default Cloud Map namespace as grafana. */
    public ICluster getCluster() {
        return cluster;
    }

    /** Grafana's state (SQLite, plugins) on an access point with uid/gid 472. Required. */
    public EfsStorage getStorage() {
        return storage;
    }

    /** The HTTPS entry point. Required. */
    public MonitoringAlb getAlb() {
        return alb;
    }

    /** @default 5 */
    public int getPriority() {
        return priority;
    }

    /** @default grafana */
    public String getSubdomain() {
        return subdomain;
    }

    /** The default datasource, e.g. FargatePrometheus.getInternalUrl(). Required. */
    public String getPrometheusUrl() {
        return prometheusUrl;
    }

    /** Prometheus' scrape interval, for rate() windows. @default 15s */
    public String getScrapeInterval() {
        return scrapeInterval;
    }

    /** Admin password (plain string secret). @default - a new generated secret */
    public ISecret getAdminSecret() {
        return adminSecret;
    }

    /** @default - basic auth only */
    public GrafanaOAuth getOauth() {
        return oauth;
    }

    /** @default - Dashboards.fargateDefaults(Seoul prices) */
    public List<Dashboard> getDashboards() {
        return dashboards;
    }

    /**
     * A Grafana image, run as uid 472 on a read-only root file system (provisioning, dashboards and
     * TMPDIR go on its EFS access point).
     *
     * @default grafana/grafana:10.4.2
     */
    public String getImage() {
        return image;
    }

    public static final class Builder {
        private ICluster cluster;
        private EfsStorage storage;
        private MonitoringAlb alb;
        private Integer priority;
        private String subdomain;
        private String prometheusUrl;
        private String scrapeInterval;
        private ISecret adminSecret;
        private GrafanaOAuth oauth;
        private List<Dashboard> dashboards;
        private String image;

        public Builder cluster(ICluster cluster) {
            this.cluster = cluster;
            return this;
        }

        public Builder storage(EfsStorage storage) {
            this.storage = storage;
            return this;
        }

        public Builder alb(MonitoringAlb alb) {
            this.alb = alb;
            return this;
        }

        public Builder priority(int priority) {
            this.priority = priority;
            return this;
        }

        public Builder subdomain(String subdomain) {
            this.subdomain = subdomain;
            return this;
        }

        public Builder prometheusUrl(String prometheusUrl) {
            this.prometheusUrl = prometheusUrl;
            return this;
        }

        public Builder scrapeInterval(String scrapeInterval) {
            this.scrapeInterval = scrapeInterval;
            return this;
        }

        public Builder adminSecret(ISecret adminSecret) {
            this.adminSecret = adminSecret;
            return this;
        }

        public Builder oauth(GrafanaOAuth oauth) {
            this.oauth = oauth;
            return this;
        }

        public Builder dashboards(List<Dashboard> dashboards) {
            this.dashboards = dashboards;
            return this;
        }

        public Builder image(String image) {
            this.image = image;
            return this;
        }

        public GrafanaServiceProps build() {
            return new GrafanaServiceProps(this);
        }
    }
}
