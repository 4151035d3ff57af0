package dev.o11ycdk.alb;

import java.util.List;
import software.amazon.awscdk.services.certificatemanager.ICertificate;
import software.amazon.awscdk.services.cloudwatch.IAlarmAction;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.elasticloadbalancingv2.IApplicationListener;
import software.amazon.awscdk.services.elasticloadbalancingv2.IApplicationLoadBalancer;
import software.amazon.awscdk.services.elasticloadbalancingv2.SslPolicy;
import software.amazon.awscdk.services.route53.IHostedZone;
import software.amazon.awscdk.services.s3.IBucket;

/** Properties of {@link MonitoringAlb}. */
public final class MonitoringAlbProps {
    private final IVpc vpc;
    private final String domainName;
    private final IHostedZone hostedZone;
    private final ICertificate certificate;
    private final List<String> allowedCidrs;
    private final SslPolicy sslPolicy;
    private final IApplicationLoadBalancer existingLoadBalancer;
    private final IApplicationListener existingListener;
    private final List<Integer> existingRulePriorities;
    private final IBucket accessLogBucket;
    private final IAlarmAction alarmAction;
    private final boolean deletionProtection;

    private MonitoringAlbProps(Builder b) {
        this.vpc = b.vpc;
        this.domainName = b.domainName;
        this.hostedZone = b.hostedZone;
        this.certificate = b.certificate;
        this.allowedCidrs = b.allowedCidrs == null ? List.of("0.0.0.0/0") : List.copyOf(b.allowedCidrs);
        this.sslPolicy = b.sslPolicy == null ? SslPolicy.RECOMMENDED_TLS : b.sslPolicy;
        this.existingLoadBalancer = b.existingLoadBalancer;
        this.existingListener = b.existingListener;
        this.existingRulePriorities = b.existingRulePriorities == null ? List.of() : List.copyOf(b.existingRulePriorities);
        this.accessLogBucket = b.accessLogBucket;
        this.alarmAction = b.alarmAction;
        this.deletionProtection = b.deletionProtection == null || b.deletionProtection;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The VPC of the load balancer and of the target groups. Required. */
    public IVpc getVpc() {
        return vpc;
    }

    /** Apex of the host names: routes become {@code <sub>.<domainName>}. Required. */
    public String getDomainName() {
        return domainName;
    }

    /** @default - no DNS records and no DNS-validated certificate (then {@code certificate} is required) */
    public IHostedZone getHostedZone() {
        return hostedZone;
    }

    /** @default - a new ACM certificate for {@code *.<domainName>}, validated by DNS in {@code hostedZone} */
    public ICertificate getCertificate() {
        return certificate;
    }

    /** CIDRs allowed to reach 443 (and 80, which only redirects). @default 0.0.0.0/0 */
    public List<String> getAllowedCidrs() {
        return allowedCidrs;
    }

    /** @default SslPolicy.RECOMMENDED_TLS (ELBSecurityPolicy-TLS13-1-2-2021-06: TLS 1.3 and 1.2 only) */
    public SslPolicy getSslPolicy() {
        return sslPolicy;
    }

    /** An ALB owned by another stack. Give it with {@code existingListener}. @default - a new internet-facing ALB */
    public IApplicationLoadBalancer getExistingLoadBalancer() {
        return existingLoadBalancer;
    }

    /** That ALB's HTTPS listener; host rules are added to it. @default - a new HTTPS:443 listener */
    public IApplicationListener getExistingListener() {
        return existingListener;
    }

    /**
     * Priorities already taken on the listener (the seed's chat app: 10 for /api/*, 20 for
     * /socket.io/*). Our host rules must not collide with them and must come first.
     *
     * @default - none
     */
    public List<Integer> getExistingRulePriorities() {
        return existingRulePriorities;
    }

    /** @default - a new SSE-S3 encrypted bucket, retained on stack deletion */
    public IBucket getAccessLogBucket() {
        return accessLogBucket;
    }

    /** Action of the target-group alarms (e.g. an SNS topic). @default - alarms without actions */
    public IAlarmAction getAlarmAction() {
        return alarmAction;
    }

    /**
     * Deletion protection on the new ALB (AWS Control Tower CT.ELASTICLOADBALANCING.PR.5): deleting the
     * stack fails until a deploy with {@code false} turns it off. Ignored for {@code existingLoadBalancer}.
     *
     * @default true
     */
    public boolean isDeletionProtection() {
        return deletionProtection;
    }

    public static final class Builder {
        private IVpc vpc;
        private String domainName;
        private IHostedZone hostedZone;
        private ICertificate certificate;
        private List<String> allowedCidrs;
        private SslPolicy sslPolicy;
        private IApplicationLoadBalancer existingLoadBalancer;
        private IApplicationListener existingListener;
        private List<Integer> existingRulePriorities;
        private IBucket accessLogBucket;
        private IAlarmAction alarmAction;
        private Boolean deletionProtection;

        public Builder vpc(IVpc vpc) {
            this.vpc = vpc;
            return this;
        }

        public Builder domainName(String domainName) {
            this.domainName = domainName;
            return this;
        }

        public Builder hostedZone(IHostedZone hostedZone) {
            this.hostedZone = hostedZone;
            return this;
        }

        public Builder certificate(ICertificate certificate) {
            this.certificate = certificate;
            return this;
        }

        public Builder allowedCidrs(List<String> allowedCidrs) {
            this.allowedCidrs = allowedCidrs;
            return this;
        }

        public Builder sslPolicy(SslPolicy sslPolicy) {
            this.sslPolicy = sslPolicy;
            return this;
        }

        public Builder existingLoadBalancer(IApplicationLoadBalancer existingLoadBalancer) {
            this.existingLoadBalancer = existingLoadBalancer;
            return this;
        }

        public Builder existingListener(IApplicationListener existingListener) {
            this.existingListener = existingListener;
            return this;
        }

        public Builder existingRulePriorities(List<Integer> existingRulePriorities) {
            this.existingRulePriorities = existingRulePriorities;
            return this;
        }

        public Builder accessLogBucket(IBucket accessLogBucket) {
            this.accessLogBucket = accessLogBucket;
            return this;
        }

        public Builder alarmAction(IAlarmAction alarmAction) {
            this.alarmAction = alarmAction;
            return this;
        }

        public Builder deletionProtection(boolean deletionProtection) {
            this.deletionProtection = deletionProtection;
            return this;
        }

        public MonitoringAlbProps build() {
            return new MonitoringAlbProps(this);
        }
    }
}
