package dev.o11ycdk.grafana;

import dev.o11ycdk.grafana.Dashboard.Panel;
import dev.o11ycdk.grafana.Dashboard.Target;

/** Dashboards the library ships. */
public final class Dashboards {
    private Dashboards() {
    }

    /**
     * Host view from node_exporter: what seed 002 imported as grafana.com dashboard 1860
     * ("Node Exporter Full"), reduced to the panels an operator reads first.
     */
    public static Dashboard nodeExporter() {
        String sel = "{job=\"node\",instance=~\"$instance\"}";
        return Dashboard.builder("o11y-node", "Node Exporter")
                .tags("o11y-cdk", "node")
                .queryVariable("instance", "label_values(node_uname_info{job=\"node\"}, instance)")
                .panel(Panel.stat("Up", "none", new Target("up" + sel, "{{instance}}")))
                .panel(Panel.timeseries("CPU busy", "percentunit", new Target(
                        "1 - avg by (instance) (rate(node_cpu_seconds_total{job=\"node\",instance=~\"$instance\",mode=\"idle\"}[$__rate_interval]))",
                        "{{instance}}")))
                .panel(Panel.timeseries("Memory used", "percentunit", new Target(
                        "1 - node_memory_MemAvailable_bytes" + sel + " / node_memory_MemTotal_bytes" + sel, "{{instance}}")))
                .panel(Panel.timeseries("Load (1m) per core", "short", new Target(
                        "node_load1" + sel + " / on (instance) count by (instance) (node_cpu_seconds_total{job=\"node\",instance=~\"$instance\",mode=\"idle\"})",
                        "{{instance}}")))
                .panel(Panel.timeseries("Filesystem used", "percentunit", new Target(
                        "1 - node_filesystem_avail_bytes{job=\"node\",instance=~\"$instance\",fstype!~\"tmpfs|overlay\"} / node_filesystem_size_bytes{job=\"node\",instance=~\"$instance\",fstype!~\"tmpfs|overlay\"}",
                        "{{instance}} {{mountpoint}}")))
                .panel(Panel.timeseries("Disk I/O time", "percentunit", new Target(
                        "rate(node_disk_io_time_seconds_total" + sel + "[$__rate_interval])", "{{instance}} {{device}}")))
                .panel(Panel.timeseries("Network received", "Bps", new Target(
                        "rate(node_network_receive_bytes_total{job=\"node\",instance=~\"$instance\",device!=\"lo\"}[$__rate_interval])",
                        "{{instance}} {{device}}")))
                .panel(Panel.timeseries("Network transmitted", "Bps", new Target(
                        "rate(node_network_transmit_bytes_total{job=\"node\",instance=~\"$instance\",device!=\"lo\"}[$__rate_interval])",
                        "{{instance}} {{device}}")))
                .build();
    }

    /**
     * One row per monitored service: up, scrape time, and CPU and memory relative to the task's
     * reservation (the CloudWatch ECS metrics), never to the host (seed 004).
     */
    public static Dashboard serviceOverview() {
        return Dashboard.builder("o11y-services", "Services Overview")
                .tags("o11y-cdk", "ecs")
                .queryVariable("service", "label_values(up{service!=\"\"}, service)")
                .panel(Panel.stat("Targets up", "none", new Target("sum by (service) (up{service=~\"$service\"})", "{{service}}")))
                .panel(Panel.timeseries("Scrape duration", "s", new Target(
                        "max by (service) (scrape_duration_seconds{service=~\"$service\"})", "{{service}}")))
                .panel(Panel.timeseries("CPU of reservation", "percent", new Target(
                        "max by (service) (ecs_cpu_utilization{service=~\"$service\"})", "{{service}}")))
                .panel(Panel.timeseries("Memory of reservation", "percent", new Target(
                        "max by (service) (ecs_memory_utilization{service=~\"$service\"})", "{{service}}")))
                .build();
    }
}
