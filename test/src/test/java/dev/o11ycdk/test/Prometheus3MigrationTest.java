package dev.o11ycdk.test;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.o11ycdk.config.PromDuration;
import dev.o11ycdk.test.support.PromQl;
import dev.o11ycdk.test.support.Synth;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What Prometheus 3 changed, checked on what every layout writes (the rendered files of the default
 * synth): scrapes of what the platform does not build, {@code le}/{@code quantile} label values,
 * left-open range windows and removed feature flags. See the README, "Upgrading to Prometheus 3 and Alertmanager 0.33".
 */
class Prometheus3MigrationTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Prometheus 3's removed feature flags (migration guide; native-histograms is a no-op since 3.9). */
    private static final List<String> REMOVED_PROMETHEUS_FEATURES = List.of("promql-at-modifier", "promql-negative-offset",
            "new-service-discovery-manager", "expand-external-labels", "no-default-scrape-port", "agent", "remote-write-receiver",
            "auto-gomemlimit", "auto-gomaxprocs", "native-histograms");
    /** Alertmanager 0.33 removed auto-gomaxprocs (Go sets it from the container's CPU limit). */
    private static final List<String> REMOVED_ALERTMANAGER_FEATURES = List.of("auto-gomaxprocs");
    private static final Pattern ENABLE_FEATURE = Pattern.compile("--enable-feature[= ]'?([\\w,.-]+)");
    private static Map<String, Map<String, String>> rendered;

    @BeforeAll
    static void synth() {
        rendered = Synth.defaults().renderedFiles();
    }

    /** A layout's scrape jobs by name (interval and fallback protocol), its intervals, rules and dashboard queries. */
    private record Layout(String stack, Map<String, Map<String, Object>> jobs, PromDuration scrapeInterval, PromDuration evaluationInterval,
            PromDuration grafanaTimeInterval, List<Map<String, Object>> ruleGroups, Map<String, List<String>> dashboardQueries,
            List<String> cloudWatchPrefixes) {
        PromDuration interval(String job) {
            Object own = jobs.containsKey(job) ? jobs.get(job).get("scrape_interval") : null;
            return own == null ? scrapeInterval : PromDuration.parse(job, String.valueOf(own));
        }

        PromDuration slowestJob() {
            return jobs.keySet().stream().map(this::interval).max(java.util.Comparator.comparingLong(PromDuration::toMillis))
                    .orElse(scrapeInterval);
        }
    }

    @SuppressWarnings("unchecked")
    private static Layout layout(String stack) {
        Map<String, String> f = rendered.get(stack);
        Map<String, Object> prometheusYml;
        List<Object> jobList;
        String rules;
        String dashboardDir;
        PromDuration grafana;
        if (stack.equals("O11yEks")) {
            Map<String, Object> values = yaml(f.get("kubernetes/values/kube-prometheus-stack.yaml"));
            Map<String, Object> spec = (Map<String, Object>) ((Map<String, Object>) values.get("prometheus")).get("prometheusSpec");
            prometheusYml = Map.of("global", Map.of("scrape_interval", spec.get("scrapeInterval"), "evaluation_interval", spec.get("evaluationInterval")));
            jobList = list(f.get("kubernetes/additional-scrape-configs.yml"));
            rules = f.get("kubernetes/rules.yml");
            dashboardDir = "kubernetes/dashboards/";
            // The chart's datasource: timeInterval is its defaultDatasourceScrapeInterval, else prometheusSpec.scrapeInterval.
            Object sidecar = dig(values, "grafana", "sidecar", "datasources", "defaultDatasourceScrapeInterval");
            grafana = PromDuration.parse("timeInterval", String.valueOf(sidecar != null ? sidecar : spec.get("scrapeInterval")));
        } else {
            String dir = stack.equals("O11yEc2Host") ? "etc/prometheus/" : "prometheus/";
            prometheusYml = yaml(f.get(dir + "prometheus.yml"));
            jobList = (List<Object>) prometheusYml.get("scrape_configs");
            rules = f.get(dir + "rules/o11y.yml");
            String grafanaDir = stack.equals("O11yEc2Host") ? "etc/grafana/" : "grafana/";
            dashboardDir = grafanaDir + "dashboards/";
            Map<String, Object> ds = ((List<Map<String, Object>>) yaml(f.get(grafanaDir + "provisioning/datasources/o11y.yaml")).get("datasources"))
                    .stream().filter(d -> "prometheus".equals(d.get("type"))).findFirst().orElseThrow();
            grafana = PromDuration.parse("timeInterval", String.valueOf(((Map<String, Object>) ds.get("jsonData")).get("timeInterval")));
        }
        Map<String, Object> global = (Map<String, Object>) prometheusYml.get("global");
        Map<String, Map<String, Object>> jobs = new LinkedHashMap<>();
        jobList.forEach(j -> jobs.put(String.valueOf(((Map<String, Object>) j).get("job_name")), (Map<String, Object>) j));
        Map<String, List<String>> queries = new TreeMap<>();
        f.forEach((path, text) -> {
            if (path.startsWith(dashboardDir) && path.endsWith(".json")) {
                List<String> exprs = new ArrayList<>();
                try {
                    JSON.readTree(text).path("panels").forEach(p -> p.path("targets").forEach(t -> exprs.add(t.path("expr").asText())));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                queries.put(path, exprs);
            }
        });
        assertThat(queries).as(stack + " dashboards").isNotEmpty();
        // cloudwatch_exporter names a series <namespace in lower case, other characters as _>_<metric>_<statistic>.
        List<String> cloudWatch = new ArrayList<>();
        String exporter = f.get("cloudwatch-exporter/cloudwatch.yml");
        if (exporter != null) {
            ((List<Map<String, Object>>) yaml(exporter).get("metrics")).forEach(m -> cloudWatch.add(
                    String.valueOf(m.get("aws_namespace")).toLowerCase().replaceAll("[^a-z0-9:_]", "_").replaceAll("__+", "_") + "_"));
        }
        return new Layout(stack, jobs, PromDuration.parse("scrape_interval", String.valueOf(global.get("scrape_interval"))),
                PromDuration.parse("evaluation_interval", String.valueOf(global.get("evaluation_interval"))), grafana,
                (List<Map<String, Object>>) yaml(rules).get("groups"), queries, List.copyOf(new java.util.LinkedHashSet<>(cloudWatch)));
    }

    @Test
    void everyJobScrapingWhatThePlatformDoesNotBuildFallsBackToTheTextFormat() {
        // Prometheus 3 fails a scrape whose response has no (or an unknown) Content-Type; a team's service or an
        // exporter someone else installed may send none. The platform's own processes all send one.
        assertThat(fallbacks("O11yFargate")).containsExactlyInAnyOrderEntriesOf(Map.of("prometheus", "none", "ecs", "PrometheusText0.0.4",
                "ec2", "PrometheusText0.0.4", "alertmanager", "none", "cloudwatch", "none"));
        assertThat(fallbacks("O11yEc2Host")).containsExactlyInAnyOrderEntriesOf(Map.of("prometheus", "none", "node", "none",
                "ec2", "PrometheusText0.0.4", "ec2-services", "PrometheusText0.0.4", "alertmanager", "none"));
        Map<String, String> eks = fallbacks("O11yEks");
        assertThat(eks).isNotEmpty();
        assertThat(eks.keySet()).allMatch(j -> j.startsWith("services-"));
        assertThat(eks.values()).containsOnly("PrometheusText0.0.4");
    }

    private static Map<String, String> fallbacks(String stack) {
        Map<String, String> out = new LinkedHashMap<>();
        layout(stack).jobs().forEach((name, job) -> out.put(name, String.valueOf(job.getOrDefault("fallback_scrape_protocol", "none"))));
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"O11yEc2Host", "O11yFargate", "O11yEks"})
    void noRuleOrPanelMatchesAnIntegerLeOrQuantileValue(String stack) {
        // Prometheus 3 stores le and quantile as floats: le="1" matches nothing any more, le="1.0" does.
        Layout l = layout(stack);
        List<String> found = new ArrayList<>();
        queries(l).forEach((where, expr) -> PromQl.integerBucketMatchers(expr).forEach(m -> found.add(where + ": " + m)));
        assertThat(found).isEmpty();
        assertThat(PromQl.integerBucketMatchers("sum(rate(x_bucket{le=\"1\"}[5m])) / sum(x{quantile=~\"0.5\",le!=\"+Inf\"})"))
                .as("the check itself").containsExactly("le=\"1\"");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"O11yEc2Host", "O11yFargate", "O11yEks"})
    void everyRangeWindowHoldsFourScrapesOfWhatItReads(String stack) {
        // Prometheus 3's windows are left-open: a sample exactly at the window's start is out. A window of four
        // intervals keeps at least three samples for rate() when a scrape is late (Grafana's $__rate_interval rule).
        Layout l = layout(stack);
        Map<String, PromDuration> recorded = recordedIntervals(l);
        List<String> tooShort = new ArrayList<>();
        int windows = 0;
        for (Map.Entry<String, String> q : queries(l).entrySet()) {
            for (PromQl.Selector s : PromQl.selectors(q.getValue())) {
                if (s.window() == null) {
                    continue;
                }
                windows++;
                if (s.subquery() && "$__range".equals(s.window()) && "$__interval".equals(s.step())) {
                    // A fleet panel's ranking: the whole range shown at the panel's own step, as many points as it draws
                    // (60 over the default hour); the windows inside it are selectors of their own, checked here too.
                    continue;
                }
                PromDuration every = s.subquery() ? (s.step() != null ? PromDuration.parse("step", s.step()) : l.evaluationInterval())
                        : interval(l, s, recorded);
                long window = windowMillis(l, s.window(), q.getKey());
                if (window < 4 * every.toMillis()) {
                    tooShort.add(q.getKey() + ": [" + s.window() + "] on " + (s.subquery() ? "a subquery" : s.metric())
                            + " sampled every " + every + " in " + q.getValue());
                }
            }
        }
        assertThat(windows).as(stack + " has range windows to check").isPositive();
        assertThat(tooShort).isEmpty();
    }

    @Test
    void theWindowCheckKnowsTheCloudWatchJobsSixtySecondsAndGrafanasRateInterval() {
        Layout fargate = layout("O11yFargate");
        assertThat(fargate.interval("cloudwatch")).isEqualTo(PromDuration.ofSeconds(60));
        Map<String, PromDuration> recorded = recordedIntervals(fargate);
        // ecs_cpu_utilization is recorded every 15 s from the ecs_exporter sidecars' series, scraped every 15 s.
        assertThat(recorded.get("ecs_cpu_utilization")).isEqualTo(PromDuration.ofSeconds(15));
        assertThat(recorded.get("o11y_service_info")).isEqualTo(PromDuration.ofSeconds(300));
        assertThat(fargate.cloudWatchPrefixes()).containsExactly("o11y_ecs_", "aws_applicationelb_");
        PromQl.Selector aws = PromQl.selectors("max_over_time(aws_applicationelb_target_response_time_average[2m])").get(0);
        assertThat(interval(fargate, aws, recorded)).isEqualTo(PromDuration.ofSeconds(60));
        PromQl.Selector insights = PromQl.selectors("max_over_time(o11y_ecs_desired_task_count_maximum[$__rate_interval])").get(0);
        assertThat(interval(fargate, insights, recorded)).isEqualTo(PromDuration.ofSeconds(60));
        PromQl.Selector up = PromQl.selectors("count_over_time(up{service=\"x\"}[10m])").get(0);
        assertThat(interval(fargate, up, recorded)).as("up of any job, the cloudwatch job's too").isEqualTo(PromDuration.ofSeconds(60));
        PromQl.Selector self = PromQl.selectors("rate(prometheus_http_requests_total{job=\"prometheus\"}[1m])").get(0);
        assertThat(interval(fargate, self, recorded)).isEqualTo(PromDuration.ofSeconds(15));
        assertThat(windowMillis(fargate, "$__rate_interval", "x")).isEqualTo(60_000);
        assertThat(PromQl.selectors("max_over_time(rate(x[1m])[10m:])")).extracting(PromQl.Selector::window).containsExactly("1m", "10m");
    }

    /** How often the series a selector reads gets a sample: its job's interval, a recorded series' own. */
    private static PromDuration interval(Layout l, PromQl.Selector s, Map<String, PromDuration> recorded) {
        if (!s.jobs().isEmpty()) {
            return s.jobs().stream().map(l::interval).max(java.util.Comparator.comparingLong(PromDuration::toMillis)).orElseThrow();
        }
        String metric = s.metric() == null ? "" : s.metric();
        if (l.jobs().containsKey("cloudwatch") && l.cloudWatchPrefixes().stream().anyMatch(metric::startsWith)) {
            return l.interval("cloudwatch");
        }
        if (metric.equals("up") || metric.startsWith("scrape_")) {
            return l.slowestJob(); // every job's targets have them
        }
        return recorded.getOrDefault(metric, l.scrapeInterval());
    }

    /**
     * A recorded series gets a sample every evaluation of its group, but changes only as often as what it
     * reads: the longer of the two, to a fixed point (a rule may read another's series).
     */
    @SuppressWarnings("unchecked")
    private static Map<String, PromDuration> recordedIntervals(Layout l) {
        Map<String, PromDuration> recorded = new LinkedHashMap<>();
        for (int pass = 0; pass < 5; pass++) {
            for (Map<String, Object> g : l.ruleGroups()) {
                PromDuration every = g.get("interval") != null ? PromDuration.parse("interval", String.valueOf(g.get("interval")))
                        : l.evaluationInterval();
                for (Map<String, Object> r : (List<Map<String, Object>>) g.get("rules")) {
                    if (r.get("record") == null) {
                        continue;
                    }
                    long slowest = every.toMillis();
                    for (PromQl.Selector s : PromQl.selectors(String.valueOf(r.get("expr")))) {
                        slowest = Math.max(slowest, interval(l, s, recorded).toMillis());
                    }
                    recorded.put(String.valueOf(r.get("record")), PromDuration.ofSeconds(slowest / 1000));
                }
            }
        }
        return recorded;
    }

    /** A window in milliseconds; Grafana's $__rate_interval is at least four times the datasource's timeInterval. */
    private static long windowMillis(Layout l, String window, String where) {
        if (window.equals("$__rate_interval")) {
            return 4 * l.grafanaTimeInterval().toMillis();
        }
        assertThat(window).as(where + ": a window the check knows (a duration or $__rate_interval)").doesNotStartWith("$");
        return PromDuration.parse("window", window).toMillis();
    }

    /** Every rule's and every panel's PromQL, by where it is. */
    @SuppressWarnings("unchecked")
    private static Map<String, String> queries(Layout l) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map<String, Object> g : l.ruleGroups()) {
            for (Map<String, Object> r : (List<Map<String, Object>>) g.get("rules")) {
                Object name = r.get("alert") != null ? r.get("alert") : r.get("record");
                out.put(l.stack() + " rule " + g.get("name") + "/" + name, String.valueOf(r.get("expr")));
            }
        }
        l.dashboardQueries().forEach((path, exprs) -> {
            for (int i = 0; i < exprs.size(); i++) {
                out.put(l.stack() + " " + path + " query " + i, exprs.get(i));
            }
        });
        assertThat(out).isNotEmpty();
        return out;
    }

    @Test
    void noFeatureFlagWeWriteIsOneThatPrometheus3OrAlertmanager033Removed() {
        // Prometheus 3 ignores a removed feature with a warning: what it enabled is then silently the default.
        Map<String, List<String>> written = new TreeMap<>();
        rendered.forEach((stack, files) -> files.forEach((path, text) -> {
            Matcher m = ENABLE_FEATURE.matcher(text);
            while (m.find()) {
                written.computeIfAbsent(stack + "/" + path, k -> new ArrayList<>()).addAll(List.of(m.group(1).split(",")));
            }
        }));
        Map<String, Object> kps = yaml(rendered.get("O11yEks").get("kubernetes/values/kube-prometheus-stack.yaml"));
        written.put("O11yEks prometheus.prometheusSpec.enableFeatures", strings(dig(kps, "prometheus", "prometheusSpec", "enableFeatures")));
        written.put("O11yEks alertmanager.enableFeatures", strings(dig(kps, "alertmanager", "enableFeatures")));
        written.forEach((where, features) -> {
            List<String> removed = where.contains("alertmanager") ? REMOVED_ALERTMANAGER_FEATURES : REMOVED_PROMETHEUS_FEATURES;
            assertThat(features).as(where).doesNotContainAnyElementsOf(removed);
        });
        Matcher live = ENABLE_FEATURE.matcher("exec '/bin/prometheus' '--enable-feature=agent,exemplar-storage'");
        assertThat(live.find() && List.of(live.group(1).split(",")).contains("agent")).as("the check itself").isTrue();
    }

    @SuppressWarnings("unchecked")
    private static Object dig(Map<String, Object> map, String... keys) {
        Object o = map;
        for (String k : keys) {
            o = o instanceof Map<?, ?> m ? ((Map<String, Object>) m).get(k) : null;
        }
        return o;
    }

    private static List<String> strings(Object list) {
        return list == null ? List.of() : ((List<?>) list).stream().map(String::valueOf).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> yaml(String text) {
        try {
            return YAML.readValue(text, Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(String text) {
        try {
            List<Object> l = YAML.readValue(text, List.class);
            return l == null ? List.of() : l;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
