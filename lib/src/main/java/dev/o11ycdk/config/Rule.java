package dev.o11ycdk.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * One rule of a Prometheus rule group: an alert ({@link #alert}) or a recording rule
 * ({@link #record}).
 */
public final class Rule {
    private final String alert;
    private final String record;
    private final String expr;
    private final PromDuration forDuration;
    private final Map<String, String> labels;
    private final Map<String, String> annotations;
    private final PromDuration delayGoal;

    private Rule(String alert, String record, String expr, PromDuration forDuration, Map<String, String> labels,
                 Map<String, String> annotations) {
        this(alert, record, expr, forDuration, labels, annotations, null);
    }

    private Rule(String alert, String record, String expr, PromDuration forDuration, Map<String, String> labels,
                 Map<String, String> annotations, PromDuration delayGoal) {
        this.alert = alert;
        this.record = record;
        this.expr = Check.notBlank((alert != null ? "alert " + alert : "record " + record) + " expr", expr);
        this.forDuration = forDuration;
        labels.keySet().forEach(k -> Check.labelName("rule " + name() + " label", k));
        this.labels = new TreeMap<>(labels);
        this.annotations = new TreeMap<>(annotations);
        this.delayGoal = delayGoal;
    }

    /**
     * An alerting rule.
     *
     * @param severity    critical or warning (routes in Alertmanager key on it)
     * @param summary     one line, may use {@code {{ $labels.x }}}
     * @param description what is wrong and what to look at
     * @param runbookUrl  where the on-call engineer starts
     */
    public static Rule alert(String name, String expr, String forDuration, String severity, String summary,
                             String description, String runbookUrl) {
        Check.metricName("alert name", name);
        if (!severity.equals("critical") && !severity.equals("warning") && !severity.equals("info") && !severity.equals("none")) {
            throw Check.bad("alert " + name + " severity", severity, "must be critical, warning, info or none");
        }
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put("summary", Check.notBlank("alert " + name + " summary", summary));
        annotations.put("description", Check.notBlank("alert " + name + " description", description));
        if (runbookUrl != null) {
            annotations.put("runbook_url", runbookUrl);
        }
        return new Rule(name, null, expr, PromDuration.parse("alert " + name + " for", forDuration),
                Map.of("severity", severity), annotations);
    }

    /** A recording rule: {@code name} becomes a new series computed by {@code expr}. */
    public static Rule record(String name, String expr) {
        Check.metricName("record name", name);
        return new Rule(null, name, expr, null, Map.of(), Map.of());
    }

    /** A recording rule whose series carries {@code labels} (e.g. one info series per expected service). */
    public static Rule record(String name, String expr, Map<String, String> labels) {
        Check.metricName("record name", name);
        return new Rule(null, name, expr, null, labels, Map.of());
    }

    /** Name and labels: what must be unique within a group. */
    String identity() {
        return name() + labels;
    }

    /** A copy with more labels (e.g. a team label on every alert). */
    public Rule withLabels(Map<String, String> extra) {
        Map<String, String> merged = new TreeMap<>(labels);
        merged.putAll(extra);
        return new Rule(alert, record, expr, forDuration, merged, annotations, delayGoal);
    }

    /** A copy with another expression or {@code for} (the override most asked for). */
    public Rule withExpr(String newExpr, String newFor) {
        PromDuration f = newFor == null ? forDuration : PromDuration.parse("alert " + alert + " for", newFor);
        return new Rule(alert, record, newExpr == null ? expr : newExpr, f, labels, annotations, delayGoal);
    }

    /**
     * Declares the longest acceptable time from an outage to the first notification; synth warns
     * when scrape + evaluation interval + {@code for} + group_wait cannot meet it.
     */
    public Rule withDelayGoal(String goal) {
        return new Rule(alert, record, expr, forDuration, labels, annotations,
                PromDuration.parse("alert " + alert + " delay goal", goal).positive("delay goal"));
    }

    /** @return the declared delay goal, or null */
    public PromDuration delayGoal() {
        return delayGoal;
    }

    /** A copy without description and runbook (promtool unit tests compare annotations exactly). */
    public Rule withSummaryOnly() {
        Map<String, String> a = new TreeMap<>();
        if (annotations.containsKey("summary")) {
            a.put("summary", annotations.get("summary"));
        }
        return new Rule(alert, record, expr, forDuration, labels, a, delayGoal);
    }

    public String name() {
        return alert != null ? alert : record;
    }

    public boolean isAlert() {
        return alert != null;
    }

    public String expr() {
        return expr;
    }

    public PromDuration forDuration() {
        return forDuration == null ? PromDuration.ofSeconds(0) : forDuration;
    }

    public Map<String, String> labels() {
        return labels;
    }

    public Map<String, String> annotations() {
        return annotations;
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (alert != null) {
            m.put("alert", alert);
        } else {
            m.put("record", record);
        }
        m.put("expr", expr);
        if (forDuration != null && forDuration.toMillis() > 0) {
            m.put("for", forDuration.toString());
        }
        if (!labels.isEmpty()) {
            m.put("labels", labels);
        }
        if (!annotations.isEmpty()) {
            m.put("annotations", annotations);
        }
        return m;
    }
}
