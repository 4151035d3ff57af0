package dev.o11ycdk.app;

import dev.o11ycdk.core.Suppressions;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.CfnResource;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.ec2.FlowLogDestination;
import software.amazon.awscdk.services.ec2.FlowLogOptions;
import software.amazon.awscdk.services.ec2.FlowLogTrafficType;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ec2.VpcAttributes;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.route53.HostedZone;
import software.amazon.awscdk.services.route53.HostedZoneAttributes;
import software.amazon.awscdk.services.route53.IHostedZone;
import software.constructs.Construct;
import software.constructs.IConstruct;

/** VPC and hosted zone from the settings, without any AWS look-up. */
final class Network {
    private Network() {
    }

    /** A new two-AZ VPC with one NAT gateway (egress for downloads and Slack), or the configured one. */
    static IVpc vpc(Construct scope, Settings s) {
        if (s.vpcId() != null) {
            return Vpc.fromVpcAttributes(scope, "Vpc", VpcAttributes.builder()
                    .vpcId(s.vpcId())
                    .availabilityZones(s.availabilityZones())
                    .publicSubnetIds(s.vpcPublicSubnetIds())
                    .privateSubnetIds(s.vpcPrivateSubnetIds())
                    .build());
        }
        Vpc vpc = Vpc.Builder.create(scope, "Vpc")
                .maxAzs(2)
                .natGateways(1)
                .subnetConfiguration(List.of(
                        // Only the ALB and the NAT gateway live here, each with addresses of its own (the NAT's
                        // Elastic IP): nothing launched here gets a public IP (AWS Control Tower CT.EC2.PR.11).
                        SubnetConfiguration.builder().name("public").subnetType(SubnetType.PUBLIC).cidrMask(24)
                                .mapPublicIpOnLaunch(false).build(),
                        SubnetConfiguration.builder().name("private").subnetType(SubnetType.PRIVATE_WITH_EGRESS).cidrMask(22).build()))
                .flowLogs(Map.of("Rejected", FlowLogOptions.builder()
                        .destination(FlowLogDestination.toCloudWatchLogs())
                        .trafficType(FlowLogTrafficType.REJECT)
                        .build()))
                .build();
        restrictDefaultSecurityGroupHandler(scope);
        return vpc;
    }

    /**
     * The Lambda function behind CDK's Custom::VpcRestrictDefaultSG (it empties the VPC's default
     * security group at deploy time): its logs go to a log group of the stack, kept a year and encrypted
     * like the others, not to one Lambda would create on first run and keep forever.
     */
    private static void restrictDefaultSecurityGroupHandler(Construct scope) {
        IConstruct provider = Stack.of(scope).getNode().tryFindChild("Custom::VpcRestrictDefaultSGCustomResourceProvider");
        if (provider == null) {
            return;
        }
        CfnResource handler = (CfnResource) provider.getNode().findChild("Handler");
        LogGroup logs = LogGroup.Builder.create(scope, "RestrictDefaultSgLogs")
                .retention(RetentionDays.ONE_YEAR)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        handler.addPropertyOverride("LoggingConfig", Map.of("LogGroup", logs.getLogGroupName()));
        Suppressions.suppress(handler, false, Suppressions.CfnGuard.of("lambda_inside_vpc_check", "CDK's own singleton handler of "
                + "Custom::VpcRestrictDefaultSG: it runs for seconds per deploy and calls only the EC2 API to empty the "
                + "default security group; inside the VPC it would need a network interface, a security group and NAT "
                + "egress to reach that API, for no gain."));
    }

    static IHostedZone zone(Construct scope, Settings s) {
        return HostedZone.fromHostedZoneAttributes(scope, "Zone", HostedZoneAttributes.builder()
                .hostedZoneId(s.hostedZoneId()).zoneName(s.hostedZoneName()).build());
    }
}
