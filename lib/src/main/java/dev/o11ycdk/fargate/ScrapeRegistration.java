package dev.o11ycdk.fargate;

import java.util.Map;

/**
 * What {@link IFargatePrometheus#scrape} did: the docker labels that opt the container in (already
 * on it when the call was given the service), and the port it opened to Prometheus.
 */
public final class ScrapeRegistration {
    private final Map<String, String> dockerLabels;
    private final int port;

    ScrapeRegistration(Map<String, String> dockerLabels, int port) {
        this.dockerLabels = Map.copyOf(dockerLabels);
        this.port = port;
    }

    /** The labels the ECS discovery reads; put them on the container yourself when it lives outside this app. */
    public Map<String, String> getDockerLabels() {
        return dockerLabels;
    }

    public int getPort() {
        return port;
    }
}
