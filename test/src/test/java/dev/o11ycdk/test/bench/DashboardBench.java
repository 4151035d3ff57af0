package dev.o11ycdk.test.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.o11ycdk.config.Rendering;
import dev.o11ycdk.test.support.GrafanaQueries;
import dev.o11ycdk.test.support.LocalProcess;
import dev.o11ycdk.test.support.PrometheusTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * The dashboards benchmark of issue 16 (run by {@code bench/dashboards.sh}, never by the test suite):
 * for each fleet size and each rendered revision ("after", and "before" with {@code BASELINE}), a
 * fresh real Prometheus (Debian's 3.5.3) pinned to one CPU ({@code taskset -c 0}, {@code GOMAXPROCS=1},
 * the Fargate task's 1 vCPU) is loaded by {@link FleetLoader} with the fleet's history and the
 * revision's recording rules, then every panel query of every Fargate dashboard the revision renders
 * is asked as Grafana asks it ({@link GrafanaQueries}: variables at their defaults, "All"; the
 * dashboard's own range, or {@code bench.range}; step from the panel's width; {@code timeInterval} 15 s)
 * at the end of the loaded history.
 *
 * <p>A query's time is the median of {@code bench.runs} (3) runs one after another; a dashboard's time
 * is the median of as many openings, each its variables resolved in order and then all its panel
 * queries at once, at most six in flight (a browser's connections to one host), as Grafana does.
 * It also prints each rule group's evaluation time at the end of the history (its rules as instant
 * queries, one after another, as the rule manager runs a group), and the resident memory per head series.
 */
public final class DashboardBench {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Duration MIN_STEP = Duration.ofSeconds(15);
    private static final int BROWSER_CONNECTIONS = 6;

    private DashboardBench() {
    }

    record QueryTime(String panel, String query, double seconds, int series) {
    }

    record DashboardTime(String title, int queries, int empty, QueryTime slowest, double p50, double max, double opened, double sum,
                         List<String> emptyQueries, List<String> failedQueries) {
    }

    record Run(int size, String variant, FleetLoader.Loaded loaded, long headSeries, long rssBytes, Map<String, Double> groups,
               List<DashboardTime> dashboards) {
    }

    public static void main(String[] args) throws Exception {
        List<Integer> sizes = args.length == 0 ? List.of(5, 100, 1000) : Arrays.stream(args).map(Integer::parseInt).toList();
        Map<String, Path> variants = new LinkedHashMap<>();
        for (String v : System.getProperty("bench.variants", "").split(",")) {
            String[] kv = v.split("=", 2);
            variants.put(kv[0], Path.of(kv[1]));
        }
        String range = System.getProperty("bench.range", "");
        int runs = Integer.getInteger("bench.runs", 3);
        String cpu = System.getProperty("bench.cpu", "0");
        List<Run> all = new ArrayList<>();
        for (int size : sizes) {
            for (Map.Entry<String, Path> v : variants.entrySet()) {
                Run r = run(size, v.getKey(), v.getValue(), variants.values().iterator().next(), range, runs, cpu);
                all.add(r);
                print(r);
            }
        }
        System.out.println();
        System.out.println("## Summary (" + (range.isEmpty() ? "each dashboard's default range" : "range " + range)
                + ", query = median of " + runs + ", dashboard = variables then panels at once, <= " + BROWSER_CONNECTIONS + " in flight)");
        System.out.println();
        System.out.println(summary(all));
    }

    static Run run(int size, String variant, Path rendered, Path discoveryFrom, String rangeOverride, int runs, String cpu) throws Exception {
        Path dir = Files.createTempDirectory("dashboard-bench-" + size + "-" + variant);
        List<GrafanaQueries.Dashboard> dashboards = new ArrayList<>();
        try (Stream<Path> files = Files.list(rendered.resolve("grafana/dashboards"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                GrafanaQueries.Dashboard d = GrafanaQueries.parse(Files.readString(f));
                if (!rangeOverride.isEmpty()) {
                    d = new GrafanaQueries.Dashboard(d.uid(), d.title(),
                            Duration.ofSeconds(dev.o11ycdk.config.PromDuration.parse("bench.range", rangeOverride).toSeconds()), d.variables(), d.panels());
                }
                dashboards.add(d);
            }
        }
        Duration longest = dashboards.stream().map(GrafanaQueries.Dashboard::range).max(Duration::compareTo).orElseThrow();
        // The range, the widest rate window before it (5m) and some margin.
        Duration history = longest.plusMinutes(Long.getLong("bench.marginMinutes", 10));
        long end = System.currentTimeMillis() / FleetLoader.SCRAPE_MS * FleetLoader.SCRAPE_MS;
        double processStart = end / 1000.0 - 86_400;
        String prometheusYml = Files.readString(discoveryFrom.resolve("prometheus/prometheus.yml"));
        FleetLoader fleet = FleetLoader.discover(dir, size, prometheusYml, processStart);
        String rules = Files.readString(rendered.resolve("prometheus/rules/o11y.yml"));
        @SuppressWarnings("unchecked")
        Map<String, Object> global = (Map<String, Object>) YAML.readValue(prometheusYml, Map.class).get("global");
        Files.writeString(dir.resolve("prometheus.yml"), Rendering.yaml(Map.of("global", global)));
        int port = LocalProcess.freePort();
        List<String> command = new ArrayList<>();
        if (!cpu.isEmpty()) {
            command.addAll(List.of("taskset", "-c", cpu));
        }
        command.addAll(List.of(PrometheusTools.prometheus(), "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port, "--web.enable-remote-write-receiver"));
        try (LocalProcess prom = LocalProcess.start("prometheus", command, dir, cpu.isEmpty() ? Map.of() : Map.of("GOMAXPROCS", "1"))) {
            if (!LocalProcess.await(Duration.ofSeconds(60), () -> LocalProcess.get("http://127.0.0.1:" + port + "/-/ready") != null)) {
                throw new IllegalStateException("prometheus not ready\n" + prom.log());
            }
            GrafanaQueries.Api api = new GrafanaQueries.Api(port);
            System.err.printf("[%d %s] loading %s of history for %d services%n", size, variant, history, size);
            FleetLoader.Loaded loaded = fleet.load(port, rules, end, history);
            System.err.printf("[%d %s] loaded %,d raw and %,d recorded samples in %ds (recording rules %ds)%n", size, variant,
                    loaded.rawSamples(), loaded.recordedSamples(), loaded.took().toSeconds(), loaded.rules().toSeconds());
            long headSeries = api.get("/api/v1/status/tsdb").path("data").path("headStats").path("numSeries").asLong();
            long rss = rss(port);
            Map<String, Double> groups = ruleGroups(api, rules, end / 1000, runs);
            List<DashboardTime> times = new ArrayList<>();
            for (GrafanaQueries.Dashboard d : dashboards) {
                times.add(dashboard(api, d, end / 1000, runs));
                System.err.printf("[%d %s] %s done%n", size, variant, d.title());
            }
            return new Run(size, variant, loaded, headSeries, rss, groups, times);
        } finally {
            deleteQuietly(dir);
        }
    }

    /** Prometheus' own resident memory (process_resident_memory_bytes of its /metrics). */
    private static long rss(int port) {
        String metrics = LocalProcess.get("http://127.0.0.1:" + port + "/metrics");
        for (String line : metrics == null ? new String[0] : metrics.split("\n")) {
            if (line.startsWith("process_resident_memory_bytes ")) {
                return (long) Double.parseDouble(line.substring(line.indexOf(' ') + 1).trim());
            }
        }
        return -1;
    }

    /** Each group's evaluation time at {@code t}: its rules' expressions as instant queries in order (median of runs). */
    @SuppressWarnings("unchecked")
    static Map<String, Double> ruleGroups(GrafanaQueries.Api api, String ruleFile, long t, int runs) throws IOException {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Map<String, Object> g : (List<Map<String, Object>>) YAML.readValue(ruleFile, Map.class).get("groups")) {
            double[] took = new double[runs];
            for (int r = 0; r < runs; r++) {
                long t0 = System.nanoTime();
                for (Map<String, Object> rule : (List<Map<String, Object>>) g.get("rules")) {
                    api.queryRange(new GrafanaQueries.RangeQuery("rule", String.valueOf(rule.get("expr")), t, t, 15));
                }
                took[r] = (System.nanoTime() - t0) / 1e9;
            }
            out.put(String.valueOf(g.get("name")), median(took));
        }
        return out;
    }

    static DashboardTime dashboard(GrafanaQueries.Api api, GrafanaQueries.Dashboard d, long now, int runs) throws Exception {
        Map<String, List<String>> options = new LinkedHashMap<>();
        Map<String, GrafanaQueries.Selection> selected = GrafanaQueries.resolve(api, d, Map.of(), now, options);
        List<GrafanaQueries.RangeQuery> queries = GrafanaQueries.queries(d, selected, options, now, MIN_STEP);
        List<QueryTime> times = new ArrayList<>();
        List<String> empty = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (GrafanaQueries.RangeQuery q : queries) {
            // A first run that is not counted (it also tells an empty query: no number at any step).
            JsonNode result;
            try {
                result = api.queryRange(q);
            } catch (IllegalStateException e) {
                // What Grafana shows in the panel instead of data, e.g. "query processing would load too many samples".
                long t0 = System.nanoTime();
                String error = e.getMessage().replaceAll("(?s).*\"error\":\"([^\"]*)\".*", "$1");
                try {
                    api.queryRange(q);
                } catch (IllegalStateException again) {
                    // as before
                }
                failed.add(q.panel() + " (" + error + "): " + q.query());
                times.add(new QueryTime(q.panel() + " [fails: " + error + "]", q.query(), (System.nanoTime() - t0) / 1e9, 0));
                continue;
            }
            if (!hasData(result)) {
                empty.add(q.panel() + ": " + q.query());
            }
            double[] took = new double[runs];
            for (int r = 0; r < runs; r++) {
                long t0 = System.nanoTime();
                api.queryRange(q);
                took[r] = (System.nanoTime() - t0) / 1e9;
            }
            times.add(new QueryTime(q.panel(), q.query(), median(took), result.size()));
        }
        double[] opened = new double[runs];
        ExecutorService pool = Executors.newFixedThreadPool(BROWSER_CONNECTIONS);
        try {
            for (int r = 0; r < runs; r++) {
                long t0 = System.nanoTime();
                Map<String, List<String>> o = new LinkedHashMap<>();
                Map<String, GrafanaQueries.Selection> s = GrafanaQueries.resolve(api, d, Map.of(), now, o);
                List<Future<JsonNode>> inFlight = new ArrayList<>();
                for (GrafanaQueries.RangeQuery q : GrafanaQueries.queries(d, s, o, now, MIN_STEP)) {
                    inFlight.add(pool.submit(() -> {
                        try {
                            return api.queryRange(q);
                        } catch (IllegalStateException e) {
                            return null;
                        }
                    }));
                }
                for (Future<JsonNode> f : inFlight) {
                    f.get();
                }
                opened[r] = (System.nanoTime() - t0) / 1e9;
            }
        } finally {
            pool.shutdownNow();
        }
        double[] each = times.stream().mapToDouble(QueryTime::seconds).toArray();
        QueryTime slowest = times.stream().max((a, b) -> Double.compare(a.seconds(), b.seconds())).orElseThrow();
        return new DashboardTime(d.title(), times.size(), empty.size(), slowest, median(each), slowest.seconds(), median(opened),
                Arrays.stream(each).sum(), empty, failed);
    }

    /** At least one series with a number (not NaN) at some step. */
    static boolean hasData(JsonNode result) {
        for (JsonNode series : result) {
            for (JsonNode point : series.path("values")) {
                if (!point.path(1).asText().equals("NaN")) {
                    return true;
                }
            }
        }
        return false;
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static void print(Run r) {
        System.out.printf("%n### %d services, %s: %,d head series (%d per service), RSS %.0f MiB (%.0f B per series); loaded %,d samples in %ds%n",
                r.size(), r.variant(), r.headSeries(), r.loaded().seriesPerService(), r.rssBytes() / 1048576.0,
                r.headSeries() == 0 ? 0 : (double) r.rssBytes() / r.headSeries(), r.loaded().rawSamples() + r.loaded().recordedSamples(),
                r.loaded().took().toSeconds());
        System.out.println("| dashboard | queries | empty | failed | query p50 | query max | slowest panel | opened | sum of queries |");
        System.out.println("|---|---:|---:|---:|---:|---:|---|---:|---:|");
        for (DashboardTime d : r.dashboards()) {
            System.out.printf("| %s | %d | %d | %d | %.3f s | %.3f s | %s | %.3f s | %.3f s |%n", d.title(), d.queries(), d.empty(),
                    d.failedQueries().size(), d.p50(), d.max(), d.slowest().panel(), d.opened(), d.sum());
        }
        System.out.println("Rule groups (evaluation at the end of the history, s): " + r.groups().entrySet().stream()
                .map(e -> e.getKey() + " " + String.format("%.3f", e.getValue())).reduce((a, b) -> a + ", " + b).orElse(""));
        for (DashboardTime d : r.dashboards()) {
            System.out.printf("  slowest of %s: %.3f s %s%n", d.title(), d.slowest().seconds(), d.slowest().query());
        }
    }

    static String summary(List<Run> runs) {
        StringBuilder b = new StringBuilder();
        b.append("| services | dashboard | variant | queries (empty, failed) | query p50 | query max | dashboard opened | slowest panel |\n");
        b.append("|---:|---|---|---:|---:|---:|---:|---|\n");
        for (Run r : runs) {
            for (DashboardTime d : r.dashboards()) {
                b.append(String.format("| %,d | %s | %s | %d (%d, %d) | %.3f s | %.3f s | %.3f s | %s |%n", r.size(), d.title(), r.variant(),
                        d.queries(), d.empty(), d.failedQueries().size(), d.p50(), d.max(), d.opened(), d.slowest().panel()));
            }
        }
        b.append("\n| services | variant | head series | RSS | bytes per series | slowest rule group |\n|---:|---|---:|---:|---:|---|\n");
        for (Run r : runs) {
            Map.Entry<String, Double> g = r.groups().entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow();
            b.append(String.format("| %,d | %s | %,d | %.0f MiB | %.0f | %s %.3f s |%n", r.size(), r.variant(), r.headSeries(), r.rssBytes() / 1048576.0,
                    r.headSeries() == 0 ? 0 : (double) r.rssBytes() / r.headSeries(), g.getKey(), g.getValue()));
        }
        return b.toString();
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // left in the temp folder
        }
    }
}
