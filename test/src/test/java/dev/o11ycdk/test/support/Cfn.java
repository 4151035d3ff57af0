package dev.o11ycdk.test.support;

import java.util.List;
import java.util.Map;

/** Small readers over a synthesized template's JSON. */
public final class Cfn {
    private Cfn() {
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> resources(Map<String, Object> template) {
        return (Map<String, Object>) template.get("Resources");
    }

    /** The Properties of the one resource of {@code type} whose logical id starts with {@code prefix}. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> props(Map<String, Object> template, String type, String prefix) {
        List<Map<String, Object>> found = resources(template).entrySet().stream()
                .filter(e -> e.getKey().startsWith(prefix))
                .map(e -> (Map<String, Object>) e.getValue())
                .filter(r -> type.equals(r.get("Type")))
                .toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one " + type + " starting with " + prefix + ", found " + found.size());
        }
        return (Map<String, Object>) found.get(0).get("Properties");
    }

    /** The first container definition of the task definition whose logical id starts with {@code prefix}. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> container(Map<String, Object> template, String prefix) {
        Map<String, Object> td = props(template, "AWS::ECS::TaskDefinition", prefix);
        return ((List<Map<String, Object>>) td.get("ContainerDefinitions")).get(0);
    }

    /** Every container definition of the task definition whose logical id starts with {@code prefix}. */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> containers(Map<String, Object> template, String prefix) {
        return (List<Map<String, Object>>) props(template, "AWS::ECS::TaskDefinition", prefix).get("ContainerDefinitions");
    }

    /** Environment of a container as a map (name to value; tokens stay as their JSON). */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> environment(Map<String, Object> container) {
        Map<String, Object> env = new java.util.LinkedHashMap<>();
        for (Map<String, Object> e : (List<Map<String, Object>>) container.getOrDefault("Environment", List.of())) {
            env.put((String) e.get("Name"), e.get("Value"));
        }
        return env;
    }

    /** Compact JSON of a template fragment, for contains-checks on nested properties. */
    public static String json(Object fragment) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(fragment);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
