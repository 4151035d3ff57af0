package dev.o11ycdk.test.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.o11ycdk.config.Check;
import dev.o11ycdk.core.ScrapeOptions;
import dev.o11ycdk.host.HostScrapeRegistration;
import dev.o11ycdk.host.IObservabilityHost;
import dev.o11ycdk.host.ObservabilityInstance;
import dev.o11ycdk.host.ObservabilityInstanceProps;
import dev.o11ycdk.test.support.Cfn;
import dev.o11ycdk.test.support.FreshStack;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.autoscaling.AutoScalingGroup;
import software.amazon.awscdk.services.ec2.Instance;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.InstanceType;
import software.amazon.awscdk.services.ec2.MachineImage;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ec2.VpcAttributes;
import software.amazon.awscdk.services.secretsmanager.Secret;

/**
 * A team's stack onboarding instances to the EC2 host ({@link IObservabilityHost#scrape}): the tags
 * on the instance or group itself (not on what sits beside it), the rule on the team's security group
 * in the team's stack, the one SSM parameter read, and the live host of the same app read through SSM
 * from another stack.
 */
class HostOnboardingTest {
    private static final String PREFIX = ObservabilityInstance.DEFAULT_SSM_PREFIX;

    private static Instance instance(FreshStack f) {
        return Instance.Builder.create(f.stack(), "Batch").vpc(f.vpc()).instanceType(new InstanceType("t3.micro"))
                .machineImage(MachineImage.genericLinux(Map.of(FreshStack.REGION, "ami-0123456789abcdef0"))).build();
    }

    @Test
    void anInstanceGetsTheDiscoveryTagsAndItsSecurityGroupAdmitsTheHostOnTheMetricsPort() {
        FreshStack f = FreshStack.of("Team");
        IObservabilityHost host = ObservabilityInstance.fromSsm(f.stack(), "Host", PREFIX);
        Instance batch = instance(f);
        HostScrapeRegistration r = host.scrape(batch, ScrapeOptions.builder().name("batch").port(9200).metricsPath("/m")
                .env("staging").team("data").build());
        assertThat(r.getTags()).containsExactlyInAnyOrderEntriesOf(Map.of("O11Y_SCRAPE_PORT", "9200", "O11Y_METRICS_PATH", "/m",
                "O11Y_SERVICE", "batch", "O11Y_ENV", "staging", "O11Y_TEAM", "data"));
        Map<String, Object> t = Template.fromStack(f.stack()).toJSON();
        assertThat(Cfn.tags(Cfn.onlyResource(t, "AWS::EC2::Instance"), false)).containsAllEntriesOf(r.getTags());
        // Only the instance: its security group and role carry none of the discovery tags.
        for (String type : List.of("AWS::EC2::SecurityGroup", "AWS::IAM::Role")) {
            Cfn.ofType(t, type).forEach(res -> assertThat(Cfn.tags(res, false)).doesNotContainKey("O11Y_SERVICE"));
        }
        String hostGroup = Cfn.ssmParameterId(t, PREFIX + "/security-group-id");
        assertThat(Cfn.ofType(t, "AWS::EC2::SecurityGroupIngress")).singleElement().satisfies(rule -> assertThat(Cfn.props(rule))
                .containsEntry("FromPort", 9200).containsEntry("ToPort", 9200).containsEntry("IpProtocol", "tcp")
                .containsEntry("SourceSecurityGroupId", Map.of("Ref", hostGroup)));
        assertThat(Cfn.ssmParameterNames(t)).containsExactly(PREFIX + "/security-group-id");
    }

