package dev.o11ycdk.fargate;

import dev.o11ycdk.core.internal.PropsStyle;
import org.immutables.value.Value;
import software.amazon.awscdk.services.ec2.IVpc;

/** Properties of {@link GrafanaDatabase}. */
@Value.Immutable
@PropsStyle
public abstract class GrafanaDatabaseProps {
    public static Builder builder() {
        return new Builder();
    }

    /** The cluster goes in its private subnets (with egress, where the Grafana tasks run). Required. */
    public abstract IVpc getVpc();

    /** Aurora Serverless v2's floor, in ACUs (0.5..256, steps of 0.5): what the database costs idle. @default 0.5 */
    @Value.Default
    public double getMinCapacity() {
        return GrafanaDatabase.DEFAULT_MIN_ACU;
    }

    /** Aurora Serverless v2's ceiling, in ACUs (1..256, steps of 0.5, at least the floor). @default 2 */
    @Value.Default
    public double getMaxCapacity() {
        return GrafanaDatabase.DEFAULT_MAX_ACU;
    }

    public static final class Builder extends ImmutableGrafanaDatabaseProps.Builder {
    }
}
