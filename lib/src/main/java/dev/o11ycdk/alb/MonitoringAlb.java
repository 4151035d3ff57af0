package dev.o11ycdk.alb;

import dev.o11ycdk.config.Check;
import dev.o11ycdk.core.Suppressions;
import dev.o11ycdk.core.internal.Regions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.services.certificatemanager.Certificate;
import software.amazon.awscdk.services.certificatemanager.CertificateValidation;
import software.amazon.awscdk.services.certificatemanager.ICertificate;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.ec2.Connections;
import software.amazon.awscdk.services.ec2.IConnectable;
import software.amazon.awscdk.services.ec2.Peer;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationListener;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationListenerRule;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationLoadBalancer;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationProtocol;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationProtocolVersion;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationTargetGroup;
import software.amazon.awscdk.services.elasticloadbalancingv2.BaseApplicationListenerProps;
import software.amazon.awscdk.services.elasticloadbalancingv2.HealthCheck;
import software.amazon.awscdk.services.elasticloadbalancingv2.IApplicationListener;
import software.amazon.awscdk.services.elasticloadbalancingv2.IApplicationLoadBalancer;
import software.amazon.awscdk.services.elasticloadbalancingv2.ListenerAction;
import software.amazon.awscdk.services.elasticloadbalancingv2.ListenerCertificate;
import software.amazon.awscdk.services.elasticloadbalancingv2.ListenerCondition;
import software.amazon.awscdk.services.elasticloadbalancingv2.Protocol;
import software.amazon.awscdk.services.elasticloadbalancingv2.RedirectOptions;
import software.amazon.awscdk.services.route53.ARecord;
import software.amazon.awscdk.services.route53.RecordTarget;
import software.amazon.awscdk.services.route53.targets.LoadBalancerTarget;
import software.constructs.Construct;

/**
 * The HTTPS entry point of the platform: an internet-facing ALB (or another stack's HTTPS
 * listener), a wildcard certificate, host-header rules per service, alias records and
 * target-group alarms.
 *
 * <pre>{@code
 * MonitoringAlb alb = new MonitoringAlb(this, "Alb", MonitoringAlbProps.builder()
 *     .vpc(vpc).domainName("o11y.example.com").hostedZone(zone).build());
 * alb.addHostRoute("Grafana", HostRouteOptions.builder().subdomain("grafana").port(3000)
 *     .healthCheckPath("/api/health").priority(5).targets(List.of(target)).build());
 * }</pre>
 */
public class MonitoringAlb extends Construct implements IConnectable {
    public static final int HTTPS_PORT = 443;
    public static final int MIN_PRIORITY = 1;
    public static final int MAX_PRIORITY = 50_000;

    private final MonitoringAlbProps props;
    private final IApplicationLoadBalancer loadBalancer;
    private final IApplicationListener listener;
    private final Connections connections;
    private final Map<Integer, String> priorities = new TreeMap<>();
    private final List<HostRoute> routes = new ArrayList<>();
    private final RouteAlarms alarms;

