package dev.o11ycdk.core;

/**
 * The version of each component the platform runs, the same on every layout where it runs (the
 * host's checksummed tarballs, the Fargate images, the EKS charts' images), each on a line its
 * project still supports: Prometheus' long-term-support line, a Grafana minor with security fixes,
 * the latest Alertmanager, node_exporter, exporter and collector. The support calendar
 * ({@code SupportCalendar}) knows when each line ends.
 */
public final class Versions {
    /** The 3.13 long-term-support line, fixed until 2027-07-31. */
    public static final String PROMETHEUS = "3.13.2";
    public static final String ALERTMANAGER = "0.34.1";
    public static final String NODE_EXPORTER = "1.12.1";
    /** 13.2, in security support until 2027-05-18. */
    public static final String GRAFANA = "13.2.3";
    /** grafana-amazonprometheus-datasource, the AMP datasource plugin Grafana installs at start when AMP is the store. */
    public static final String GRAFANA_AMP_PLUGIN = "3.3.4";
    public static final String CLOUDWATCH_EXPORTER = "0.18.0";
    /** The AWS Distro for OpenTelemetry collector, which runs the ECS discovery. */
    public static final String ADOT_COLLECTOR = "0.50.0";
    /**
     * prometheus-community/ecs_exporter, the sidecar {@code scrape(...)} adds to a team's task: CPU, memory
     * and network of the task from its metadata endpoint v4. 0.4.0 is its newest release.
     */
    public static final String ECS_EXPORTER = "0.4.0";

    private Versions() {
    }
}
