package dev.o11ycdk.test.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.o11ycdk.config.Rendering;
import dev.o11ycdk.test.support.DiscoveryFixture;
import dev.o11ycdk.test.support.GrafanaQueries;
import dev.o11ycdk.test.support.LocalProcess;
import dev.o11ycdk.test.support.SpringBootMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * N ECS services' worth of what the Fargate layout's Prometheus scrapes, written into a real Prometheus
 * by remote write for a stretch of history, as if it had scraped them every 15 s: per task the app's
 * Spring Boot endpoint ({@link SpringBootMetrics}: 114 series) and the ecs_exporter sidecar (container
 * CPU and memory, the task's reservation, network, task metadata), each target's {@code up} and
 * {@code scrape_*} series, and the CloudWatch exporter's ALB response time. The target labels are the
 * ones the rendered {@code ecs} job's relabelling gives: a real Prometheus reads a discovery file of
 * the N tasks in the ECS observer's format ({@link DiscoveryFixture}) with that job unchanged and the
 * loader takes each target's labels from its {@code /api/v1/targets}.
 *
 * <p>The recording rules of the rendered rule file are evaluated the way the rule manager would have
 * over that history: window by window (10 minutes), after the window's raw samples, each group in
 * file order and each rule in group order, as a {@code query_range} at the group's interval, its
 * result written back under the rule's name and labels (so later rules read earlier ones, as in one
 * evaluation). Alerting rules are left out: no panel reads them.
 */
