package dev.o11ycdk.grafana;

import dev.o11ycdk.config.Check;
import dev.o11ycdk.config.Rendering;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Grafana dashboard as code: a stable {@code uid} (links and bookmarks survive redeploys),
 * panels laid out two per row, every PromQL expression reachable through {@link #expressions()}
 * so tests can syntax-check it with promtool.
 */
public final class Dashboard {
    private final String uid;
    private final String title;
    private final List<String> tags;
    private final List<Map<String, Object>> variables;
    private final List<Panel> panels;
    private final String from;
    private final String refresh;

    /**
     * What a dashboard opens on unless it says otherwise: the last hour, refreshed every minute. The
     * recorded series change once per evaluation (15 s): a shorter refresh re-reads the same points.
     * bench/dashboards.sh measures the panels over this range at 5, 100 and 1,000 services.
     */
    public static final String DEFAULT_FROM = "now-1h";
    /** @see #DEFAULT_FROM */
    public static final String DEFAULT_REFRESH = "1m";
    /**
     * What "All" of a variable stands for in a query: every non-empty value, as one regex that
     * Prometheus matches without a list. Without it Grafana writes out every value
     * ({@code (svc-0001|svc-0002|...)}, 1,000 of them at fleet size).
     */
    public static final String ALL_VALUE = ".+";
    /**
     * Every panel's "Min interval" (Grafana's {@code interval}): its step is never shorter than a minute,
     * the recording rules' shortest window ({@link DashboardRules#window}), so a step reads a window of
     * its own rather than four overlapping ones. At 1,000 services a query of the last hour reads a
     * quarter of the points a 15 s step reads; {@code $__rate_interval} stays on the datasource's
     * scrape interval (Grafana takes a query's own "Min step" there, not the panel's).
     */
    public static final String MIN_INTERVAL = "1m";

    private Dashboard(Builder b) {
        this.uid = b.uid;
        this.title = b.title;
        this.tags = List.copyOf(b.tags);
        this.variables = List.copyOf(b.variables);
        this.panels = List.copyOf(b.panels);
        this.from = b.from;
        this.refresh = b.refresh;
    }

    public static Builder builder(String uid, String title) {
        return new Builder(uid, title);
    }

    public String getUid() {
        return uid;
    }

    public String getTitle() {
        return title;
    }

    public List<Panel> getPanels() {
        return panels;
    }

    /** Every PromQL expression of every panel, for validation. */
    public List<String> expressions() {
        return panels.stream().flatMap(p -> p.targets().stream()).map(Target::expr).toList();
    }

    public String toJson() {
        return Rendering.json(toMap());
    }

    private Map<String, Object> toMap() {
        List<Map<String, Object>> renderedPanels = new ArrayList<>();
        int id = 1;
        int y = 0;
        for (int i = 0; i < panels.size(); i++) {
            Panel p = panels.get(i);
            int x = (i % 2) * 12;
            if (i > 0 && i % 2 == 0) {
                y += 8;
            }
            renderedPanels.add(p.toMap(id++, x, y));
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("uid", uid);
        root.put("title", title);
        root.put("tags", tags);
        root.put("timezone", "browser");
        root.put("schemaVersion", 39);
        root.put("version", 1);
        root.put("editable", false);
        root.put("refresh", refresh);
        root.put("time", Rendering.ordered("from", from, "to", "now"));
        root.put("templating", Map.of("list", variables));
        root.put("panels", renderedPanels);
        return root;
    }

    /** One query of a panel. */
    public record Target(String expr, String legend) {
        public Target {
            Check.notBlank("panel expr", expr);
        }
    }

    /** A panel: {@code type} is timeseries or stat; {@code unit} is a Grafana unit id (percentunit, bytes, s, ...). */
    public record Panel(String title, String type, String unit, List<Target> targets) {
        public Panel {
            Check.notBlank("panel title", title);
            if (targets == null || targets.isEmpty()) {
                throw Check.bad("panel '" + title + "' targets", "[]", "a panel needs at least one query");
            }
            targets = List.copyOf(targets);
        }

        public static Panel timeseries(String title, String unit, Target... targets) {
            return new Panel(title, "timeseries", unit, List.of(targets));
        }

        public static Panel stat(String title, String unit, Target... targets) {
            return new Panel(title, "stat", unit, List.of(targets));
        }

        Map<String, Object> toMap(int id, int x, int y) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", id);
            m.put("type", type);
            m.put("title", title);
            m.put("datasource", Rendering.ordered("type", "prometheus", "uid", "prometheus"));
            m.put("interval", MIN_INTERVAL);
            m.put("gridPos", Rendering.ordered("h", 8, "w", 12, "x", x, "y", y));
            m.put("fieldConfig", Rendering.ordered("defaults", Map.of("unit", unit), "overrides", List.of()));
            List<Map<String, Object>> t = new ArrayList<>();
            char ref = 'A';
            for (Target target : targets) {
                Map<String, Object> tm = new LinkedHashMap<>();
                tm.put("refId", String.valueOf(ref++));
                tm.put("expr", target.expr());
                tm.put("legendFormat", target.legend() == null ? "__auto" : target.legend());
                t.add(tm);
            }
            m.put("targets", t);
            return m;
        }
    }

    public static final class Builder {
        private final String uid;
        private final String title;
        private final List<String> tags = new ArrayList<>();
        private final List<Map<String, Object>> variables = new ArrayList<>();
        private final List<Panel> panels = new ArrayList<>();
        private String from = DEFAULT_FROM;
        private String refresh = DEFAULT_REFRESH;

        private Builder(String uid, String title) {
            Check.notBlank("dashboard uid", uid);
            if (uid.length() > 40 || !uid.matches("[a-zA-Z0-9_-]+")) {
                throw Check.bad("dashboard uid", uid, "use at most 40 letters, digits, '-' or '_'");
            }
            this.uid = uid;
            this.title = Check.notBlank("dashboard title", title);
        }

        public Builder tags(String... tags) {
            this.tags.addAll(List.of(tags));
            return this;
        }

        /**
         * The range the dashboard opens on, as Grafana writes it ({@code now-1h}) up to now, and how often it
         * refreshes ({@code 1m}). @default {@link #DEFAULT_FROM}, {@link #DEFAULT_REFRESH}
         */
        public Builder timeRange(String from, String refresh) {
            if (!Check.notBlank("dashboard time from", from).matches("now-\\d+[smhdw]")) {
                throw Check.bad("dashboard '" + uid + "' time from", from, "write it as Grafana does, e.g. now-1h");
            }
            if (!Check.notBlank("dashboard refresh", refresh).matches("\\d+[smhd]")) {
                throw Check.bad("dashboard '" + uid + "' refresh", refresh, "write it as Grafana does, e.g. 1m");
            }
            this.from = from;
            this.refresh = refresh;
            return this;
        }

        /**
         * A query variable such as {@code instance} from {@code label_values(node_uname_info, instance)}:
         * any number of values, "All" by default, which stands for {@link #ALL_VALUE}. Panels match it
         * with {@code =~}: Grafana writes several values as a regex.
         */
        public Builder queryVariable(String name, String query) {
            Check.labelName("dashboard variable", name);
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("name", name);
            v.put("type", "query");
            v.put("datasource", Rendering.ordered("type", "prometheus", "uid", "prometheus"));
            v.put("query", Rendering.ordered("query", query, "refId", "PrometheusVariableQueryEditor-VariableQuery"));
            v.put("refresh", 2);
            v.put("includeAll", true);
            v.put("allValue", ALL_VALUE);
            v.put("multi", true);
            v.put("sort", 1);
            // Opens on "All", stated rather than left to Grafana's choice of the first option.
            v.put("current", Rendering.ordered("selected", true, "text", List.of("All"), "value", List.of("$__all")));
            variables.add(v);
            return this;
        }

        public Builder panel(Panel panel) {
            panels.add(panel);
            return this;
        }

        public Dashboard build() {
            if (panels.isEmpty()) {
                throw Check.bad("dashboard '" + uid + "' panels", "[]", "a dashboard needs at least one panel");
            }
            return new Dashboard(this);
        }
    }
}
