package dev.o11ycdk.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.CfnResource;
import software.constructs.IConstruct;

/**
 * Suppressions of rule-set findings, each with its reason, written as resource metadata: cdk-nag's
 * ({@code cdk_nag.rules_to_suppress}) and cfn-guard's ({@code guard.SuppressedRules}, with the reasons
 * beside them in {@code guard.Reasons}). The library needs no cdk-nag jar: a consumer that runs cdk-nag
 * sees our reasons, one that does not pays nothing for them (cdk-nag's POM pins aws-cdk-lib and jsii by
 * version ranges).
 *
 * <p>{@code guard.SuppressedRules} is the aws-guard-rules-registry convention. The AWS Control Tower
 * rules do not read it (cfn-guard itself has no suppression): it records the decision for review and
 * for the checks that honour it, such as this project's ControlTowerGuardTest. A Control Tower
 * account that enforces one of these controls as a proactive hook still rejects the resource.
 *
 * <p>Every suppression carries a reason: the records refuse to exist without one.
 */
public final class Suppressions {
    private Suppressions() {
    }

    /** A suppression of one finding on a resource, with the reason it does not apply there. */
    public sealed interface Suppression permits CdkNag, CfnGuard {
        String reason();
    }

    /** One cdk-nag suppression: the rule, why it does not apply, and optionally the findings it covers. */
    public record CdkNag(String id, String reason, List<String> appliesTo) implements Suppression {
        public CdkNag {
            requireReason("cdk-nag", id, reason);
        }

        public static CdkNag of(String id, String reason) {
            return new CdkNag(id, reason, null);
        }

        public static CdkNag of(String id, String reason, String... appliesTo) {
            return new CdkNag(id, reason, List.of(appliesTo));
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

    /**
     * One cfn-guard suppression: the rule's name as cfn-guard reports it (the AWS Control Tower control
     * CT.LAMBDA.PR.3 is {@code lambda_inside_vpc_check}) and why it does not apply.
     */
    public record CfnGuard(String rule, String reason) implements Suppression {
        public CfnGuard {
            requireReason("cfn-guard", rule, reason);
            if (!rule.matches("[a-z0-9_]+")) {
                throw new IllegalArgumentException("a cfn-guard suppression names the rule (such as lambda_inside_vpc_check), not '" + rule + "'");
            }
        }

        public static CfnGuard of(String rule, String reason) {
            return new CfnGuard(rule, reason);
        }
    }

    private static void requireReason(String tool, String id, String reason) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("a " + tool + " suppression needs the rule it suppresses");
        }
        if (reason == null || reason.strip().length() < 10) {
            throw new IllegalArgumentException("a " + tool + " suppression of " + id + " needs a reason");
        }
    }

    /** Suppresses on the construct's L1 resource, and on every L1 below it when {@code applyToChildren}. */
    public static void suppress(IConstruct construct, boolean applyToChildren, Suppression... suppressions) {
        List<IConstruct> targets = applyToChildren ? construct.getNode().findAll() : List.of(construct);
        for (IConstruct c : targets) {
            IConstruct l1 = c.getNode().getDefaultChild() != null ? c.getNode().getDefaultChild() : c;
            if (l1 instanceof CfnResource resource) {
                List<Object> nag = new ArrayList<>(existingNag(resource));
                List<Object> guardRules = new ArrayList<>(existingGuardRules(resource));
                Map<String, Object> guardReasons = new LinkedHashMap<>(existingGuardReasons(resource));
                for (Suppression s : suppressions) {
                    if (s instanceof CdkNag r && !nag.contains(r.toMetadata())) {
                        nag.add(r.toMetadata());
                    } else if (s instanceof CfnGuard g) {
                        if (!guardRules.contains(g.rule())) {
                            guardRules.add(g.rule());
                        }
                        guardReasons.put(g.rule(), g.reason());
                    }
                }
                if (!nag.isEmpty()) {
                    resource.addMetadata("cdk_nag", Map.of("rules_to_suppress", nag));
                }
                if (!guardRules.isEmpty()) {
                    Map<String, Object> guard = new LinkedHashMap<>();
                    guard.put("SuppressedRules", guardRules);
                    guard.put("Reasons", guardReasons);
                    resource.addMetadata("guard", guard);
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Object> existingNag(CfnResource resource) {
        Object meta = resource.getMetadata("cdk_nag");
        if (meta instanceof Map<?, ?> m && m.get("rules_to_suppress") instanceof List<?> l) {
            return (List<Object>) l;
        }
        return List.of();
    }

    @SuppressWarnings("unchecked")
    private static List<Object> existingGuardRules(CfnResource resource) {
        Object meta = resource.getMetadata("guard");
        if (meta instanceof Map<?, ?> m && m.get("SuppressedRules") instanceof List<?> l) {
            return (List<Object>) l;
        }
        return List.of();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> existingGuardReasons(CfnResource resource) {
        Object meta = resource.getMetadata("guard");
        if (meta instanceof Map<?, ?> m && m.get("Reasons") instanceof Map<?, ?> r) {
            return (Map<String, Object>) r;
        }
        return Map.of();
    }
}
