package dev.o11ycdk.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Prometheus duration ({@code 15s}, {@code 1m30s}, {@code 15d}), validated with the same
 * grammar Prometheus uses (units y w d h m s ms, largest first, each at most once).
 */
public final class PromDuration {
    private static final Pattern GRAMMAR = Pattern.compile(
            "^(?:(\\d+)y)?(?:(\\d+)w)?(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?(?:(\\d+)ms)?$");
    private static final long[] UNIT_MILLIS = {
        365L * 24 * 3600 * 1000, 7L * 24 * 3600 * 1000, 24L * 3600 * 1000, 3600L * 1000, 60L * 1000, 1000L, 1L
    };

    private final String text;
    private final long millis;

    private PromDuration(String text, long millis) {
        this.text = text;
        this.millis = millis;
    }

    /** Parses {@code value}; {@code setting} names the property in the error message. */
    public static PromDuration parse(String setting, String value) {
        if (value == null || value.isEmpty()) {
            throw Check.bad(setting, value, "must be a Prometheus duration such as 15s, 1m or 2h30m");
        }
        if (value.equals("0")) {
            return new PromDuration("0s", 0);
        }
        Matcher m = GRAMMAR.matcher(value);
        if (!m.matches()) {
            throw Check.bad(setting, value,
                    "is not a Prometheus duration; use units y w d h m s ms, largest first, e.g. 15s, 1m, 2h30m");
        }
        long total = 0;
        for (int i = 0; i < UNIT_MILLIS.length; i++) {
            String group = m.group(i + 1);
            if (group != null) {
                total += Long.parseLong(group) * UNIT_MILLIS[i];
            }
        }
        return new PromDuration(value, total);
    }

    public static PromDuration ofSeconds(long seconds) {
        return new PromDuration(seconds + "s", seconds * 1000);
    }

    public long toMillis() {
        return millis;
    }

    public long toSeconds() {
        return millis / 1000;
    }

    /** Requires a positive duration. */
    public PromDuration positive(String setting) {
        if (millis <= 0) {
            throw Check.bad(setting, text, "must be greater than zero");
        }
        return this;
    }

    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PromDuration other && other.millis == millis;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(millis);
    }
}
