package dev.o11ycdk.test.support;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough of PromQL to say what each selector reads and over which window: every series selector
 * ({@code name}, {@code name{matchers}} or {@code {matchers}}) outside string literals, with the
 * {@code [window]} after it, and every subquery's {@code (...)[window:step]}. Function and
 * aggregation names, grouping label lists and keywords are not selectors.
 */
public final class PromQl {
    private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    /** A label value that Prometheus 3 stores as a float ({@code le}, {@code quantile}) written as an integer. */
    private static final Pattern INTEGER_BUCKET = Pattern.compile("\\b(le|quantile)\\s*(=~|!~|!=|=)\\s*\"[+-]?\\d+(e[+-]?\\d+)?\"");
    private static final Set<String> GROUPING = Set.of("by", "without", "on", "ignoring", "group_left", "group_right");
    private static final Set<String> KEYWORDS = Set.of("bool", "and", "or", "unless", "offset", "inf", "nan", "atan2");
    /** Aggregation operators, which may stand before {@code by (...)}/{@code without (...)} rather than their parenthesis. */
    private static final Set<String> AGGREGATIONS = Set.of("sum", "avg", "count", "min", "max", "group", "stddev", "stdvar", "topk",
            "bottomk", "quantile", "count_values", "limitk", "limit_ratio");

    private PromQl() {
    }

    /**
     * One selector: {@code metric} (null when it names none, or for a subquery), its label matchers
     * (name to operator and value), the window as written (null for an instant selector) and a
     * subquery's step (null when none is written, or not a subquery).
     */
    public record Selector(String metric, Map<String, String[]> matchers, String window, String step, boolean subquery) {
        /** The values the {@code job} matcher admits: one for {@code =}, the alternatives of a plain {@code =~}; empty otherwise. */
        public List<String> jobs() {
            String[] m = matchers.get("job");
            if (m == null || !(m[0].equals("=") || m[0].equals("=~"))) {
                return List.of();
            }
            return m[0].equals("=") ? List.of(m[1]) : List.of(m[1].split("\\|"));
        }
    }

    /** Every selector and subquery of {@code expr}, in order. */
    public static List<Selector> selectors(String expr) {
        String c = blankStrings(expr);
        List<Selector> out = new ArrayList<>();
        int n = c.length();
        int i = 0;
        while (i < n) {
            char ch = c.charAt(i);
            if (identStart(ch) && (i == 0 || !(identPart(c.charAt(i - 1)) || c.charAt(i - 1) == '.'))) {
                int start = i;
                while (i < n && identPart(c.charAt(i))) {
                    i++;
                }
                String ident = expr.substring(start, i);
                int next = skipSpace(c, i);
                if (GROUPING.contains(ident)) {
                    i = next < n && c.charAt(next) == '(' ? c.indexOf(')', next) + 1 : next;
                } else if (KEYWORDS.contains(ident) || AGGREGATIONS.contains(ident) || (next < n && c.charAt(next) == '(')) {
                    i = next;
                } else {
                    i = selector(expr, c, ident, i, out);
                }
            } else if (ch == '{') {
                i = selector(expr, c, null, i, out);
            } else if (ch == ')' && skipSpace(c, i + 1) < n && c.charAt(skipSpace(c, i + 1)) == '[') {
                int open = skipSpace(c, i + 1);
                int close = c.indexOf(']', open);
                String inside = expr.substring(open + 1, close).trim();
                int colon = inside.indexOf(':');
                out.add(new Selector(null, Map.of(), colon < 0 ? inside : inside.substring(0, colon).trim(),
                        colon < 0 || inside.substring(colon + 1).isBlank() ? null : inside.substring(colon + 1).trim(), true));
                i = close + 1;
            } else {
                i++;
            }
        }
        return out;
    }

    /** Reads the selector whose name (or null) ends at {@code i}: its matchers and its window. Returns where it ends. */
    private static int selector(String expr, String c, String metric, int i, List<Selector> out) {
        Map<String, String[]> matchers = new LinkedHashMap<>();
        int j = skipSpace(c, i);
        if (j < c.length() && c.charAt(j) == '{') {
            int close = c.indexOf('}', j);
            Matcher m = MATCHER.matcher(expr.substring(j + 1, close));
            while (m.find()) {
                matchers.put(m.group(1), new String[] {m.group(2), m.group(3)});
            }
            i = close + 1;
            j = skipSpace(c, i);
        }
        if (metric == null && matchers.containsKey("__name__") && matchers.get("__name__")[0].equals("=")) {
            metric = matchers.get("__name__")[1];
        }
        String window = null;
        String step = null;
        if (j < c.length() && c.charAt(j) == '[') {
            int close = c.indexOf(']', j);
            String inside = expr.substring(j + 1, close).trim();
            int colon = inside.indexOf(':');
            window = colon < 0 ? inside : inside.substring(0, colon).trim();
            step = colon < 0 || inside.substring(colon + 1).isBlank() ? null : inside.substring(colon + 1).trim();
            i = close + 1;
            if (colon >= 0) {
                // A subquery of a bare selector: the selector itself is instant, the window is the subquery's.
                out.add(new Selector(metric, matchers, null, null, false));
                out.add(new Selector(null, Map.of(), window, step, true));
                return i;
            }
        }
        out.add(new Selector(metric, matchers, window, step, false));
        return i;
    }

    /** Each {@code le="1"} or {@code quantile="1"}-like matcher of {@code expr}: Prometheus 3 has them as {@code "1.0"}. */
    public static List<String> integerBucketMatchers(String expr) {
        List<String> found = new ArrayList<>();
        Matcher m = INTEGER_BUCKET.matcher(expr);
        while (m.find()) {
            found.add(m.group());
        }
        return found;
    }

    private static boolean identStart(char ch) {
        return Character.isLetter(ch) || ch == '_' || ch == ':';
    }

    private static boolean identPart(char ch) {
        return Character.isLetterOrDigit(ch) || ch == '_' || ch == ':';
    }

    private static int skipSpace(String c, int i) {
        while (i < c.length() && Character.isWhitespace(c.charAt(i))) {
            i++;
        }
        return i;
    }

    /** {@code expr} with the contents of every string literal replaced by spaces (same length, quotes kept). */
    static String blankStrings(String expr) {
        StringBuilder b = new StringBuilder(expr);
        char quote = 0;
        for (int i = 0; i < b.length(); i++) {
            char c = b.charAt(i);
            if (quote == 0) {
                if (c == '"' || c == '\'' || c == '`') {
                    quote = c;
                }
            } else if (c == '\\' && quote != '`' && i + 1 < b.length()) {
                b.setCharAt(i, ' ');
                b.setCharAt(++i, ' ');
            } else if (c == quote) {
                quote = 0;
            } else {
                b.setCharAt(i, ' ');
            }
        }
        return b.toString();
    }
}
