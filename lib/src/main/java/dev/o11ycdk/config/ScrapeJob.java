package dev.o11ycdk.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@code scrape_configs} entry. Build with {@link #builder(String)}; every value is checked
 * when {@link Builder#build()} runs, so a bad port or label fails {@code cdk synth}.
 */
public final class ScrapeJob {
    /** Job names the platform itself uses; a service may not take them. */
    public static final List<String> PLATFORM_JOBS = List.of("prometheus", "grafana", "alertmanager", "cloudwatch",
            "cloudwatch-exporter", "ec2", "node", "ecs");

    private final String jobName;
    private final String metricsPath;
    private final String scheme;
    private final ScrapeProtocol fallbackScrapeProtocol;
    private final PromDuration scrapeInterval;
    private final PromDuration scrapeTimeout;
    private final List<Map<String, Object>> staticConfigs;
    private final List<Map<String, Object>> fileSdConfigs;
    private final List<Map<String, Object>> ec2SdConfigs;
    private final List<Map<String, Object>> dnsSdConfigs;
    private final List<Map<String, Object>> kubernetesSdConfigs;
    private final List<Map<String, Object>> relabelConfigs;

    private ScrapeJob(Builder b) {
        this.jobName = b.jobName;
        this.metricsPath = b.metricsPath;
        this.scheme = b.scheme;
        this.fallbackScrapeProtocol = b.fallbackScrapeProtocol;
        this.scrapeInterval = b.scrapeInterval;
        this.scrapeTimeout = b.scrapeTimeout;
        this.staticConfigs = List.copyOf(b.staticConfigs);
        this.fileSdConfigs = List.copyOf(b.fileSdConfigs);
        this.ec2SdConfigs = List.copyOf(b.ec2SdConfigs);
        this.dnsSdConfigs = List.copyOf(b.dnsSdConfigs);
        this.kubernetesSdConfigs = List.copyOf(b.kubernetesSdConfigs);
        this.relabelConfigs = List.copyOf(b.relabelConfigs);
    }

    public static Builder builder(String jobName) {
        return new Builder(jobName);
    }

    public String getJobName() {
        return jobName;
    }

    public PromDuration getScrapeInterval() {
        return scrapeInterval;
    }

    /** The protocol assumed for a response without a usable Content-Type, or null: such a scrape fails. */
    public ScrapeProtocol getFallbackScrapeProtocol() {
        return fallbackScrapeProtocol;
    }

    boolean hasOwnTimeout() {
        return scrapeTimeout != null;
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("job_name", jobName);
        if (scrapeInterval != null) {
            m.put("scrape_interval", scrapeInterval.toString());
        }
        if (scrapeTimeout != null) {
            m.put("scrape_timeout", scrapeTimeout.toString());
        }
        m.put("metrics_path", metricsPath);
        m.put("scheme", scheme);
        if (fallbackScrapeProtocol != null) {
            m.put("fallback_scrape_protocol", fallbackScrapeProtocol.toString());
        }
        putIfAny(m, "static_configs", staticConfigs);
        putIfAny(m, "file_sd_configs", fileSdConfigs);
        putIfAny(m, "ec2_sd_configs", ec2SdConfigs);
        putIfAny(m, "dns_sd_configs", dnsSdConfigs);
        putIfAny(m, "kubernetes_sd_configs", kubernetesSdConfigs);
        putIfAny(m, "relabel_configs", relabelConfigs);
        return m;
    }

    private static void putIfAny(Map<String, Object> m, String key, List<?> list) {
        if (!list.isEmpty()) {
            m.put(key, list);
        }
    }

    /** DNS record type for {@link Builder#dnsSd}. */
    public enum DnsRecordType { A, SRV }

    /** A scrape protocol as Prometheus 3's {@code fallback_scrape_protocol} names it. */
    public enum ScrapeProtocol {
        /** The classic text format: what a Content-Type-less {@code /metrics} almost always is. */
        PROMETHEUS_TEXT_0_0_4("PrometheusText0.0.4"),
        PROMETHEUS_TEXT_1_0_0("PrometheusText1.0.0"),
        OPEN_METRICS_TEXT_0_0_1("OpenMetricsText0.0.1"),
        OPEN_METRICS_TEXT_1_0_0("OpenMetricsText1.0.0"),
        PROMETHEUS_PROTO("PrometheusProto");

        private final String name;

        ScrapeProtocol(String name) {
            this.name = name;
        }

        /** As prometheus.yml spells it. */
        @Override
        public String toString() {
            return name;
        }
    }

    public static final class Builder {
        private final String jobName;
        private String metricsPath = "/metrics";
        private String scheme = "http";
        private ScrapeProtocol fallbackScrapeProtocol;
        private PromDuration scrapeInterval;
        private PromDuration scrapeTimeout;
        private final List<Map<String, Object>> staticConfigs = new ArrayList<>();
        private final List<Map<String, Object>> fileSdConfigs = new ArrayList<>();
        private final List<Map<String, Object>> ec2SdConfigs = new ArrayList<>();
        private final List<Map<String, Object>> dnsSdConfigs = new ArrayList<>();
        private final List<Map<String, Object>> kubernetesSdConfigs = new ArrayList<>();
        private final List<Map<String, Object>> relabelConfigs = new ArrayList<>();

        private Builder(String jobName) {
            Check.notBlank("jobName", jobName);
            if (!jobName.matches("[a-zA-Z0-9_.:-]+")) {
                throw Check.bad("jobName", jobName, "use letters, digits, '_', '-', '.' or ':'");
            }
            this.jobName = jobName;
        }

        private String s(String field) {
            return "scrape job '" + jobName + "' " + field;
        }

        /** @param path default {@code /metrics}; set it when the service exposes metrics elsewhere */
        public Builder metricsPath(String path) {
            this.metricsPath = Check.urlPath(s("metricsPath"), path);
            return this;
        }

        public Builder scheme(String scheme) {
            if (!"http".equals(scheme) && !"https".equals(scheme)) {
                throw Check.bad(s("scheme"), scheme, "must be http or https");
            }
            this.scheme = scheme;
            return this;
        }

        /**
         * How to parse a response whose Content-Type is missing or unknown. Prometheus 2 parsed it as the
         * text format; Prometheus 3 fails the scrape (the target is down) unless this is set. Set it on
         * every job whose targets the platform does not build: an application's hand-written
         * {@code /metrics}, an exporter someone else installed.
         *
         * @param protocol default - none: such a response fails the scrape
         */
        public Builder fallbackScrapeProtocol(ScrapeProtocol protocol) {
            this.fallbackScrapeProtocol = java.util.Objects.requireNonNull(protocol, s("fallbackScrapeProtocol"));
            return this;
        }

        /** @param interval default - the global scrape interval */
        public Builder scrapeInterval(String interval) {
            this.scrapeInterval = PromDuration.parse(s("scrapeInterval"), interval).positive(s("scrapeInterval"));
            return this;
        }

        public Builder scrapeTimeout(String timeout) {
            this.scrapeTimeout = PromDuration.parse(s("scrapeTimeout"), timeout).positive(s("scrapeTimeout"));
            return this;
        }

        /** Fixed targets ({@code host:port}) with labels attached to every sample. */
        public Builder staticTargets(List<String> targets, Map<String, String> labels) {
            if (targets.isEmpty()) {
                throw Check.bad(s("staticTargets"), "[]", "needs at least one host:port target");
            }
            targets.forEach(t -> Check.hostPort(s("target"), t));
            Map<String, Object> sc = new LinkedHashMap<>();
            sc.put("targets", List.copyOf(targets));
            putLabels(sc, labels);
            staticConfigs.add(sc);
            return this;
        }

        /**
         * Targets read from files another process writes (a host's boot script, the ECS discovery
         * sidecar); a relative path is resolved against the directory of prometheus.yml.
         */
        public Builder fileSd(List<String> files, String refreshInterval) {
            for (String f : files) {
                // Prometheus reads .json, .yml and .yaml; the last path segment may hold one '*'.
                if (f == null || f.isBlank() || f.chars().anyMatch(Character::isWhitespace) || !f.matches(".*\\.(json|ya?ml)")
                        || f.substring(0, f.lastIndexOf('/') + 1).contains("*") || f.chars().filter(c -> c == '*').count() > 1) {
                    throw Check.bad(s("fileSd file"), f, "must be a path to a .json, .yml or .yaml target file without spaces, "
                            + "with at most one '*' in its last segment");
                }
            }
            Map<String, Object> sc = new LinkedHashMap<>();
            sc.put("files", List.copyOf(files));
            sc.put("refresh_interval", PromDuration.parse(s("fileSd refreshInterval"), refreshInterval).toString());
            fileSdConfigs.add(sc);
            return this;
        }

        /**
         * EC2 instances carrying {@code tagKey=tagValue}, scraped on their private IP at {@code port}.
         * The instance's Name tag becomes the {@code instance} label.
         */
        public Builder ec2Sd(String region, int port, String tagKey, String tagValue) {
            Check.port(s("ec2Sd port"), port);
            Check.notBlank(s("ec2Sd tagKey"), tagKey);
            Check.notBlank(s("ec2Sd tagValue"), tagValue);
            Map<String, Object> sc = new LinkedHashMap<>();
            sc.put("region", Check.notBlank(s("ec2Sd region"), region));
            sc.put("port", port);
            sc.put("refresh_interval", "60s");
            sc.put("filters", List.of(Rendering.ordered("name", "tag:" + tagKey, "values", List.of(tagValue))));
            ec2SdConfigs.add(sc);
            relabel(List.of("__meta_ec2_tag_Name"), "instance", "(.+)", "$1");
            relabel(List.of("__meta_ec2_instance_id"), "instance_id", "(.+)", "$1");
            relabel(List.of("__meta_ec2_availability_zone"), "availability_zone", "(.+)", "$1");
            return this;
        }

        /**
         * EC2 instances matching every one of {@code filters} (DescribeInstances filter names, e.g.
         * {@code tag-key} or {@code instance-state-name}, each with its values), scraped at
         * {@code port} unless a relabel rule sets {@code __address__}. Unlike
         * {@link #ec2Sd(String, int, String, String)} it adds no relabel rule: the {@code __meta_ec2_*}
         * labels are the job's to use.
         */
        public Builder ec2Sd(String region, int port, Map<String, List<String>> filters) {
            Check.port(s("ec2Sd port"), port);
            if (filters.isEmpty()) {
                throw Check.bad(s("ec2Sd filters"), "{}", "name at least one filter, or every instance of the region is scraped");
            }
            List<Object> list = new ArrayList<>();
            filters.forEach((name, values) -> {
                Check.notBlank(s("ec2Sd filter"), name);
                if (values.isEmpty()) {
                    throw Check.bad(s("ec2Sd filter " + name), "[]", "give at least one value");
                }
                values.forEach(v -> Check.notBlank(s("ec2Sd filter " + name + " value"), v));
                list.add(Rendering.ordered("name", name, "values", List.copyOf(values)));
            });
            Map<String, Object> sc = new LinkedHashMap<>();
            sc.put("region", Check.notBlank(s("ec2Sd region"), region));
            sc.put("port", port);
            sc.put("refresh_interval", "60s");
            sc.put("filters", list);
            ec2SdConfigs.add(sc);
            return this;
        }

        /**
         * The endpoints of the Kubernetes Services named in {@code services} (any namespace, or those of
         * {@code namespaces}) whose port is {@code port}, one target a ready pod, read through the API
         * server's EndpointSlices. Each target's {@code job} and {@code service} labels are its Service's
         * name, as if each Service had a job of its own, so one job serves every Service that shares a
         * port and metrics path (1,000 services stay a few jobs); namespace and pod become labels too.
         */
        public Builder kubernetesServices(List<String> services, int port, List<String> namespaces) {
            if (services.isEmpty()) {
                throw Check.bad(s("kubernetes services"), "[]", "name at least one Service");
            }
            for (String service : services) {
                if (service == null || !service.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
                    throw Check.bad(s("kubernetes service"), service, "must be a Kubernetes Service name (RFC 1035 label: "
                            + "lower-case letters, digits and '-', at most 63)");
                }
            }
            Check.port(s("kubernetes service port"), port);
            Map<String, Object> sc = new LinkedHashMap<>();
            sc.put("role", "endpointslice");
            if (!namespaces.isEmpty()) {
                namespaces.forEach(n -> Check.notBlank(s("kubernetes namespace"), n));
                sc.put("namespaces", Rendering.ordered("names", List.copyOf(namespaces)));
            }
            kubernetesSdConfigs.add(sc);
            String names = services.size() == 1 ? services.get(0) : "(" + String.join("|", services) + ")";
            keep(List.of("__meta_kubernetes_service_name", "__meta_kubernetes_endpointslice_port"), names + ";" + port);
            keep(List.of("__meta_kubernetes_endpointslice_endpoint_conditions_ready"), "true");
            relabel(List.of("__meta_kubernetes_service_name"), "job", "(.+)", "$1");
            relabel(List.of("__meta_kubernetes_service_name"), "service", "(.+)", "$1");
            relabel(List.of("__meta_kubernetes_namespace"), "namespace", "(.+)", "$1");
            relabel(List.of("__meta_kubernetes_pod_name"), "pod", "(.+)", "$1");
            return this;
        }

        /**
         * DNS service discovery (e.g. Cloud Map): every A record behind {@code name} becomes a
         * target on {@code port}, so each task is scraped, not one of them.
         */
        public Builder dnsSd(List<String> names, DnsRecordType type, int port, String refreshInterval) {
            if (names.isEmpty()) {
                throw Check.bad(s("dnsSd names"), "[]", "needs at least one DNS name");
            }
            names.forEach(n -> Check.notBlank(s("dnsSd name"), n));
            Map<String, Object> sc = new LinkedHashMap<>();
            sc.put("names", List.copyOf(names));
            sc.put("type", type.name());
            if (type == DnsRecordType.A) {
                sc.put("port", Check.port(s("dnsSd port"), port));
            }
            sc.put("refresh_interval", PromDuration.parse(s("dnsSd refreshInterval"), refreshInterval).toString());
            dnsSdConfigs.add(sc);
            return this;
        }

        /** Adds constant labels to every target of this job (e.g. service, env). */
        public Builder labels(Map<String, String> labels) {
            labels.forEach((k, v) -> {
                Check.labelName(s("label"), k);
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("target_label", k);
                r.put("replacement", v);
                r.put("action", "replace");
                relabelConfigs.add(r);
            });
            return this;
        }

        /** A {@code replace} relabel rule from source labels to a target label. */
        public Builder relabel(List<String> sourceLabels, String targetLabel, String regex, String replacement) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("source_labels", List.copyOf(sourceLabels));
            r.put("regex", regex);
            r.put("target_label", targetLabel.startsWith("__") ? targetLabel : Check.labelName(s("relabel target"), targetLabel));
            r.put("replacement", replacement);
            r.put("action", "replace");
            relabelConfigs.add(r);
            return this;
        }

        /** A {@code keep} relabel rule: only targets whose joined source labels match {@code regex} stay. */
        public Builder keep(List<String> sourceLabels, String regex) {
            return filter("keep", sourceLabels, regex);
        }

        /** A {@code drop} relabel rule: targets whose joined source labels match {@code regex} go. */
        public Builder drop(List<String> sourceLabels, String regex) {
            return filter("drop", sourceLabels, regex);
        }

        private Builder filter(String action, List<String> sourceLabels, String regex) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("source_labels", List.copyOf(sourceLabels));
            r.put("regex", Check.notBlank(s(action + " regex"), regex));
            r.put("action", action);
            relabelConfigs.add(r);
            return this;
        }

        /** A {@code labeldrop} relabel rule: removes the target labels whose names match {@code regex}. */
        public Builder labelDrop(String regex) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("regex", Check.notBlank(s("labeldrop regex"), regex));
            r.put("action", "labeldrop");
            relabelConfigs.add(r);
            return this;
        }

        private void putLabels(Map<String, Object> sc, Map<String, String> labels) {
            if (labels != null && !labels.isEmpty()) {
                labels.keySet().forEach(k -> Check.labelName(s("label"), k));
                sc.put("labels", new LinkedHashMap<>(labels));
            }
        }

        public ScrapeJob build() {
            if (staticConfigs.isEmpty() && fileSdConfigs.isEmpty() && ec2SdConfigs.isEmpty() && dnsSdConfigs.isEmpty()
                    && kubernetesSdConfigs.isEmpty()) {
                throw Check.bad(s("targets"), "none", "add static targets or a service discovery");
            }
            if (scrapeTimeout != null && scrapeInterval != null && scrapeTimeout.toMillis() > scrapeInterval.toMillis()) {
                throw Check.bad(s("scrapeTimeout"), scrapeTimeout.toString(),
                        "must not exceed scrapeInterval " + scrapeInterval);
            }
            return new ScrapeJob(this);
        }
    }
}
