package dev.o11ycdk.test.support;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The scrape configuration the Prometheus operator generates for one endpoint of a ServiceMonitor, as
 * its config generator ({@code pkg/prometheus/promcfg.go}, generateServiceMonitorConfig) lays it out
 * for the default {@code endpoints} discovery role, one shard and no scrape class: job
 * {@code serviceMonitor/<namespace>/<name>/<i>}, the endpoint's path and the monitor's fallback
 * protocol, then the relabelings in the operator's order (the job into {@code __tmp_prometheus_job_name};
 * keep the Service's selected labels, keep the endpoint's port; node, pod, namespace, service, pod,
 * container; drop failed and succeeded pods; job from the Service's name; the endpoint label; then the
 * monitor's own relabelings; the sharding rules, with the config reloader's {@code $(SHARD)} as 0).
 * The operator cannot run here (no cluster): this is the part of its output a monitor decides, written
 * from reading that code, for a real Prometheus to run. Kubernetes discovery, which needs an API
 * server, is replaced by a file of targets carrying the {@code __meta_kubernetes_*} labels the
 * endpoints role gives a pod's address ({@link #endpointTarget}); the operator restricts discovery to
 * the monitor's namespace, so that file holds that namespace's endpoints only.
 */
public final class OperatorScrapeConfig {
    private OperatorScrapeConfig() {
    }

    private static String sanitize(String name) {
        return name.replaceAll("[^a-zA-Z0-9_]", "_");
    }

