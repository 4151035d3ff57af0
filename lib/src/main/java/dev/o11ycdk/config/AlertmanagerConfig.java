package dev.o11ycdk.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A typed {@code alertmanager.yml}: a routing tree, receivers (Slack or null) and inhibit rules.
 * Rendered for {@code amtool check-config}; secrets are referenced by file, never inlined.
 */
public final class AlertmanagerConfig {
    /**
     * The feature every layout's Alertmanager runs with ({@code --enable-feature}): matchers are read by
     * the UTF-8 parser alone, without the fallback to the classic one that Alertmanager 0.27 to 0.34
     * still keeps by default and means to drop. Every matcher this model writes parses in it.
     */
    public static final String UTF8_STRICT_MODE = "utf8-strict-mode";
    /**
     * A label name, an operator and a double-quoted value with only the escapes the UTF-8 parser takes
     * (Go's: {@code \\ \" \n \t}, ...; {@code \q} or a raw newline fail it, where the classic one let them by).
     */
    private static final Pattern MATCHER = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*(=|!=|=~|!~)\"(?:[^\"\\\\\n]"
            + "|\\\\[abfnrtv\\\\\"]|\\\\x\\p{XDigit}{2}|\\\\[0-7]{3}|\\\\u\\p{XDigit}{4}|\\\\U\\p{XDigit}{8})*\"");

    private final Route route;
    private final List<Receiver> receivers;
    private final List<Map<String, Object>> inhibitRules;

    private AlertmanagerConfig(Route route, List<Receiver> receivers, List<Map<String, Object>> inhibitRules) {
        this.route = route;
        this.receivers = List.copyOf(receivers);
        this.inhibitRules = List.copyOf(inhibitRules);
        Check.unique("receiver name", this.receivers.stream().map(Receiver::name).toList());
        List<String> names = this.receivers.stream().map(Receiver::name).toList();
        route.receivers().forEach(r -> {
            if (!names.contains(r)) {
                throw Check.bad("route receiver", r, "no receiver of that name; define it in receivers " + names);
            }
        });
    }

    public static AlertmanagerConfig of(Route route, List<Receiver> receivers, List<Map<String, Object>> inhibitRules) {
        return new AlertmanagerConfig(route, receivers, inhibitRules);
    }

    /**
     * The seed's routing: grouped by alertname and service, 10 s / 10 s / 12 h; critical and warning
     * to their Slack channels; {@code env="test"} (an environment that is not ready, seed 004) to a
     * null receiver; critical inhibits warning for the same alertname and service. The always-firing
     * Watchdog goes to {@code heartbeat}: with {@code heartbeatUrl} a webhook to a dead-man's switch
     * (Healthchecks.io, Cronitor, Dead Man's Snitch) every minute, which pages when it stops arriving;
     * without it a null receiver, and nothing notices when alerting itself is down.
     *
     * @param heartbeatUrl the dead-man's switch's https URL, or null
     */
    public static AlertmanagerConfig seedDefaults(String webhookUrlFile, String criticalChannel, String warningChannel,
                                                  List<String> mutedEnvironments, String heartbeatUrl) {
        List<Route> children = new ArrayList<>();
        // First, so a Watchdog carrying env="test" or a severity still reaches the switch; 0 s wait and a
        // 1 m repeat keep its pings well inside any switch's period.
        children.add(Route.to("heartbeat").matchers("alertname=\"Watchdog\"").timing("0s", "1m", "1m"));
        for (String env : mutedEnvironments) {
            children.add(Route.to("null").matchers("env=\"" + Check.notBlank("muted environment", env) + "\""));
        }
        children.add(Route.to("slack-critical").matchers("severity=\"critical\""));
        children.add(Route.to("slack-warning").matchers("severity=\"warning\""));
        Route root = Route.to("slack-warning")
                .groupBy("alertname", "service")
                .timing("10s", "10s", "12h")
                .children(children);
        return of(root, List.of(
                        Receiver.none("null"),
                        heartbeatUrl == null ? Receiver.none("heartbeat") : Receiver.webhook("heartbeat", heartbeatUrl),
                        Receiver.slack("slack-critical", webhookUrlFile, criticalChannel),
                        Receiver.slack("slack-warning", webhookUrlFile, warningChannel)),
                List.of(inhibit(List.of("severity=\"critical\""), List.of("severity=\"warning\""), List.of("alertname", "service")),
                        // Pairs of different alerts about the same thing: page once, not twice.
                        inhibit(List.of("alertname=\"ServiceDown\""), List.of("alertname=\"TargetDown\""), List.of("job")),
                        inhibit(List.of("alertname=\"ServiceTasksGone\""), List.of("alertname=\"TargetDown\""), List.of("service")),
                        inhibit(List.of("alertname=\"NodeFilesystemAlmostOutOfSpace\""),
                                List.of("alertname=\"NodeFilesystemSpaceFillingUp\""), List.of("instance", "mountpoint"))));
    }

    /** The heartbeat receiver's URL, or null when Watchdog goes nowhere. */
    public String heartbeatUrl() {
        return receivers.stream().filter(r -> r.name().equals("heartbeat")).map(Receiver::webhookUrl)
                .filter(java.util.Objects::nonNull).findFirst().orElse(null);
    }

    /** An inhibit rule: alerts matching {@code target} are muted while one matching {@code source} fires. */
    public static Map<String, Object> inhibit(List<String> source, List<String> target, List<String> equal) {
        source.forEach(m -> matcher("inhibit source_matchers", m));
        target.forEach(m -> matcher("inhibit target_matchers", m));
        equal.forEach(l -> Check.labelName("inhibit equal", l));
        return Rendering.ordered("source_matchers", List.copyOf(source), "target_matchers", List.copyOf(target),
                "equal", List.copyOf(equal));
    }

    public Route route() {
        return route;
    }

    /** The same routing with Slack receivers reading their webhook from {@code path} (a local test profile). */
    public AlertmanagerConfig withWebhookUrlFile(String path) {
        return new AlertmanagerConfig(route, receivers.stream()
                .map(r -> r.webhookUrlFile() == null ? r : Receiver.slack(r.name(), path, r.channel())).toList(), inhibitRules);
    }

    /** The same routing with the receiver {@code heartbeat} a webhook to {@code url} (e.g. a local test profile). */
    public AlertmanagerConfig withHeartbeatUrl(String url) {
        return new AlertmanagerConfig(route, receivers.stream()
                .map(r -> r.name().equals("heartbeat") ? Receiver.webhook(r.name(), url) : r).toList(), inhibitRules);
    }

    /** The configuration as Alertmanager reads it (route, receivers, inhibit_rules), e.g. for a chart's values. */
    public Map<String, Object> toMap() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("route", route.toMap());
        root.put("receivers", receivers.stream().map(Receiver::toMap).toList());
        if (!inhibitRules.isEmpty()) {
            root.put("inhibit_rules", inhibitRules);
        }
        return root;
    }

    public String toYaml() {
        return Rendering.yaml(toMap());
    }

    static String matcher(String setting, String m) {
        if (m == null || !MATCHER.matcher(m).matches()) {
            throw Check.bad(setting, m, "a matcher looks like severity=\"critical\" (operators = != =~ !~; in the value only "
                    + "the escapes \\\\ \\\" \\n \\t and Go's others)");
        }
        return m;
    }

    /** A node of the routing tree. */
    public static final class Route {
        private final String receiver;
        private List<String> matchers = List.of();
        private List<String> groupBy = List.of();
        private PromDuration groupWait;
        private PromDuration groupInterval;
        private PromDuration repeatInterval;
        private List<Route> children = List.of();

        private Route(String receiver) {
            this.receiver = Check.notBlank("route receiver", receiver);
        }

        public static Route to(String receiver) {
            return new Route(receiver);
        }

        public Route matchers(String... matchers) {
            for (String m : matchers) {
                matcher("route matchers", m);
            }
            this.matchers = List.of(matchers);
            return this;
        }

        public Route groupBy(String... labels) {
            for (String l : labels) {
                Check.labelName("route group_by", l);
            }
            this.groupBy = List.of(labels);
            return this;
        }

        public Route timing(String wait, String interval, String repeat) {
            this.groupWait = PromDuration.parse("group_wait", wait);
            this.groupInterval = PromDuration.parse("group_interval", interval).positive("group_interval");
            this.repeatInterval = PromDuration.parse("repeat_interval", repeat).positive("repeat_interval");
            return this;
        }

        public Route children(List<Route> routes) {
            this.children = List.copyOf(routes);
            return this;
        }

        public PromDuration groupWait() {
            return groupWait == null ? PromDuration.ofSeconds(30) : groupWait;
        }

        public PromDuration groupInterval() {
            return groupInterval == null ? PromDuration.ofSeconds(300) : groupInterval;
        }

        List<String> receivers() {
            List<String> all = new ArrayList<>(List.of(receiver));
            children.forEach(c -> all.addAll(c.receivers()));
            return all;
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("receiver", receiver);
            if (!matchers.isEmpty()) {
                m.put("matchers", matchers);
            }
            if (!groupBy.isEmpty()) {
                m.put("group_by", groupBy);
            }
            if (groupWait != null) {
                m.put("group_wait", groupWait.toString());
                m.put("group_interval", groupInterval.toString());
                m.put("repeat_interval", repeatInterval.toString());
            }
            if (!children.isEmpty()) {
                m.put("routes", children.stream().map(Route::toMap).toList());
            }
            return m;
        }
    }

    /**
     * A receiver: Slack through a webhook URL read from a file, a plain webhook (a dead-man's switch), or
     * none (a null receiver that mutes).
     */
    public record Receiver(String name, String webhookUrlFile, String channel, String webhookUrl) {
        /** https anywhere; plain http only to this machine (a local test profile). */
        private static final Pattern URL = Pattern.compile("(https://[A-Za-z0-9.-]+|http://(127\\.0\\.0\\.1|localhost))(:\\d+)?(/[^\\s\"'{}]*)?");

        public Receiver {
            Check.notBlank("receiver name", name);
        }

        public static Receiver none(String name) {
            return new Receiver(name, null, null, null);
        }

        /** @param webhookUrlFile path of a file holding the webhook URL (Alertmanager's api_url_file) */
        public static Receiver slack(String name, String webhookUrlFile, String channel) {
            Check.urlPath("receiver " + name + " webhook file", webhookUrlFile);
            if (channel == null || !channel.matches("#[a-z0-9][a-z0-9._-]*")) {
                throw Check.bad("receiver " + name + " channel", channel, "a Slack channel looks like #alerts-critical");
            }
            return new Receiver(name, webhookUrlFile, channel, null);
        }

        /**
         * Alertmanager's generic webhook (a JSON POST of the alert group), resolved notifications off: a
         * dead-man's switch counts arrivals. {@code url} is written into alertmanager.yml as given.
         */
        public static Receiver webhook(String name, String url) {
            if (url == null || !URL.matcher(url).matches()) {
                throw Check.bad("receiver " + name + " url", url, "must be an https URL such as https://hc-ping.com/<uuid>");
            }
            return new Receiver(name, null, null, url);
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", name);
            if (webhookUrlFile != null) {
                Map<String, Object> slack = new LinkedHashMap<>();
                slack.put("api_url_file", webhookUrlFile);
                slack.put("channel", channel);
                slack.put("send_resolved", true);
                slack.put("title", "[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }} ({{ .CommonLabels.service }})");
                slack.put("text", "{{ range .Alerts }}{{ .Annotations.summary }}\n{{ .Annotations.description }}\n"
                        + "Runbook: {{ .Annotations.runbook_url }}\n{{ end }}");
                m.put("slack_configs", List.of(slack));
            }
            if (webhookUrl != null) {
                m.put("webhook_configs", List.of(Rendering.ordered("url", webhookUrl, "send_resolved", false)));
            }
            return m;
        }
    }
}
