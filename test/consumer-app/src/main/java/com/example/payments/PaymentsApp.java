package com.example.payments;

import dev.o11ycdk.core.ScrapeOptions;
import dev.o11ycdk.fargate.FargatePrometheus;
import dev.o11ycdk.fargate.IFargatePrometheus;
import java.util.List;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.ecs.AwsLogDriverProps;
import software.amazon.awscdk.services.ecs.Cluster;
import software.amazon.awscdk.services.ecs.ClusterAttributes;
import software.amazon.awscdk.services.ecs.ContainerDefinitionOptions;
import software.amazon.awscdk.services.ecs.ContainerImage;
import software.amazon.awscdk.services.ecs.FargateService;
import software.amazon.awscdk.services.ecs.FargateTaskDefinition;
import software.amazon.awscdk.services.ecs.ICluster;
import software.amazon.awscdk.services.ecs.LogDriver;
import software.amazon.awscdk.services.ecs.PortMapping;

/** The payments team's own CDK app: one service, onboarded to the platform's Prometheus in one call. */
public final class PaymentsApp {
    public static void main(String[] args) {
        App app = new App();
        Stack stack = new Stack(app, "Payments", StackProps.builder()
                .env(Environment.builder().region("ap-northeast-2").build()).build());

        // What the platform published under /o11y-cdk/platform, resolved by CloudFormation at deploy time.
        IFargatePrometheus prometheus = FargatePrometheus.fromSsm(stack, "Prometheus", FargatePrometheus.DEFAULT_SSM_PREFIX);

        // The platform's shared cluster, in the VPC it published (its private subnets, one per zone).
        ICluster cluster = Cluster.fromClusterAttributes(stack, "Cluster", ClusterAttributes.builder()
                .clusterName(prometheus.getClusterName()).vpc(prometheus.getVpc()).build());

        FargateTaskDefinition task = FargateTaskDefinition.Builder.create(stack, "Task")
                .cpu(256).memoryLimitMiB(512).build();
        task.addContainer("app", ContainerDefinitionOptions.builder()
                .image(ContainerImage.fromRegistry("example/payments:1.4.2"))
                .portMappings(List.of(PortMapping.builder().containerPort(8080).build()))
                .logging(LogDriver.awsLogs(AwsLogDriverProps.builder().streamPrefix("payments").build()))
                .build());
        FargateService service = FargateService.Builder.create(stack, "Service")
                .cluster(cluster).taskDefinition(task).build();

        // One call: the container gets the discovery labels, its security group admits Prometheus on 8080.
        prometheus.scrape(service, ScrapeOptions.builder()
                .name("payments").port(8080).metricsPath("/actuator/prometheus").team("payments").build());

        app.synth();
    }
}
