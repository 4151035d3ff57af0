package dev.o11ycdk;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.CfnResource;
import software.constructs.IConstruct;

/**
 * cdk-nag suppressions written as the resource metadata cdk-nag reads ({@code cdk_nag.rules_to_suppress}),
 * so the library needs no cdk-nag jar: a consumer that runs cdk-nag sees our reasons, one that does
 * not pays nothing for them (cdk-nag's POM pins aws-cdk-lib and jsii by version ranges).
 */
final class Nag {
    private Nag() {
    }

    /** One suppression: the rule, why it does not apply, and optionally the findings it covers. */
    record Rule(String id, String reason, List<String> appliesTo) {
        Rule {
            if (reason == null || reason.length() < 10) {
                throw new IllegalArgumentException("a cdk-nag suppression of " + id + " needs a reason");
            }
        }

        static Rule of(String id, String reason) {
            return new Rule(id, reason, null);
        }

        static Rule of(String id, String reason, String... appliesTo) {
            return new Rule(id, reason, List.of(appliesTo));
        }

        /** The metadata form: the same keys, in the same order, as cdk-nag's own NagSuppressions. */
        Map<String, Object> toMetadata() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("reason", reason);
            m.put("id", id);
            if (appliesTo != null) {
                m.put("applies_to", appliesTo);
            }
            return m;
        }
    }

    /** Suppresses {@code rules} on the construct's L1 resource, and on every L1 below it when {@code applyToChildren}. */
    static void suppress(IConstruct construct, boolean applyToChildren, Rule... rules) {
        List<IConstruct> targets = applyToChildren ? construct.getNode().findAll() : List.of(construct);
        for (IConstruct c : targets) {
            IConstruct l1 = c.getNode().getDefaultChild() != null ? c.getNode().getDefaultChild() : c;
            if (l1 instanceof CfnResource resource) {
                List<Object> merged = new ArrayList<>(existing(resource));
                for (Rule r : rules) {
                    Map<String, Object> m = r.toMetadata();
                    if (!merged.contains(m)) {
                        merged.add(m);
                    }
                }
                resource.addMetadata("cdk_nag", Map.of("rules_to_suppress", merged));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Object> existing(CfnResource resource) {
        Object meta = resource.getMetadata("cdk_nag");
        if (meta instanceof Map<?, ?> m && m.get("rules_to_suppress") instanceof List<?> l) {
            return (List<Object>) l;
        }
        return List.of();
    }
}
