package dev.o11ycdk.test.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Chart values against Helm's {@code tpl}. The charts run most of their values through it
 * (kube-prometheus-stack's extraManifests, additionalScrapeConfigs, storageSpec and ingress
 * annotations, grafana's grafana.ini and ingress, Alloy's configMap.content, Loki's config), so a
 * "{{" anywhere else is read as template code: the dashboards' legends ("{{namespace}}/{{pod}}") in
 * extraManifests failed the release with: function "namespace" not defined. Deny by default: only
 * the paths a chart hands on with toYaml alone may carry Prometheus' and Alertmanager's own templates.
 */
public final class HelmTpl {
    /**
     * kube-prometheus-stack's paths rendered without tpl: the rule map (templates/prometheus/
     * additionalPrometheusRules.yaml) and Alertmanager's configuration while {@code alertmanager.tplConfig}
     * is unset (templates/alertmanager/secret.yaml).
     */
    public static final List<String> KUBE_PROMETHEUS_STACK_VERBATIM = List.of("additionalPrometheusRulesMap", "alertmanager.config");

    private HelmTpl() {
    }

    /** Each string in {@code values}, outside the {@code verbatim} paths (dotted), that holds a "{{": its path and text. */
    public static List<String> templateCode(Object values, List<String> verbatim) {
        List<String> found = new ArrayList<>();
        walk(values, "", verbatim, found);
        return found;
    }

    private static void walk(Object o, String path, List<String> verbatim, List<String> found) {
        if (verbatim.contains(path)) {
            return;
        }
        String prefix = path.isEmpty() ? "" : path + ".";
        if (o instanceof Map<?, ?> m) {
            m.forEach((k, v) -> walk(v, prefix + k, verbatim, found));
        } else if (o instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) {
                walk(l.get(i), prefix + i, verbatim, found);
            }
        } else if (o instanceof String s && s.contains("{{")) {
            int at = s.indexOf("{{");
            found.add(path + ": ..." + s.substring(Math.max(0, at - 20), Math.min(s.length(), at + 30)) + "...");
        }
    }
}