    @Test
    void anAutoScalingGroupPutsTheTagsOnEveryInstanceItLaunches() {
        FreshStack f = FreshStack.of("Team");
        IObservabilityHost host = ObservabilityInstance.fromSsm(f.stack(), "Host", PREFIX);
        AutoScalingGroup api = AutoScalingGroup.Builder.create(f.stack(), "Api").vpc(f.vpc()).instanceType(new InstanceType("t3.small"))
                .machineImage(MachineImage.genericLinux(Map.of(FreshStack.REGION, "ami-0123456789abcdef0"))).build();
        host.scrape(api, ScrapeOptions.builder().name("api").port(8080).build());
        Map<String, Object> t = Template.fromStack(f.stack()).toJSON();
        Map<String, Object> group = Cfn.onlyResource(t, "AWS::AutoScaling::AutoScalingGroup");
        assertThat(Cfn.tags(group, true)).containsAllEntriesOf(Map.of("O11Y_SCRAPE_PORT", "8080", "O11Y_METRICS_PATH", "/metrics",
                "O11Y_SERVICE", "api")).doesNotContainKeys("O11Y_ENV", "O11Y_TEAM");
        assertThat(Cfn.tags(group, false)).isEqualTo(Cfn.tags(group, true));
    }

    @Test
    void allowQueriesOpensTheHostsPrometheusToTheTeamFromTheTeamsStack() {
        FreshStack f = FreshStack.of("Team");
        IObservabilityHost host = ObservabilityInstance.fromSsm(f.stack(), "Host", PREFIX);
        SecurityGroup team = SecurityGroup.Builder.create(f.stack(), "Group").vpc(f.vpc()).allowAllOutbound(false).build();
        HostScrapeRegistration r = host.scrape(team, ScrapeOptions.builder().name("legacy").port(9000).allowQueries(true).build());
        assertThat(r.getPort()).isEqualTo(9000);
        assertThat(r.getTags()).containsEntry("O11Y_SERVICE", "legacy");
        Map<String, Object> t = Template.fromStack(f.stack()).toJSON();
        String hostGroup = Cfn.ssmParameterId(t, PREFIX + "/security-group-id");
        assertThat(Cfn.ofType(t, "AWS::EC2::SecurityGroupIngress")).extracting(rule -> List.of(Cfn.props(rule).get("FromPort"),
                        Cfn.props(rule).get("GroupId"), Cfn.props(rule).getOrDefault("SourceSecurityGroupId", "")))
                .anySatisfy(rule -> assertThat(rule.get(0)).isEqualTo(9090))
                .anySatisfy(rule -> assertThat(rule).containsExactly(9000, Map.of("Fn::GetAtt", List.of(f.stack().getLogicalId(
                        (software.amazon.awscdk.CfnElement) team.getNode().getDefaultChild()), "GroupId")), Map.of("Ref", hostGroup)));
        assertThat(Cfn.ofType(t, "AWS::EC2::SecurityGroupIngress")).filteredOn(rule -> Integer.valueOf(9090).equals(Cfn.props(rule).get("FromPort")))
                .singleElement().satisfies(rule -> assertThat(Cfn.props(rule)).containsEntry("GroupId", Map.of("Ref", hostGroup)));
    }

    private static ObservabilityInstance platform(FreshStack f) {
        ObservabilityInstance host = unpublished(f);
        host.publishToSsm(PREFIX);
        return host;
    }

    private static ObservabilityInstance unpublished(FreshStack f) {
        return new ObservabilityInstance(f.stack(), "Host", ObservabilityInstanceProps.builder().vpc(f.vpc())
                .slackWebhookSecret(Secret.fromSecretNameV2(f.stack(), "Slack", "o11y/slack-webhook")).build());
    }

    private static Stack teamStack(FreshStack f, String id) {
        return new Stack(f.app(), id, StackProps.builder()
                .env(software.amazon.awscdk.Environment.builder().region(FreshStack.REGION).build()).build());
    }

    private static Instance teamInstance(Stack teamStack, String id) {
        IVpc vpc = (IVpc) teamStack.getNode().tryFindChild("Vpc");
        if (vpc == null) {
            vpc = Vpc.fromVpcAttributes(teamStack, "Vpc", VpcAttributes.builder().vpcId("vpc-0a1b2c3d4e5f60718")
                    .availabilityZones(List.of(FreshStack.REGION + "a")).privateSubnetIds(List.of("subnet-0a1b2c3d4e5f60718")).build());
        }
        return Instance.Builder.create(teamStack, id).vpc(vpc).instanceType(new InstanceType("t3.micro"))
                .machineImage(MachineImage.genericLinux(Map.of(FreshStack.REGION, "ami-0123456789abcdef0"))).build();
    }

