package dev.o11ycdk.host;

import java.util.Map;

/**
 * What {@link IObservabilityHost#scrape} did: the EC2 tags that opt the instances in (already on them
 * when the call was given an instance or an Auto Scaling group), and the port it opened to the host.
 */
public final class HostScrapeRegistration {
    private final Map<String, String> tags;
    private final int port;

    HostScrapeRegistration(Map<String, String> tags, int port) {
        this.tags = Map.copyOf(tags);
        this.port = port;
    }

    /** The discovery tags; put them on the instances yourself when they live outside this app. */
    public Map<String, String> getTags() {
        return tags;
    }

    public int getPort() {
        return port;
    }
}
