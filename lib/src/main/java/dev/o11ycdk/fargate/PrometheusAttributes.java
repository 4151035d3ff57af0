package dev.o11ycdk.fargate;

import dev.o11ycdk.core.internal.PropsStyle;
import org.immutables.value.Value;
import org.jetbrains.annotations.Nullable;
import software.amazon.awscdk.services.ec2.IVpc;

/**
 * What another app needs to know of the platform's Prometheus: see
 * {@link FargatePrometheus#fromPrometheusAttributes}. Values may be deploy-time tokens (SSM
 * parameters, see {@link FargatePrometheus#fromSsm}).
 */
@Value.Immutable
@PropsStyle
public abstract class PrometheusAttributes {
    public static Builder builder() {
        return new Builder();
    }

    /** Prometheus' security group. Required. */
    public abstract String getSecurityGroupId();

    /** The platform's ECS cluster. Required. */
    public abstract String getClusterName();

    /** The Cloud Map namespace's name, e.g. o11y.local. Required. */
    public abstract String getNamespaceName();

    /** @default - no namespace object (getNamespace() returns null) */
    @Nullable
    public abstract String getNamespaceId();

    /** @default - no namespace object (getNamespace() returns null) */
    @Nullable
    public abstract String getNamespaceArn();

    /** The platform's VPC. @default - none: getVpc() fails, naming this attribute */
    @Nullable
    public abstract IVpc getVpc();

    public static final class Builder extends ImmutablePrometheusAttributes.Builder {
    }
}
