package dev.o11ycdk.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The configuration of the ECS discovery sidecar: the AWS Distro for OpenTelemetry collector with
 * its {@code ecs_observer} extension, one instance per ECS cluster, each writing the tasks it finds
 * to a Prometheus {@code file_sd} file that Prometheus reads.
 *
 * <p>A service opts in by what its own task definition carries, so this configuration does not grow
 * with the number of services that join: the docker labels {@value #PORT_LABEL} (the container port
 * to scrape), {@value #PATH_LABEL}, {@value #SERVICE_LABEL}, {@value #ENV_LABEL} and
 * {@value #TEAM_LABEL}. Services named in the platform's own settings are found by their ECS
 * service name instead, grouped by port, path and env into one pattern each.
 *
 * <p>The result file format is the extension's documented one: {@code __address__} (task IP and
 * mapped port), {@code __metrics_path__}, {@code __meta_ecs_cluster_name},
 * {@code __meta_ecs_service_name}, {@code __meta_ecs_container_labels_<label>} and, for a service
 * name filter, its {@code job_name} in {@value #JOB_LABEL}.
 */
public final class EcsDiscoveryConfig {
    /** Docker label with the container port Prometheus scrapes; its presence opts the container in. */
    public static final String PORT_LABEL = "O11Y_SCRAPE_PORT";
    /** Docker label with the metrics path (seed 004: a JSON health endpoint left the target DOWN). */
    public static final String PATH_LABEL = "O11Y_METRICS_PATH";
    /** Docker label with the {@code service} label's value. */
    public static final String SERVICE_LABEL = "O11Y_SERVICE";
    /** Docker label with the {@code env} label's value ({@code test} is muted in Alertmanager). */
    public static final String ENV_LABEL = "O11Y_ENV";
    /** Docker label with the owning team, the {@code team} label (for Alertmanager routes per team). */
    public static final String TEAM_LABEL = "O11Y_TEAM";
    /** Where the extension puts a filter's job_name: it renames {@code job} for the collector's own receiver. */
    public static final String JOB_LABEL = "prometheus_job";
    /** The job_name prefix that carries the env of services named in the settings. */
    public static final String ENV_JOB_PREFIX = "o11y-env-";
    /** The collector's health endpoint, as the image's {@code /healthcheck} binary probes it. */
    public static final String HEALTH_ENDPOINT = "127.0.0.1:13133";

    private final String region;
    private final String resultDir;
    private final PromDuration refreshInterval;
    private final Map<String, String> clusters;
    private final List<NamedService> namedServices;

    /** A service named in the platform's settings, found by its ECS service name. */
    public record NamedService(String name, int port, String metricsPath, String env) {
    }

    private EcsDiscoveryConfig(Builder b) {
        this.region = b.region;
        this.resultDir = b.resultDir;
        this.refreshInterval = b.refreshInterval;
        this.clusters = new LinkedHashMap<>(b.clusters);
        this.namedServices = List.copyOf(b.namedServices);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Cluster names by the id that names their observer and result file. */
    public Map<String, String> getClusters() {
        return java.util.Collections.unmodifiableMap(clusters);
    }

    public PromDuration getRefreshInterval() {
        return refreshInterval;
    }

    /** The result file of the cluster with this id, which Prometheus reads through {@link #resultGlob()}. */
    public String resultFile(String clusterId) {
        return resultDir + "/ecs-" + clusterId + ".yaml";
    }

    /** The file_sd pattern that matches every cluster's result file. */
    public String resultGlob() {
        return resultDir + "/ecs-*.yaml";
    }

    /**
     * The services named in the settings as ecs_observer service filters: one per (port, path, env),
     * whose name pattern lists the services, so 1,000 names cost one alternation, not 1,000 filters.
     */
    List<Map<String, Object>> serviceFilters() {
        Map<String, List<NamedService>> groups = new TreeMap<>();
        for (NamedService s : namedServices) {
            groups.computeIfAbsent(s.port() + " " + s.metricsPath() + " " + s.env(), k -> new ArrayList<>()).add(s);
        }
        List<Map<String, Object>> filters = new ArrayList<>();
        for (List<NamedService> group : groups.values()) {
            NamedService first = group.get(0);
            filters.add(Rendering.ordered(
                    "name_pattern", "^(" + String.join("|", group.stream().map(NamedService::name).toList()) + ")$",
                    "metrics_ports", List.of(first.port()),
                    "metrics_path", first.metricsPath(),
                    "job_name", ENV_JOB_PREFIX + first.env()));
        }
        return filters;
    }

    /**
     * The Prometheus job that reads every result file and turns the discovery labels into the
     * platform's: {@code service} (the {@value #SERVICE_LABEL} label, else the ECS service name,
     * from the filter or the task's group, so tasks of an older deployment keep it), {@code job} =
     * service, {@code env} (the {@value #ENV_LABEL} label, else the named service's env, else
     * {@code defaultEnv}), {@code team}, {@code ecs_cluster}, {@code ecs_service} (the ECS service
     * name, which CloudWatch's figures carry). A target without a service name (a task started
     * outside a service, unlabelled) is dropped, and so is one that names a platform job: it would
     * pass for Prometheus' own series. The metrics path comes with each target. A response without a
     * Content-Type is read as the text format ({@link ScrapeJob.Builder#fallbackScrapeProtocol}).
     *
     * @param files    the result files as Prometheus sees them (production: {@link #resultGlob()})
     * @param reserved job names a service may not take
     */
    public static ScrapeJob scrapeJob(String jobName, String files, String refreshInterval, String defaultEnv, List<String> reserved) {
        String meta = "__meta_ecs_container_labels_";
        return ScrapeJob.builder(jobName)
                .fileSd(List.of(files), refreshInterval)
                // Any team's service: its /metrics may answer without a Content-Type (Prometheus 3 fails that).
                .fallbackScrapeProtocol(ScrapeJob.ScrapeProtocol.PROMETHEUS_TEXT_0_0_4)
                .relabel(List.of("__meta_ecs_task_group"), "service", "service:(.+)", "$1")
                .relabel(List.of("__meta_ecs_service_name"), "service", "(.+)", "$1")
                .relabel(List.of(meta + SERVICE_LABEL), "service", "(.+)", "$1")
                .keep(List.of("service"), ".+")
                .drop(List.of("service"), "(" + String.join("|", reserved) + ")")
                .relabel(List.of("service"), "job", "(.+)", "$1")
                .relabel(List.of(JOB_LABEL), "env", ENV_JOB_PREFIX + "(.+)", "$1")
                .relabel(List.of(meta + ENV_LABEL), "env", "(.+)", "$1")
                .relabel(List.of("env"), "env", "", Check.notBlank("environment", defaultEnv))
                .relabel(List.of(meta + TEAM_LABEL), "team", "(.+)", "$1")
                .relabel(List.of("__meta_ecs_cluster_name"), "ecs_cluster", "(.+)", "$1")
                .relabel(List.of("__meta_ecs_task_group"), "ecs_service", "service:(.+)", "$1")
                .labelDrop(JOB_LABEL)
                .build();
    }

    public Map<String, Object> toMap() {
        Map<String, Object> extensions = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, String> cluster : clusters.entrySet()) {
            Map<String, Object> observer = new LinkedHashMap<>();
            observer.put("cluster_name", cluster.getValue());
            observer.put("cluster_region", region);
            observer.put("refresh_interval", refreshInterval.toString());
            observer.put("result_file", resultFile(cluster.getKey()));
            observer.put("job_label_name", JOB_LABEL);
            observer.put("docker_labels", List.of(Rendering.ordered("port_label", PORT_LABEL, "metrics_path_label", PATH_LABEL)));
            List<Map<String, Object>> filters = serviceFilters();
            if (!filters.isEmpty()) {
                observer.put("services", filters);
            }
            String name = "ecs_observer/" + cluster.getKey();
            extensions.put(name, observer);
            names.add(name);
        }
        extensions.put("health_check", Map.of("endpoint", HEALTH_ENDPOINT));
        names.add("health_check");

        Map<String, Object> root = new LinkedHashMap<>();
        root.put("extensions", extensions);
        // The collector refuses to start without a pipeline; this one listens on loopback only and
        // receives nothing. The discovery work is done by the extensions.
        root.put("receivers", Map.of("otlp", Map.of("protocols", Map.of("grpc", Map.of("endpoint", "127.0.0.1:4317")))));
        root.put("exporters", Map.of("debug", Map.of("verbosity", "basic")));
        Map<String, Object> service = new LinkedHashMap<>();
        service.put("extensions", names);
        service.put("pipelines", Map.of("metrics", Rendering.ordered("receivers", List.of("otlp"), "exporters", List.of("debug"))));
        service.put("telemetry", Map.of("metrics", Map.of("level", "none")));
        root.put("service", service);
        return root;
    }

    public String toYaml() {
        return Rendering.yaml(toMap());
    }

    public static final class Builder {
        private String region;
        private String resultDir = "/o11y/discovery";
        private PromDuration refreshInterval = PromDuration.parse("discoveryInterval", "30s");
        private final Map<String, String> clusters = new LinkedHashMap<>();
        private final List<NamedService> namedServices = new ArrayList<>();

        public Builder region(String region) {
            this.region = Check.notBlank("discovery region", region);
            return this;
        }

        /** The directory the result files go to, shared with Prometheus. @default /o11y/discovery */
        public Builder resultDir(String dir) {
            this.resultDir = Check.urlPath("discovery resultDir", dir);
            return this;
        }

        /** How often each cluster is listed (ECS ListTasks/DescribeTasks). @default 30s */
        public Builder refreshInterval(String interval) {
            this.refreshInterval = PromDuration.parse("discoveryInterval", interval).positive("discoveryInterval");
            return this;
        }

        /**
         * An ECS cluster to look in; each gets its own observer and result file, named by {@code id}
         * (the cluster name where it is known at synth, so reviewers and alerts see it).
         */
        public Builder cluster(String id, String name) {
            if (id == null || !id.matches("[A-Za-z0-9_-]{1,255}")) {
                throw Check.bad("discoveryClusters", id, "an ECS cluster name has letters, digits, '-' and '_'");
            }
            if (clusters.containsKey(id) || clusters.containsValue(name)) {
                throw Check.bad("discoveryClusters", id, "appears more than once");
            }
            clusters.put(id, Check.notBlank("discoveryClusters", name));
            return this;
        }

        /** A service named in the settings, scraped by its ECS service name on {@code port}. */
        public Builder namedService(String name, int port, String metricsPath, String env) {
            namedServices.add(new NamedService(name, Check.port("service '" + name + "' port", port),
                    Check.urlPath("service '" + name + "' metricsPath", metricsPath), Check.notBlank("service '" + name + "' env", env)));
            return this;
        }

        public EcsDiscoveryConfig build() {
            Check.notBlank("discovery region", region);
            if (clusters.isEmpty()) {
                throw Check.bad("discoveryClusters", "[]", "name at least one ECS cluster to discover services in");
            }
            Check.unique("services", namedServices.stream().map(NamedService::name).toList());
            return new EcsDiscoveryConfig(this);
        }
    }
}