    private static Map<String, Object> rule(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    /** Endpoint {@code i} of {@code monitor} as the operator writes it, discovering from {@code targetsFile}. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> of(Map<String, Object> monitor, int i, String targetsFile) {
        Map<String, Object> metadata = (Map<String, Object>) monitor.get("metadata");
        Map<String, Object> spec = (Map<String, Object>) monitor.get("spec");
        Map<String, Object> ep = ((List<Map<String, Object>>) spec.get("endpoints")).get(i);
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("job_name", "serviceMonitor/" + metadata.get("namespace") + "/" + metadata.get("name") + "/" + i);
        cfg.put("file_sd_configs", List.of(rule("files", List.of(targetsFile), "refresh_interval", "1s")));
        if (ep.get("path") != null) {
            cfg.put("metrics_path", ep.get("path"));
        }
        List<Map<String, Object>> r = new ArrayList<>();
        r.add(rule("source_labels", List.of("job"), "target_label", "__tmp_prometheus_job_name"));
        Map<String, String> matchLabels = new TreeMap<>((Map<String, String>) ((Map<String, Object>) spec.get("selector"))
                .getOrDefault("matchLabels", Map.of()));
        matchLabels.forEach((k, v) -> r.add(rule("action", "keep",
                "source_labels", List.of("__meta_kubernetes_service_label_" + sanitize(k), "__meta_kubernetes_service_labelpresent_" + sanitize(k)),
                "regex", "(" + v + ");true")));
        if (((Map<String, Object>) spec.get("selector")).containsKey("matchExpressions")) {
            throw new UnsupportedOperationException("matchExpressions: not modelled here");
        }
        Object targetPort = ep.get("targetPort");
        if (ep.get("port") != null) {
            r.add(rule("action", "keep", "source_labels", List.of("__meta_kubernetes_endpoint_port_name"), "regex", ep.get("port")));
        } else if (targetPort instanceof String s) {
            r.add(rule("action", "keep", "source_labels", List.of("__meta_kubernetes_pod_container_port_name"), "regex", s));
        } else if (targetPort instanceof Number n && n.intValue() != 0) {
            r.add(rule("action", "keep", "source_labels", List.of("__meta_kubernetes_pod_container_port_number"), "regex", String.valueOf(n)));
        }
        List<String> address = List.of("__meta_kubernetes_endpoint_address_target_kind", "__meta_kubernetes_endpoint_address_target_name");
        r.add(rule("source_labels", address, "separator", ";", "regex", "Node;(.*)", "replacement", "${1}", "target_label", "node"));
        r.add(rule("source_labels", address, "separator", ";", "regex", "Pod;(.*)", "replacement", "${1}", "target_label", "pod"));
        r.add(rule("source_labels", List.of("__meta_kubernetes_namespace"), "target_label", "namespace"));
        r.add(rule("source_labels", List.of("__meta_kubernetes_service_name"), "target_label", "service"));
        r.add(rule("source_labels", List.of("__meta_kubernetes_pod_name"), "target_label", "pod"));
        r.add(rule("source_labels", List.of("__meta_kubernetes_pod_container_name"), "target_label", "container"));
        r.add(rule("action", "drop", "source_labels", List.of("__meta_kubernetes_pod_phase"), "regex", "(Failed|Succeeded)"));
        r.add(rule("source_labels", List.of("__meta_kubernetes_service_name"), "target_label", "job", "replacement", "${1}"));
        if (spec.get("jobLabel") != null) {
            r.add(rule("source_labels", List.of("__meta_kubernetes_service_label_" + sanitize((String) spec.get("jobLabel"))),
                    "target_label", "job", "regex", "(.+)", "replacement", "${1}"));
        }
        if (ep.get("port") != null) {
            r.add(rule("target_label", "endpoint", "replacement", ep.get("port")));
        } else if (targetPort != null) {
            r.add(rule("target_label", "endpoint", "replacement", String.valueOf(targetPort)));
        }
        for (Map<String, Object> own : (List<Map<String, Object>>) ep.getOrDefault("relabelings", List.of())) {
            Map<String, Object> out = new LinkedHashMap<>();
            if (own.get("sourceLabels") != null) {
                out.put("source_labels", own.get("sourceLabels"));
            }
            if (own.get("separator") != null) {
                out.put("separator", own.get("separator"));
            }
            if (own.get("targetLabel") != null) {
                out.put("target_label", own.get("targetLabel"));
            }
            if (own.get("regex") != null) {
                out.put("regex", own.get("regex"));
            }
            if (own.get("modulus") != null) {
                out.put("modulus", own.get("modulus"));
            }
            if (own.get("replacement") != null) {
                out.put("replacement", own.get("replacement"));
            }
            if (own.get("action") != null) {
                out.put("action", String.valueOf(own.get("action")).toLowerCase(java.util.Locale.ROOT));
            }
            r.add(out);
        }
        r.add(rule("source_labels", List.of("__address__", "__tmp_hash"), "target_label", "__tmp_hash", "regex", "(.+);",
                "replacement", "$1", "action", "replace"));
        r.add(rule("source_labels", List.of("__tmp_hash"), "target_label", "__tmp_hash", "modulus", 1, "action", "hashmod"));
        r.add(rule("source_labels", List.of("__tmp_hash", "__tmp_disable_sharding"), "regex", "0;|.+;.+", "action", "keep"));
        cfg.put("relabel_configs", r);
        if (spec.get("fallbackScrapeProtocol") != null) {
            cfg.put("fallback_scrape_protocol", spec.get("fallbackScrapeProtocol"));
        }
        return cfg;
    }

    /**
     * One address of a Service's Endpoints as Kubernetes discovery's endpoints role labels it: the
     * Service (its name and labels), the endpoint port's name, the backing pod (name, phase, the
     * container and its port) and readiness.
     */
    public static Map<String, Object> endpointTarget(String address, String namespace, String service, Map<String, String> serviceLabels,
                                                     String portName, String pod, String phase, String container, int containerPort) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("__meta_kubernetes_namespace", namespace);
        labels.put("__meta_kubernetes_service_name", service);
        serviceLabels.forEach((k, v) -> {
            labels.put("__meta_kubernetes_service_label_" + sanitize(k), v);
            labels.put("__meta_kubernetes_service_labelpresent_" + sanitize(k), "true");
        });
        labels.put("__meta_kubernetes_endpoint_port_name", portName);
        labels.put("__meta_kubernetes_endpoint_port_protocol", "TCP");
        labels.put("__meta_kubernetes_endpoint_ready", "true");
        labels.put("__meta_kubernetes_endpoint_address_target_kind", "Pod");
        labels.put("__meta_kubernetes_endpoint_address_target_name", pod);
        labels.put("__meta_kubernetes_pod_name", pod);
        labels.put("__meta_kubernetes_pod_phase", phase);
        labels.put("__meta_kubernetes_pod_container_name", container);
        labels.put("__meta_kubernetes_pod_container_port_number", String.valueOf(containerPort));
        labels.put("__meta_kubernetes_pod_container_port_protocol", "TCP");
        return Map.of("targets", List.of(address), "labels", labels);
    }
}
