package dev.o11ycdk.test.support;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a Spring Boot 3 service's {@code /actuator/prometheus} (Micrometer's Prometheus registry)
 * answers, by the names and labels Micrometer writes: {@code http_server_requests_seconds} as a
 * histogram with service-level-objective buckets (12 {@code le} values) for four endpoint label sets
 * ({@code error, exception, method, outcome, status, uri}), its {@code _max} gauge and the active
 * requests' long task timer, the JVM's memory, GC, threads and classes, process and system figures
 * and logback's events: 114 series, the size the measurement used (~115 a task).
 *
 * <p>Values are a function of time only (counters from {@code start}, never falling), so a stand-in
 * serving the text and a loader writing the same series for past times agree. Service {@code index}
 * sets its traffic: requests per second, latency and the share of 5xx differ from service to service.
 */
public final class SpringBootMetrics {
    /** Micrometer's bucket bounds as Prometheus 3 stores them (floats, +Inf last). */
    public static final List<String> LE = List.of("0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1.0", "2.5", "5.0",
            "10.0", "+Inf");
    private static final String[][] ENDPOINTS = {
        {"none", "none", "GET", "SUCCESS", "200", "/api/orders"},
        {"none", "none", "POST", "SUCCESS", "201", "/api/orders"},
        {"none", "none", "GET", "SUCCESS", "200", "/api/orders/{id}"},
        {"none", "IllegalStateException", "GET", "SERVER_ERROR", "500", "/api/orders/{id}"},
    };
    private static final String[] ENDPOINT_LABELS = {"error", "exception", "method", "outcome", "status", "uri"};

    private final int index;
    private final double start;

    /** @param start when the process started, in epoch seconds (counters count from there) */
    public SpringBootMetrics(int index, double start) {
        this.index = index;
        this.start = start;
    }

