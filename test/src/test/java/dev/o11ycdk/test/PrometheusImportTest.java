package dev.o11ycdk.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.o11ycdk.core.ScrapeOptions;
import dev.o11ycdk.fargate.FargatePrometheus;
import dev.o11ycdk.fargate.IFargatePrometheus;
import dev.o11ycdk.fargate.PrometheusAttributes;
import dev.o11ycdk.test.support.Cfn;
import dev.o11ycdk.test.support.Synth;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.ec2.ISubnet;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ec2.VpcAttributes;

/**
 * The platform's Prometheus as a team's stack imports it, each in a fresh stack: from SSM, a
 * parameter appears in the stack only once the team's code uses what it holds, and the VPC comes
 * back with one private subnet per assumed zone and the rule that checks the assumption.
 */
class PrometheusImportTest {
    private static final String PREFIX = "/o11y-cdk/platform";

    private static Stack stack() {
        return new Stack(Synth.newApp(Map.of(), null), "Team", StackProps.builder()
                .env(Environment.builder().region("ap-northeast-2").build()).build());
    }

    /** The SSM parameters the stack's template reads, by name (CDK's bootstrap version aside). */
    private static List<String> reads(Stack stack) {
        Map<?, ?> parameters = (Map<?, ?>) Template.fromStack(stack).toJSON().get("Parameters");
        return parameters.values().stream().map(p -> String.valueOf(((Map<?, ?>) p).get("Default")))
                .filter(name -> name.startsWith(PREFIX + "/")).map(name -> name.substring(PREFIX.length() + 1)).sorted().toList();
    }

    /** The logical id of the stack's CloudFormation parameter that reads {@code name}. */
    private static String parameterId(Stack stack, String name) {
        Map<?, ?> parameters = (Map<?, ?>) Template.fromStack(stack).toJSON().get("Parameters");
        return parameters.entrySet().stream().filter(e -> (PREFIX + "/" + name).equals(((Map<?, ?>) e.getValue()).get("Default")))
                .map(e -> String.valueOf(e.getKey())).findFirst().orElseThrow();
    }

    @Test
    void aStackThatOnlyScrapesReadsTheSecurityGroupIdAlone() {
        Stack stack = stack();
        IFargatePrometheus prometheus = FargatePrometheus.fromSsm(stack, "Prometheus", PREFIX);
        // Twice, and with queries (a second use of the security group): still one import of each.
        prometheus.scrape(SecurityGroup.fromSecurityGroupId(stack, "Legacy", "sg-0123456789abcdef0"),
                ScrapeOptions.builder().name("legacy").port(9000).allowQueries(true).build());
        prometheus.scrape(SecurityGroup.fromSecurityGroupId(stack, "Batch", "sg-0fedcba9876543210"),
                ScrapeOptions.builder().name("batch").port(9100).build());
        assertThat(reads(stack)).containsExactly("security-group-id");
        assertThat(Template.fromStack(stack).toJSON().get("Rules")).asString().doesNotContain("VpcZones");
    }

    @Test
    void eachGetterAddsOnlyTheParametersItNeeds() {
        Map<String, Consumer<IFargatePrometheus>> uses = new TreeMap<>(Map.of(
                "cluster-name", IFargatePrometheus::getClusterName,
                "namespace-name", IFargatePrometheus::getInternalUrl,
                "namespace-arn,namespace-id,namespace-name", IFargatePrometheus::getNamespace,
                "security-group-id", IFargatePrometheus::getSecurityGroupId,
                "availability-zone-count,private-subnets,vpc-id", IFargatePrometheus::getVpc));
        uses.forEach((expected, use) -> {
            Stack stack = stack();
            IFargatePrometheus prometheus = FargatePrometheus.fromSsm(stack, "Prometheus", PREFIX);
            use.accept(prometheus);
            use.accept(prometheus); // kept: a second call adds nothing (nor fails on a duplicate construct id)
            assertThat(String.join(",", reads(stack))).as(expected).isEqualTo(expected);
        });
        assertThat(String.join(",", reads(stackWith(p -> { })))).isEmpty();
    }

    private static Stack stackWith(Consumer<IFargatePrometheus> use) {
        Stack stack = stack();
        use.accept(FargatePrometheus.fromSsm(stack, "Prometheus", PREFIX));
        return stack;
    }

