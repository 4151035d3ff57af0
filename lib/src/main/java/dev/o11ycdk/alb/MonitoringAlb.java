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
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Token;
import software.amazon.awscdk.services.certificatemanager.Certificate;
import software.amazon.awscdk.services.certificatemanager.CertificateValidation;
import software.amazon.awscdk.services.certificatemanager.ICertificate;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
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
import software.amazon.awscdk.services.route53.IHostedZone;
import software.amazon.awscdk.services.route53.RecordTarget;
import software.amazon.awscdk.services.route53.targets.LoadBalancerTarget;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.CfnBucket;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;
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
    private final String loadBalancerFullName;
    private final Map<Integer, String> priorities = new TreeMap<>();
    private final List<HostRoute> routes = new ArrayList<>();
    private software.amazon.awscdk.services.cloudwatch.Dashboard dashboard;

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

        if (props.getExistingListener() != null || props.getExistingLoadBalancer() != null) {
            if (props.getExistingListener() == null || props.getExistingLoadBalancer() == null) {
                throw Check.bad("existingListener/existingLoadBalancer", "only one given",
                        "to reuse another stack's ALB give both its load balancer and its HTTPS listener");
            }
            this.loadBalancer = props.getExistingLoadBalancer();
            this.listener = props.getExistingListener();
            this.connections = httpsConnections(loadBalancer.getConnections());
            this.loadBalancerFullName = fullNameFromArn(loadBalancer.getLoadBalancerArn());
        } else {
            Regions.require(this, "MonitoringAlb"); // ALB access logs are delivered by the region's ELB account
            ApplicationLoadBalancer alb = ApplicationLoadBalancer.Builder.create(this, "Resource")
                    .vpc(props.getVpc())
                    .internetFacing(true)
                    .vpcSubnets(SubnetSelection.builder().subnetType(SubnetType.PUBLIC).build())
                    .dropInvalidHeaderFields(true)
                    .deletionProtection(props.isDeletionProtection())
                    .build();
            alb.logAccessLogs(props.getAccessLogBucket() != null ? props.getAccessLogBucket() : accessLogBucket(), "alb");
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
            this.loadBalancerFullName = alb.getLoadBalancerFullName();
        }
        getNode().addValidation(new software.constructs.IValidation() {
            @Override
            public List<String> validate() {
                return checkOtherRulesOnTheListener();
            }
        });
    }

    /**
     * The listener's other rules anywhere in this app (another stack's /api/* at 10, say), found at
     * synth: one at a route's priority fails synth (a listener holds one rule per priority), and so
     * does one that comes first and may match the route's host (no host-header condition, or one that
     * matches it), which would capture its requests, even when the user did not list them in
     * existingRulePriorities. Rules whose priority is only known at deploy time are not checked.
     */
    private List<String> checkOtherRulesOnTheListener() {
        String arn = listener.getListenerArn();
        List<String> errors = new ArrayList<>();
        List<software.amazon.awscdk.services.elasticloadbalancingv2.CfnListenerRule> others = new ArrayList<>();
        for (software.constructs.IConstruct c : getNode().getRoot().getNode().findAll()) {
            if (c instanceof software.amazon.awscdk.services.elasticloadbalancingv2.CfnListenerRule r
                    && arn.equals(r.getListenerArn())
                    && routes.stream().noneMatch(o -> r.getNode().getPath().startsWith(o.getRule().getNode().getPath() + "/"))
                    && r.getPriority() != null && !Token.isUnresolved(r.getPriority())) {
                others.add(r);
            }
        }
        others.sort(java.util.Comparator.comparingInt(r -> r.getPriority().intValue()));
        for (HostRoute route : routes) {
            String setting = route.getId() + ".priority";
            int priority = route.getPriority();
            others.stream().filter(r -> r.getPriority().intValue() == priority).findFirst().ifPresentOrElse(
                    r -> errors.add(Check.bad(setting, priority, "collides with the rule " + r.getNode().getPath()
                            + " on the same listener; a listener holds one rule per priority").getMessage()),
                    () -> others.stream().filter(r -> r.getPriority().intValue() < priority && mayMatchHost(r, route.getHostName()))
                            .findFirst().ifPresent(r -> {
                                int first = r.getPriority().intValue();
                                errors.add(Check.bad(setting, priority, "comes after the rule " + r.getNode().getPath() + " at " + first
                                        + " on the same listener, which may capture " + route.getHostName() + "'s requests; "
                                        + (first > MIN_PRIORITY ? "pick " + MIN_PRIORITY + "-" + (first - 1) : "move that rule after it"))
                                        .getMessage());
                            }));
        }
        return errors;
    }

    /** Whether a rule's host-header condition (if any) can match {@code host}; unknown conditions may. */
    private static boolean mayMatchHost(software.amazon.awscdk.services.elasticloadbalancingv2.CfnListenerRule rule, String host) {
        Object resolved = Stack.of(rule).resolve(rule.getConditions());
        if (!(resolved instanceof List<?> conditions)) {
            return true;
        }
        for (Object c : conditions) {
            if (c instanceof Map<?, ?> m && "host-header".equals(property(m, "Field"))) {
                Object values = property(m, "HostHeaderConfig") instanceof Map<?, ?> cfg ? property(cfg, "Values") : property(m, "Values");
                if (!(values instanceof List<?> patterns)) {
                    return true;
                }
                // ALB host patterns: case-insensitive, * any run of characters, ? one character.
                return patterns.stream().anyMatch(v -> !(v instanceof String p) || Token.isUnresolved(p)
                        || Token.isUnresolved(host) || host.toLowerCase().matches(hostPattern(p.toLowerCase())));
            }
        }
        return true;
    }

    /** A property of an L1 value as resolved before rendering ({@code hostHeaderConfig}) or after ({@code HostHeaderConfig}). */
    private static Object property(Map<?, ?> m, String name) {
        Object v = m.get(name);
        return v != null ? v : m.get(Character.toLowerCase(name.charAt(0)) + name.substring(1));
    }

    private static String hostPattern(String albPattern) {
        StringBuilder b = new StringBuilder();
        for (char ch : albPattern.toCharArray()) {
            b.append(ch == '*' ? ".*" : ch == '?' ? "." : java.util.regex.Pattern.quote(String.valueOf(ch)));
        }
        return b.toString();
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

    private IBucket accessLogBucket() {
        Bucket bucket = Bucket.Builder.create(this, "AccessLogs")
                .encryption(BucketEncryption.S3_MANAGED) // ALB log delivery supports SSE-S3 only
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .enforceSsl(true)
                .versioned(true)
                .removalPolicy(RemovalPolicy.RETAIN)
                .lifecycleRules(List.of(LifecycleRule.builder().expiration(Duration.days(365))
                        .noncurrentVersionExpiration(Duration.days(30)).build()))
                .build();
        // S3 events to EventBridge (free for AWS service events): a SIEM or alarm can react to each log delivery.
        // Set on the L1: the L2's eventBridgeEnabled adds a Lambda-backed custom resource for it.
        ((CfnBucket) bucket.getNode().getDefaultChild()).setNotificationConfiguration(CfnBucket.NotificationConfigurationProperty.builder()
                .eventBridgeConfiguration(CfnBucket.EventBridgeConfigurationProperty.builder().eventBridgeEnabled(true).build())
                .build());
        Suppressions.suppress(bucket, false,
                Suppressions.CdkNag.of("AwsSolutions-S1", "This bucket is itself the ALB access-log sink; logging it to another bucket would recurse."),
                Suppressions.CfnGuard.of("s3_bucket_logging_enabled_check", "This bucket is itself the ALB access-log sink: server access logs "
                        + "into it would log their own delivery without end, and into another bucket would need that bucket's logs too."),
                Suppressions.CfnGuard.of("s3_bucket_default_encryption_kms_check", "ALB access-log delivery supports SSE-S3 only (Elastic Load "
                        + "Balancing, 'Enable access logs': the only server-side encryption supported is S3-managed keys)."),
                Suppressions.CfnGuard.of("s3_bucket_object_lock_enabled_check", "Object Lock locks nothing without a default retention, and with "
                        + "one S3 requires a Content-MD5 or checksum header on every upload, which ELB log delivery is not documented "
                        + "to send; a rejected delivery fails silently. Versioning keeps overwritten or deleted logs for 30 days; "
                        + "give accessLogBucket for a WORM bucket of your own."));
        return bucket;
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
        HostRoute route = new HostRoute(id, hostName, priority, targetGroup, rule, alarms(id, targetGroup));
        routes.add(route);
        verificationWidgets(id, targetGroup);
        return route;
    }

    /**
     * The seed's verification list per route on one CloudWatch dashboard: RequestCount,
     * TargetResponseTime, HealthyHostCount and UnHealthyHostCount.
     */
    private void verificationWidgets(String id, ApplicationTargetGroup tg) {
        if (dashboard == null) {
            dashboard = software.amazon.awscdk.services.cloudwatch.Dashboard.Builder.create(this, "Dashboard").build();
        }
        dashboard.addWidgets(
                software.amazon.awscdk.services.cloudwatch.GraphWidget.Builder.create().title(id + " requests")
                        .left(List.of(metric(tg, "RequestCount", "Sum"))).width(8).build(),
                software.amazon.awscdk.services.cloudwatch.GraphWidget.Builder.create().title(id + " response time (p95)")
                        .left(List.of(metric(tg, "TargetResponseTime", "p95"))).width(8).build(),
                software.amazon.awscdk.services.cloudwatch.GraphWidget.Builder.create().title(id + " targets")
                        .left(List.of(metric(tg, "HealthyHostCount", "Minimum"), metric(tg, "UnHealthyHostCount", "Maximum")))
                        .width(8).build());
    }

    private List<Alarm> alarms(String id, ApplicationTargetGroup tg) {
        List<Alarm> alarms = new ArrayList<>();
        alarms.add(alarm(id + "Unhealthy", tg, "UnHealthyHostCount", "Maximum", 0,
                ComparisonOperator.GREATER_THAN_THRESHOLD, 2, TreatMissingData.NOT_BREACHING,
                id + ": a target failed its health check for two minutes"));
        alarms.add(alarm(id + "NoHealthy", tg, "HealthyHostCount", "Minimum", 1,
                ComparisonOperator.LESS_THAN_THRESHOLD, 2, TreatMissingData.BREACHING,
                id + ": no healthy target, the service is down"));
        // Seed success criterion: responses under 2 s.
        alarms.add(alarm(id + "Slow", tg, "TargetResponseTime", "p95", 2,
                ComparisonOperator.GREATER_THAN_THRESHOLD, 5, TreatMissingData.NOT_BREACHING,
                id + ": p95 response time above 2 s for five minutes"));
        return alarms;
    }

    private Alarm alarm(String id, ApplicationTargetGroup tg, String metric, String statistic, double threshold,
                        ComparisonOperator op, int periods, TreatMissingData missing, String description) {
        Alarm alarm = Alarm.Builder.create(this, id)
                .metric(metric(tg, metric, statistic))
                .threshold(threshold)
                .comparisonOperator(op)
                .evaluationPeriods(periods)
                .datapointsToAlarm(periods)
                .treatMissingData(missing)
                .alarmDescription(description)
                .build();
        if (props.getAlarmAction() != null) {
            alarm.addAlarmAction(props.getAlarmAction());
            alarm.addOkAction(props.getAlarmAction());
        }
        return alarm;
    }

    /** An AWS/ApplicationELB metric of {@code tg} (e.g. RequestCount, the seed's verification list). */
    public Metric metric(ApplicationTargetGroup tg, String metricName, String statistic) {
        return Metric.Builder.create()
                .namespace("AWS/ApplicationELB")
                .metricName(metricName)
                .dimensionsMap(new TreeMap<>(Map.of("LoadBalancer", loadBalancerFullName, "TargetGroup", tg.getTargetGroupFullName())))
                .statistic(statistic)
                .period(Duration.minutes(1))
                .build();
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
