package dev.o11ycdk.eks;

import dev.o11ycdk.config.AlertmanagerConfig;
import dev.o11ycdk.config.PromDuration;
import dev.o11ycdk.config.PrometheusConfig;
import dev.o11ycdk.config.RuleGroups;
import dev.o11ycdk.config.ScrapeJob;
import dev.o11ycdk.core.ComputeSize;
import dev.o11ycdk.core.ScrapeTarget;
import dev.o11ycdk.core.internal.InternalValueStyle;
import dev.o11ycdk.grafana.Datasource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.immutables.value.Value;
import static dev.o11ycdk.config.Rendering.ordered;

/**
 * kube-prometheus-stack's values (Prometheus, Alertmanager, Grafana, their ingresses and volumes)
 * as a pure function of what {@link KubePrometheusStack} decided: no construct is made here, so the
 * values can be built and read without a Stack. Deploy-time values (the certificate ARN) pass
 * through as the strings they are given.
 */
@Value.Immutable
@InternalValueStyle
abstract class ChartValues {
    static final int ALERTMANAGER_VOLUME_GIB = 2;
    static final int GRAFANA_VOLUME_GIB = 10;
    /** Alerts of the chart's own rule set that the shared model replaces (same name, same meaning), so none fires twice. */
    static final List<String> REPLACED_CHART_ALERTS = List.of("NodeFilesystemSpaceFillingUp", "NodeFilesystemAlmostOutOfSpace");
    /**
     * The label (value 1) on the ConfigMaps Grafana's sidecar loads as dashboards; those are applied
     * beside the chart, not as its extraManifests, which it runs through Helm's tpl.
     */
    static final String DASHBOARD_LABEL = "grafana_dashboard";

    static ImmutableChartValues.Builder builder() {
        return ImmutableChartValues.builder();
    }

    /** Grafana at grafana.&lt;domainName&gt;, Prometheus at prometheus.&lt;domainName&gt;. */
    abstract String domainName();

    /** On both ingresses' ALB listeners. */
    abstract String certificateArn();

    abstract List<String> grafanaAllowedCidrs();

    abstract List<String> prometheusAllowedCidrs();

    abstract boolean prometheusPublic();

    /** Scrape and rule evaluation interval. */
    abstract PromDuration scrapeInterval();

    /** The {@code env} external label. */
    abstract String environment();

    abstract long retentionDays();

    abstract ComputeSize prometheusSize();

    abstract int prometheusVolumeGiB();

    /** The class every claim names. */
    abstract String storageClass();

    /** The shared model's rules, as one PrometheusRule. */
    abstract RuleGroups rules();

    abstract AlertmanagerConfig alertmanagerConfig();

    /** Scraped by Service name, beside what the chart scrapes itself. */
    abstract List<ScrapeTarget> services();

    /** Grafana's Loki datasource. */
    abstract String lokiUrl();

    /** The images' versions, the same as the other layouts run (no "v"). */
    abstract String prometheusVersion();

    abstract String alertmanagerVersion();

    abstract String grafanaVersion();

    abstract String nodeExporterVersion();

    /** Prometheus pods; 2 is a pair the operator labels {@code __replica__} (AMP's high-availability label). */
    @Value.Default
    int prometheusReplicas() {
        return 1;
    }

    /** The {@code cluster} external label of a pair (AMP de-duplicates on it and {@code __replica__}). */
    @Value.Default
    String haCluster() {
        return "";
    }

    private Map<String, Object> externalLabels() {
        return prometheusReplicas() > 1
                ? ordered("env", environment(), PrometheusConfig.HA_CLUSTER_LABEL, haCluster())
                : ordered("env", environment());
    }

    /** {@code spec} with a pair's own keys: replicas and the replica label's name (the operator drops it from alerts). */
    private Map<String, Object> withPair(Map<String, Object> spec) {
        if (prometheusReplicas() > 1) {
            Map<String, Object> out = new LinkedHashMap<>(spec);
            out.put("replicas", prometheusReplicas());
            out.put("replicaExternalLabelName", PrometheusConfig.HA_REPLICA_LABEL);
            return out;
        }
        return spec;
    }

