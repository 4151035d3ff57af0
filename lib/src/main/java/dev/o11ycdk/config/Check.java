package dev.o11ycdk.config;

import java.util.Collection;
import java.util.regex.Pattern;

/**
 * Synth-time input checks. Every failure names the setting and the bad value, so a typo is
 * reported by {@code cdk synth} instead of a crash-looping container after deploy.
 */
public final class Check {
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    private Check() {
    }

    /**
     * A bad value of {@code setting}: the message reads {@code setting = value: why}. An app that
     * reads the value from its own configuration can name it its own way with {@link BadValue#why()}.
     */
    public static BadValue bad(String setting, Object value, String why) {
        return new BadValue(setting, value, why);
    }

    /** What {@link #bad} throws: the message, and its parts for callers that word it their own way. */
    public static final class BadValue extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final String setting;
        private final String why;

        BadValue(String setting, Object value, String why) {
            super(setting + " = " + quote(value) + ": " + why);
            this.setting = setting;
            this.why = why;
        }

        /** The prop or setting as the check named it, e.g. {@code Grafana.priority}. */
        public String setting() {
            return setting;
        }

        /** The reason alone, e.g. {@code must be in 1..50000}. */
        public String why() {
            return why;
        }
    }

    /** An IPv4 CIDR block such as 203.0.113.0/24. */
    public static String ipv4Cidr(String setting, String cidr) {
        if (cidr == null || !cidr.matches("(\\d{1,3}\\.){3}\\d{1,3}/\\d{1,2}")
                || java.util.Arrays.stream(cidr.split("[./]")).limit(4).anyMatch(o -> Integer.parseInt(o) > 255)
                || Integer.parseInt(cidr.substring(cidr.indexOf('/') + 1)) > 32) {
            throw bad(setting, cidr, "must be an IPv4 CIDR block such as 203.0.113.0/24");
        }
        return cidr;
    }

    public static int port(String setting, int port) {
        if (port < 1 || port > 65535) {
            throw bad(setting, port, "a TCP port must be in 1..65535");
        }
        return port;
    }

    public static int range(String setting, int value, int min, int max) {
        if (value < min || value > max) {
            throw bad(setting, value, "must be in " + min + ".." + max);
        }
        return value;
    }

    public static String labelName(String setting, String name) {
        notBlank(setting, name);
        if (!LABEL_NAME.matcher(name).matches()) {
            throw bad(setting, name, "a Prometheus label name must match [a-zA-Z_][a-zA-Z0-9_]*");
        }
        if (name.startsWith("__")) {
            throw bad(setting, name, "label names starting with __ are reserved for Prometheus internals");
        }
        return name;
    }

    public static String metricName(String setting, String name) {
        notBlank(setting, name);
        if (!METRIC_NAME.matcher(name).matches()) {
            throw bad(setting, name, "a Prometheus metric name must match [a-zA-Z_:][a-zA-Z0-9_:]*");
        }
        return name;
    }

    public static String notBlank(String setting, String value) {
        if (value == null || value.isBlank()) {
            throw bad(setting, value, "must not be empty");
        }
        return value;
    }

    public static String urlPath(String setting, String path) {
        notBlank(setting, path);
        if (!path.startsWith("/") || path.chars().anyMatch(Character::isWhitespace)) {
            throw bad(setting, path, "must be an absolute URL path such as /metrics");
        }
        return path;
    }

    /** A scrape target "host:port"; the port is checked, the host must be non-empty. */
    public static String hostPort(String setting, String target) {
        notBlank(setting, target);
        int colon = target.lastIndexOf(':');
        if (colon <= 0 || colon == target.length() - 1) {
            throw bad(setting, target, "a target must be host:port");
        }
        try {
            port(setting, Integer.parseInt(target.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw bad(setting, target, "the port after ':' is not a number");
        }
        return target;
    }

    public static <T> void unique(String setting, Collection<T> values) {
        var seen = new java.util.HashSet<T>();
        for (T v : values) {
            if (!seen.add(v)) {
                throw bad(setting, v, "appears more than once; names must be unique");
            }
        }
    }

    private static String quote(Object value) {
        return value instanceof String ? "'" + value + "'" : String.valueOf(value);
    }
}
