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
        Check.unique("rule name in group " + name, rules.stream().map(Rule::name).toList());
        groups.put(name, List.copyOf(rules));
        return this;
    }

    /** Evaluates {@code group} at its own interval. @default the global evaluation interval */
    public RuleGroups interval(String group, String interval) {
        intervals.put(group, PromDuration.parse("rule group " + group + " interval", interval).positive("interval"));
        return this;
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

    public String toYaml() {
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
        return Rendering.yaml(Map.of("groups", rendered));
    }

    /**
     * The seed's rules (SPEC): ServiceDown and HighCPUUsage, with the recording rules that give the
     * seed's {@code ecs_cpu_utilization} name to the CloudWatch exporter's reservation-relative ECS
     * series (seed 004: utilisation relative to the task's reservation, not the host).
     */
    public static RuleGroups seedDefaults(String runbookBase) {
        return new RuleGroups()
                .group("ecs-recording", List.of(
                        Rule.record("ecs_cpu_utilization",
                                "label_replace(aws_ecs_cpuutilization_average, \"service\", \"$1\", \"dimension_ServiceName\", \"(.+)\")"),
                        Rule.record("ecs_memory_utilization",
                                "label_replace(aws_ecs_memory_utilization_average, \"service\", \"$1\", \"dimension_ServiceName\", \"(.+)\")")))
                .group("o11y-services", List.of(
                        Rule.alert("ServiceDown", "up == 0", "2m", "critical",
                                "Service {{ $labels.service }} is down",
                                "Prometheus could not scrape {{ $labels.instance }} (job {{ $labels.job }}) for 2 minutes.",
                                runbookBase + "#servicedown"),
                        Rule.alert("HighCPUUsage", "avg by (service) (ecs_cpu_utilization) > 80", "5m", "warning",
                                "High CPU on {{ $labels.service }}",
                                "{{ $labels.service }} has used more than 80% of its reserved CPU for 5 minutes ({{ $value | humanize }}%).",
                                runbookBase + "#highcpuusage")));
    }
}
