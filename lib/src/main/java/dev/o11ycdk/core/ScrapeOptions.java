package dev.o11ycdk.core;

import dev.o11ycdk.config.Check;
import dev.o11ycdk.config.ScrapeJob;
import dev.o11ycdk.fargate.IFargatePrometheus;

/** How Prometheus scrapes a service that opts in with {@link IFargatePrometheus#scrape}. */
public final class ScrapeOptions {
    private final String name;
    private final int port;
    private final String metricsPath;
    private final String env;
    private final String team;
    private final String containerName;
    private final boolean allowQueries;

    private ScrapeOptions(Builder b) {
        if (b.name == null || !b.name.matches("[A-Za-z0-9][A-Za-z0-9_-]{0,254}")) {
            throw Check.bad("scrape name", b.name, "must be letters, digits, '-' and '_' (it becomes the service and job label)");
        }
        if (ScrapeJob.PLATFORM_JOBS.contains(b.name)) {
            throw Check.bad("scrape name", b.name, "is one of the platform's own jobs " + ScrapeJob.PLATFORM_JOBS);
        }
        if (b.port == null) {
            throw Check.bad("scrape '" + b.name + "' port", null, "give the container port the metrics are served on");
        }
        this.name = b.name;
        this.port = Check.port("scrape '" + b.name + "' port", b.port);
        this.metricsPath = Check.urlPath("scrape '" + b.name + "' metricsPath", b.metricsPath != null ? b.metricsPath : "/metrics");
        if (b.env != null) {
            Check.notBlank("scrape '" + b.name + "' env", b.env);
        }
        this.env = b.env;
        this.team = b.team;
        this.containerName = b.containerName;
        this.allowQueries = b.allowQueries != null && b.allowQueries;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The {@code service} (and {@code job}) label of every task's series. Required. */
    public String getName() {
        return name;
    }

    /** The container port Prometheus scrapes; the container must map it. Required. */
    public int getPort() {
        return port;
    }

    /**
     * Where the container answers in Prometheus text format (seed 004: a JSON health endpoint left
     * the target DOWN), e.g. /actuator/prometheus. @default /metrics
     */
    public String getMetricsPath() {
        return metricsPath;
    }

    /**
     * The {@code env} label ({@code test} is muted in Alertmanager).
     *
     * @default - none on the container; Prometheus gives the platform's environment
     */
    public String getEnv() {
        return env;
    }

    /** The {@code team} label on every series and on ServiceTasksGone, for Alertmanager routes per team. @default - none */
    public String getTeam() {
        return team;
    }

    /** The container that serves the metrics. @default - the task definition's default (first essential) container */
    public String getContainerName() {
        return containerName;
    }

    /**
     * Whether the service may also query Prometheus on 9090: a rule on Prometheus' security group per
     * service, which counts against its quota (60 inbound rules by default). @default false
     */
    public boolean isAllowQueries() {
        return allowQueries;
    }

    public static final class Builder {
        private String name;
        private Integer port;
        private String metricsPath;
        private String env;
        private String team;
        private String containerName;
        private Boolean allowQueries;

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder metricsPath(String metricsPath) {
            this.metricsPath = metricsPath;
            return this;
        }

        public Builder env(String env) {
            this.env = env;
            return this;
        }

        public Builder team(String team) {
            this.team = team;
            return this;
        }

        public Builder containerName(String containerName) {
            this.containerName = containerName;
            return this;
        }

        public Builder allowQueries(boolean allowQueries) {
            this.allowQueries = allowQueries;
            return this;
        }

        public ScrapeOptions build() {
            return new ScrapeOptions(this);
        }
    }
}
