package dev.o11ycdk.host;

import dev.o11ycdk.config.Check;
import dev.o11ycdk.config.Ec2DiscoveryConfig;
import dev.o11ycdk.core.Ports;
import dev.o11ycdk.core.ScrapeOptions;
import java.util.Map;
import software.amazon.awscdk.Tags;
import software.amazon.awscdk.services.ec2.IConnectable;
import software.amazon.awscdk.services.ec2.Port;
import software.constructs.IConstruct;

/**
 * The one call a team makes on the EC2 layout: discovery tags on its instances (an Auto Scaling
 * group propagates them at launch) and a rule on its own security group admitting the host. Every
 * resource lands in the team's stack: the host's security group is only referenced.
 */
final class HostScraping {
    /** The construct metadata that marks an instance or group as scraped, with the scrape's name. */
    private static final String SCRAPED = "o11y-cdk:scrape";
    private HostScraping() {
    }

    static HostScrapeRegistration register(IObservabilityHost host, IConstruct tagged, IConnectable network, ScrapeOptions options) {
        if (options.getContainerName() != null) {
            throw Check.bad("scrape '" + options.getName() + "' containerName", options.getContainerName(),
                    "names an ECS container; the EC2 host scrapes the instance itself (leave it unset)");
        }
        Map<String, String> tags = Ec2DiscoveryConfig.tags(options.getName(), options.getPort(), options.getMetricsPath(),
                options.getEnv(), options.getTeam());
        if (tagged != null) {
            // On the instance or the group itself, not on the roles and security groups beside it.
            IConstruct resource = tagged.getNode().getDefaultChild() != null ? tagged.getNode().getDefaultChild() : tagged;
            // One set of discovery tags an instance: a second scrape would overwrite the first's port and path.
            String first = resource.getNode().getMetadata().stream().filter(m -> SCRAPED.equals(m.getType()))
                    .map(m -> String.valueOf(m.getData())).findFirst().orElse(null);
            if (first != null) {
                throw Check.bad("scrape '" + options.getName() + "' of " + tagged.getNode().getPath(), options.getName(), "is already "
                        + "scraped as '" + first + "'; an instance carries one set of discovery tags (one port and path): serve both "
                        + "on one port, or scrape the second with scrape(securityGroup, options) and a job of your own");
            }
            resource.getNode().addMetadata(SCRAPED, options.getName());
            tags.forEach((k, v) -> Tags.of(resource).add(k, v));
        }
        network.getConnections().allowFrom(host, Port.tcp(options.getPort()), "o11y host scrape of " + options.getName());
        if (options.isAllowQueries()) {
            network.getConnections().allowTo(host, Port.tcp(Ports.PROMETHEUS), "Prometheus queries from " + options.getName());
        }
        return new HostScrapeRegistration(tags, options.getPort());
    }
}
