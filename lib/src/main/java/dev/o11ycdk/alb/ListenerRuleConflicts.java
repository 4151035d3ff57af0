package dev.o11ycdk.alb;

import dev.o11ycdk.config.Check;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Token;
import software.amazon.awscdk.services.elasticloadbalancingv2.CfnListenerRule;
import software.amazon.awscdk.services.elasticloadbalancingv2.IApplicationListener;
import software.constructs.IConstruct;

/**
 * The listener's other rules anywhere in this app (another stack's /api/* at 10, say), found at
 * synth: one at a route's priority fails synth (a listener holds one rule per priority), and so
 * does one that comes first and may match the route's host (no host-header condition, or one that
 * matches it), which would capture its requests, even when the user did not list them in
 * existingRulePriorities. Rules whose priority is only known at deploy time are not checked.
 */
final class ListenerRuleConflicts {
    private ListenerRuleConflicts() {
    }

    /** One error per route that another rule on {@code listener}, anywhere in {@code app}'s tree, collides with or shadows. */
    static List<String> check(IConstruct app, IApplicationListener listener, List<HostRoute> routes) {
        String arn = listener.getListenerArn();
        List<String> errors = new ArrayList<>();
        List<CfnListenerRule> others = new ArrayList<>();
        for (IConstruct c : app.getNode().getRoot().getNode().findAll()) {
            if (c instanceof CfnListenerRule r
                    && arn.equals(r.getListenerArn())
                    && routes.stream().noneMatch(o -> r.getNode().getPath().startsWith(o.getRule().getNode().getPath() + "/"))
                    && r.getPriority() != null && !Token.isUnresolved(r.getPriority())) {
                others.add(r);
            }
        }
        others.sort(Comparator.comparingInt(r -> r.getPriority().intValue()));
        for (HostRoute route : routes) {
            String setting = route.getId() + ".priority";
            int priority = route.getPriority();
            others.stream().filter(r -> r.getPriority().intValue() == priority).findFirst().ifPresentOrElse(
                    r -> errors.add(Check.bad(setting, priority, "collides with the rule " + r.getNode().getPath()
                            + " on the same listener; a listener holds one rule per priority").getMessage()),
                    () -> others.stream().filter(r -> r.getPriority().intValue() < priority && mayMatchHost(r, route.getHostName()))
                            .findFirst().ifPresent(r -> {
                                int first = r.getPriority().intValue();
                                errors.add(Check.bad(setting, priority, "comes after the rule " + r.getNode().getPath() + " at " + first
                                        + " on the same listener, which may capture " + route.getHostName() + "'s requests; "
                                        + (first > MonitoringAlb.MIN_PRIORITY ? "pick " + MonitoringAlb.MIN_PRIORITY + "-" + (first - 1)
                                        : "move that rule after it"))
                                        .getMessage());
                            }));
        }
        return errors;
    }

    /** Whether a rule's host-header condition (if any) can match {@code host}; unknown conditions may. */
    static boolean mayMatchHost(CfnListenerRule rule, String host) {
        Object resolved = Stack.of(rule).resolve(rule.getConditions());
        if (!(resolved instanceof List<?> conditions)) {
            return true;
        }
        for (Object c : conditions) {
            if (c instanceof Map<?, ?> m && "host-header".equals(property(m, "Field"))) {
                Object values = property(m, "HostHeaderConfig") instanceof Map<?, ?> cfg ? property(cfg, "Values") : property(m, "Values");
                if (!(values instanceof List<?> patterns)) {
                    return true;
                }
                // ALB host patterns: case-insensitive, * any run of characters, ? one character.
                return patterns.stream().anyMatch(v -> !(v instanceof String p) || Token.isUnresolved(p)
                        || Token.isUnresolved(host) || host.toLowerCase().matches(hostPattern(p.toLowerCase())));
            }
        }
        return true;
    }

    /** A property of an L1 value as resolved before rendering ({@code hostHeaderConfig}) or after ({@code HostHeaderConfig}). */
    private static Object property(Map<?, ?> m, String name) {
        Object v = m.get(name);
        return v != null ? v : m.get(Character.toLowerCase(name.charAt(0)) + name.substring(1));
    }

    /** An ALB host pattern as a Java regex. */
    static String hostPattern(String albPattern) {
        StringBuilder b = new StringBuilder();
        for (char ch : albPattern.toCharArray()) {
            b.append(ch == '*' ? ".*" : ch == '?' ? "." : Pattern.quote(String.valueOf(ch)));
        }
        return b.toString();
    }
}
