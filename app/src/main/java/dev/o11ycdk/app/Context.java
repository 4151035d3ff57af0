package dev.o11ycdk.app;

import dev.o11ycdk.config.Check;
import dev.o11ycdk.config.Rendering;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.constructs.Node;

/**
 * Typed reads of CDK context ({@code cdk.json} defaults, {@code -c key=value} overrides). A value
 * from {@code -c} arrives as a string, a value from cdk.json as JSON; both are accepted. Every
 * error is one line naming the setting as cdk.json spells it and the value as given:
 * {@code setting 'grafanaPriority' = 0: must be in 1..50000}, or for one entry of a list
 * {@code setting 'mutedEnvironments' has '': ...}.
 */
final class Context {
    /** Longer values are cut in messages, so a 1,000-entry list stays one readable line. */
    private static final int SHOWN = 120;
    private static final Pattern NAMED = Pattern.compile("setting '([^']+)': (.+)");

    private final Node node;

    Context(Node node) {
        this.node = node;
    }

    /** The value as given: JSON from cdk.json, a string from -c; null when absent. */
    Object raw(String key) {
        return node.tryGetContext(key);
    }

    /** {@code setting 'key' = <value as given>: why}. */
    IllegalArgumentException bad(String key, String why) {
        return bad(key, raw(key), why);
    }

    static IllegalArgumentException bad(String key, Object value, String why) {
        return new IllegalArgumentException(subject(key, value) + ": " + why);
    }

    /** {@code setting 'key' = <value as given>}, how every line about a setting's value begins. */
    static String subject(String key, Object value) {
        return "setting '" + key + "' = " + render(value);
    }

    /** {@code setting 'key' has <entry as given>: why}, for one entry of a list. */
    static IllegalArgumentException badEntry(String key, Object entry, String why) {
        return new IllegalArgumentException("setting '" + key + "' has " + render(entry) + ": " + why);
    }

    /** A library check of the value of {@code key}; its complaint is reworded to name the setting and the value as given. */
    <T> T check(String key, Supplier<T> check) {
        try {
            return check.get();
        } catch (Check.BadValue e) {
            throw bad(key, e.why());
        }
    }

    /** A library check of one entry of the list {@code key}. */
    static <T> T checkEntry(String key, Object entry, Supplier<T> check) {
        try {
            return check.get();
        } catch (Check.BadValue e) {
            throw badEntry(key, entry, e.why());
        }
    }

    /**
     * A line {@code setting 'key': why} from a check that ran after the settings were read (e.g. a
     * task definition over ECS's limit), with the value as given put in; other lines as they are.
     */
    String withValue(String line) {
        Matcher m = NAMED.matcher(line);
        if (!m.matches() || raw(m.group(1)) == null) {
            return line;
        }
        return bad(m.group(1), m.group(2)).getMessage();
    }

    /** A required value: its default lives in cdk.json, so absence means a broken cdk.json. Blank stays "" for the caller's check. */
    String string(String key) {
        Object v = raw(key);
        if (v == null) {
            throw missing(key);
        }
        return scalar(key, v);
    }

    /** Empty or absent means "not set" (null). */
    String optional(String key) {
        Object v = raw(key);
        String s = v == null ? "" : scalar(key, v);
        return s.isEmpty() ? null : s;
    }

    int integer(String key, int min, int max) {
        Object v = raw(key);
        if (v == null) {
            throw missing(key);
        }
        return inRange(key, v, wholeNumber(v), min, max, "must be a whole number " + range(min, max), "");
    }

    /** "auto" (null) or a whole number in min..max. */
    Integer autoOrInteger(String key, int min, int max) {
        Object v = raw(key);
        if (v == null) {
            throw missing(key);
        }
        if (v instanceof String s && s.trim().equalsIgnoreCase("auto")) {
            return null;
        }
        return inRange(key, v, wholeNumber(v), min, max, "must be 'auto' or a whole number " + range(min, max), "'auto' or a whole number ");
    }

    boolean bool(String key) {
        Object v = raw(key);
        if (v == null) {
            throw missing(key);
        }
        if (v instanceof Boolean b) {
            return b;
        }
        String s = v instanceof String str ? str.trim().toLowerCase() : "";
        if (!s.equals("true") && !s.equals("false")) {
            throw bad(key, v, "must be true or false");
        }
        return Boolean.parseBoolean(s);
    }

    /**
     * A JSON list from cdk.json, or a comma-separated string as {@code -c} gives it; absent or ""
     * is empty. Entries are trimmed; an empty one is an error (a stray comma, or "" in the list).
     */
    List<String> list(String key) {
        Object v = raw(key);
        List<Object> entries = entries(key, v);
        List<String> out = new ArrayList<>();
        for (Object e : entries) {
            if (e instanceof Map<?, ?> || e instanceof List<?> || e instanceof Boolean || e == null) {
                throw badEntry(key, e, "must be a string");
            }
            String s = scalarText(e).trim();
            if (s.isEmpty()) {
                throw badEntry(key, e, "an empty entry; remove it (or the extra comma)");
            }
            out.add(s);
        }
        return List.copyOf(out);
    }

