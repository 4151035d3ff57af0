package dev.o11ycdk.test.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What Grafana's Prometheus datasource sends for a provisioned dashboard (classic JSON model), so tests
 * and the benchmark ask a real Prometheus what a browser opening the dashboard would: each query
 * variable resolved in order ({@code label_values(selector, label)} as {@code /api/v1/label/<label>/values}
 * with {@code match[]} over the dashboard's range, earlier variables interpolated into later ones),
 * "All" as the variable's {@code allValue} (or every value as {@code (a|b)}), several values as a
 * regex of escaped values, one value escaped; {@code $__interval}, {@code $__rate_interval} and
 * {@code $__range}; each panel query a {@code query_range} POST with the step Grafana derives from the
 * range and the panel's width (its rounding table, never below the datasource's {@code timeInterval}),
 * start and end aligned down to the step. Grafana's own server time is not part of what is measured.
 */
public final class GrafanaQueries {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LABEL_VALUES = Pattern.compile("^\\s*label_values\\((?:(.*),\\s*)?([a-zA-Z_][a-zA-Z0-9_]*)\\s*\\)\\s*$");
    private static final Pattern VARIABLE = Pattern.compile("\\$(?:\\{(\\w+)}|(\\w+))");
    /** Dashboard width in pixels a panel of 24 grid columns gets (a 1920-pixel screen less Grafana's chrome). */
    public static final int DASHBOARD_PIXELS = 1800;

    private GrafanaQueries() {
    }

    /** A dashboard as provisioned: its variables in order, its panels and the range it opens on. */
    public record Dashboard(String uid, String title, Duration range, List<Variable> variables, List<Panel> panels) {
    }

    public record Variable(String name, String query, String allValue, boolean includeAll, boolean multi) {
    }

    /** A panel; {@code minInterval} is its "Min interval" ({@code interval}), null where it has none. */
    public record Panel(String title, String type, int gridWidth, List<String> exprs, Duration minInterval) {
        /** Grafana's maxDataPoints: the panel's width in pixels. */
        public int maxDataPoints() {
            return DASHBOARD_PIXELS * gridWidth / 24;
        }
    }

    /** A variable's selection: "All", or these values. */
    public record Selection(boolean all, List<String> values) {
        public static Selection allOf() {
            return new Selection(true, List.of());
        }

        public static Selection of(String... values) {
            return new Selection(false, List.of(values));
        }
    }

    /** One request Grafana would send: the interpolated query over {@code [start, end]} every {@code step} seconds. */
    public record RangeQuery(String panel, String query, long start, long end, long step) {
    }