    public MonitoringAlb(Construct scope, String id, MonitoringAlbProps props) {
        super(scope, id);
        this.props = props;
        Check.notBlank(id + ".domainName", props.getDomainName());
        if (!props.getDomainName().matches("([a-z0-9]([a-z0-9-]*[a-z0-9])?\\.)+[a-z]{2,}")) {
            throw Check.bad("domainName", props.getDomainName(), "must be a lowercase DNS name such as o11y.example.com");
        }
        props.getAllowedCidrs().forEach(c -> Check.ipv4Cidr("allowedCidrs", c));
        for (int p : props.getExistingRulePriorities()) {
            checkPriorityRange("existingRulePriorities", p);
            priorities.put(p, "an existing rule (existingRulePriorities)");
        }

        String fullName;
        if (props.getExistingListener() != null || props.getExistingLoadBalancer() != null) {
            if (props.getExistingListener() == null || props.getExistingLoadBalancer() == null) {
                throw Check.bad("existingListener/existingLoadBalancer", "only one given",
                        "to reuse another stack's ALB give both its load balancer and its HTTPS listener");
            }
            this.loadBalancer = props.getExistingLoadBalancer();
            this.listener = props.getExistingListener();
            this.connections = httpsConnections(loadBalancer.getConnections());
            fullName = fullNameFromArn(loadBalancer.getLoadBalancerArn());
        } else {
            Regions.require(this, "MonitoringAlb"); // ALB access logs are delivered by the region's ELB account
            ApplicationLoadBalancer alb = ApplicationLoadBalancer.Builder.create(this, "Resource")
                    .vpc(props.getVpc())
                    .internetFacing(true)
                    .vpcSubnets(SubnetSelection.builder().subnetType(SubnetType.PUBLIC).build())
                    .dropInvalidHeaderFields(true)
                    .deletionProtection(props.isDeletionProtection())
                    .build();
            alb.logAccessLogs(props.getAccessLogBucket() != null ? props.getAccessLogBucket() : AccessLogBucket.create(this), "alb");
            ICertificate certificate = certificate();
            ApplicationListener https = alb.addListener("Https", BaseApplicationListenerProps.builder()
                    .port(HTTPS_PORT)
                    .protocol(ApplicationProtocol.HTTPS)
                    .certificates(List.of(ListenerCertificate.fromCertificateManager(certificate)))
                    .sslPolicy(props.getSslPolicy())
                    .open(false)
                    .defaultAction(ListenerAction.fixedResponse(404, software.amazon.awscdk.services.elasticloadbalancingv2.FixedResponseOptions.builder()
                            .contentType("text/plain").messageBody("Not found").build()))
                    .build());
            alb.addListener("HttpRedirect", BaseApplicationListenerProps.builder()
                    .port(80)
                    .protocol(ApplicationProtocol.HTTP)
                    .open(false)
                    .defaultAction(ListenerAction.redirect(RedirectOptions.builder()
                            .protocol("HTTPS").port(String.valueOf(HTTPS_PORT)).permanent(true).build()))
                    .build());
            for (String cidr : props.getAllowedCidrs()) {
                alb.getConnections().allowFrom(Peer.ipv4(cidr), Port.tcp(HTTPS_PORT), "HTTPS from " + cidr);
                alb.getConnections().allowFrom(Peer.ipv4(cidr), Port.tcp(80), "HTTP redirect from " + cidr);
            }
            if (props.getAllowedCidrs().contains("0.0.0.0/0")) {
                Suppressions.suppress(alb, true, Suppressions.CdkNag.of("AwsSolutions-EC23", "The monitoring endpoints are public on purpose (allowedCidrs = 0.0.0.0/0): TLS on 443, "
                                + "80 only redirects; Grafana enforces login; unauthenticated routes (Prometheus) get their own "
                                + "source-ip limit or a synth warning. Narrow allowedCidrs to office/VPN ranges to close it."));
            }
            this.loadBalancer = alb;
            this.listener = https;
            this.connections = httpsConnections(alb.getConnections());
            fullName = alb.getLoadBalancerFullName();
        }
        this.alarms = new RouteAlarms(this, fullName, props.getAlarmAction());
        getNode().addValidation(new software.constructs.IValidation() {
            @Override
            public List<String> validate() {
                return ListenerRuleConflicts.check(MonitoringAlb.this, listener, routes);
            }
        });
    }

    /** The load balancer's security groups with HTTPS as the default port ({@code allowDefaultPortFrom}). */
    private static Connections httpsConnections(Connections lb) {
        return new Connections(software.amazon.awscdk.services.ec2.ConnectionsProps.builder()
                .securityGroups(lb.getSecurityGroups()).defaultPort(Port.tcp(HTTPS_PORT)).build());
    }

    private ICertificate certificate() {
        if (props.getCertificate() != null) {
            return props.getCertificate();
        }
        if (props.getHostedZone() == null) {
            throw Check.bad("certificate", null, "give an existing certificate, or a hostedZone so a DNS-validated "
                    + "*." + props.getDomainName() + " certificate can be issued");
        }
        return Certificate.Builder.create(this, "Certificate")
                .domainName("*." + props.getDomainName())
                .validation(CertificateValidation.fromDns(props.getHostedZone()))
                .build();
    }

