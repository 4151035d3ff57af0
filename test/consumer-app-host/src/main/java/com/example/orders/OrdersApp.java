package com.example.orders;

import dev.o11ycdk.core.ScrapeOptions;
import dev.o11ycdk.host.IObservabilityHost;
import dev.o11ycdk.host.ObservabilityInstance;
import java.util.List;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.autoscaling.AutoScalingGroup;
import software.amazon.awscdk.services.ec2.IMachineImage;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.Instance;
import software.amazon.awscdk.services.ec2.InstanceType;
import software.amazon.awscdk.services.ec2.MachineImage;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ec2.VpcAttributes;

/** The orders team's own CDK app: two services on EC2, each onboarded to the platform's o11y host in one call. */
public final class OrdersApp {
    public static void main(String[] args) {
        App app = new App();
        Stack stack = new Stack(app, "Orders", StackProps.builder()
                .env(Environment.builder().region("ap-northeast-2").build()).build());

        // What the platform published under /o11y-cdk/host, resolved by CloudFormation at deploy time.
        IObservabilityHost host = ObservabilityInstance.fromSsm(stack, "O11yHost", ObservabilityInstance.DEFAULT_SSM_PREFIX);

        // The team's instances run in the host's VPC (a security group admits another only within a VPC or a peering).
        IVpc vpc = Vpc.fromVpcAttributes(stack, "Vpc", VpcAttributes.builder()
                .vpcId("vpc-0a1b2c3d4e5f60718")
                .availabilityZones(List.of("ap-northeast-2a", "ap-northeast-2c"))
                .privateSubnetIds(List.of("subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"))
                .build());
        IMachineImage image = MachineImage.latestAmazonLinux2023();

        AutoScalingGroup api = AutoScalingGroup.Builder.create(stack, "OrdersApi")
                .vpc(vpc).instanceType(new InstanceType("t3.small")).machineImage(image)
                .minCapacity(2).maxCapacity(6).build();
        // One call: every instance the group launches carries the discovery tags, and its security group admits the host on 9464.
        host.scrape(api, ScrapeOptions.builder()
                .name("orders-api").port(9464).metricsPath("/prometheus").team("orders").build());

        Instance batch = Instance.Builder.create(stack, "OrdersBatch")
                .vpc(vpc).instanceType(new InstanceType("t3.micro")).machineImage(image).build();
        host.scrape(batch, ScrapeOptions.builder()
                .name("orders-batch").port(9100).env("staging").team("orders").build());

        app.synth();
    }
}
