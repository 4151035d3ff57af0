package dev.o11ycdk.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A typed {@code prometheus.yml}. Both layouts render their configuration from this model, so a
 * syntax error cannot reach a running Prometheus (seed 004: the crash loop on a bad config).
 */
public final class PrometheusConfig {
    /** Prometheus' default port. */
    public static final int DEFAULT_PORT = 9090;
    /** Prometheus' own default scrape timeout; a shorter scrape interval is the timeout instead (it may not exceed it). */
    public static final PromDuration DEFAULT_SCRAPE_TIMEOUT = PromDuration.ofSeconds(10);
    /** The external label a high-availability pair shares (AMP's de-duplication reads it). */
    public static final String HA_CLUSTER_LABEL = "cluster";
    /** The external label each replica of a pair sets to its own value (AMP's de-duplication reads and drops it). */
    public static final String HA_REPLICA_LABEL = "__replica__";

    private final PromDuration scrapeInterval;
    private final PromDuration evaluationInterval;
    private final PromDuration scrapeTimeout;
    private final Map<String, String> externalLabels;
    private final List<String> ruleFiles;
    private final List<ScrapeJob> scrapeJobs;
    private final List<Map<String, Object>> alertmanagers;
    private final List<Map<String, Object>> remoteWrite;
    private final List<Map<String, Object>> alertRelabel;

    private PrometheusConfig(Builder b) {
        this.scrapeInterval = b.scrapeInterval;
        this.evaluationInterval = b.evaluationInterval;
        this.scrapeTimeout = b.timeout();
        this.externalLabels = Map.copyOf(b.externalLabels);
        this.ruleFiles = List.copyOf(b.ruleFiles);
        this.scrapeJobs = List.copyOf(b.scrapeJobs);
        this.alertmanagers = List.copyOf(b.alertmanagers);
        this.remoteWrite = List.copyOf(b.remoteWrite);
        this.alertRelabel = List.copyOf(b.alertRelabel);
    }

    public static Builder builder() {
        return new Builder();
    }

    public PromDuration getScrapeInterval() {
        return scrapeInterval;
    }

    public PromDuration getEvaluationInterval() {
        return evaluationInterval;
    }

    public List<ScrapeJob> getScrapeJobs() {
        return scrapeJobs;
    }

    public Map<String, Object> toMap() {
        Map<String, Object> global = new LinkedHashMap<>();
        global.put("scrape_interval", scrapeInterval.toString());
        global.put("scrape_timeout", scrapeTimeout.toString());
        global.put("evaluation_interval", evaluationInterval.toString());
        if (!externalLabels.isEmpty()) {
            global.put("external_labels", new java.util.TreeMap<>(externalLabels));
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("global", global);
        if (!alertmanagers.isEmpty()) {
            Map<String, Object> alerting = new LinkedHashMap<>();
            if (!alertRelabel.isEmpty()) {
                alerting.put("alert_relabel_configs", alertRelabel);
            }
            alerting.put("alertmanagers", alertmanagers);
            root.put("alerting", alerting);
        }
        if (!ruleFiles.isEmpty()) {
            root.put("rule_files", ruleFiles);
        }
        root.put("scrape_configs", scrapeJobs.stream().map(ScrapeJob::toMap).toList());
        if (!remoteWrite.isEmpty()) {
            root.put("remote_write", remoteWrite);
        }
        return root;
    }

    public String toYaml() {
        return Rendering.yaml(toMap());
    }

    /** A builder holding this configuration, to derive a variant (e.g. a local test profile). */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.scrapeInterval = scrapeInterval;
        b.evaluationInterval = evaluationInterval;
        b.scrapeTimeout = scrapeTimeout;
        b.externalLabels.putAll(externalLabels);
        b.ruleFiles.addAll(ruleFiles);
        b.scrapeJobs.addAll(scrapeJobs);
        b.alertmanagers.addAll(alertmanagers);
        b.remoteWrite.addAll(remoteWrite);
        b.alertRelabel.addAll(alertRelabel);
        return b;
    }

    public static final class Builder {
        private PromDuration scrapeInterval = PromDuration.parse("scrapeInterval", "15s");
        private PromDuration evaluationInterval = PromDuration.parse("evaluationInterval", "15s");
        private PromDuration scrapeTimeout;
        private final Map<String, String> externalLabels = new LinkedHashMap<>();
        private final List<String> ruleFiles = new ArrayList<>();
        private final List<ScrapeJob> scrapeJobs = new ArrayList<>();
        private final List<Map<String, Object>> alertmanagers = new ArrayList<>();
        private final List<Map<String, Object>> remoteWrite = new ArrayList<>();
        private final List<Map<String, Object>> alertRelabel = new ArrayList<>();

        /** @param interval default 15s (seed 001) */
        public Builder scrapeInterval(String interval) {
            this.scrapeInterval = PromDuration.parse("scrapeInterval", interval).positive("scrapeInterval");
            return this;
        }

        /** @param interval default 15s (seed 001) */
        public Builder evaluationInterval(String interval) {
            this.evaluationInterval = PromDuration.parse("evaluationInterval", interval).positive("evaluationInterval");
            return this;
        }

        /** @param timeout default 10s, or the scrape interval when that is shorter; never above the scrape interval */
        public Builder scrapeTimeout(String timeout) {
            this.scrapeTimeout = PromDuration.parse("scrapeTimeout", timeout).positive("scrapeTimeout");
            return this;
        }

