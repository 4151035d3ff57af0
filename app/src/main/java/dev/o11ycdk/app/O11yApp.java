package dev.o11ycdk.app;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;
import java.util.List;
import software.amazon.awscdk.TagProps;
import software.amazon.awscdk.Tags;

/** Entry point: reads the settings once, builds the stacks, applies cdk-nag, synthesizes. */
public final class O11yApp {
    private O11yApp() {
    }

    public static void main(String[] args) {
        App app = new App();
        Stacks stacks = build(app, Settings.from(app));
        app.synth();
        RenderedFiles.write(java.nio.file.Path.of(app.getOutdir()), stacks);
        // Seed success criterion: alerts within 2 minutes. Shown on every synth, warned where a goal is missed.
        System.err.println("o11y-cdk worst-case alert delay (scrape + evaluation + for + group_wait), O11yFargate:");
        System.err.print(dev.o11ycdk.config.AlertDelay.table(stacks.fargate().getPrometheus().getAlertDelays()));
    }

    /** Builds every stack of the app; shared by main and the tests. */
    public static Stacks build(App app, Settings s) {
        Environment.Builder env = Environment.builder().region(s.region());
        if (s.account() != null) {
            env.account(s.account());
        }
        Ec2HostStack ec2 = new Ec2HostStack(app, "O11yEc2Host", StackProps.builder().env(env.build())
                .description("o11y-cdk: Prometheus + Grafana on one EC2 host behind an HTTPS ALB").build(), s);
        FargateStack fargate = new FargateStack(app, "O11yFargate", StackProps.builder().env(env.build())
                .description("o11y-cdk: Prometheus, Grafana, CloudWatch exporter, Alertmanager on ECS Fargate").build(), s);
        // Listener rules and dashboards are left untagged: they carry no cost, and cfn-lint 1.51's schema
        // predates their Tags.
        Tags.of(app).add("project", "o11y-cdk", TagProps.builder()
                .excludeResourceTypes(List.of("AWS::ElasticLoadBalancingV2::ListenerRule", "AWS::CloudWatch::Dashboard")).build());
        Aspects.of(app).add(new AwsSolutionsChecks(NagPackProps.builder().verbose(true).build()));
        return new Stacks(ec2, fargate);
    }

    /** The stacks the app builds. */
    public record Stacks(Ec2HostStack ec2Host, FargateStack fargate) {
    }
}
