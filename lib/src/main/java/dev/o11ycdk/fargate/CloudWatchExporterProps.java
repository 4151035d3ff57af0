package dev.o11ycdk.fargate;

import dev.o11ycdk.config.CloudWatchExporterConfig;
import dev.o11ycdk.core.internal.PropsStyle;
import org.immutables.value.Value;
import org.jetbrains.annotations.Nullable;
import software.amazon.awscdk.services.ecs.ICluster;

/** Properties of {@link CloudWatchExporter}. */
@Value.Immutable
@PropsStyle
public abstract class CloudWatchExporterProps {
    public static Builder builder() {
        return new Builder();
    }

    /** Required; the exporter registers in its default Cloud Map namespace as cloudwatch-exporter. */
    public abstract ICluster getCluster();

    /**
     * The CloudWatch metrics to export.
     *
     * @default - CloudWatchExporterConfig.platformDefaults: the tagged load balancers and the task counts EcsTaskCounts publishes
     */
    @Nullable
    public abstract CloudWatchExporterConfig getConfig();

    /**
     * A cloudwatch_exporter image, run as uid 65534 on a read-only root file system with its
     * configuration on standard input.
     *
     * @default CloudWatchExporter.DEFAULT_IMAGE
     */
    @Value.Default
    public String getImage() {
        return CloudWatchExporter.DEFAULT_IMAGE;
    }

    public static final class Builder extends ImmutableCloudWatchExporterProps.Builder {
    }
}
