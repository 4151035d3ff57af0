package dev.o11ycdk.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * CloudFormation's hard limits on a synthesized template, checked before anything is deployed: a
 * stack that breaks one would fail in CloudFormation, after the upload.
 */
public final class StackLimits {
    /** Resources in one stack. */
    public static final int MAX_RESOURCES = 500;
    /** A template body uploaded through S3, as the CDK does. */
    public static final long MAX_TEMPLATE_BYTES = 1_000_000;
    /** Outputs in one stack. */
    public static final int MAX_OUTPUTS = 200;

    private StackLimits() {
    }

    /** The limits {@code template} (of {@code templateBytes} bytes on disk) breaks; empty when none. */
    @SuppressWarnings("unchecked")
    public static List<String> check(String stackName, Map<String, Object> template, long templateBytes) {
        List<String> errors = new ArrayList<>();
        Map<String, Object> resources = (Map<String, Object>) template.getOrDefault("Resources", Map.of());
        if (resources.size() > MAX_RESOURCES) {
            Map<String, Long> byType = resources.values().stream().collect(Collectors.groupingBy(
                    r -> String.valueOf(((Map<String, Object>) r).get("Type")), TreeMap::new, Collectors.counting()));
            String top = byType.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(3)
                    .map(e -> e.getKey() + " x" + e.getValue()).collect(Collectors.joining(", "));
            errors.add("stack " + stackName + " has " + resources.size() + " resources, over CloudFormation's " + MAX_RESOURCES
                    + " (most: " + top + "); move some into another stack");
        }
        if (templateBytes > MAX_TEMPLATE_BYTES) {
            errors.add("stack " + stackName + " template is " + templateBytes + " bytes, over CloudFormation's " + MAX_TEMPLATE_BYTES
                    + "; move some resources into another stack");
        }
        Map<String, Object> outputs = (Map<String, Object>) template.getOrDefault("Outputs", Map.of());
        if (outputs.size() > MAX_OUTPUTS) {
            errors.add("stack " + stackName + " has " + outputs.size() + " outputs, over CloudFormation's " + MAX_OUTPUTS);
        }
        return errors;
    }
}
