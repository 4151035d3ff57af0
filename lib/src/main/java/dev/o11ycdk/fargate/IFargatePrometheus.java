package dev.o11ycdk.fargate;

import dev.o11ycdk.core.ScrapeOptions;
import software.amazon.awscdk.services.ec2.IConnectable;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ecs.BaseService;
import software.amazon.awscdk.services.servicediscovery.INamespace;

/**
 * What a service team's stack needs of the platform's Prometheus, whether it is the live
 * {@link FargatePrometheus} of the same app or one imported from another app with
 * {@link FargatePrometheus#fromPrometheusAttributes} or {@link FargatePrometheus#fromSsm}: its
 * security group (default port 9090), the shared cluster, namespace and VPC, and how to opt a
 * service in. Opting in changes only the service's own stack; the platform's is untouched.
 */
public interface IFargatePrometheus extends IConnectable {
    /** Prometheus' security group; services open their metrics port to it. */
    String getSecurityGroupId();

    /** The platform's ECS cluster: services deployed there are discovered without any platform change. */
    String getClusterName();

    /** The Cloud Map namespace of the platform (e.g. o11y.local). */
    INamespace getNamespace();

    /** http://prometheus.&lt;namespace&gt;:9090, reachable from the VPC's registered services. */
    String getInternalUrl();

    /**
     * The VPC the platform runs in, with the private subnets its services use (one per zone from
     * {@link FargatePrometheus#fromSsm}): what a team's cluster import and service need.
     */
    IVpc getVpc();

    /**
     * Opts a service built in this app (Fargate or EC2 launch type) in, in one call: its container
     * gets the discovery labels, and its security group admits Prometheus on the metrics port. The
     * service is scraped within about a minute of its tasks starting (discovery interval, file
     * re-read, first scrape).
     */
    default ScrapeRegistration scrape(BaseService service, ScrapeOptions options) {
        return Scraping.register(this, service, options);
    }

    /**
     * Opts in a service whose task definition is not in this app (an imported service, or one
     * deployed by another tool): opens {@code network} (its security group) to Prometheus on the
     * metrics port and returns the docker labels its container must carry.
     */
    default ScrapeRegistration scrape(IConnectable network, ScrapeOptions options) {
        return Scraping.register(this, network, options);
    }
}
