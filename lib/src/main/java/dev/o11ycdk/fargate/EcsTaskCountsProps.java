package dev.o11ycdk.fargate;

import dev.o11ycdk.core.internal.PropsStyle;
import java.util.List;
import org.immutables.value.Value;
import software.amazon.awscdk.services.ec2.IVpc;

/** Properties of {@link EcsTaskCounts}. */
@Value.Immutable
@PropsStyle
public abstract class EcsTaskCountsProps {
    public static Builder builder() {
        return new Builder();
    }

    /** Required; the function runs in its private subnets (it reaches the ECS and CloudWatch APIs through the NAT gateway). */
    public abstract IVpc getVpc();

    /**
     * The ECS clusters whose services it reads, by name (a CloudFormation token is fine): the platform's
     * cluster and the discovered ones ({@code FargatePrometheus.getDiscoveryConfig().getClusters()}). Required.
     */
    public abstract List<String> getClusterNames();

    public static final class Builder extends ImmutableEcsTaskCountsProps.Builder {
    }
}
