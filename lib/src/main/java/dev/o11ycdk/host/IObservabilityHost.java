package dev.o11ycdk.host;

import dev.o11ycdk.core.ScrapeOptions;
import software.amazon.awscdk.services.autoscaling.AutoScalingGroup;
import software.amazon.awscdk.services.ec2.IConnectable;
import software.amazon.awscdk.services.ec2.Instance;

/**
 * What a service team's stack needs of the EC2 o11y host, whether it is the live
 * {@link ObservabilityInstance} of the same app or one imported with {@link ObservabilityInstance#fromSsm}:
 * its security group, and how to opt instances in. The host discovers every running instance that
 * carries the discovery tags ({@link dev.o11ycdk.config.Ec2DiscoveryConfig}), so opting in changes only
 * the team's stack: the host's template and configuration stay as they are.
 */
public interface IObservabilityHost extends IConnectable {
    /** The host's security group; instances open their metrics port to it. */
    String getSecurityGroupId();

    /**
     * Opts an instance of this app in, in one call: it gets the discovery tags (port, path, service,
     * env, team), and its security groups admit the host on the metrics port. It is scraped within
     * about two minutes of running (the host re-reads EC2 every 60 s, then one scrape interval).
     */
    default HostScrapeRegistration scrape(Instance instance, ScrapeOptions options) {
        return HostScraping.register(this, instance, instance, options);
    }

    /** As {@link #scrape(Instance, ScrapeOptions)} for every instance an Auto Scaling group launches (the tags propagate at launch). */
    default HostScrapeRegistration scrape(AutoScalingGroup group, ScrapeOptions options) {
        return HostScraping.register(this, group, group, options);
    }

    /**
     * Opts in instances this app does not create (launched by another tool): opens {@code network}
     * (their security group) to the host on the metrics port and returns the tags they must carry.
     */
    default HostScrapeRegistration scrape(IConnectable network, ScrapeOptions options) {
        return HostScraping.register(this, null, network, options);
    }
}