        public Builder externalLabel(String name, String value) {
            externalLabels.put(Check.labelName("externalLabels", name), value);
            return this;
        }

        /**
         * One replica of a high-availability pair: the external labels Amazon Managed Service for
         * Prometheus de-duplicates on ({@value #HA_CLUSTER_LABEL}, the same on both replicas, and
         * {@value #HA_REPLICA_LABEL}, each replica's own; AWS, "Send high-availability data to Amazon
         * Managed Service for Prometheus"), and {@value #HA_REPLICA_LABEL} dropped from the alerts,
         * so the pair's alerts are identical and Alertmanager notifies once.
         */
        public Builder haReplica(String cluster, String replica) {
            externalLabels.put(HA_CLUSTER_LABEL, Check.notBlank("ha cluster label", cluster));
            externalLabels.put(HA_REPLICA_LABEL, Check.notBlank("ha replica label", replica));
            alertRelabel.removeIf(r -> HA_REPLICA_LABEL.equals(r.get("regex")));
            alertRelabel.add(Rendering.ordered("action", "labeldrop", "regex", HA_REPLICA_LABEL));
            return this;
        }

        public Builder ruleFile(String path) {
            ruleFiles.add(Check.notBlank("ruleFiles", path));
            return this;
        }

        public Builder scrapeJob(ScrapeJob job) {
            scrapeJobs.add(job);
            return this;
        }

        /** Drops jobs by name (e.g. cloud discovery in a loopback-only test). */
        public Builder removeJobs(String... names) {
            List<String> drop = List.of(names);
            scrapeJobs.removeIf(j -> drop.contains(j.getJobName()));
            return this;
        }

        /** Drops every Alertmanager (e.g. to point a loopback test at its own). */
        public Builder removeAlertmanagers() {
            alertmanagers.clear();
            return this;
        }

        public Builder scrapeJobs(List<ScrapeJob> jobs) {
            scrapeJobs.addAll(jobs);
            return this;
        }

        /** Alertmanagers at fixed {@code host:port} addresses. */
        public Builder alertmanagerStatic(List<String> targets) {
            targets.forEach(t -> Check.hostPort("alertmanager target", t));
            alertmanagers.add(Map.of("static_configs", List.of(Map.of("targets", List.copyOf(targets)))));
            return this;
        }

        /** Alertmanagers found by DNS (every task behind a Cloud Map name). */
        public Builder alertmanagerDns(String name, int port) {
            Map<String, Object> dns = new LinkedHashMap<>();
            dns.put("names", List.of(Check.notBlank("alertmanager dns name", name)));
            dns.put("type", "A");
            dns.put("port", Check.port("alertmanager port", port));
            dns.put("refresh_interval", "30s");
            alertmanagers.add(Map.of("dns_sd_configs", List.of(dns)));
            return this;
        }

        /**
         * Remote write to Amazon Managed Service for Prometheus, signed with SigV4 by the task or
         * instance role: the way to outgrow a single Prometheus writing to one disk.
         */
        public Builder remoteWriteSigV4(String url, String region) {
            Check.notBlank("remoteWrite url", url);
            Map<String, Object> rw = new LinkedHashMap<>();
            rw.put("url", url);
            rw.put("sigv4", Map.of("region", Check.notBlank("remoteWrite region", region)));
            rw.put("queue_config", remoteWriteQueue());
            remoteWrite.add(rw);
            return this;
        }

        /**
         * Plain remote write (no signing) to {@code url}, with the same queue as {@link #remoteWriteSigV4}:
         * for loopback tests, where a Prometheus with {@code --web.enable-remote-write-receiver} stands in for AMP.
         */
        public Builder remoteWritePlain(String url) {
            Map<String, Object> rw = new LinkedHashMap<>();
            rw.put("url", Check.notBlank("remoteWrite url", url));
            rw.put("queue_config", remoteWriteQueue());
            remoteWrite.add(rw);
            return this;
        }

        /** Every remote write's queue (a map of its own each: a YAML writer would alias a shared one). */
        private static Map<String, Object> remoteWriteQueue() {
            return Rendering.ordered("capacity", 2500, "max_shards", 200, "max_samples_per_send", 1000);
        }

        private PromDuration timeout() {
            return scrapeTimeout != null ? scrapeTimeout
                    : scrapeInterval.toMillis() >= DEFAULT_SCRAPE_TIMEOUT.toMillis() ? DEFAULT_SCRAPE_TIMEOUT : scrapeInterval;
        }

        public PrometheusConfig build() {
            Check.unique("scrape job name", scrapeJobs.stream().map(ScrapeJob::getJobName).toList());
            PromDuration scrapeTimeout = timeout();
            if (scrapeTimeout.toMillis() > scrapeInterval.toMillis()) {
                throw Check.bad("scrapeTimeout", scrapeTimeout.toString(),
                        "must not exceed scrapeInterval " + scrapeInterval);
            }
            for (ScrapeJob job : scrapeJobs) {
                // Prometheus refuses a config where a job inherits a timeout longer than its own interval.
                PromDuration own = job.getScrapeInterval();
                if (own != null && !job.hasOwnTimeout() && scrapeTimeout.toMillis() > own.toMillis()) {
                    throw Check.bad("scrapeTimeout", scrapeTimeout.toString(), "exceeds the scrapeInterval "
                            + own + " of job '" + job.getJobName() + "'; set a shorter scrapeTimeout on that job");
                }
            }
            return new PrometheusConfig(this);
        }
    }
}