    /** One series: name, its own labels (in order) and value. */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    /** Every series at {@code t} (epoch seconds). */
    public List<Sample> at(double t) {
        List<Sample> out = new ArrayList<>(120);
        double up = Math.max(0, t - start);
        // Traffic: 0.5 to ~20 requests/s, the error endpoint a service-dependent 0.1 to 5 % of it.
        double base = 0.5 + (index * 7919 % 400) / 20.0;
        double[] share = {0.5, 0.2, 0.3, 0.001 + (index * 104729 % 50) / 1000.0};
        for (int e = 0; e < ENDPOINTS.length; e++) {
            Map<String, String> labels = endpoint(e);
            double rate = base * share[e];
            double count = counter(rate, up, t, e);
            // Latency log-normal around a service- and endpoint-dependent median (8 ms to ~1 s).
            double median = 0.008 * Math.pow(1.6, (index + 3 * e) % 11);
            for (String le : LE) {
                double fraction = le.equals("+Inf") ? 1 : normalCdf((Math.log(Double.parseDouble(le)) - Math.log(median)) / 0.8);
                out.add(new Sample("http_server_requests_seconds_bucket", with(labels, "le", le), Math.floor(count * fraction)));
            }
            out.add(new Sample("http_server_requests_seconds_count", labels, count));
            out.add(new Sample("http_server_requests_seconds_sum", labels, count * median * 1.377));
            out.add(new Sample("http_server_requests_seconds_max", labels, median * (2 + Math.sin(t / 97.0 + e))));
        }
        Map<String, String> active = ordered("exception", "none", "method", "GET", "outcome", "SUCCESS", "status", "200", "uri", "UNKNOWN");
        out.add(new Sample("http_server_requests_active_seconds_active_count", active, Math.floor(base * 0.05 * (1 + Math.sin(t / 31.0)))));
        out.add(new Sample("http_server_requests_active_seconds_duration_sum", active, base * 0.002 * (1 + Math.sin(t / 31.0))));
        out.add(new Sample("http_server_requests_active_seconds_max", active, 0.01 * (1 + Math.sin(t / 43.0))));
        String[][] memory = {{"heap", "G1 Eden Space"}, {"heap", "G1 Old Gen"}, {"heap", "G1 Survivor Space"},
            {"nonheap", "Metaspace"}, {"nonheap", "CodeCache"}, {"nonheap", "Compressed Class Space"}};
        for (int m = 0; m < memory.length; m++) {
            Map<String, String> l = ordered("area", memory[m][0], "id", memory[m][1]);
            double max = 256e6 * (m + 1);
            out.add(new Sample("jvm_memory_used_bytes", l, Math.floor(max * (0.4 + 0.2 * Math.sin(t / 60.0 + m)))));
            out.add(new Sample("jvm_memory_committed_bytes", l, Math.floor(max * 0.7)));
            out.add(new Sample("jvm_memory_max_bytes", l, max));
        }
        Map<String, String> gc = ordered("action", "end of minor GC", "cause", "G1 Evacuation Pause", "gc", "G1 Young Generation");
        double pauses = counter(0.2, up, t, 7);
        out.add(new Sample("jvm_gc_pause_seconds_count", gc, pauses));
        out.add(new Sample("jvm_gc_pause_seconds_sum", gc, pauses * 0.004));
        out.add(new Sample("jvm_gc_pause_seconds_max", gc, 0.004 * (1 + Math.sin(t / 53.0))));
        out.add(new Sample("jvm_gc_memory_allocated_bytes_total", Map.of(), counter(5e6, up, t, 8)));
        out.add(new Sample("jvm_gc_memory_promoted_bytes_total", Map.of(), counter(1e5, up, t, 9)));
        out.add(new Sample("jvm_gc_live_data_size_bytes", Map.of(), Math.floor(1.2e8 * (1 + 0.1 * Math.sin(t / 300.0)))));
        out.add(new Sample("jvm_gc_max_data_size_bytes", Map.of(), 1.5e9));
        double threads = 40 + index % 20 + Math.floor(5 * Math.sin(t / 120.0));
        out.add(new Sample("jvm_threads_live_threads", Map.of(), threads));
        out.add(new Sample("jvm_threads_daemon_threads", Map.of(), threads - 10));
        out.add(new Sample("jvm_threads_peak_threads", Map.of(), 70 + index % 20));
        String[] states = {"runnable", "blocked", "waiting", "timed-waiting", "new", "terminated"};
        for (int s = 0; s < states.length; s++) {
            out.add(new Sample("jvm_threads_states_threads", ordered("state", states[s]), s < 4 ? Math.floor(threads / (s + 2)) : 0));
        }
        out.add(new Sample("jvm_classes_loaded_classes", Map.of(), 18000 + index % 500));
        out.add(new Sample("jvm_classes_unloaded_classes_total", Map.of(), Math.floor(up / 3600)));
        out.add(new Sample("process_cpu_usage", Map.of(), 0.05 + 0.04 * (1 + Math.sin(t / 45.0 + index))));
        out.add(new Sample("process_uptime_seconds", Map.of(), up));
        out.add(new Sample("process_start_time_seconds", Map.of(), start));
        out.add(new Sample("process_files_open_files", Map.of(), 80 + index % 30));
        out.add(new Sample("process_files_max_files", Map.of(), 65535));
        out.add(new Sample("system_cpu_usage", Map.of(), 0.1 + 0.05 * (1 + Math.sin(t / 45.0))));
        out.add(new Sample("system_cpu_count", Map.of(), 2));
        out.add(new Sample("system_load_average_1m", Map.of(), 0.5 + 0.3 * (1 + Math.sin(t / 90.0))));
        String[] levels = {"error", "warn", "info", "debug", "trace"};
        double[] perSecond = {0.001, 0.01, 2, 0, 0};
        for (int l = 0; l < levels.length; l++) {
            out.add(new Sample("logback_events_total", ordered("level", levels[l]), counter(perSecond[l] * base, up, t, 10 + l)));
        }
        out.add(new Sample("application_started_time_seconds", ordered("main_application_class", "com.example.App"), 6.5));
        out.add(new Sample("application_ready_time_seconds", ordered("main_application_class", "com.example.App"), 6.9));
        return out;
    }