    public static Dashboard parse(String json) {
        try {
            JsonNode d = JSON.readTree(json);
            String from = d.path("time").path("from").asText();
            Matcher m = Pattern.compile("now-(\\d+)([smhdw])").matcher(from);
            if (!m.matches() || !d.path("time").path("to").asText().equals("now")) {
                throw new IllegalArgumentException("a range Grafana reads as now-<n><unit> to now: " + d.path("time"));
            }
            long unit = switch (m.group(2)) {
                case "s" -> 1;
                case "m" -> 60;
                case "h" -> 3600;
                case "d" -> 86_400;
                default -> 604_800;
            };
            List<Variable> vars = new ArrayList<>();
            for (JsonNode v : d.path("templating").path("list")) {
                JsonNode q = v.path("query");
                vars.add(new Variable(v.path("name").asText(), q.isTextual() ? q.asText() : q.path("query").asText(),
                        v.hasNonNull("allValue") ? v.path("allValue").asText() : null, v.path("includeAll").asBoolean(),
                        v.path("multi").asBoolean()));
            }
            List<Panel> panels = new ArrayList<>();
            for (JsonNode p : d.path("panels")) {
                List<String> exprs = new ArrayList<>();
                p.path("targets").forEach(t -> exprs.add(t.path("expr").asText()));
                panels.add(new Panel(p.path("title").asText(), p.path("type").asText(), p.path("gridPos").path("w").asInt(24), exprs,
                        p.hasNonNull("interval") ? duration(p.path("interval").asText()) : null));
            }
            return new Dashboard(d.path("uid").asText(), d.path("title").asText(), Duration.ofSeconds(Long.parseLong(m.group(1)) * unit),
                    vars, panels);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A Grafana interval such as {@code 1m} or {@code 15s}. */
    static Duration duration(String text) {
        Matcher m = Pattern.compile("(\\d+)([smhd])").matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("an interval Grafana reads as <n><s|m|h|d>: " + text);
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    /** Grafana's interval rounding: the nearest "nice" interval to {@code ms}. */
    static long roundInterval(long ms) {
        long[][] table = {{15, 10}, {35, 20}, {75, 50}, {150, 100}, {350, 200}, {750, 500}, {1500, 1000}, {3500, 2000},
            {7500, 5000}, {12_500, 10_000}, {17_500, 15_000}, {25_000, 20_000}, {45_000, 30_000}, {90_000, 60_000},
            {210_000, 120_000}, {450_000, 300_000}, {750_000, 600_000}, {1_050_000, 900_000}, {1_500_000, 1_200_000},
            {2_700_000, 1_800_000}, {5_400_000, 3_600_000}, {9_000_000, 7_200_000}, {16_200_000, 10_800_000},
            {32_400_000, 21_600_000}, {86_400_000, 43_200_000}};
        for (long[] row : table) {
            if (ms < row[0]) {
                return row[1];
            }
        }
        return 86_400_000;
    }

    /**
     * The step (seconds) Grafana queries {@code panel} with over {@code range}, for a datasource timeInterval of
     * {@code minStep}: the panel's own "Min interval", where it has one, takes the datasource's place.
     */
    public static long step(Panel panel, Duration range, Duration minStep) {
        Duration low = panel.minInterval() != null ? panel.minInterval() : minStep;
        long ms = Math.max(roundInterval(range.toMillis() / panel.maxDataPoints()), low.toMillis());
        // The datasource never asks for more than 11,000 points.
        return Math.max(Math.max(1, ms / 1000), (long) Math.ceil(range.toSeconds() / 11_000.0));
    }

    /** Every panel query of {@code dashboard} at {@code now} (epoch seconds), its variables as {@code selected}. */
    public static List<RangeQuery> queries(Dashboard dashboard, Map<String, Selection> selected, Map<String, List<String>> options,
                                           long now, Duration minStep) {
        List<RangeQuery> out = new ArrayList<>();
        for (Panel p : dashboard.panels()) {
            long step = step(p, dashboard.range(), minStep);
            long end = now / step * step;
            long start = (now - dashboard.range().toSeconds()) / step * step;
            for (String expr : p.exprs()) {
                out.add(new RangeQuery(p.title(), interpolate(expr, dashboard, selected, options, step, dashboard.range(), minStep),
                        start, end, step));
            }
        }
        return out;
    }

    /** {@code expr} as Grafana sends it: variables and Grafana's interval variables replaced. */
    public static String interpolate(String expr, Dashboard dashboard, Map<String, Selection> selected, Map<String, List<String>> options,
                                     long stepSeconds, Duration range, Duration scrapeInterval) {
        Matcher m = VARIABLE.matcher(expr);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2);
            String value = switch (name) {
                case "__interval" -> stepSeconds + "s";
                // Grafana: max($__interval + scrape interval, 4 x scrape interval).
                case "__rate_interval" -> Math.max(stepSeconds + scrapeInterval.toSeconds(), 4 * scrapeInterval.toSeconds()) + "s";
                case "__range" -> range.toSeconds() + "s";
                default -> {
                    Variable v = dashboard.variables().stream().filter(x -> x.name().equals(name)).findFirst()
                            .orElseThrow(() -> new IllegalArgumentException("no variable $" + name + " in " + dashboard.uid()));
                    yield value(v, selected.get(name), options.getOrDefault(name, List.of()));
                }
            };
            m.appendReplacement(sb, Matcher.quoteReplacement(value));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** How Grafana writes a variable's selection into a Prometheus query. */
    static String value(Variable v, Selection s, List<String> options) {
        if (s == null) {
            throw new IllegalArgumentException("$" + v.name() + " has no selection");
        }
        if (s.all()) {
            if (v.allValue() != null) {
                return v.allValue();
            }
            return options.size() == 1 ? regexEscape(options.get(0)) : "(" + String.join("|", options.stream().map(GrafanaQueries::regexEscape).toList()) + ")";
        }
        if (!v.multi() && !v.includeAll()) {
            return s.values().get(0).replace("\\", "\\\\").replace("'", "\\\\'");
        }
        List<String> escaped = s.values().stream().map(GrafanaQueries::regexEscape).toList();
        return escaped.size() == 1 ? escaped.get(0) : "(" + String.join("|", escaped) + ")";
    }

    /** Regex characters escaped, with the backslash doubled for a PromQL string. */
    static String regexEscape(String value) {
        return value.replaceAll("[$^*+?.()|\\\\{}\\[\\]]", "\\\\\\\\$0");
    }

    /** A Prometheus HTTP API on loopback, asked as Grafana asks it (POST, form-encoded). */
    public static final class Api {
        private final String base;
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

        public Api(int port) {
            this.base = "http://127.0.0.1:" + port;
        }

        /** The values of {@code label} on the series of {@code match} (or all) over {@code [start, end]}. */
        public List<String> labelValues(String label, String match, long start, long end) {
            Map<String, String> form = new LinkedHashMap<>();
            if (match != null) {
                form.put("match[]", match);
            }
            form.put("start", String.valueOf(start));
            form.put("end", String.valueOf(end));
            StringJoiner query = new StringJoiner("&");
            form.forEach((k, v) -> query.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
            // A GET: the label values endpoint takes no POST.
            JsonNode data = call("/api/v1/label/" + label + "/values?" + query, null).path("data");
            List<String> out = new ArrayList<>();
            data.forEach(n -> out.add(n.asText()));
            return out;
        }

        /** The result of a range query ({@code data.result}); fails on an error status. */
        public JsonNode queryRange(RangeQuery q) {
            Map<String, String> form = new LinkedHashMap<>();
            form.put("query", q.query());
            form.put("start", String.valueOf(q.start()));
            form.put("end", String.valueOf(q.end()));
            form.put("step", String.valueOf(q.step()));
            return call("/api/v1/query_range", form).path("data").path("result");
        }

        /** An instant query's {@code data.result}. */
        public JsonNode query(String promql) {
            return call("/api/v1/query", Map.of("query", promql)).path("data").path("result");
        }

        public JsonNode get(String path) {
            return call(path, null);
        }

        private JsonNode call(String path, Map<String, String> form) {
            try {
                HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(120));
                if (form != null) {
                    StringJoiner body = new StringJoiner("&");
                    form.forEach((k, v) -> body.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
                    b.header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body.toString()));
                }
                HttpResponse<String> r;
                try {
                    r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
                } catch (IOException closed) {
                    // A kept-alive connection the server had closed ("header parser received no bytes"): once more,
                    // on a new one, as a browser would. Every call here only reads.
                    r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
                }
                JsonNode json = JSON.readTree(r.body());
                if (r.statusCode() != 200 || !"success".equals(json.path("status").asText())) {
                    throw new IllegalStateException(path + " " + form + " answered " + r.statusCode() + ": " + r.body());
                }
                return json;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * Resolves {@code dashboard}'s variables in order, as Grafana does when it opens the dashboard:
     * each one's options from its query (earlier selections interpolated), its selection from
     * {@code chosen} or else its default ("All" where it has one, else its first option).
     * Fills {@code options} with each variable's options.
     */
    public static Map<String, Selection> resolve(Api api, Dashboard dashboard, Map<String, Selection> chosen, long now,
                                                 Map<String, List<String>> options) {
        Map<String, Selection> selected = new LinkedHashMap<>();
        long start = now - dashboard.range().toSeconds();
        for (Variable v : dashboard.variables()) {
            Matcher m = LABEL_VALUES.matcher(v.query());
            if (!m.matches()) {
                throw new IllegalArgumentException("$" + v.name() + ": only label_values(...) is resolved here: " + v.query());
            }
            String match = m.group(1) == null ? null
                    : interpolate(m.group(1), dashboard, selected, options, 15, dashboard.range(), Duration.ofSeconds(15));
            List<String> values = api.labelValues(m.group(2), match, start, now);
            options.put(v.name(), values);
            Selection s = chosen.get(v.name());
            if (s == null) {
                s = v.includeAll() ? Selection.allOf() : values.isEmpty() ? Selection.of("") : Selection.of(values.get(0));
            }
            selected.put(v.name(), s);
        }
        return selected;
    }
}
