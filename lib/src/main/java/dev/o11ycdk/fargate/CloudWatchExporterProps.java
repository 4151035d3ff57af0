package dev.o11ycdk.fargate;

import dev.o11ycdk.config.CloudWatchExporterConfig;
import software.amazon.awscdk.services.ecs.ICluster;

/** Properties of {@link CloudWatchExporter}. */
public final class CloudWatchExporterProps {
    private final ICluster cluster;
    private final CloudWatchExporterConfig config;
    private final String image;

    private CloudWatchExporterProps(Builder b) {
        this.cluster = b.cluster;
        this.config = b.config;
        this.image = b.image != null ? b.image : CloudWatchExporter.DEFAULT_IMAGE;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Required; the exporter registers in its default Cloud Map namespace as cloudwatch-exporter. */
    public ICluster getCluster() {
        return cluster;
    }

    /**
     * The CloudWatch metrics to export.
     *
     * @default - the seed's ECS and ALB metrics plus Container Insights per service
     */
    public CloudWatchExporterConfig getConfig() {
        return config;
    }

    /**
     * A cloudwatch_exporter image, run as uid 65534 on a read-only root file system with its
     * configuration on standard input.
     *
     * @default CloudWatchExporter.DEFAULT_IMAGE
     */
    public String getImage() {
        return image;
    }

    public static final class Builder {
        private ICluster cluster;
        private CloudWatchExporterConfig config;
        private String image;

        public Builder cluster(ICluster cluster) {
            this.cluster = cluster;
            return this;
        }

        public Builder config(CloudWatchExporterConfig config) {
            this.config = config;
            return this;
        }

        public Builder image(String image) {
            this.image = image;
            return this;
        }

        public CloudWatchExporterProps build() {
            return new CloudWatchExporterProps(this);
        }
    }
}
