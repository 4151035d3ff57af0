package dev.o11ycdk.core;

import com.fasterxml.jackson.databind.JsonNode;
import dev.o11ycdk.config.Rendering;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * When each pinned component leaves support, as data ({@code support-calendar.json} next to this
 * class, each component with its sources and the date it was checked), read against a date.
 *
 * <p>A component's versions are grouped in lines, a version prefix ({@code 3.13} holds 3.13.0 and
 * 3.13.2; {@code 92} holds 92.3.0). {@link #verdict} judges a version on a day:
 * <ul>
 *   <li>{@link Status#ENDED}: on or after the line's end;</li>
 *   <li>{@link Status#ENDS_SOON}: within {@link #WARN_DAYS} days before the end (or before paid
 *       extended support begins, as with EKS);</li>
 *   <li>{@link Status#EXTENDED}: in paid extended support, before the end;</li>
 *   <li>{@link Status#REVIEW_DUE}: a project that fixes only its newest release, whose newest line
 *       has no end yet, after the entry's review date: a newer release may have ended its support
 *       and the calendar's data may be stale;</li>
 *   <li>{@link Status#UNKNOWN}: a version of no line the calendar has;</li>
 *   <li>{@link Status#SUPPORTED} otherwise.</li>
 * </ul>
 * The calendar is pure data and reads no clock: the caller passes the day (an app its own pinnable
 * date, a test a fixed one).
 *
 * <pre>{@code
 * SupportCalendar.Verdict v = SupportCalendar.standard().verdict("grafana", "10.4.2", LocalDate.now());
 * v.status();   // ENDED
 * v.message();  // Grafana 10.4 left security support on 2025-06-05; move to 13.2.3
 * }</pre>
 */
public final class SupportCalendar {
    /** How many days before a line's end {@link Status#ENDS_SOON} begins. */
    public static final int WARN_DAYS = 60;

    /** The bundled data's name, next to this class. */
    public static final String RESOURCE = "support-calendar.json";

    private static SupportCalendar standard;

    private final Map<String, Component> components;

    private SupportCalendar(Map<String, Component> components) {
        this.components = components;
    }

    /** The calendar this build ships ({@link #RESOURCE}), for the versions this library and its app pin. */
    public static synchronized SupportCalendar standard() {
        if (standard == null) {
            try (InputStream in = SupportCalendar.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException(RESOURCE + " is missing from the library jar");
                }
                standard = parse(Rendering.jsonMapper().readTree(in), RESOURCE);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + RESOURCE, e);
            }
        }
        return standard;
    }

    /**
     * A calendar from JSON in the format of {@link #RESOURCE} (e.g. a team's own components);
     * a missing field or a date that does not parse fails here, naming the component and line.
     */
    public static SupportCalendar fromJson(String json) {
        try {
            return parse(Rendering.jsonMapper().readTree(json), "the calendar");
        } catch (IOException e) {
            throw new IllegalArgumentException("the calendar is not JSON: " + e.getMessage(), e);
        }
    }

    /** The components' ids, as the data lists them. */
    public List<String> components() {
        return List.copyOf(components.keySet());
    }

    /** A component by its id, e.g. {@code grafana}; an id the calendar lacks is a programming error and throws. */
    public Component component(String id) {
        Component c = components.get(id);
        if (c == null) {
            throw new IllegalArgumentException("the support calendar has no component '" + id + "'; it has " + components.keySet());
        }
        return c;
    }

    /** The version the calendar recommends moving to, e.g. {@code 13.2.3} for grafana. */
    public String recommended(String component) {
        return component(component).recommended();
    }

    /**
     * The verdict for {@code version} of {@code component} on {@code today}. A leading {@code v}
     * ({@code v2.17.1}) is ignored. The line's release date plays no part: the calendar answers
     * whether support has ended, not whether the version existed yet.
     */
    public Verdict verdict(String component, String version, LocalDate today) {
        Component c = component(component);
        if (version == null || today == null) {
            throw new IllegalArgumentException("a verdict needs a version and a day (got " + version + ", " + today + ")");
        }
        Line line = c.lineOf(version);
        Status status;
        if (line == null) {
            status = Status.UNKNOWN;
        } else if (line.ends() != null && !today.isBefore(line.ends())) {
            status = Status.ENDED;
        } else if (line.extendedFrom() != null && !today.isBefore(line.extendedFrom())) {
            status = Status.EXTENDED;
        } else if (line.firstCliff() != null && !today.isBefore(line.firstCliff().minusDays(WARN_DAYS))) {
            status = Status.ENDS_SOON;
        } else if (line.reviewBy() != null && today.isAfter(line.reviewBy())) {
            status = Status.REVIEW_DUE;
        } else {
            status = Status.SUPPORTED;
        }
        return new Verdict(status, c, version, line, today);
    }

    /** How a version stands on a day; {@link #fails()} and {@link #warns()} say what an app should do about it. */
    public enum Status {
        SUPPORTED, ENDS_SOON, EXTENDED, REVIEW_DUE, UNKNOWN, ENDED;

        /** Past its end: stop the synth. */
        public boolean fails() {
            return this == ENDED;
        }

        /** Worth a synth warning: ends soon, costs extended support, stale data, or a version the calendar does not know. */
        public boolean warns() {
            return this != SUPPORTED && this != ENDED;
        }
    }

    /** Whether the component fixes lines to dated ends, or only ever its newest release. */
    public enum Policy {
        /** Every line has an end date fixed in advance (Prometheus LTS, Grafana's 9/15 months, EKS). */
        DATED,
        /** Only the newest release gets fixes: a line ends when its successor comes out. */
        LATEST_ONLY
    }

    /**
     * One component of the calendar.
     *
     * @param id          as {@link #verdict} names it, e.g. {@code prometheus}
     * @param name        for messages, e.g. {@code Grafana}
     * @param support     what ends, for messages ({@code support}, {@code security support})
     * @param policyText  the project's own words on what it supports
     * @param recommended the version to move to
     * @param releases    where a maintainer checks for newer releases
     * @param source      where the dates come from (URLs, repository paths and commits)
     * @param checked     when the entry was last compared with its sources
     * @param note        anything a maintainer should know (may be empty)
     */
    public record Component(String id, String name, Policy policy, String policyText, String support, String recommended,
                            String releases, String source, LocalDate checked, String note, List<Line> lines) {
        public Component {
            lines = List.copyOf(lines);
        }

        /** The line holding {@code version} (the longest matching prefix), or null. */
        public Line lineOf(String version) {
            String v = version.startsWith("v") ? version.substring(1) : version;
            Line best = null;
            for (Line l : lines) {
                if ((v.equals(l.line()) || v.startsWith(l.line() + ".")) && (best == null || l.line().length() > best.line().length())) {
                    best = l;
                }
            }
            return best;
        }
    }

    /**
     * One line of a component.
     *
     * @param line         the version prefix, e.g. {@code 3.13}
     * @param released     its first release, when known (else null)
     * @param ends         the first day without support; null for the newest line of a latest-only project
     * @param extendedFrom the first day of paid extended support, before {@code ends} (EKS); else null
     * @param reviewBy     the newest line of a latest-only project: after this day the data may be stale; else null
     * @param endedBy      the release that ended it (latest-only), e.g. {@code 0.28.0}; else null
     * @param note         where an unusual date comes from (may be empty)
     */
    public record Line(String line, LocalDate released, LocalDate ends, LocalDate extendedFrom, LocalDate reviewBy, String endedBy,
                       String note) {
        /** The first date after which things get worse: extended support, else the end. */
        LocalDate firstCliff() {
            return extendedFrom != null ? extendedFrom : ends;
        }
    }

    /**
     * The calendar's answer for one version on one day.
     *
     * @param line null when {@link Status#UNKNOWN}
     */
    public record Verdict(Status status, Component component, String version, Line line, LocalDate today) {
        /**
         * One line saying what the verdict means and what to do, without naming a setting (the caller
         * knows how the version was pinned): e.g. {@code Grafana 10.4 left security support on
         * 2025-06-05; move to 13.2.3}.
         */
        public String message() {
            Component c = component;
            String what = c.name() + " " + (line == null ? version : line.line());
            return switch (status) {
                case SUPPORTED -> line.extendedFrom() != null ? what + " is in standard support until " + line.extendedFrom()
                        + " (then paid extended support until " + line.ends() + ")"
                        : what + " is supported" + (line.ends() != null ? " until " + line.ends()
                        : " (the newest line; the calendar's data is due for review on " + line.reviewBy() + ")");
                case ENDS_SOON -> what + " leaves " + (line.extendedFrom() != null ? "standard support" : c.support()) + " on "
                        + line.firstCliff() + ", in " + ChronoUnit.DAYS.between(today, line.firstCliff()) + " days"
                        + (line.extendedFrom() != null ? " (then paid extended support until " + line.ends() + ")" : "") + moveTo();
                case EXTENDED -> what + " left standard support on " + line.extendedFrom() + " and is in paid extended support until "
                        + line.ends() + moveTo();
                case ENDED -> what + " left " + c.support() + " on " + line.ends()
                        + (line.endedBy() != null ? ", when " + line.endedBy() + " came out (only the newest release gets fixes)" : "")
                        + moveTo();
                case REVIEW_DUE -> c.name() + " fixes only its newest release, and the calendar's entry for " + line.line()
                        + " was due for review on " + line.reviewBy() + ": its data may be stale (a newer release would end " + line.line()
                        + "'s support); check " + c.releases() + " and update " + RESOURCE;
                case UNKNOWN -> "the support calendar does not know " + what + ": check its support yourself (" + c.releases()
                        + ") and add it to " + RESOURCE + "; the calendar recommends " + c.recommended();
            };
        }

        private String moveTo() {
            Line target = component.lineOf(component.recommended());
            if (target == line) {
                return "; the calendar names no newer version yet: check " + component.releases() + " and update " + RESOURCE;
            }
            return "; move to " + component.recommended();
        }
    }

    private static final Set<String> COMPONENT_FIELDS = Set.of("id", "name", "policy", "policyText", "support", "recommended",
            "releases", "source", "checked", "note", "lines");
    private static final Set<String> LINE_FIELDS = Set.of("line", "released", "ends", "extendedFrom", "reviewBy", "endedBy", "note");

    private static SupportCalendar parse(JsonNode root, String where) {
        JsonNode list = root.path("components");
        if (!list.isArray() || list.isEmpty()) {
            throw bad(where, "needs a non-empty 'components' list");
        }
        Map<String, Component> out = new LinkedHashMap<>();
        for (JsonNode n : list) {
            Component c = component(n, where);
            if (out.put(c.id(), c) != null) {
                throw bad(where, "lists component '" + c.id() + "' twice");
            }
        }
        return new SupportCalendar(out);
    }

    private static Component component(JsonNode n, String where) {
        String id = text(n, "id", where + " component", true);
        String at = where + " component '" + id + "'";
        unknownFields(n, COMPONENT_FIELDS, at);
        String policyName = text(n, "policy", at, true);
        Policy policy = switch (policyName) {
            case "dated" -> Policy.DATED;
            case "latest-only" -> Policy.LATEST_ONLY;
            default -> throw bad(at, "policy '" + policyName + "' is neither 'dated' nor 'latest-only'");
        };
        List<Line> lines = new ArrayList<>();
        JsonNode ls = n.path("lines");
        if (!ls.isArray() || ls.isEmpty()) {
            throw bad(at, "needs a non-empty 'lines' list");
        }
        for (JsonNode l : ls) {
            lines.add(line(l, at));
        }
        Component c = new Component(id, text(n, "name", at, true), policy, text(n, "policyText", at, true), text(n, "support", at, true),
                text(n, "recommended", at, true), text(n, "releases", at, true), text(n, "source", at, true),
                date(n, "checked", at, true), text(n, "note", at, false), lines);
        for (Line l : lines) {
            String lat = at + " line '" + l.line() + "'";
            if (lines.stream().filter(o -> o.line().equals(l.line())).count() > 1) {
                throw bad(lat, "appears twice");
            }
            if (l.ends() == null && l.reviewBy() == null) {
                throw bad(lat, "needs 'ends' or, as the newest line of a latest-only project, 'reviewBy'");
            }
            if (l.ends() == null && policy == Policy.DATED) {
                throw bad(lat, "needs 'ends': the component's policy is 'dated'");
            }
            if (l.extendedFrom() != null && (l.ends() == null || !l.extendedFrom().isBefore(l.ends()))) {
                throw bad(lat, "'extendedFrom' must come before 'ends'");
            }
            if (policy == Policy.LATEST_ONLY && l.ends() != null && l.endedBy() == null) {
                throw bad(lat, "ends on " + l.ends() + ": name the release that ended it in 'endedBy'");
            }
        }
        if (policy == Policy.LATEST_ONLY && lines.stream().filter(l -> l.ends() == null).count() > 1) {
            throw bad(at, "a latest-only project has one newest line without an end; more lines lack 'ends'");
        }
        Line recommended = c.lineOf(c.recommended());
        if (recommended == null) {
            throw bad(at, "recommends " + c.recommended() + ", a version of none of its lines");
        }
        if (recommended.ends() != null && !c.checked().isBefore(recommended.ends())) {
            throw bad(at, "recommends " + c.recommended() + ", whose line ended on " + recommended.ends() + " (checked " + c.checked() + ")");
        }
        return c;
    }

    private static Line line(JsonNode n, String at) {
        String line = text(n, "line", at + " line", true);
        String lat = at + " line '" + line + "'";
        if (!line.matches("\\d+(\\.\\d+)*")) {
            throw bad(lat, "a line is a version prefix such as 3.13 or 92");
        }
        unknownFields(n, LINE_FIELDS, lat);
        return new Line(line, date(n, "released", lat, false), date(n, "ends", lat, false), date(n, "extendedFrom", lat, false),
                date(n, "reviewBy", lat, false), text(n, "endedBy", lat, false), text(n, "note", lat, false));
    }

    private static void unknownFields(JsonNode n, Set<String> known, String at) {
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f)) {
                throw bad(at, "has an unknown field '" + f + "'; fields are " + new java.util.TreeSet<>(known));
            }
        }
    }

    private static String text(JsonNode n, String field, String at, boolean required) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull() || (v.isTextual() && v.asText().isBlank())) {
            if (required) {
                throw bad(at, "needs '" + field + "'");
            }
            return field.equals("note") ? "" : null;
        }
        if (!v.isTextual()) {
            throw bad(at, "'" + field + "' must be a string");
        }
        return v.asText();
    }

    private static LocalDate date(JsonNode n, String field, String at, boolean required) {
        String s = text(n, field, at, required);
        if (s == null) {
            return null;
        }
        try {
            return LocalDate.parse(s);
        } catch (DateTimeParseException e) {
            throw bad(at, "'" + field + "' = '" + s + "' is not a date such as 2027-07-31");
        }
    }

    private static IllegalArgumentException bad(String at, String why) {
        return new IllegalArgumentException(at + ": " + why);
    }
}