    List<Integer> integers(String key, int min, int max) {
        List<Integer> out = new ArrayList<>();
        for (Object e : entries(key, raw(key))) {
            Long n = wholeNumber(e);
            if (n == null) {
                throw (e instanceof String s && s.isBlank()) ? badEntry(key, e, "an empty entry; remove it (or the extra comma)")
                        : badEntry(key, e, "must be a whole number " + range(min, max));
            }
            if (n < min || n > max) {
                throw badEntry(key, n, "must be " + range(min, max));
            }
            out.add(n.intValue());
        }
        return List.copyOf(out);
    }

    /** A JSON object from cdk.json, or a JSON string given with -c; absent or "" is empty. */
    @SuppressWarnings("unchecked")
    Map<String, Object> object(String key) {
        Object v = raw(key);
        if (v == null || (v instanceof String s && s.isBlank())) {
            return Map.of();
        }
        if (v instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        if (v instanceof String s) {
            try {
                if (Rendering.jsonMapper().readValue(s, Object.class) instanceof Map<?, ?> m) {
                    return (Map<String, Object>) m;
                }
            } catch (Exception e) {
                // reported below
            }
        }
        throw bad(key, v, "must be a JSON object such as {\"name\": \"...\"}");
    }

    /** A JSON list from cdk.json, or a JSON string given with -c. */
    @SuppressWarnings("unchecked")
    List<Object> jsonList(String key, String example) {
        Object v = raw(key);
        if (v == null) {
            throw missing(key);
        }
        if (v instanceof List<?> l) {
            return (List<Object>) l;
        }
        if (v instanceof String s) {
            try {
                if (Rendering.jsonMapper().readValue(s, Object.class) instanceof List<?> l) {
                    return (List<Object>) l;
                }
            } catch (Exception e) {
                // reported below
            }
        }
        throw bad(key, v, "must be a JSON list such as " + example);
    }

    /** How a value is shown in a message: strings quoted, everything else as JSON; long values cut. */
    static String render(Object v) {
        String s;
        if (v == null) {
            s = "null";
        } else if (v instanceof String str) {
            s = "'" + escape(str) + "'";
        } else if (v instanceof Number n && wholeNumber(n) != null) {
            s = String.valueOf(wholeNumber(n));
        } else {
            s = Rendering.compactJson(v);
        }
        if (s.length() > SHOWN) {
            s = s.substring(0, SHOWN - 20) + "..." + (v instanceof List<?> l ? " (" + l.size() + " entries)" : "");
        }
        return s;
    }

    private static IllegalArgumentException missing(String key) {
        return bad(key, null, "must be set: add it to the context of cdk.json or pass -c " + key + "=...");
    }

    private static int inRange(String key, Object given, Long n, int min, int max, String notANumber, String what) {
        if (n == null) {
            throw bad(key, given, notANumber);
        }
        if (n < min || n > max) {
            throw bad(key, n, "must be " + what + (max != Integer.MAX_VALUE ? "in " + min + ".." + max
                    : n < min ? (what.isEmpty() ? "at least " : "of at least ") + min : (what.isEmpty() ? "at most " : "of at most ") + max));
        }
        return n.intValue();
    }

    /** "in 1..50000", or "of at least 1" without a practical upper bound. */
    static String range(int min, int max) {
        return max == Integer.MAX_VALUE ? "of at least " + min : "in " + min + ".." + max;
    }

    private static List<Object> entries(String key, Object v) {
        if (v == null) {
            return List.of();
        }
        if (v instanceof List<?> l) {
            return new ArrayList<>(l);
        }
        if (v instanceof String s) {
            return s.isBlank() ? List.of() : new ArrayList<>(Arrays.asList((Object[]) s.split(",", -1)));
        }
        if (v instanceof Number) {
            return List.of(v);
        }
        throw bad(key, v, "must be a list such as [\"a\", \"b\"] (with -c: a,b)");
    }

    /** A string setting: a JSON string, or a number written without quotes (an account id, a version). */
    private static String scalar(String key, Object v) {
        if (v instanceof Map<?, ?> || v instanceof List<?> || v instanceof Boolean) {
            throw bad(key, v, "must be a string");
        }
        return scalarText(v).trim();
    }

    private static String scalarText(Object v) {
        return v instanceof Number n && wholeNumber(n) != null ? String.valueOf(wholeNumber(n)) : String.valueOf(v);
    }

    /** A whole number from JSON (any numeric type without a fraction) or from -c text; null when it is not one. */
    static Long wholeNumber(Object v) {
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof BigInteger b) {
            return b.bitLength() < 63 ? b.longValue() : null;
        }
        if (v instanceof Number n) {
            double d = n.doubleValue();
            return d == Math.rint(d) && Math.abs(d) < 9e15 ? (long) d : null;
        }
        if (v instanceof String s && s.trim().matches("-?\\d{1,18}")) {
            return Long.parseLong(s.trim());
        }
        return null;
    }

    private static String escape(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> b.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return b.toString();
    }
}