    /**
     * Adds {@code <subdomain>.<domain>} → target group on {@code port}, with the seed's health
     * check (healthy 2, unhealthy 2, timeout 5 s, interval 30 s), an alias record and alarms.
     */
    public HostRoute addHostRoute(String id, HostRouteOptions options) {
        String setting = id + ".priority";
        String sub = Check.notBlank(id + ".subdomain", options.getSubdomain());
        if (!sub.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?")) {
            throw Check.bad(id + ".subdomain", sub, "must be one lowercase DNS label such as grafana");
        }
        Check.port(id + ".port", options.getPort());
        Check.urlPath(id + ".healthCheckPath", options.getHealthCheckPath());
        int priority = options.getPriority();
        checkPriorityRange(setting, priority);
        String owner = priorities.get(priority);
        if (owner != null) {
            throw Check.bad(setting, priority, "collides with " + owner + "; " + freeHint());
        }
        int firstExisting = props.getExistingRulePriorities().stream().mapToInt(Integer::intValue).min().orElse(Integer.MAX_VALUE);
        if (priority > firstExisting) {
            // The seed's lesson: Grafana and Prometheus use /api/*, so a path rule at 10 would steal their traffic.
            throw Check.bad(setting, priority, "comes after existing rule " + firstExisting
                    + " (e.g. /api/*), which would capture this host's requests; " + freeHint());
        }
        priorities.put(priority, "route " + id);

        String hostName = sub + "." + props.getDomainName();
        ApplicationTargetGroup.Builder tg = ApplicationTargetGroup.Builder.create(this, id + "Targets")
                .vpc(props.getVpc())
                .port(options.getPort())
                .protocol(ApplicationProtocol.HTTP)
                .protocolVersion(ApplicationProtocolVersion.HTTP1)
                .deregistrationDelay(Duration.seconds(30))
                .healthCheck(HealthCheck.builder()
                        .enabled(true)
                        .protocol(Protocol.HTTP)
                        .path(options.getHealthCheckPath())
                        .port("traffic-port")
                        .healthyHttpCodes("200")
                        .healthyThresholdCount(2)
                        .unhealthyThresholdCount(2)
                        .timeout(Duration.seconds(5))
                        .interval(Duration.seconds(30))
                        .build());
        if (!options.getTargets().isEmpty()) {
            tg.targets(options.getTargets());
        }
        if (options.getTargetType() != null) {
            tg.targetType(options.getTargetType());
        }
        ApplicationTargetGroup targetGroup = tg.build();
        options.getSourceCidrs().forEach(c -> Check.ipv4Cidr(id + ".sourceCidrs", c));
        List<ListenerCondition> conditions = new ArrayList<>(List.of(ListenerCondition.hostHeaders(List.of(hostName))));
        if (!options.getSourceCidrs().isEmpty()) {
            conditions.add(ListenerCondition.sourceIps(options.getSourceCidrs()));
        }
        List<String> reach = !options.getSourceCidrs().isEmpty() ? options.getSourceCidrs()
                : props.getExistingListener() != null ? List.of("0.0.0.0/0") : props.getAllowedCidrs();
        if (!options.isAuthenticated() && reach.contains("0.0.0.0/0")) {
            Annotations.of(this).addWarningV2("@o11y-cdk/alb:unauthenticatedRoute:" + id, "Route " + id + " (" + hostName
                    + ") has no authentication and is reachable from 0.0.0.0/0: anyone can read its data. Limit it with "
                    + "sourceCidrs (setting prometheusAllowedCidrs) or allowedCidrs.");
        }
        ApplicationListenerRule rule = ApplicationListenerRule.Builder.create(this, id + "Rule")
                .listener(listener)
                .priority(priority)
                .conditions(conditions)
                .action(ListenerAction.forward(List.of(targetGroup)))
                .build();
        if (props.getHostedZone() != null) {
            ARecord.Builder.create(this, id + "Record")
                    .zone(props.getHostedZone())
                    .recordName(hostName)
                    .target(RecordTarget.fromAlias(new LoadBalancerTarget(loadBalancer)))
                    .build();
        }
        HostRoute route = new HostRoute(id, hostName, priority, targetGroup, rule, alarms.add(id, targetGroup));
        routes.add(route);
        return route;
    }

    /** An AWS/ApplicationELB metric of {@code tg} (e.g. RequestCount, the seed's verification list). */
    public Metric metric(ApplicationTargetGroup tg, String metricName, String statistic) {
        return alarms.metric(tg, metricName, statistic);
    }

    private String freeHint() {
        int firstExisting = props.getExistingRulePriorities().stream().mapToInt(Integer::intValue).min().orElse(MAX_PRIORITY + 1);
        List<Integer> free = new ArrayList<>();
        for (int p = MIN_PRIORITY; p < firstExisting && free.size() < 3; p++) {
            if (!priorities.containsKey(p)) {
                free.add(p);
            }
        }
        return free.isEmpty() ? "no free priority before the existing rules" : "free priorities include " + free
                + (firstExisting <= MAX_PRIORITY ? " (pick 1-" + (firstExisting - 1) + ")" : "");
    }

    private static void checkPriorityRange(String setting, int priority) {
        Check.range(setting, priority, MIN_PRIORITY, MAX_PRIORITY);
    }

    /** "app/name/id" from an ALB ARN, the LoadBalancer dimension of AWS/ApplicationELB. */
    private static String fullNameFromArn(String arn) {
        List<String> parts = Fn.split("/", arn, 4);
        return Fn.join("/", List.of(Fn.select(1, parts), Fn.select(2, parts), Fn.select(3, parts)));
    }

    @Override
    public Connections getConnections() {
        return connections;
    }

    public IApplicationLoadBalancer getLoadBalancer() {
        return loadBalancer;
    }

    public IApplicationListener getListener() {
        return listener;
    }

    public String getDomainName() {
        return props.getDomainName();
    }

    public List<HostRoute> getRoutes() {
        return List.copyOf(routes);
    }
}
