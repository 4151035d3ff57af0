package dev.o11ycdk.alb;

import dev.o11ycdk.core.Ports;
import java.util.List;
import software.amazon.awscdk.services.elasticloadbalancingv2.IApplicationLoadBalancerTarget;
import software.amazon.awscdk.services.elasticloadbalancingv2.TargetType;

/**
 * A host-header route on {@link MonitoringAlb}: {@code <subdomain>.<domain>} forwarded to a
 * target group on {@code port}, checked on {@code healthCheckPath}.
 */
public final class HostRouteOptions {
    private final String subdomain;
    private final int port;
    private final String healthCheckPath;
    private final int priority;
    private final List<IApplicationLoadBalancerTarget> targets;
    private final TargetType targetType;
    private final List<String> sourceCidrs;
    private final boolean authenticated;

    private HostRouteOptions(Builder b) {
        this.subdomain = b.subdomain;
        this.port = b.port;
        this.healthCheckPath = b.healthCheckPath;
        this.priority = b.priority;
        this.targets = b.targets == null ? List.of() : List.copyOf(b.targets);
        this.targetType = b.targetType;
        this.sourceCidrs = b.sourceCidrs == null ? List.of() : List.copyOf(b.sourceCidrs);
        this.authenticated = b.authenticated != null ? b.authenticated : !WITHOUT_LOGIN.contains(b.port);
    }

    /** Only requests from these CIDRs match the rule (ALB source-ip condition). @default - whoever the listener admits */
    public List<String> getSourceCidrs() {
        return sourceCidrs;
    }

    /** Ports of processes that have no login of their own: Prometheus, Alertmanager, node_exporter, the exporter. */
    public static final java.util.Set<Integer> WITHOUT_LOGIN = java.util.Set.of(Ports.PROMETHEUS, Ports.ALERTMANAGER,
            Ports.NODE_EXPORTER, Ports.CLOUDWATCH_EXPORTER);

    /**
     * Whether the target authenticates its users (Grafana does, Prometheus does not). An
     * unauthenticated route reachable from 0.0.0.0/0 gets a synth warning.
     *
     * @default - false for the ports in {@link #WITHOUT_LOGIN} (9090, 9093, 9100, 9106), true otherwise
     */
    public boolean isAuthenticated() {
        return authenticated;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Host label before the domain, e.g. {@code grafana}. Required. */
    public String getSubdomain() {
        return subdomain;
    }

    /** Target port (Grafana 3000, Prometheus 9090). Required. */
    public int getPort() {
        return port;
    }

    /** Path answered with 200 by a healthy target (Grafana /api/health, Prometheus /-/ready). Required. */
    public String getHealthCheckPath() {
        return healthCheckPath;
    }

    /** Listener rule priority, 1..50000, lower wins. Required. */
    public int getPriority() {
        return priority;
    }

    /** @default - none; add later with {@code HostRoute.getTargetGroup().addTarget(...)} */
    public List<IApplicationLoadBalancerTarget> getTargets() {
        return targets;
    }

    /** @default - derived from the first target added */
    public TargetType getTargetType() {
        return targetType;
    }

    public static final class Builder {
        private String subdomain;
        private int port;
        private String healthCheckPath;
        private int priority;
        private List<IApplicationLoadBalancerTarget> targets;
        private TargetType targetType;
        private List<String> sourceCidrs;
        private Boolean authenticated;

        public Builder sourceCidrs(List<String> sourceCidrs) {
            this.sourceCidrs = sourceCidrs;
            return this;
        }

        public Builder authenticated(boolean authenticated) {
            this.authenticated = authenticated;
            return this;
        }

        public Builder subdomain(String subdomain) {
            this.subdomain = subdomain;
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder healthCheckPath(String healthCheckPath) {
            this.healthCheckPath = healthCheckPath;
            return this;
        }

        public Builder priority(int priority) {
            this.priority = priority;
            return this;
        }

        public Builder targets(List<IApplicationLoadBalancerTarget> targets) {
            this.targets = targets;
            return this;
        }

        public Builder targetType(TargetType targetType) {
            this.targetType = targetType;
            return this;
        }

        public HostRouteOptions build() {
            return new HostRouteOptions(this);
        }
    }
}
