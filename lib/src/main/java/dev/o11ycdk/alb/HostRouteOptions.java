package dev.o11ycdk.alb;

import dev.o11ycdk.core.Ports;
import dev.o11ycdk.core.internal.PropsStyle;
import java.util.List;
import java.util.Set;
import org.immutables.value.Value;
import org.jetbrains.annotations.Nullable;
import software.amazon.awscdk.services.elasticloadbalancingv2.IApplicationLoadBalancerTarget;
import software.amazon.awscdk.services.elasticloadbalancingv2.TargetType;

/**
 * A host-header route on {@link MonitoringAlb}: {@code <subdomain>.<domain>} forwarded to a
 * target group on {@code port}, checked on {@code healthCheckPath}.
 */
@Value.Immutable
@PropsStyle
public abstract class HostRouteOptions {
    /** Ports of processes that have no login of their own: Prometheus, Alertmanager, node_exporter, the exporter. */
    public static final Set<Integer> WITHOUT_LOGIN = Set.of(Ports.PROMETHEUS, Ports.ALERTMANAGER,
            Ports.NODE_EXPORTER, Ports.CLOUDWATCH_EXPORTER);

    public static Builder builder() {
        return new Builder();
    }

    /** Host label before the domain, e.g. {@code grafana}. Required. */
    public abstract String getSubdomain();

    /** Target port (Grafana 3000, Prometheus 9090). Required. */
    public abstract int getPort();

    /** Path answered with 200 by a healthy target (Grafana /api/health, Prometheus /-/ready). Required. */
    public abstract String getHealthCheckPath();

    /** Listener rule priority, 1..50000, lower wins. Required. */
    public abstract int getPriority();

    /** @default - none; add later with {@code HostRoute.getTargetGroup().addTarget(...)} */
    public abstract List<IApplicationLoadBalancerTarget> getTargets();

    /** @default - derived from the first target added */
    @Nullable
    public abstract TargetType getTargetType();

    /** Only requests from these CIDRs match the rule (ALB source-ip condition). @default - whoever the listener admits */
    public abstract List<String> getSourceCidrs();

    /**
     * Whether the target authenticates its users (Grafana does, Prometheus does not). An
     * unauthenticated route reachable from 0.0.0.0/0 gets a synth warning.
     *
     * @default - false for the ports in {@link #WITHOUT_LOGIN} (9090, 9093, 9100, 9106), true otherwise
     */
    @Value.Default
    public boolean isAuthenticated() {
        return !WITHOUT_LOGIN.contains(getPort());
    }

    public static final class Builder extends ImmutableHostRouteOptions.Builder {
    }
}
