package dev.o11ycdk.fargate;

import dev.o11ycdk.config.Check;
import dev.o11ycdk.config.CloudWatchExporterConfig;
import dev.o11ycdk.core.ComputeSize;
import dev.o11ycdk.core.Ports;
import dev.o11ycdk.core.Suppressions;
import dev.o11ycdk.core.Versions;
import dev.o11ycdk.core.internal.Regions;
import java.util.List;
import software.amazon.awscdk.services.ecs.ICluster;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.servicediscovery.INamespace;
import software.constructs.Construct;

/**
 * prometheus/cloudwatch_exporter on Fargate (0.25 vCPU / 512 MB, port 9106): what only CloudWatch has (ALB
 * target response time, the task counts of services whose tasks are gone) as Prometheus series. Its task role may read CloudWatch and tags, nothing else.
 */
public class CloudWatchExporter extends FargatePlatformService {
    public static final String CLOUD_MAP_NAME = "cloudwatch-exporter";
    public static final int DEFAULT_PORT = Ports.CLOUDWATCH_EXPORTER;
    public static final String DEFAULT_IMAGE = "prom/cloudwatch-exporter:v" + Versions.CLOUDWATCH_EXPORTER;
    /**
     * nobody: the image's own USER since v0.18.0 (prometheus/cloudwatch_exporter#867, commit 170d834),
     * the uid of nobody in its Ubuntu base; given explicitly, so an older image never runs as root.
     */
    static final String USER = "65534:65534";

    private final CloudWatchExporterConfig config;

    public CloudWatchExporter(Construct scope, String id, CloudWatchExporterProps props) {
        super(scope, id);
        ICluster cluster = props.getCluster();
        if (cluster.getDefaultCloudMapNamespace() == null) {
            throw Check.bad(id + ".cluster", null, "CloudWatchExporter needs a cluster with a default Cloud Map namespace");
        }
        INamespace namespace = cluster.getDefaultCloudMapNamespace();
        String region = Regions.require(this, "CloudWatchExporter");
        this.config = props.getConfig() != null ? props.getConfig() : CloudWatchExporterConfig.platformDefaults(region);
        FargateComponent.Spec spec = FargateComponent.spec(this, "cloudwatch-exporter", props.getImage())
                .size(ComputeSize.of("cloudwatchExporter", 256, 512))
                .user(USER)
                .port(Ports.CLOUDWATCH_EXPORTER, "/-/healthy")
                // A TCP probe: the Temurin-based image has bash but no wget, and /metrics would call CloudWatch.
                .healthCommand("bash -c 'exec 3<>/dev/tcp/127.0.0.1/" + Ports.CLOUDWATCH_EXPORTER + "' || exit 1")
                .placement(cluster, namespace, CLOUD_MAP_NAME, null)
                // The exporter reads its configuration once, at start: on standard input it needs no
                // writable directory, which the image (no VOLUME) could not give a non-root user.
                .command(List.of("java", "-jar", "/cloudwatch_exporter.jar", String.valueOf(Ports.CLOUDWATCH_EXPORTER), ContainerFiles.STDIN));
        spec.files().stdin("cloudwatch.yml", this.config.toYaml());
        init(spec.build(), namespace, CLOUD_MAP_NAME, DEFAULT_PORT, "cloudwatch exporter metrics");
        component().taskDefinition.addToTaskRolePolicy(PolicyStatement.Builder.create()
                .actions(List.of("cloudwatch:GetMetricData", "cloudwatch:GetMetricStatistics", "cloudwatch:ListMetrics",
                        "tag:GetResources"))
                .resources(List.of("*"))
                .build());
        Suppressions.suppress(component().taskDefinition.getTaskRole(), true, Suppressions.CdkNag.of("AwsSolutions-IAM5", "CloudWatch metric reads and tag:GetResources do not support resource-level permissions.", "Resource::*"));
    }

    public CloudWatchExporterConfig getConfig() {
        return config;
    }
}
