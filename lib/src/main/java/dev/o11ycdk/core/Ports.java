package dev.o11ycdk.core;

/** Default ports of the platform's processes. */
public final class Ports {
    public static final int PROMETHEUS = 9090;
    public static final int GRAFANA = 3000;
    public static final int NODE_EXPORTER = 9100;
    public static final int ALERTMANAGER = 9093;
    public static final int CLOUDWATCH_EXPORTER = 9106;
    /** prometheus-community/ecs_exporter, the task-metrics sidecar of a scraped service. */
    public static final int ECS_EXPORTER = 9779;
    public static final int NFS = 2049;

    private Ports() {
    }
}
