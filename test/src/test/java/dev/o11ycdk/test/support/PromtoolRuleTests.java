package dev.o11ycdk.test.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Builds a {@code promtool test rules} file: one test per case, rendered with Jackson. */
public final class PromtoolRuleTests {
    private final List<Map<String, Object>> tests = new ArrayList<>();
    private final Set<String> firing = new LinkedHashSet<>();
    private final Set<String> silent = new LinkedHashSet<>();
    private final List<Series> all = new ArrayList<>();
    private final Set<String> recorded = new LinkedHashSet<>();
    private final String interval;

    /** Input series one minute apart, rules evaluated every minute. */
    public PromtoolRuleTests() {
        this("1m");
    }

    /** Input series {@code interval} apart (a scrape interval), rules evaluated as often. */
    public PromtoolRuleTests(String interval) {
        this.interval = interval;
    }

    /** {@code alert} fires at {@code evalTime} with exactly these labels (plus alertname) and summary. */
    public PromtoolRuleTests fires(String alert, List<Series> series, String evalTime, Map<String, String> labels, String summary) {
        Map<String, Object> exp = new LinkedHashMap<>();
        exp.put("exp_labels", labels);
        exp.put("exp_annotations", Map.of("summary", summary));
        add(alert, series, evalTime, List.of(exp));
        firing.add(alert);
        return this;
    }

    /** {@code alert} is not firing at {@code evalTime}. */
    public PromtoolRuleTests silent(String alert, List<Series> series, String evalTime) {
        add(alert, series, evalTime, List.of());
        silent.add(alert);
        return this;
    }

    /**
     * {@code expr} (a recorded series, with matchers) evaluates at {@code evalTime} to exactly these samples:
     * series selector (name and labels as Prometheus prints them) to value.
     */
    public PromtoolRuleTests records(String name, String expr, List<Series> series, String evalTime, Map<String, Double> samples) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("name", name + ": " + expr);
        t.put("interval", interval);
        t.put("input_series", series.stream().map(s -> Map.of("series", s.selector(), "values", s.values())).toList());
        t.put("promql_expr_test", List.of(Map.of("expr", expr, "eval_time", evalTime, "exp_samples",
                samples.entrySet().stream().map(e -> Map.of("labels", e.getKey(), "value", e.getValue())).toList())));
        tests.add(t);
        all.addAll(series);
        recorded.add(name);
        return this;
    }

    /** The recorded names {@link #records} has a case for. */
    public Set<String> recordedCases() {
        return recorded;
    }

    private void add(String alert, List<Series> series, String evalTime, List<Map<String, Object>> expected) {
        all.addAll(series);
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("name", alert + (expected.isEmpty() ? " stays silent" : " fires"));
        t.put("interval", interval);
        t.put("input_series", series.stream().map(s -> Map.of("series", s.selector(), "values", s.values())).toList());
        t.put("alert_rule_test", List.of(Map.of("eval_time", evalTime, "alertname", alert, "exp_alerts", expected)));
        tests.add(t);
    }

    /** Every input series of every case. */
    public List<Series> allSeries() {
        return List.copyOf(all);
    }

    public Set<String> firingCases() {
        return firing;
    }

    public Set<String> silentCases() {
        return silent;
    }

    public String toYaml(String ruleFile) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("rule_files", List.of(ruleFile));
        root.put("evaluation_interval", interval);
        root.put("tests", tests);
        try {
            return new ObjectMapper(new YAMLFactory()).writeValueAsString(root);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static Series series(String selector, String values) {
        return new Series(selector, values);
    }

    /** One input series in promtool's expanding notation ({@code 0+1x20}, {@code 1 1 0x8}). */
    public record Series(String selector, String values) {
    }
}