    private static final java.util.Set<String> NAMES = new SpringBootMetrics(0, 0).at(0).stream().map(Sample::name)
            .collect(java.util.stream.Collectors.toUnmodifiableSet());

    /** Whether a stand-in serves series named {@code metric}. */
    public static boolean serves(String metric) {
        return NAMES.contains(metric);
    }

    /** The series' names and labels only (what a stand-in serves, without values). */
    public int seriesCount() {
        return at(start).size();
    }

    /** The Prometheus text exposition at {@code t}, with Micrometer's TYPE lines. */
    public String exposition(double t) {
        StringBuilder b = new StringBuilder(16_384);
        String family = null;
        for (Sample s : at(t)) {
            String f = familyOf(s.name());
            if (!f.equals(family)) {
                b.append("# TYPE ").append(f).append(' ').append(typeOf(s.name())).append('\n');
                family = f;
            }
            b.append(s.name());
            if (!s.labels().isEmpty()) {
                b.append('{');
                boolean first = true;
                for (Map.Entry<String, String> l : s.labels().entrySet()) {
                    b.append(first ? "" : ",").append(l.getKey()).append("=\"").append(l.getValue()).append('"');
                    first = false;
                }
                b.append('}');
            }
            b.append(' ').append(format(s.value())).append('\n');
        }
        return b.toString();
    }

    private static String familyOf(String name) {
        return name.startsWith("http_server_requests_seconds_") && !name.endsWith("_max") ? "http_server_requests_seconds"
                : name.startsWith("http_server_requests_active_seconds_") && !name.endsWith("_max") ? "http_server_requests_active_seconds"
                : name.startsWith("jvm_gc_pause_seconds_") && !name.endsWith("_max") ? "jvm_gc_pause_seconds"
                : name.endsWith("_total") ? name.substring(0, name.length() - "_total".length()) : name;
    }

    private static String typeOf(String name) {
        String f = familyOf(name);
        if (f.equals("http_server_requests_seconds")) {
            return "histogram";
        }
        if (f.equals("http_server_requests_active_seconds") || f.equals("jvm_gc_pause_seconds")) {
            return "summary";
        }
        return name.endsWith("_total") ? "counter" : "gauge";
    }

    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) + ".0" : String.valueOf(v);
    }

    /** A counter of {@code rate} per second, uneven from sample to sample but never falling. */
    private static double counter(double rate, double up, double t, int phase) {
        return Math.max(0, Math.floor(rate * up + 0.4 * rate * 60 / (2 * Math.PI) * (Math.sin(2 * Math.PI * t / 60 + phase) - Math.sin(phase))));
    }

    private static Map<String, String> endpoint(int e) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < ENDPOINT_LABELS.length; i++) {
            m.put(ENDPOINT_LABELS[i], ENDPOINTS[e][i]);
        }
        return m;
    }

    private static Map<String, String> with(Map<String, String> labels, String k, String v) {
        Map<String, String> m = new LinkedHashMap<>(labels);
        m.put(k, v);
        return m;
    }

    private static Map<String, String> ordered(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    /** The standard normal distribution function (Abramowitz and Stegun 7.1.26, error below 1.5e-7). */
    private static double normalCdf(double x) {
        double z = Math.abs(x) / Math.sqrt(2);
        double k = 1 / (1 + 0.3275911 * z);
        double erf = 1 - k * (0.254829592 + k * (-0.284496736 + k * (1.421413741 + k * (-1.453152027 + k * 1.061405429)))) * Math.exp(-z * z);
        return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
    }
}