    /** The values Helm receives for kube-prometheus-stack. */
    Map<String, Object> kubePrometheusStack() {
        String prometheusScheme = prometheusPublic() ? "internet-facing" : "internal";
        Map<String, Object> disabledRules = new LinkedHashMap<>();
        // EKS runs the control plane: nothing to scrape, so these would fire for ever (seed 004's false alarms).
        disabledRules.put("KubeControllerManagerDown", true);
        disabledRules.put("KubeSchedulerDown", true);
        REPLACED_CHART_ALERTS.forEach(a -> disabledRules.put(a, true));
        String release = KubePrometheusStack.RELEASE;
        return ordered(
                "fullnameOverride", release,
                "defaultRules", ordered(
                        "create", true,
                        "rules", ordered(
                                "etcd", false,
                                "kubeControllerManager", false,
                                "kubeSchedulerAlerting", false,
                                "kubeSchedulerRecording", false,
                                // Replaced by the shared model's groups of the same purpose (job="prometheus"/"alertmanager").
                                "general", false,
                                "prometheus", false,
                                "alertmanager", false),
                        "disabled", disabledRules),
                // Helm installs a chart's CRDs once and never upgrades them; the chart's job applies them before
                // the operator of a new chart version starts (a new major of the chart is mostly new CRDs).
                "crds", ordered("enabled", true, "upgradeJob", ordered("enabled", true)),
                "additionalPrometheusRulesMap", ordered("o11y-cdk", ordered("groups", rules().toGroupList())),
                "kubeControllerManager", ordered("enabled", false),
                "kubeScheduler", ordered("enabled", false),
                "kubeEtcd", ordered("enabled", false),
                "alertmanager", ordered(
                        "service", ordered("type", "ClusterIP"),
                        "serviceMonitor", jobLabel("alertmanager"),
                        "enableFeatures", List.of(AlertmanagerConfig.UTF8_STRICT_MODE),
                        "config", alertmanager(),
                        "alertmanagerSpec", ordered(
                                "image", ordered("tag", "v" + alertmanagerVersion()),
                                "secrets", List.of(KubePrometheusStack.SLACK_SECRET),
                                "resources", ClusterObjects.resources("50m", 256, 256),
                                "storage", volumeClaim(ALERTMANAGER_VOLUME_GIB))),
                "prometheus", ordered(
                        "service", ordered("type", "ClusterIP"),
                        "serviceMonitor", jobLabel("prometheus"),
                        "ingress", ordered(
                                "enabled", true,
                                "ingressClassName", "alb",
                                "annotations", ingress(prometheusScheme, prometheusAllowedCidrs(), "/-/ready", "o11y-prometheus"),
                                "hosts", List.of("prometheus." + domainName()),
                                "paths", List.of("/"),
                                "pathType", "Prefix"),
                        "prometheusSpec", withPair(ordered(
                                // The chart's own default is the newest Prometheus, not the long-term-support line.
                                "image", ordered("tag", "v" + prometheusVersion()),
                                "scrapeInterval", scrapeInterval().toString(),
                                "evaluationInterval", scrapeInterval().toString(),
                                "externalLabels", externalLabels(),
                                "retention", retentionDays() + "d",
                                // Prometheus deletes old blocks before the volume is full, not after.
                                "retentionSize", (int) Math.floor(prometheusVolumeGiB() * 0.85) + "GB",
                                "ruleSelectorNilUsesHelmValues", false,
                                "serviceMonitorSelectorNilUsesHelmValues", false,
                                "podMonitorSelectorNilUsesHelmValues", false,
                                "resources", ordered(
                                        "requests", ordered("cpu", millicores(prometheusSize().cpu()), "memory", prometheusSize().memoryMiB() + "Mi"),
                                        // Seed 004's fix: a memory limit from the sizing model, and room to burst CPU.
                                        "limits", ordered("cpu", millicores(2 * prometheusSize().cpu()), "memory", prometheusSize().memoryMiB() + "Mi")),
                                "storageSpec", volumeClaim(prometheusVolumeGiB()),
                                "additionalScrapeConfigs", additionalScrapeConfigs()))),
                "prometheus-node-exporter", ordered("image", ordered("tag", "v" + nodeExporterVersion())),
                "grafana", ordered(
                        "fullnameOverride", release + "-grafana",
                        "image", ordered("tag", grafanaVersion()),
                        "admin", ordered("existingSecret", KubePrometheusStack.GRAFANA_SECRET, "userKey", "admin-user",
                                "passwordKey", "admin-password"),
                        "service", ordered("type", "ClusterIP"),
                        // One ReadWriteOnce volume: the old pod must let go of it before the new one starts.
                        "deploymentStrategy", ordered("type", "Recreate"),
                        "persistence", ordered("enabled", true, "type", "pvc", "storageClassName", storageClass(),
                                "accessModes", List.of("ReadWriteOnce"), "size", GRAFANA_VOLUME_GIB + "Gi"),
                        "resources", ClusterObjects.resources("100m", 512, 512),
                        "ingress", ordered(
                                "enabled", true,
                                "ingressClassName", "alb",
                                "annotations", ingress("internet-facing", grafanaAllowedCidrs(), "/api/health", "o11y-grafana"),
                                "hosts", List.of("grafana." + domainName()),
                                "path", "/",
                                "pathType", "Prefix"),
                        "grafana.ini", ordered(
                                "server", ordered("root_url", "https://grafana." + domainName() + "/"),
                                "analytics", ordered("check_for_updates", false, "reporting_enabled", false),
                                "users", ordered("allow_sign_up", false)),
                        "sidecar", ordered("dashboards", ordered("enabled", true, "label", DASHBOARD_LABEL, "labelValue", "1")),
                        "additionalDataSources", List.of(Datasource.loki(lokiUrl()).toMap())));
    }