    @Test
    void aTeamStackImportsThePublishedHostOnceAndAnUnpublishedHostIsReferencedWithAWarning() {
        FreshStack f = FreshStack.of("Platform");
        ObservabilityInstance host = platform(f);
        Stack team = teamStack(f, "Team");
        host.scrape(teamInstance(team, "Batch"), ScrapeOptions.builder().name("batch").port(9200).build());
        host.scrape(teamInstance(team, "Worker"), ScrapeOptions.builder().name("worker").port(9300).build());
        Map<String, Object> t = Template.fromStack(team).toJSON();
        // Two scrapes, one import in the team's stack reading the parameter, and that stack deploys after the platform's.
        assertThat(team.getNode().getChildren()).filteredOn(c -> c instanceof IObservabilityHost).hasSize(1);
        assertThat(((Map<?, ?>) t.get("Parameters")).keySet().stream().filter(k -> String.valueOf(k).startsWith("SsmParameterValue")))
                .hasSize(1);
        assertThat(team.getDependencies()).extracting(Stack::getStackName).containsExactly("Platform");
        Annotations.fromStack(team).hasNoWarning("*", Match.stringLikeRegexp(".*from another stack.*"));

        FreshStack g = FreshStack.of("Platform");
        ObservabilityInstance direct = unpublished(g);
        Stack other = teamStack(g, "Other");
        direct.scrape(teamInstance(other, "Batch"), ScrapeOptions.builder().name("batch").port(9200).build());
        Annotations.fromStack(other).hasWarning("/Other/Batch", Match.stringLikeRegexp(
                "Opting Other/Batch in from another stack references the host's security group directly, which adds an export.*"
                        + "call publishToSsm on the ObservabilityInstance first.*"));
    }

    @Test
    void fromAnotherStackOfTheSameAppTheLiveHostIsReadThroughSsmSoItsTemplateGainsNothing() {
        FreshStack alone = FreshStack.of("Platform");
        platform(alone);
        String before = Cfn.json(Template.fromStack(alone.stack()).toJSON());

        FreshStack f = FreshStack.of("Platform");
        ObservabilityInstance host = platform(f);
        Stack teamStack = new Stack(f.app(), "Team", StackProps.builder()
                .env(software.amazon.awscdk.Environment.builder().region(FreshStack.REGION).build()).build());
        Instance batch = Instance.Builder.create(teamStack, "Batch")
                .vpc(Vpc.fromVpcAttributes(teamStack, "Vpc", VpcAttributes.builder().vpcId("vpc-0a1b2c3d4e5f60718")
                        .availabilityZones(List.of(FreshStack.REGION + "a")).privateSubnetIds(List.of("subnet-0a1b2c3d4e5f60718")).build()))
                .instanceType(new InstanceType("t3.micro"))
                .machineImage(MachineImage.genericLinux(Map.of(FreshStack.REGION, "ami-0123456789abcdef0"))).build();
        host.scrape(batch, ScrapeOptions.builder().name("batch").port(9200).build());
        Map<String, Object> team = Template.fromStack(teamStack).toJSON();
        assertThat(Cfn.ssmParameterNames(team)).contains(PREFIX + "/security-group-id");
        assertThat(Cfn.json(team)).doesNotContain("Fn::ImportValue");
        Map<String, Object> platform = Template.fromStack(f.stack()).toJSON();
        assertThat(Cfn.json(platform)).as("the host's template with a team's stack beside it").isEqualTo(before);
        assertThat(Cfn.ofType(platform, "AWS::SSM::Parameter")).singleElement().satisfies(p -> assertThat(Cfn.props(p))
                .containsEntry("Name", PREFIX + "/security-group-id"));
        assertThatThrownBy(() -> host.publishToSsm("/o11y-cdk/again")).isInstanceOf(Check.BadValue.class)
                .hasMessage("hostSsmParameterPrefix = '/o11y-cdk/again': the host is already published under " + PREFIX);
    }
}
