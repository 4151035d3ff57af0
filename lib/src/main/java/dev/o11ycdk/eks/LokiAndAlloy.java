package dev.o11ycdk.eks;

import java.util.List;
import java.util.Map;
import static dev.o11ycdk.config.Rendering.ordered;

/**
 * The log side's values, as a pure function of its inputs: Loki as a single binary on one volume,
 * and Alloy on every node shipping its pods' logs to Loki's gateway.
 *
 * @param namespace     where Loki's gateway answers
 * @param environment   the {@code env} label on every log line
 * @param retentionDays how long Loki keeps logs
 */
record LokiAndAlloy(String namespace, String environment, String storageClass, int lokiVolumeGiB, long retentionDays) {
    /**
     * Loki's chart after it left grafana/helm-charts (from 7.0 grafana/loki is Grafana's Enterprise
     * chart): the community's, grafana-community/helm-charts.
     */
    static final String LOKI_REPOSITORY = "https://grafana-community.github.io/helm-charts";
    /** Named, not derived: the chart's helpers name it per component and mode, and an identity association must match it. */
    static final String LOKI_SERVICE_ACCOUNT = "loki";

    /** Loki's gateway inside the cluster: Alloy pushes to it, Grafana reads from it. */
    String lokiUrl() {
        return "http://loki-gateway." + namespace + ".svc.cluster.local";
    }

    Map<String, Object> lokiValues() {
        return ordered(
                // The community chart's name for one binary (SingleBinary is its deprecated alias).
                "deploymentMode", "Monolithic",
                "serviceAccount", ordered("create", true, "name", LOKI_SERVICE_ACCOUNT),
                "loki", ordered(
                        "auth_enabled", false,
                        "commonConfig", ordered("replication_factor", 1),
                        "storage", ordered("type", "filesystem"),
                        "schemaConfig", ordered("configs", List.of(ordered(
                                "from", "2024-04-01", "store", "tsdb", "object_store", "filesystem", "schema", "v13",
                                "index", ordered("prefix", "loki_index_", "period", "24h")))),
                        "limits_config", ordered("retention_period", retentionDays * 24 + "h"),
                        "compactor", ordered("retention_enabled", true, "delete_request_store", "filesystem")),
                "singleBinary", ordered(
                        "replicas", 1,
                        "persistence", ordered("enabled", true, "storageClass", storageClass, "size", lokiVolumeGiB + "Gi"),
                        "resources", ClusterObjects.resources("100m", 512, 1024)),
                "read", ordered("replicas", 0),
                "write", ordered("replicas", 0),
                "backend", ordered("replicas", 0),
                "chunksCache", ordered("enabled", false),
                "resultsCache", ordered("enabled", false),
                "lokiCanary", ordered("enabled", false),
                "test", ordered("enabled", false),
                "minio", ordered("enabled", false),
                "gateway", ordered("enabled", true));
    }

    Map<String, Object> alloyValues() {
        return ordered(
                "controller", ordered("type", "daemonset"),
                "alloy", ordered(
                        "configMap", ordered("create", true, "content", alloyConfig()),
                        "extraEnv", List.of(ordered("name", "NODE_NAME",
                                "valueFrom", ordered("fieldRef", ordered("fieldPath", "spec.nodeName")))),
                        "resources", ClusterObjects.resources("50m", 128, 256)));
    }

    /**
     * Alloy as a DaemonSet, each pod tailing the containers of its own node through the API server
     * ({@code loki.source.kubernetes}): no hostPath and no root, unlike seed 003's Promtail; namespace,
     * pod, container and app become labels, env a static one.
     */
    String alloyConfig() {
        String env = environment.replace("\\", "\\\\").replace("\"", "\\\"");
        return String.join("\n",
                "discovery.kubernetes \"pods\" {",
                "  role = \"pod\"",
                "  selectors {",
                "    role  = \"pod\"",
                "    field = \"spec.nodeName=\" + sys.env(\"NODE_NAME\")",
                "  }",
                "}",
                "",
                "discovery.relabel \"pods\" {",
                "  targets = discovery.kubernetes.pods.targets",
                "  rule {",
                "    source_labels = [\"__meta_kubernetes_namespace\"]",
                "    target_label  = \"namespace\"",
                "  }",
                "  rule {",
                "    source_labels = [\"__meta_kubernetes_pod_name\"]",
                "    target_label  = \"pod\"",
                "  }",
                "  rule {",
                "    source_labels = [\"__meta_kubernetes_pod_container_name\"]",
                "    target_label  = \"container\"",
                "  }",
                "  rule {",
                "    source_labels = [\"__meta_kubernetes_pod_label_app_kubernetes_io_name\"]",
                "    target_label  = \"app\"",
                "  }",
                "}",
                "",
                "loki.source.kubernetes \"pods\" {",
                "  targets    = discovery.relabel.pods.output",
                "  forward_to = [loki.process.env.receiver]",
                "}",
                "",
                "loki.process \"env\" {",
                "  stage.static_labels {",
                "    values = { env = \"" + env + "\" }",
                "  }",
                "  forward_to = [loki.write.loki.receiver]",
                "}",
                "",
                "loki.write \"loki\" {",
                "  endpoint {",
                "    url = \"" + lokiUrl() + "/loki/api/v1/push\"",
                "  }",
                "}",
                "");
    }
}
