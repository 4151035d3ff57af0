package dev.o11ycdk;

import dev.o11ycdk.config.Check;

/**
 * An application service Prometheus scrapes: every task behind the Cloud Map name
 * {@code <name>.<namespace>} on {@code port}, at {@code metricsPath}, labelled service and env.
 *
 * @param metricsPath where the service answers in Prometheus text format (seed 004: a JSON health
 *                    endpoint left the target DOWN), e.g. /actuator/prometheus
 */
public record ScrapeTarget(String name, int port, String metricsPath, String env) {
    public ScrapeTarget {
        Check.notBlank("service name", name);
        if (!name.matches("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?")) {
            throw Check.bad("service name", name, "must be a DNS label (lowercase letters, digits, '-') so Cloud Map can register it");
        }
        Check.port("service '" + name + "' port", port);
        Check.urlPath("service '" + name + "' metricsPath", metricsPath == null ? "/metrics" : metricsPath);
        metricsPath = metricsPath == null ? "/metrics" : metricsPath;
        Check.notBlank("service '" + name + "' env", env);
    }
}
