package dev.o11ycdk.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A Prometheus rule file: named groups of rules, rendered for {@code promtool check rules}. */
public final class RuleGroups {
    private final Map<String, List<Rule>> groups = new LinkedHashMap<>();
    private final Map<String, PromDuration> intervals = new LinkedHashMap<>();

    public RuleGroups group(String name, List<Rule> rules) {
        Check.notBlank("rule group name", name);
        if (groups.containsKey(name)) {
            throw Check.bad("rule group name", name, "appears more than once; names must be unique");
        }
        Check.unique("rule in group " + name, rules.stream().map(Rule::identity).toList());
        groups.put(name, List.copyOf(rules));
        return this;
    }

    /** Evaluates {@code group} at its own interval. @default the global evaluation interval */
    public RuleGroups interval(String group, String interval) {
        intervals.put(group, PromDuration.parse("rule group " + group + " interval", interval).positive("interval"));
        return this;
    }

    /** A copy, to add groups to without touching the original. */
    public RuleGroups copy() {
        return map(r -> r);
    }

    /** A copy with {@code change} applied to every rule (e.g. {@link Rule#withSummaryOnly()}). */
    public RuleGroups map(java.util.function.UnaryOperator<Rule> change) {
        RuleGroups copy = new RuleGroups();
        groups.forEach((name, rules) -> copy.group(name, rules.stream().map(change).toList()));
        copy.intervals.putAll(intervals);
        return copy;
    }

    public boolean isEmpty() {
        return groups.isEmpty();
    }

    public Map<String, List<Rule>> groups() {
        return Map.copyOf(groups);
    }

    public List<Rule> alerts() {
        List<Rule> all = new ArrayList<>();
        groups.values().forEach(rs -> rs.stream().filter(Rule::isAlert).forEach(all::add));
        return all;
    }

    /** The groups as Prometheus reads them ({@code name}, {@code interval}, {@code rules}), e.g. a PrometheusRule's spec.groups. */
    public List<Map<String, Object>> toGroupList() {
        List<Map<String, Object>> rendered = new ArrayList<>();
        groups.forEach((name, rules) -> {
            Map<String, Object> g = new LinkedHashMap<>();
            g.put("name", name);
            if (intervals.containsKey(name)) {
                g.put("interval", intervals.get(name).toString());
            }
            g.put("rules", rules.stream().map(Rule::toMap).toList());
            rendered.add(g);
        });
        return rendered;
    }

    public String toYaml() {
        return Rendering.yaml(Map.of("groups", toGroupList()));
    }
}
