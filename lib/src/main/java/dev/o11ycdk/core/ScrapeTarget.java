package dev.o11ycdk.core;

import dev.o11ycdk.config.Check;

/**
 * A service the platform names in its own settings: every task of the ECS service {@code name} in
 * the discovered clusters, scraped on container port {@code port} at {@code metricsPath}, labelled
 * service and env. Services that join from their own apps use their layout's {@code scrape} call.
 *
 * @param metricsPath where the service answers in Prometheus text format (seed 004: a JSON health
 *                    endpoint left the target DOWN), e.g. /actuator/prometheus
 */
public record ScrapeTarget(String name, int port, String metricsPath, String env) {
    public ScrapeTarget {
        Check.notBlank("service name", name);
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9_-]{0,254}")) {
            throw Check.bad("service name", name, "must be an ECS service name (letters, digits, '-' and '_')");
        }
        Check.port("service '" + name + "' port", port);
        Check.urlPath("service '" + name + "' metricsPath", metricsPath == null ? "/metrics" : metricsPath);
        metricsPath = metricsPath == null ? "/metrics" : metricsPath;
        Check.notBlank("service '" + name + "' env", env);
    }
}
