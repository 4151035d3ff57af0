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

    private Dashboard(Builder b) {
        this.uid = b.uid;
        this.title = b.title;
        this.tags = List.copyOf(b.tags);
        this.variables = List.copyOf(b.variables);
        this.panels = List.copyOf(b.panels);
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
        root.put("refresh", "30s");
        root.put("time", Rendering.ordered("from", "now-6h", "to", "now"));
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

        /** A query variable such as {@code instance} from {@code label_values(node_uname_info, instance)}. */
        public Builder queryVariable(String name, String query) {
            Check.labelName("dashboard variable", name);
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("name", name);
            v.put("type", "query");
            v.put("datasource", Rendering.ordered("type", "prometheus", "uid", "prometheus"));
            v.put("query", Rendering.ordered("query", query, "refId", "PrometheusVariableQueryEditor-VariableQuery"));
            v.put("refresh", 2);
            v.put("includeAll", true);
            v.put("multi", true);
            v.put("current", Map.of());
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
