package dev.o11ycdk.app;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.services.ec2.FlowLogDestination;
import software.amazon.awscdk.services.ec2.FlowLogOptions;
import software.amazon.awscdk.services.ec2.FlowLogTrafficType;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ec2.VpcAttributes;
import software.amazon.awscdk.services.route53.HostedZone;
import software.amazon.awscdk.services.route53.HostedZoneAttributes;
import software.amazon.awscdk.services.route53.IHostedZone;
import software.constructs.Construct;

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
        return Vpc.Builder.create(scope, "Vpc")
                .maxAzs(2)
                .natGateways(1)
                .subnetConfiguration(List.of(
                        SubnetConfiguration.builder().name("public").subnetType(SubnetType.PUBLIC).cidrMask(24).build(),
                        SubnetConfiguration.builder().name("private").subnetType(SubnetType.PRIVATE_WITH_EGRESS).cidrMask(22).build()))
                .flowLogs(Map.of("Rejected", FlowLogOptions.builder()
                        .destination(FlowLogDestination.toCloudWatchLogs())
                        .trafficType(FlowLogTrafficType.REJECT)
                        .build()))
                .build();
    }

    static IHostedZone zone(Construct scope, Settings s) {
        return HostedZone.fromHostedZoneAttributes(scope, "Zone", HostedZoneAttributes.builder()
                .hostedZoneId(s.hostedZoneId()).zoneName(s.hostedZoneName()).build());
    }
}
