package dev.o11ycdk.eks;

import dev.o11ycdk.config.Check;
import dev.o11ycdk.config.Rendering;
import dev.o11ycdk.config.ScrapeJob;
import dev.o11ycdk.core.ScrapeOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import static dev.o11ycdk.config.Rendering.ordered;

/**
 * A {@code monitoring.coreos.com/v1} ServiceMonitor as a typed model: one endpoint, the pods' container
 * port ({@code targetPort}) at a metrics path, its relabelings setting the labels every layout gives a
 * service. The operator appends those relabelings after its own ({@code service} and {@code job} from
 * the Service's name, {@code namespace}, {@code pod}, {@code container}, {@code endpoint}), so
 * {@code service} and {@code job} are the scrape name whatever the Service is called.
 */
public final class ServiceMonitor {
    public static final String API_VERSION = "monitoring.coreos.com/v1";
    public static final String KIND = "ServiceMonitor";
    private static final String DNS_LABEL = "[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?";
    private static final String LABEL_NAME = "([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?";
    private static final String LABEL_VALUE = "([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?";

    private final String name;
    private final String namespace;
    private final Map<String, String> selector;
    private final int port;
    private final String path;
    private final Map<String, String> labels;

    private ServiceMonitor(String name, String namespace, Map<String, String> selector, int port, String path,
                           Map<String, String> labels) {
        this.name = name;
        this.namespace = namespace;
        this.selector = selector;
        this.port = port;
        this.path = path;
        this.labels = labels;
    }

    /**
     * The monitor for {@code options} of the Service in {@code namespace} labelled {@code serviceLabels};
     * {@code defaultEnv} is the {@code env} label when the options name none (it may be a deploy-time token).
     */
    public static ServiceMonitor of(String namespace, Map<String, String> serviceLabels, ScrapeOptions options, String defaultEnv) {
        String what = "scrape '" + options.getName() + "'";
        if (!options.getName().matches(DNS_LABEL)) {
            throw Check.bad("scrape name", options.getName(), "on EKS it names a ServiceMonitor: lower-case letters, digits "
                    + "and '-', at most 63, starting and ending with a letter or digit");
        }
        if (namespace == null || !namespace.matches(DNS_LABEL)) {
            throw Check.bad(what + " namespace", namespace, "must be a Kubernetes namespace name (lower-case letters, digits and '-')");
        }
        if (serviceLabels == null || serviceLabels.isEmpty()) {
            throw Check.bad(what + " serviceLabels", serviceLabels == null ? null : "{}", "name at least one label of the "
                    + "Service, or the monitor selects every Service of the namespace");
        }
        serviceLabels.forEach((k, v) -> {
            if (k == null || !k.matches(LABEL_NAME)) {
                throw Check.bad(what + " serviceLabels key", k, "must be a Kubernetes label name such as app.kubernetes.io/name");
            }
            if (v == null || !v.matches(LABEL_VALUE)) {
                throw Check.bad(what + " serviceLabels " + k, v, "must be a Kubernetes label value (at most 63 letters, digits, "
                        + "'-', '_' and '.', starting and ending with a letter or digit)");
            }
        });
        if (options.getContainerName() != null) {
            throw Check.bad(what + " containerName", options.getContainerName(), "names an ECS container; on EKS the monitor "
                    + "scrapes the pods' container port (leave it unset)");
        }
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("service", options.getName());
        labels.put("job", options.getName());
        labels.put("env", options.getEnv() != null ? options.getEnv() : Check.notBlank("environment", defaultEnv));
        if (options.getTeam() != null) {
            labels.put("team", options.getTeam());
        }
        return new ServiceMonitor(options.getName(), namespace, new TreeMap<>(serviceLabels), options.getPort(),
                options.getMetricsPath(), labels);
    }

    public String getName() {
        return name;
    }

    public String getNamespace() {
        return namespace;
    }

    /** The labels every target gets: service, job, env and team (when given). */
    public Map<String, String> getLabels() {
        return Map.copyOf(labels);
    }

    /** The object as the Kubernetes API takes it. */
    public Map<String, Object> toManifest() {
        List<Object> relabelings = new ArrayList<>();
        labels.forEach((label, value) -> relabelings.add(ordered("action", "replace", "targetLabel", label, "replacement", value)));
        return ordered(
                "apiVersion", API_VERSION,
                "kind", KIND,
                "metadata", ordered("name", name, "namespace", namespace,
                        "labels", ordered("app.kubernetes.io/name", name, "app.kubernetes.io/managed-by", "o11y-cdk")),
                "spec", ordered(
                        "selector", ordered("matchLabels", new LinkedHashMap<>(selector)),
                        // A team's /metrics may answer without a Content-Type, which fails a Prometheus 3 scrape otherwise.
                        "fallbackScrapeProtocol", ScrapeJob.ScrapeProtocol.PROMETHEUS_TEXT_0_0_4.toString(),
                        "endpoints", List.of(ordered(
                                "targetPort", port,
                                "path", path,
                                "relabelings", relabelings))));
    }

    /** The object as YAML, for review. */
    public String toYaml() {
        return Rendering.yaml(toManifest());
    }
}
