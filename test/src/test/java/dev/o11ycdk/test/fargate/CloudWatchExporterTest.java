package dev.o11ycdk.test.fargate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.o11ycdk.fargate.CloudWatchExporter;
import dev.o11ycdk.fargate.CloudWatchExporterProps;
import dev.o11ycdk.test.support.Cfn;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** {@link CloudWatchExporter} in a stack of its own. */
class CloudWatchExporterTest {
    @Test
    void aQuarterVcpuOn9106ReadingCloudWatchAndTagsOnlyWithItsConfigurationOnStandardInput() {
        FargateFixture x = new FargateFixture("Exporter");
        CloudWatchExporter e = new CloudWatchExporter(x.f.stack(), "Exporter", CloudWatchExporterProps.builder().cluster(x.cluster).build());
        // Nothing per ECS service: the tagged ALBs and the task counts of services whose tasks are gone.
        assertThat(e.getConfig().toYaml()).contains("aws_namespace: O11y/ECS", "aws_metric_name: DesiredTaskCount",
                "aws_namespace: AWS/ApplicationELB", "o11y-cdk:monitored").doesNotContain("AWS/ECS", "ECS/ContainerInsights");
        Template t = x.f.template();
        t.hasResourceProperties("AWS::ECS::TaskDefinition", Match.objectLike(Map.of("Cpu", "256", "Memory", "512")));
        Map<String, Object> container = Cfn.container(t.toJSON(), "Exporter");
        assertThat(Cfn.json(container.get("PortMappings"))).contains("\"ContainerPort\":9106");
        assertThat(Cfn.json(container.get("Command"))).contains("exec 0<<O11Y_STDIN");
        assertThat(container).doesNotContainKey("MountPoints");
        t.hasResourceProperties("AWS::IAM::Policy", Match.objectLike(Map.of("PolicyDocument", Map.of("Version", "2012-10-17",
                "Statement", List.of(Map.of("Effect", "Allow", "Resource", "*", "Action", List.of("cloudwatch:GetMetricData",
                        "cloudwatch:GetMetricStatistics", "cloudwatch:ListMetrics", "tag:GetResources")))))));
    }
}
