package dev.o11ycdk.grafana;

import dev.o11ycdk.config.Check;
import dev.o11ycdk.config.Rendering;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Grafana's file provisioning (datasources and the dashboard provider), rendered as YAML. */
public final class GrafanaProvisioning {
    private GrafanaProvisioning() {
    }

    public static String datasourcesYaml(List<Datasource> datasources) {
        if (datasources.stream().filter(Datasource::isDefault).count() != 1) {
            throw Check.bad("datasources", datasources.stream().map(Datasource::name).toList(),
                    "exactly one datasource must be the default");
        }
        Check.unique("datasource uid", datasources.stream().map(Datasource::uid).toList());
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("apiVersion", 1);
        root.put("datasources", datasources.stream().map(Datasource::toMap).toList());
        return Rendering.yaml(root);
    }

    /** A file provider that loads every dashboard JSON under {@code path} into {@code folder}, read-only. */
    public static String dashboardProviderYaml(String folder, String path) {
        Map<String, Object> provider = new LinkedHashMap<>();
        provider.put("name", "o11y-cdk");
        provider.put("folder", Check.notBlank("dashboard folder", folder));
        provider.put("type", "file");
        provider.put("disableDeletion", true);
        provider.put("allowUiUpdates", false);
        provider.put("updateIntervalSeconds", 60);
        provider.put("options", Map.of("path", Check.urlPath("dashboard path", path)));
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("apiVersion", 1);
        root.put("providers", List.of(provider));
        return Rendering.yaml(root);
    }
}
