package dev.o11ycdk.alb;

import dev.o11ycdk.core.internal.PropsStyle;
import java.util.List;
import org.immutables.value.Value;
import org.jetbrains.annotations.Nullable;
import software.amazon.awscdk.services.certificatemanager.ICertificate;
import software.amazon.awscdk.services.cloudwatch.IAlarmAction;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.elasticloadbalancingv2.IApplicationListener;
import software.amazon.awscdk.services.elasticloadbalancingv2.IApplicationLoadBalancer;
import software.amazon.awscdk.services.elasticloadbalancingv2.SslPolicy;
import software.amazon.awscdk.services.route53.IHostedZone;
import software.amazon.awscdk.services.s3.IBucket;

/** Properties of {@link MonitoringAlb}. */
@Value.Immutable
@PropsStyle
public abstract class MonitoringAlbProps {
    public static Builder builder() {
        return new Builder();
    }

    /** The VPC of the load balancer and of the target groups. Required. */
    public abstract IVpc getVpc();

    /** Apex of the host names: routes become {@code <sub>.<domainName>}. Required. */
    public abstract String getDomainName();

    /** @default - no DNS records and no DNS-validated certificate (then {@code certificate} is required) */
    @Nullable
    public abstract IHostedZone getHostedZone();

    /** @default - a new ACM certificate for {@code *.<domainName>}, validated by DNS in {@code hostedZone} */
    @Nullable
    public abstract ICertificate getCertificate();

    /** CIDRs allowed to reach 443 (and 80, which only redirects). @default 0.0.0.0/0 */
    @Value.Default
    public List<String> getAllowedCidrs() {
        return List.of("0.0.0.0/0");
    }

    /** @default SslPolicy.RECOMMENDED_TLS (ELBSecurityPolicy-TLS13-1-2-2021-06: TLS 1.3 and 1.2 only) */
    @Value.Default
    public SslPolicy getSslPolicy() {
        return SslPolicy.RECOMMENDED_TLS;
    }

    /** An ALB owned by another stack. Give it with {@code existingListener}. @default - a new internet-facing ALB */
    @Nullable
    public abstract IApplicationLoadBalancer getExistingLoadBalancer();

    /** That ALB's HTTPS listener; host rules are added to it. @default - a new HTTPS:443 listener */
    @Nullable
    public abstract IApplicationListener getExistingListener();

    /**
     * Priorities already taken on the listener (the seed's chat app: 10 for /api/*, 20 for
     * /socket.io/*). Our host rules must not collide with them and must come first.
     *
     * @default - none
     */
    public abstract List<Integer> getExistingRulePriorities();

    /** @default - a new SSE-S3 encrypted bucket, retained on stack deletion */
    @Nullable
    public abstract IBucket getAccessLogBucket();

    /** Action of the target-group alarms (e.g. an SNS topic). @default - alarms without actions */
    @Nullable
    public abstract IAlarmAction getAlarmAction();

    /**
     * Deletion protection on the new ALB (AWS Control Tower CT.ELASTICLOADBALANCING.PR.5): deleting the
     * stack fails until a deploy with {@code false} turns it off. Ignored for {@code existingLoadBalancer}.
     *
     * @default true
     */
    @Value.Default
    public boolean isDeletionProtection() {
        return true;
    }

    public static final class Builder extends ImmutableMonitoringAlbProps.Builder {
    }
}