    @Test
    void theVpcComesBackFromSsmWithOnePrivateSubnetPerZoneEachWithItsZone() {
        Stack stack = stack();
        IFargatePrometheus prometheus = FargatePrometheus.fromSsm(stack, "Prometheus", PREFIX);
        IVpc vpc = prometheus.getVpc();
        assertThat(prometheus.getVpc()).isSameAs(vpc);
        assertThat(vpc.getPublicSubnets()).isEmpty();
        assertThat(vpc.getIsolatedSubnets()).isEmpty();
        List<ISubnet> subnets = vpc.getPrivateSubnets();
        assertThat(subnets).hasSize(FargatePrometheus.DEFAULT_AVAILABILITY_ZONES);
        String list = parameterId(stack, "private-subnets");
        assertThat(Cfn.json(stack.resolve(vpc.getVpcId()))).isEqualTo("{\"Ref\":\"" + parameterId(stack, "vpc-id") + "\"}");
        for (int i = 0; i < subnets.size(); i++) {
            String entry = "{\"Fn::Split\":[\":\",{\"Fn::Select\":[" + i + ",{\"Ref\":\"" + list + "\"}]}]}";
            assertThat(Cfn.json(stack.resolve(subnets.get(i).getSubnetId()))).isEqualTo("{\"Fn::Select\":[1," + entry + "]}");
            assertThat(Cfn.json(stack.resolve(subnets.get(i).getAvailabilityZone()))).isEqualTo("{\"Fn::Select\":[0," + entry + "]}");
        }
        assertThat(Cfn.json(stack.resolve(vpc.getAvailabilityZones())))
                .isEqualTo(Cfn.json(stack.resolve(subnets.stream().map(ISubnet::getAvailabilityZone).toList())));
        Map<?, ?> parameters = (Map<?, ?>) Template.fromStack(stack).toJSON().get("Parameters");
        assertThat(((Map<?, ?>) parameters.get(list)).get("Type")).isEqualTo("AWS::SSM::Parameter::Value<List<String>>");
        // The assumption, checked by CloudFormation before the stack changes.
        assertThat(Cfn.json(Template.fromStack(stack).toJSON().get("Rules"))).contains("{\"PrometheusVpcZones",
                "{\"Assertions\":[{\"Assert\":{\"Fn::Equals\":[{\"Ref\":\"" + parameterId(stack, "availability-zone-count") + "\"},\"2\"]},"
                        + "\"AssertDescription\":\"availabilityZones = 2: the platform's VPC spans another number of zones "
                        + "(/o11y-cdk/platform/availability-zone-count); give that count to FargatePrometheus.fromSsm\"}]}");
    }

    @Test
    void aPlatformInThreeZonesIsImportedWithThatCount() {
        Stack stack = stack();
        IVpc vpc = FargatePrometheus.fromSsm(stack, "Prometheus", PREFIX, 3).getVpc();
        assertThat(vpc.getPrivateSubnets()).hasSize(3);
        assertThat(Cfn.json(stack.resolve(vpc.getPrivateSubnets().get(2).getSubnetId()))).contains("{\"Fn::Select\":[2,");
        assertThat(Cfn.json(Template.fromStack(stack).toJSON().get("Rules"))).contains("\"3\"]},\"AssertDescription\":\"availabilityZones = 3:");
        assertThatThrownBy(() -> FargatePrometheus.fromSsm(stack(), "Prometheus", PREFIX, 0))
                .hasMessage("availabilityZones = 0: must be in 1..16");
    }

    @Test
    void importedByAttributesTheVpcIsTheOneGivenOrItsAbsenceIsNamed() {
        Stack stack = stack();
        IVpc given = Vpc.fromVpcAttributes(stack, "Vpc", VpcAttributes.builder().vpcId("vpc-0123456789abcdef0")
                .availabilityZones(List.of("ap-northeast-2a")).privateSubnetIds(List.of("subnet-0aaaaaaaaaaaaaaaa")).build());
        PrometheusAttributes.Builder attrs = PrometheusAttributes.builder().securityGroupId("sg-0123456789abcdef0")
                .clusterName("o11y-platform").namespaceName("o11y.local");
        assertThat(FargatePrometheus.fromPrometheusAttributes(stack, "WithVpc", attrs.vpc(given).build()).getVpc()).isSameAs(given);
        IFargatePrometheus without = FargatePrometheus.fromPrometheusAttributes(stack, "WithoutVpc", PrometheusAttributes.builder()
                .securityGroupId("sg-0123456789abcdef0").clusterName("o11y-platform").namespaceName("o11y.local").build());
        assertThat(without.getNamespace()).isNull();
        assertThat(without.getInternalUrl()).isEqualTo("http://prometheus.o11y.local:9090");
        assertThatThrownBy(without::getVpc).hasMessage("WithoutVpc vpc = null: give PrometheusAttributes.vpc, or import with "
                + "FargatePrometheus.fromSsm");
    }

    @Test
    void theLivePrometheusGivesItsClustersVpc() {
        FargatePrometheus live = Synth.defaults().stacks().fargate().getPrometheus();
        assertThat(live.getVpc()).isSameAs(live.getService().getCluster().getVpc());
    }
}