    /** Alertmanager's configuration as the chart gets it. */
    Map<String, Object> alertmanager() {
        // The whole configuration, so Helm's merge with the chart's default leaves nothing of the default behind.
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("global", ordered("resolve_timeout", "5m"));
        config.putAll(alertmanagerConfig().toMap());
        config.put("templates", List.of());
        return config;
    }

    /** The services' scrape jobs as Prometheus configuration, none without services. */
    List<Object> additionalScrapeConfigs() {
        List<ScrapeJob> jobs = serviceJobs(services());
        if (jobs.isEmpty()) {
            return List.of();
        }
        @SuppressWarnings("unchecked")
        List<Object> configs = (List<Object>) PrometheusConfig.builder().scrapeJobs(jobs).build().toMap().get("scrape_configs");
        return configs;
    }

    /**
     * The services' scrape jobs, each service at its own metrics path (seed 004, problem 12): one job
     * for all the services sharing a port, path and env, its targets labelled job and service by
     * their Service's name, so the values grow by a name per service, not by a job (1,000 services
     * would otherwise pass CloudFormation's 1 MB template limit).
     */
    static List<ScrapeJob> serviceJobs(List<ScrapeTarget> services) {
        Map<String, List<ScrapeTarget>> byEndpoint = new LinkedHashMap<>();
        for (ScrapeTarget t : services) {
            byEndpoint.computeIfAbsent(t.port() + " " + t.metricsPath() + " " + t.env(), k -> new ArrayList<>()).add(t);
        }
        List<ScrapeJob> jobs = new ArrayList<>();
        for (List<ScrapeTarget> group : byEndpoint.values()) {
            ScrapeTarget first = group.get(0);
            String slug = first.metricsPath().replaceAll("[^A-Za-z0-9]+", "-").replaceAll("^-|-$", "");
            Map<String, String> env = new LinkedHashMap<>();
            env.put("env", first.env());
            jobs.add(ScrapeJob.builder("services-" + first.port() + (slug.isEmpty() ? "" : "-" + slug) + "-" + first.env())
                    .metricsPath(first.metricsPath())
                    .kubernetesServices(group.stream().map(ScrapeTarget::name).toList(), first.port(), List.of())
                    // The teams' services: a /metrics without a Content-Type fails a Prometheus 3 scrape otherwise.
                    .fallbackScrapeProtocol(ScrapeJob.ScrapeProtocol.PROMETHEUS_TEXT_0_0_4)
                    .labels(env)
                    .build());
        }
        return jobs;
    }

    private Map<String, Object> volumeClaim(int gib) {
        return ordered("volumeClaimTemplate", ordered("spec", ordered(
                "storageClassName", storageClass(),
                "accessModes", List.of("ReadWriteOnce"),
                "resources", ordered("requests", ordered("storage", gib + "Gi")))));
    }

    private Map<String, Object> ingress(String scheme, List<String> cidrs, String healthPath, String group) {
        return ordered(
                "alb.ingress.kubernetes.io/scheme", scheme,
                "alb.ingress.kubernetes.io/target-type", "ip",
                "alb.ingress.kubernetes.io/listen-ports", "[{\"HTTPS\":443}]",
                "alb.ingress.kubernetes.io/certificate-arn", certificateArn(),
                "alb.ingress.kubernetes.io/ssl-policy", "ELBSecurityPolicy-TLS13-1-2-2021-06",
                "alb.ingress.kubernetes.io/inbound-cidrs", String.join(",", cidrs),
                "alb.ingress.kubernetes.io/healthcheck-path", healthPath,
                "alb.ingress.kubernetes.io/group.name", group);
    }

    private static Map<String, Object> jobLabel(String job) {
        return ordered("relabelings", List.of(ordered("action", "replace", "targetLabel", "job", "replacement", job)));
    }

    private static String millicores(int cpuUnits) {
        return (cpuUnits * 1000 / 1024) + "m";
    }
}