public final class FleetLoader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final long SCRAPE_MS = 15_000;
    private static final int WINDOW_SCRAPES = 40;

    private final int size;
    private final List<Map<String, String>> appTargets;
    private final List<Map<String, String>> exporterTargets;
    private final double processStart;

    private FleetLoader(int size, List<Map<String, String>> appTargets, List<Map<String, String>> exporterTargets, double processStart) {
        this.size = size;
        this.appTargets = appTargets;
        this.exporterTargets = exporterTargets;
        this.processStart = processStart;
    }

    /** The ECS service name of task {@code i}. */
    public static String service(int i) {
        return String.format("svc-%04d", i);
    }

    /**
     * The fleet's targets as the rendered Fargate {@code prometheus.yml}'s {@code ecs} job labels them: a
     * short-lived Prometheus in {@code dir} reads the discovery file (tasks on loopback addresses nobody
     * listens on) and is stopped once it lists every target.
     */
    @SuppressWarnings("unchecked")
    public static FleetLoader discover(Path dir, int size, String renderedPrometheusYml, double processStart) throws Exception {
        Map<String, Object> entry = DiscoveryFixture.load().entry("PaymentsStack-PaymentsService-1AB2");
        List<Map<String, Object>> entries = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            String ip = "127.1." + (i / 250) + "." + (i % 250 + 1);
            Map<String, Object> app = DiscoveryFixture.renamed(entry, service(i), service(i), ip + ":8080");
            Map<String, Object> labels = (Map<String, Object>) app.get("labels");
            labels.put("__meta_ecs_container_labels_O11Y_TEAM", "team-" + (i % 25));
            labels.put("__meta_ecs_task_definition_family", service(i));
            entries.add(app);
            Map<String, Object> exporter = DiscoveryFixture.withLabel(app, "__meta_ecs_container_name", "ecs-exporter", ip + ":9779");
            Map<String, Object> el = (Map<String, Object>) exporter.get("labels");
            el.put("__meta_ecs_container_labels_O11Y_SCRAPE_PORT", "9779");
            el.put("__meta_ecs_container_labels_O11Y_METRICS_PATH", "/metrics");
            el.put("__metrics_path__", "/metrics");
            entries.add(exporter);
        }
        Path work = Files.createDirectories(dir.resolve("discover"));
        DiscoveryFixture.write(work.resolve("discovery/ecs-bench.yaml"), entries);
        Map<String, Object> rendered = YAML.readValue(renderedPrometheusYml, Map.class);
        Map<String, Object> ecs = new LinkedHashMap<>(((List<Map<String, Object>>) rendered.get("scrape_configs")).stream()
                .filter(j -> "ecs".equals(j.get("job_name"))).findFirst().orElseThrow(() -> new IllegalStateException("no ecs job")));
        ecs.put("file_sd_configs", List.of(Map.of("files", List.of(work.resolve("discovery") + "/ecs-*.yaml"), "refresh_interval", "1s")));
        ecs.put("scrape_interval", "1h");
        ecs.put("scrape_timeout", "1s");
        Files.writeString(work.resolve("prometheus.yml"), Rendering.yaml(Map.of("global", rendered.get("global"), "scrape_configs", List.of(ecs))));
        int port = LocalProcess.freePort();
        try (LocalProcess p = LocalProcess.start("prometheus-discover", List.of(dev.o11ycdk.test.support.PrometheusTools.prometheus(),
                "--config.file=" + work.resolve("prometheus.yml"), "--storage.tsdb.path=" + work.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port), work, Map.of())) {
            GrafanaQueries.Api api = new GrafanaQueries.Api(port);
            JsonNode[] active = new JsonNode[1];
            boolean listed = LocalProcess.await(Duration.ofSeconds(60), () -> {
                if (LocalProcess.get("http://127.0.0.1:" + port + "/-/ready") == null) {
                    return false;
                }
                active[0] = api.get("/api/v1/targets?state=active").path("data").path("activeTargets");
                return active[0].size() == entries.size();
            });
            if (!listed) {
                throw new IllegalStateException("Prometheus listed " + (active[0] == null ? 0 : active[0].size()) + " of " + entries.size()
                        + " targets\n" + p.log());
            }
            Map<String, Map<String, String>> apps = new LinkedHashMap<>();
            Map<String, Map<String, String>> exporters = new LinkedHashMap<>();
            for (JsonNode t : active[0]) {
                Map<String, String> labels = JSON.convertValue(t.path("labels"), Map.class);
                String group = t.path("discoveredLabels").path("__meta_ecs_task_group").asText().replaceFirst("^service:", "");
                boolean exporter = t.path("discoveredLabels").path("__meta_ecs_container_name").asText().equals("ecs-exporter");
                (exporter ? exporters : apps).put(group, labels);
            }
            List<Map<String, String>> appTargets = new ArrayList<>();
            List<Map<String, String>> exporterTargets = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                appTargets.add(require(apps, service(i)));
                exporterTargets.add(require(exporters, service(i)));
            }
            return new FleetLoader(size, appTargets, exporterTargets, processStart);
        }
    }

    private static Map<String, String> require(Map<String, Map<String, String>> targets, String service) {
        Map<String, String> t = targets.get(service);
        if (t == null || !service.equals(t.get("service"))) {
            throw new IllegalStateException("the rendered relabelling gave " + service + " the labels " + t);
        }
        return t;
    }

    /** One series of the fleet: its labels as remote write sends them and its value at a time. */
    private interface Values {
        double at(double t);
    }

    private record Series(byte[] labels, int target, Values values) {
    }

    /** Series of task {@code i} other than the app's Micrometer ones (whose values come from {@link SpringBootMetrics}). */
    private List<Series> others(int i) {
        List<Series> out = new ArrayList<>();
        Map<String, String> app = appTargets.get(i);
        Map<String, String> exp = exporterTargets.get(i);
        int appSeries = new SpringBootMetrics(i, processStart).seriesCount();
        scrapeSeries(out, app, 2 * i, appSeries);
        scrapeSeries(out, exp, 2 * i + 1, 12);
        double cpu = 0.25 * (1 + i % 4);
        double memory = 512 * 1048576.0 * (1 + i % 4);
        double busy = 0.05 + (i * 7919 % 100) / 150.0;
        out.add(new Series(RemoteWrite.labels("ecs_task_cpu_limit_vcpus", exp), 2 * i + 1, t -> cpu));
        out.add(new Series(RemoteWrite.labels("ecs_task_memory_limit_bytes", exp), 2 * i + 1, t -> memory));
        for (String c : List.of("app", "ecs-exporter")) {
            double share = c.equals("app") ? busy : 0.005;
            Map<String, String> l = with(exp, "container_name", c);
            out.add(new Series(RemoteWrite.labels("ecs_container_cpu_usage_seconds_total", l), 2 * i + 1,
                    t -> Math.floor(cpu * share * (t - processStart) * 1000) / 1000));
            out.add(new Series(RemoteWrite.labels("ecs_container_memory_usage_bytes", l), 2 * i + 1,
                    t -> Math.floor(memory * (c.equals("app") ? 0.3 + 0.4 * busy + 0.05 * Math.sin(t / 300.0 + i) : 0.02))));
        }
        for (String dir : List.of("receive", "transmit")) {
            double bps = 2000 + i * 7 % 50_000;
            out.add(new Series(RemoteWrite.labels("ecs_network_" + dir + "_bytes_total", with(exp, "interface", "eth1")), 2 * i + 1,
                    t -> Math.floor(bps * (t - processStart))));
        }
        Map<String, String> info = new LinkedHashMap<>(exp);
        info.putAll(Map.of("availability_zone", "ap-northeast-2" + (char) ('a' + i % 3), "cluster", "o11y-platform", "desired_status", "RUNNING",
                "family", service(i), "known_status", "RUNNING", "launch_type", "FARGATE", "revision", "1",
                "task_arn", "arn:aws:ecs:ap-northeast-2:123456789012:task/o11y-platform/" + String.format("%032x", i * 2654435761L)));
        out.add(new Series(RemoteWrite.labels("ecs_task_metadata_info", info), 2 * i + 1, t -> 1));
        return out;
    }

    private static void scrapeSeries(List<Series> out, Map<String, String> target, int k, int samples) {
        out.add(new Series(RemoteWrite.labels("up", target), k, t -> 1));
        out.add(new Series(RemoteWrite.labels("scrape_duration_seconds", target), k, t -> 0.004 + 0.002 * Math.abs(Math.sin(t / 77.0 + k))));
        out.add(new Series(RemoteWrite.labels("scrape_samples_scraped", target), k, t -> samples));
        out.add(new Series(RemoteWrite.labels("scrape_samples_post_metric_relabeling", target), k, t -> samples));
        out.add(new Series(RemoteWrite.labels("scrape_series_added", target), k, t -> 0));
    }

    /** The CloudWatch exporter's ALB series (the platform's ALB, two target groups), scraped every minute. */
    private static List<Series> cloudWatch() {
        List<Series> out = new ArrayList<>();
        for (String tg : List.of("targetgroup/o11y-grafana/6d0ecf831eec9f09", "targetgroup/o11y-prometheus/2b6e1a1c2a3f4d5e")) {
            Map<String, String> l = Map.of("job", "cloudwatch", "instance", "10.0.1.23:9106", "load_balancer", "app/o11y-platform/50dc6c495c0c9188",
                    "target_group", tg);
            out.add(new Series(RemoteWrite.labels("aws_applicationelb_target_response_time_average", l), -1, t -> 0.02 + 0.01 * Math.sin(t / 600.0)));
            out.add(new Series(RemoteWrite.labels("aws_applicationelb_target_response_time_maximum", l), -1, t -> 0.2 + 0.1 * Math.sin(t / 600.0)));
        }
        return out;
    }

    private static Map<String, String> with(Map<String, String> m, String k, String v) {
        Map<String, String> out = new LinkedHashMap<>(m);
        out.put(k, v);
        return out;
    }

    /** What a load did. */
    public record Loaded(long rawSamples, long recordedSamples, int seriesPerService, Duration took, Duration rules) {
    }

    /**
     * Writes the fleet's samples from {@code endMs - history} to {@code endMs} into the Prometheus on
     * {@code port} (its remote-write receiver on), and the recording rules of {@code ruleFile} over them.
     */
    public Loaded load(int port, String ruleFile, long endMs, Duration history) throws IOException {
        long started = System.nanoTime();
        long ruleNanos = 0;
        RemoteWrite rw = new RemoteWrite(port);
        RemoteWrite recorded = new RemoteWrite(port);
        GrafanaQueries.Api api = new GrafanaQueries.Api(port);
        List<RecordingGroup> groups = RecordingGroup.parse(ruleFile);
        List<List<Series>> others = new ArrayList<>();
        List<List<byte[]>> micrometer = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            others.add(others(i));
            List<byte[]> labels = new ArrayList<>();
            for (SpringBootMetrics.Sample s : new SpringBootMetrics(i, processStart).at(processStart)) {
                Map<String, String> l = new LinkedHashMap<>(appTargets.get(i));
                l.putAll(s.labels());
                labels.add(RemoteWrite.labels(s.name(), l));
            }
            micrometer.add(labels);
        }
        List<Series> cloudWatch = cloudWatch();
        int perService = others.get(0).size() + micrometer.get(0).size();
        long first = (endMs - history.toMillis()) / SCRAPE_MS * SCRAPE_MS;
        for (long w0 = first; w0 <= endMs; w0 += WINDOW_SCRAPES * SCRAPE_MS) {
            long w1 = Math.min(endMs, w0 + (WINDOW_SCRAPES - 1) * SCRAPE_MS);
            int n = (int) ((w1 - w0) / SCRAPE_MS) + 1;
            for (int i = 0; i < size; i++) {
                // Each target scraped at its own offset within the interval, as Prometheus spreads them.
                long appOffset = offset(2 * i);
                long[] ts = new long[n];
                for (int j = 0; j < n; j++) {
                    ts[j] = w0 + j * SCRAPE_MS - SCRAPE_MS + appOffset;
                }
                List<byte[]> labels = micrometer.get(i);
                double[][] values = new double[labels.size()][n];
                SpringBootMetrics m = new SpringBootMetrics(i, processStart);
                for (int j = 0; j < n; j++) {
                    List<SpringBootMetrics.Sample> at = m.at(ts[j] / 1000.0);
                    for (int s = 0; s < at.size(); s++) {
                        values[s][j] = at.get(s).value();
                    }
                }
                for (int s = 0; s < labels.size(); s++) {
                    rw.add(labels.get(s), ts, values[s]);
                }
                for (Series s : others.get(i)) {
                    add(rw, s, w0, n);
                }
                if (rw.pending() > 3000) {
                    rw.flush();
                }
            }
            for (Series s : cloudWatch) {
                add(rw, s, w0, n);
            }
            rw.flush();
            long r0 = System.nanoTime();
            for (RecordingGroup g : groups) {
                g.evaluate(api, recorded, w0, w1);
            }
            recorded.flush();
            ruleNanos += System.nanoTime() - r0;
        }
        return new Loaded(rw.samplesSent(), recorded.samplesSent(), perService, Duration.ofNanos(System.nanoTime() - started),
                Duration.ofNanos(ruleNanos));
    }

    private static long offset(int target) {
        return Math.floorMod(target * 2_654_435_761L, SCRAPE_MS);
    }

    private static void add(RemoteWrite rw, Series s, long w0, int n) {
        long step = s.target() < 0 ? 60_000 : SCRAPE_MS;
        long off = s.target() < 0 ? 7_000 : offset(s.target());
        List<Long> ts = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            long t = w0 + j * SCRAPE_MS - SCRAPE_MS + off;
            if (s.target() >= 0 || Math.floorMod(t - off, step) == 0) {
                ts.add(t);
            }
        }
        long[] times = ts.stream().mapToLong(Long::longValue).toArray();
        double[] values = new double[times.length];
        for (int j = 0; j < times.length; j++) {
            values[j] = s.values().at(times[j] / 1000.0);
        }
        rw.add(s.labels(), times, values);
    }

    /** A rule group's recording rules, evaluated over a stretch of time as the rule manager would have. */
    record RecordingGroup(String name, long intervalMs, List<Recording> rules) {
        record Recording(String record, String expr, Map<String, String> labels) {
        }

        @SuppressWarnings("unchecked")
        static List<RecordingGroup> parse(String ruleFile) throws IOException {
            Map<String, Object> file = YAML.readValue(ruleFile, Map.class);
            List<RecordingGroup> out = new ArrayList<>();
            for (Map<String, Object> g : (List<Map<String, Object>>) file.get("groups")) {
                List<Recording> rules = new ArrayList<>();
                for (Map<String, Object> r : (List<Map<String, Object>>) g.get("rules")) {
                    if (r.get("record") != null) {
                        Map<String, String> labels = new LinkedHashMap<>();
                        ((Map<String, Object>) r.getOrDefault("labels", Map.of())).forEach((k, v) -> labels.put(k, String.valueOf(v)));
                        rules.add(new Recording(String.valueOf(r.get("record")), String.valueOf(r.get("expr")), labels));
                    }
                }
                Object interval = g.get("interval");
                out.add(new RecordingGroup(String.valueOf(g.get("name")),
                        interval == null ? 15_000 : dev.o11ycdk.config.PromDuration.parse("interval", String.valueOf(interval)).toSeconds() * 1000,
                        rules));
            }
            return out;
        }

        @SuppressWarnings("unchecked")
        void evaluate(GrafanaQueries.Api api, RemoteWrite out, long fromMs, long toMs) {
            long start = (fromMs + intervalMs - 1) / intervalMs * intervalMs;
            long end = toMs / intervalMs * intervalMs;
            if (end < start) {
                return;
            }
            for (Recording r : rules) {
                JsonNode result = api.queryRange(new GrafanaQueries.RangeQuery(r.record(), r.expr(), start / 1000, end / 1000, intervalMs / 1000));
                for (JsonNode series : result) {
                    Map<String, String> labels = new LinkedHashMap<>(JSON.convertValue(series.path("metric"), Map.class));
                    labels.remove("__name__");
                    labels.putAll(r.labels());
                    JsonNode points = series.path("values");
                    long[] ts = new long[points.size()];
                    double[] vs = new double[points.size()];
                    for (int j = 0; j < points.size(); j++) {
                        ts[j] = Math.round(points.get(j).path(0).asDouble() * 1000);
                        vs[j] = Double.parseDouble(points.get(j).path(1).asText().replace("+Inf", "Infinity").replace("-Inf", "-Infinity"));
                    }
                    out.add(RemoteWrite.labels(r.record(), labels), ts, vs);
                }
                // Written before the next rule runs: a later rule of the group reads this one.
                out.flush();
            }
        }
    }
}
