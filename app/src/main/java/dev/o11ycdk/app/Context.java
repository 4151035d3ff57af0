package dev.o11ycdk.app;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import software.constructs.Node;

/**
 * Typed reads of CDK context ({@code cdk.json} defaults, {@code -c key=value} overrides). A value
 * from {@code -c} arrives as a string, a value from cdk.json as JSON; both are accepted.
 */
final class Context {
    private final Node node;

    Context(Node node) {
        this.node = node;
    }

    /** A required key: its default lives in cdk.json, so absence means a broken cdk.json. */
    String string(String key) {
        Object v = node.tryGetContext(key);
        if (v == null) {
            throw new IllegalArgumentException("setting '" + key + "' is missing: add it to the context of cdk.json "
                    + "or pass -c " + key + "=...");
        }
        return String.valueOf(v).trim();
    }

    /** The value as given (JSON from cdk.json, a string from -c); missing means a broken cdk.json. */
    Object raw(String key) {
        Object v = node.tryGetContext(key);
        if (v == null) {
            throw new IllegalArgumentException("setting '" + key + "' is missing: add it to the context of cdk.json");
        }
        return v;
    }

    /** Empty string or absent means "not set". */
    String optional(String key) {
        Object v = node.tryGetContext(key);
        String s = v == null ? "" : String.valueOf(v).trim();
        return s.isEmpty() ? null : s;
    }

    int integer(String key) {
        String s = string(key);
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("setting '" + key + "' = '" + s + "': must be a whole number");
        }
    }

    boolean bool(String key) {
        String s = string(key).toLowerCase();
        if (!s.equals("true") && !s.equals("false")) {
            throw new IllegalArgumentException("setting '" + key + "' = '" + s + "': must be true or false");
        }
        return Boolean.parseBoolean(s);
    }

    List<String> list(String key) {
        Object v = node.tryGetContext(key);
        if (v == null) {
            return List.of();
        }
        if (v instanceof List<?> l) {
            return l.stream().map(String::valueOf).map(String::trim).filter(s -> !s.isEmpty()).toList();
        }
        return Arrays.stream(String.valueOf(v).split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    List<Integer> integers(String key) {
        return list(key).stream().map(s -> {
            try {
                return Integer.parseInt(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("setting '" + key + "' has '" + s + "': must be whole numbers");
            }
        }).toList();
    }

    /** A JSON object from cdk.json, or a JSON string given with -c. */
    @SuppressWarnings("unchecked")
    Map<String, Object> object(String key) {
        Object v = node.tryGetContext(key);
        if (v == null) {
            return Map.of();
        }
        if (v instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        try {
            return dev.o11ycdk.config.Rendering.jsonMapper().readValue(String.valueOf(v), Map.class);
        } catch (Exception e) {
            throw new IllegalArgumentException("setting '" + key + "' = '" + v + "': must be a JSON object", e);
        }
    }
}
