package dev.o11ycdk.fargate;

import dev.o11ycdk.config.Check;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.ssm.StringParameter;
import software.constructs.Construct;
import software.constructs.IConstruct;

/**
 * The platform's Prometheus as SSM parameters under a prefix: written by the platform's stack
 * ({@link FargatePrometheus#publishToSsm}), read by a team's stack at deploy time
 * ({@link FargatePrometheus#fromSsm}), so neither stack exports to or looks up the other.
 */
final class PlatformParameters {
    static final List<String> NAMES = List.of("security-group-id", "cluster-name", "namespace-name", "namespace-id",
            "namespace-arn");

    private PlatformParameters() {
    }

    static String checkPrefix(String prefix) {
        if (prefix == null || !prefix.matches("(/[A-Za-z0-9_.-]+)+")) {
            throw Check.bad("ssmParameterPrefix", prefix, "must be an SSM path such as /o11y-cdk/platform");
        }
        return prefix;
    }

    /** One String parameter per name, {@code Ssm-<name>} in the Prometheus construct. */
    static void publish(FargatePrometheus prometheus, String prefix) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("security-group-id", prometheus.getSecurityGroupId());
        values.put("cluster-name", prometheus.getClusterName());
        values.put("namespace-name", prometheus.getNamespace().getNamespaceName());
        values.put("namespace-id", prometheus.getNamespace().getNamespaceId());
        values.put("namespace-arn", prometheus.getNamespace().getNamespaceArn());
        values.forEach((name, value) -> StringParameter.Builder.create(prometheus, "Ssm-" + name)
                .parameterName(prefix + "/" + name)
                .stringValue(value)
                .description("o11y-cdk: Prometheus " + name + ", read by service stacks with FargatePrometheus.fromSsm")
                .build());
    }

    /** The parameters under {@code prefix} as CloudFormation parameters of {@code scope}'s stack, resolved at deploy time. */
    static IFargatePrometheus read(Construct scope, String id, String prefix) {
        checkPrefix(prefix);
        Map<String, String> v = new LinkedHashMap<>();
        for (String name : NAMES) {
            v.put(name, StringParameter.valueForStringParameter(scope, prefix + "/" + name));
        }
        return new ImportedPrometheus(scope, id, PrometheusAttributes.builder()
                .securityGroupId(v.get("security-group-id"))
                .clusterName(v.get("cluster-name"))
                .namespaceName(v.get("namespace-name"))
                .namespaceId(v.get("namespace-id"))
                .namespaceArn(v.get("namespace-arn"))
                .build());
    }

    /**
     * The platform's Prometheus as a construct of another stack sees it: itself in its own stack;
     * elsewhere, once published under {@code prefix}, read through the parameters (one import per
     * stack and prefix), else itself with a warning (a direct reference adds an export).
     */
    static IFargatePrometheus seenFrom(FargatePrometheus prometheus, String prefix, IConstruct construct) {
        Stack there = Stack.of(construct);
        if (there.getNode().getPath().equals(Stack.of(prometheus).getNode().getPath())) {
            return prometheus;
        }
        if (prefix == null) {
            Annotations.of(construct).addWarningV2("@o11y-cdk/prometheus:crossStackScrape", "Opting "
                    + construct.getNode().getPath() + " in from another stack references Prometheus' security group "
                    + "directly, which adds an export to the platform's stack; call publishToSsm on the FargatePrometheus "
                    + "first and teams' stacks import it through SSM instead.");
            return prometheus;
        }
        String id = "O11yPrometheus" + Integer.toHexString(prefix.hashCode());
        IConstruct existing = there.getNode().tryFindChild(id);
        if (existing instanceof IFargatePrometheus p) {
            return p;
        }
        // The parameters must exist before that stack resolves them: deploy the platform first. A stack
        // dependency orders `cdk deploy --all` and lives in the assembly manifest, not in either template.
        there.addDependency(Stack.of(prometheus), "reads the SSM parameters of the platform's Prometheus");
        return read(there, id, prefix);
    }
}
