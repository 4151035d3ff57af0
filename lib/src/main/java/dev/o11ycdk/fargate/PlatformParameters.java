package dev.o11ycdk.fargate;

import dev.o11ycdk.config.Check;
import dev.o11ycdk.core.internal.CrossStackImport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jetbrains.annotations.Nullable;
import software.amazon.awscdk.CfnRule;
import software.amazon.awscdk.CfnRuleAssertion;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.services.ec2.ISubnet;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ec2.VpcAttributes;
import software.amazon.awscdk.services.ssm.ParameterValueType;
import software.amazon.awscdk.services.ssm.StringListParameter;
import software.amazon.awscdk.services.ssm.StringParameter;
import software.constructs.Construct;
import software.constructs.IConstruct;

/**
 * The platform's Prometheus as SSM parameters under a prefix: written by the platform's stack
 * ({@link FargatePrometheus#publishToSsm}), read by a team's stack at deploy time
 * ({@link FargatePrometheus#fromSsm}), so neither stack exports to or looks up the other. A
 * reading stack gets a CloudFormation parameter for each value it uses, and no other.
 *
 * <p>The VPC: a stack's IVpc needs its subnet list's length at synth, which SSM only knows at
 * deploy time. The platform publishes one private subnet per availability zone, each as
 * {@code <zone>:<subnet-id>} in one StringList (a zone always travels with its subnet, and one
 * parameter serves both), and the count of zones; the reading stack assumes a count (two by
 * default, the app's VPC) and carries a CloudFormation rule that stops its deploy, before any
 * change, when the published count differs.
 */
final class PlatformParameters {
    static final String PRIVATE_SUBNETS = "private-subnets";
    static final String ZONE_COUNT = "availability-zone-count";
    static final List<String> NAMES = List.of("security-group-id", "cluster-name", "namespace-name", "namespace-id",
            "namespace-arn", "vpc-id", PRIVATE_SUBNETS, ZONE_COUNT);
    /** More than any region has; only to catch a typo such as 22. */
    static final int MAX_ZONES = 16;

    private final String prefix;
    private final int zones;

    private PlatformParameters(String prefix, int zones) {
        this.prefix = prefix;
        this.zones = zones;
    }

    String prefix() {
        return prefix;
    }

    static String checkPrefix(String prefix) {
        return CrossStackImport.checkPrefix(prefix, FargatePrometheus.DEFAULT_SSM_PREFIX);
    }

    /** One parameter per name, {@code Ssm-<name>} in the Prometheus construct. */
    static PlatformParameters publish(FargatePrometheus prometheus, String prefix) {
        IVpc vpc = prometheus.getVpc();
        // Where the platform's own services run (FargateComponent's default), one per zone.
        List<ISubnet> subnets = vpc.selectSubnets(SubnetSelection.builder().subnetType(SubnetType.PRIVATE_WITH_EGRESS)
                .onePerAz(true).build()).getSubnets();
        Map<String, String> values = new LinkedHashMap<>();
        values.put("security-group-id", prometheus.getSecurityGroupId());
        values.put("cluster-name", prometheus.getClusterName());
        values.put("namespace-name", prometheus.getNamespace().getNamespaceName());
        values.put("namespace-id", prometheus.getNamespace().getNamespaceId());
        values.put("namespace-arn", prometheus.getNamespace().getNamespaceArn());
        values.put("vpc-id", vpc.getVpcId());
        values.forEach((name, value) -> StringParameter.Builder.create(prometheus, "Ssm-" + name)
                .parameterName(prefix + "/" + name)
                .stringValue(value)
                .description(description(name))
                .build());
        StringListParameter.Builder.create(prometheus, "Ssm-" + PRIVATE_SUBNETS)
                .parameterName(prefix + "/" + PRIVATE_SUBNETS)
                .stringListValue(subnets.stream().map(s -> s.getAvailabilityZone() + ":" + s.getSubnetId()).toList())
                .description(description(PRIVATE_SUBNETS + " (availability-zone:subnet-id, one per zone)"))
                .build();
        StringParameter.Builder.create(prometheus, "Ssm-" + ZONE_COUNT)
                .parameterName(prefix + "/" + ZONE_COUNT)
                .stringValue(String.valueOf(subnets.size()))
                .description(description(ZONE_COUNT))
                .build();
        return new PlatformParameters(prefix, subnets.size());
    }

    private static String description(String what) {
        return "o11y-cdk: Prometheus " + what + ", read by service stacks with FargatePrometheus.fromSsm";
    }

    /**
     * The parameters under {@code prefix} as the platform's Prometheus, in a VPC of {@code zones}
     * availability zones; each becomes a CloudFormation parameter of {@code scope}'s stack on first use.
     */
    static IFargatePrometheus read(Construct scope, String id, String prefix, int zones) {
        checkPrefix(prefix);
        Check.range("availabilityZones", zones, 1, MAX_ZONES);
        return new ImportedPrometheus(scope, id, name -> StringParameter.valueForStringParameter(scope, prefix + "/" + name),
                imported -> vpc(imported, prefix, zones));
    }

    /** The published VPC with its {@code zones} private subnets, and the rule that checks the count at deploy time. */
    private static IVpc vpc(Construct scope, String prefix, int zones) {
        List<String> entries = StringListParameter.valueForTypedListParameter(scope, prefix + "/" + PRIVATE_SUBNETS,
                ParameterValueType.STRING);
        List<String> zoneNames = new ArrayList<>();
        List<String> subnetIds = new ArrayList<>();
        for (int i = 0; i < zones; i++) {
            List<String> entry = Fn.split(":", Fn.select(i, entries), 2);
            zoneNames.add(entry.get(0));
            subnetIds.add(entry.get(1));
        }
        String published = StringParameter.valueForStringParameter(scope, prefix + "/" + ZONE_COUNT);
        CfnRule.Builder.create(scope, "VpcZones").assertions(List.of(CfnRuleAssertion.builder()
                .assertValue(Fn.conditionEquals(published, String.valueOf(zones)))
                .assertDescription(Check.bad("availabilityZones", zones, "the platform's VPC spans another number of zones ("
                        + prefix + "/" + ZONE_COUNT + "); give that count to FargatePrometheus.fromSsm").getMessage())
                .build())).build();
        return Vpc.fromVpcAttributes(scope, "Vpc", VpcAttributes.builder()
                .vpcId(StringParameter.valueForStringParameter(scope, prefix + "/vpc-id"))
                .availabilityZones(zoneNames)
                .privateSubnetIds(subnetIds)
                .build());
    }

    /**
     * The platform's Prometheus as a construct of another stack sees it: itself in its own stack;
     * elsewhere, once {@code published}, read through the parameters (one import per stack and
     * prefix), else itself with a warning (a direct reference adds an export).
     */
    static IFargatePrometheus seenFrom(FargatePrometheus prometheus, @Nullable PlatformParameters published, IConstruct construct) {
        return CrossStackImport.seenFrom((IFargatePrometheus) prometheus, published == null ? null : published.prefix, construct,
                IFargatePrometheus.class, "@o11y-cdk/prometheus:crossStackScrape", "references Prometheus' security group "
                        + "directly, which adds an export to the platform's stack; call publishToSsm on the FargatePrometheus "
                        + "first and teams' stacks import it through SSM instead.",
                "O11yPrometheus", "reads the SSM parameters of the platform's Prometheus",
                (there, id) -> read(there, id, published.prefix, published.zones));
    }
}
