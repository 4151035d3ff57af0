package dev.o11ycdk.test.support;

import software.amazon.awscdk.App;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.constructs.Construct;

/**
 * One construct in a stack of its own, as another team's app would hold it: an App with cdk.json's
 * feature flags (a bare {@code new App()} has none), a stack in the seed's region, no account (no
 * look-ups), and a two-zone VPC on demand.
 */
public final class FreshStack {
    public static final String REGION = "ap-northeast-2";

    private final App app;
    private final Stack stack;
    private Vpc vpc;

    private FreshStack(String id, String region) {
        this.app = App.Builder.create().context(CdkJson.context()).build();
        StackProps.Builder props = StackProps.builder();
        if (region != null) {
            props.env(Environment.builder().region(region).build());
        }
        this.stack = new Stack(app, id, props.build());
    }

    /** A stack {@code id} in the seed's region. */
    public static FreshStack of(String id) {
        return new FreshStack(id, REGION);
    }

    /** A stack without a region, for the constructs that must refuse one. */
    public static FreshStack withoutRegion(String id) {
        return new FreshStack(id, null);
    }

    public Stack stack() {
        return stack;
    }

    public App app() {
        return app;
    }

    /** A VPC with public, private (NAT) and, when asked, isolated subnets in two zones. */
    public Vpc vpc() {
        if (vpc == null) {
            vpc = Vpc.Builder.create(stack, "Vpc").maxAzs(2).natGateways(1).build();
        }
        return vpc;
    }

    /** A VPC whose private subnets have no route out (seed 004, problem 6). */
    public Vpc isolatedVpc() {
        return Vpc.Builder.create(stack, "IsolatedVpc").maxAzs(2).natGateways(0).subnetConfiguration(java.util.List.of(
                SubnetConfiguration.builder().name("public").subnetType(SubnetType.PUBLIC).build(),
                SubnetConfiguration.builder().name("isolated").subnetType(SubnetType.PRIVATE_ISOLATED).build())).build();
    }

    /** The stack's template, synthesized now. */
    public Template template() {
        return Template.fromStack(stack);
    }

    public Annotations annotations() {
        return Annotations.fromStack(stack);
    }

    /** {@code construct}'s L1 logical id prefix, as {@code Match.stringLikeRegexp} wants it. */
    public static String idOf(Construct construct) {
        return construct.getNode().getPath().replace("/", "").replace("-", "") + ".*";
    }
}
