package dev.o11ycdk.app;

import dev.o11ycdk.config.AlertDelay;
import dev.o11ycdk.core.StackLimits;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.TagProps;
import software.amazon.awscdk.Tags;
import software.amazon.awscdk.cxapi.CloudAssembly;
import software.amazon.awscdk.cxapi.CloudFormationStackArtifact;

/** Entry point: reads the settings once, builds the stacks, applies cdk-nag, synthesizes, checks the limits. */
public final class O11yApp {
    private O11yApp() {
    }

    public static void main(String[] args) {
        Synthesized result = synthesize(new App());
        if (!result.errors().isEmpty()) {
            // One line per problem, no stack trace, exit code 1: nothing was deployed.
            result.errors().forEach(System.err::println);
            System.exit(1);
            return;
        }
        // Seed success criterion: alerts within 2 minutes. Shown on every synth, warned where a goal is missed.
        if (result.stacks().ec2Host() != null) {
            System.err.println("o11y-cdk worst-case alert delay (scrape + evaluation + for + group_wait), O11yEc2Host:");
            System.err.print(AlertDelay.table(result.stacks().ec2Host().getHost().getAlertDelays()));
        }
        if (result.stacks().fargate() != null) {
            System.err.println("o11y-cdk worst-case alert delay (scrape + evaluation + for + group_wait), O11yFargate:");
            System.err.print(AlertDelay.table(result.stacks().fargate().getPrometheus().getAlertDelays()));
        }
        if (result.stacks().eks() != null) {
            System.err.println("o11y-cdk worst-case alert delay (scrape + evaluation + for + group_wait), O11yEks:");
            System.err.print(AlertDelay.table(result.stacks().eks().getMonitoring().getAlertDelays()));
        }
        CostReport.print(result.assembly(), result.settings(), result.stacks());
    }

    /**
     * What {@code main} does before it prints: reads the settings, builds the stacks, synthesizes,
     * checks the limits. A problem comes back as the lines {@code main} prints ({@code o11y-cdk: ...},
     * one each); a bad setting stops it before any construct is built, so no template is written.
     */
    public static Synthesized synthesize(App app) {
        Context context = new Context(app.getNode());
        try {
            Settings settings = Settings.from(app);
            Stacks stacks = build(app, settings);
            CloudAssembly assembly = app.synth();
            return new Synthesized(settings, stacks, assembly, lines(checkLimits(assembly).stream()));
        } catch (IllegalArgumentException e) {
            return new Synthesized(null, null, null, lines(e.getMessage().lines()));
        } catch (RuntimeException e) {
            // A construct's validation (e.g. ECS's 64 KiB task-definition limit) surfaces as CDK's report.
            List<String> lines = e.getMessage() == null ? List.of() : lines(e.getMessage().lines()
                    .filter(l -> l.contains("o11y-cdk:") || l.contains(" = "))
                    .map(l -> l.strip().replaceFirst("^\\[[^\\]]+\\]\\s*", "").replaceFirst("^o11y-cdk: ", ""))
                    .map(context::withValue).distinct());
            if (lines.isEmpty()) {
                throw e;
            }
            return new Synthesized(null, null, null, lines);
        }
    }

    private static List<String> lines(java.util.stream.Stream<String> messages) {
        return messages.map(l -> l.startsWith("o11y-cdk: ") ? l : "o11y-cdk: " + l).toList();
    }

    /** The outcome of {@link #synthesize}: the app's settings, stacks and assembly, or the error lines (then the rest is null). */
    public record Synthesized(Settings settings, Stacks stacks, CloudAssembly assembly, List<String> errors) {
    }

    /** Every stack's template against CloudFormation's limits (500 resources, 1 MB, 200 outputs). */
    @SuppressWarnings("unchecked")
    public static List<String> checkLimits(CloudAssembly assembly) {
        List<String> errors = new ArrayList<>();
        for (CloudFormationStackArtifact stack : assembly.getStacks()) {
            try {
                long bytes = Files.size(Path.of(stack.getTemplateFullPath()));
                errors.addAll(StackLimits.check(stack.getStackName(), (Map<String, Object>) stack.getTemplate(), bytes));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return errors;
    }

    /**
     * Builds every stack of the app; shared by main and the tests. First the pinned versions are
     * read against the support calendar: one past its end stops it before any construct is built.
     */
    public static Stacks build(App app, Settings s) {
        Context context = new Context(app.getNode());
        SupportChecks.requireNotEnded(context, s);
        Environment.Builder env = Environment.builder().region(s.region());
        if (s.account() != null) {
            env.account(s.account());
        }
        Ec2HostStack ec2 = !s.layouts().contains("ec2") ? null : new Ec2HostStack(app, "O11yEc2Host", StackProps.builder()
                .env(env.build()).description("o11y-cdk: Prometheus + Grafana on one EC2 host behind an HTTPS ALB").build(), s);
        FargateStack fargate = !s.layouts().contains("fargate") ? null : new FargateStack(app, "O11yFargate", StackProps.builder()
                .env(env.build()).description("o11y-cdk: Prometheus, Grafana, CloudWatch exporter, Alertmanager on ECS Fargate").build(), s);
        EksStack eks = !s.layouts().contains("eks") ? null : new EksStack(app, "O11yEks", StackProps.builder()
                .env(env.build()).description("o11y-cdk: kube-prometheus-stack, Loki and Alloy on EKS from Helm charts").build(), s);
        // Listener rules and dashboards are left untagged: they carry no cost, and cfn-lint 1.51's schema
        // predates their Tags.
        Tags.of(app).add("project", "o11y-cdk", TagProps.builder()
                .excludeResourceTypes(List.of("AWS::ElasticLoadBalancingV2::ListenerRule", "AWS::CloudWatch::Dashboard")).build());
        Aspects.of(app).add(new AwsSolutionsChecks(NagPackProps.builder().verbose(true).build()));
        if (s.alerting().heartbeatUrl() == null) {
            // Said once for the app (on its first stack), not once per Alertmanager.
            Stack first = ec2 != null ? ec2 : fargate != null ? fargate : eks;
            Annotations.of(first).addWarningV2("@o11y-cdk/app:noHeartbeat", "heartbeatUrl is empty: the always-firing Watchdog "
                    + "alert goes nowhere, so nothing tells you when Prometheus, Alertmanager or their egress stop. Set heartbeatUrl "
                    + "to a dead-man's switch (Healthchecks.io, Cronitor, Dead Man's Snitch) that pages when it stops "
                    + "arriving; it is sent every minute. Applies to every layout of this app.");
        }
        if (s.alerting().heartbeatUrl() != null && ec2 != null && fargate != null) {
            Annotations.of(ec2).addWarningV2("@o11y-cdk/app:sharedHeartbeat", "heartbeatUrl is pinged by the Alertmanager of "
                    + "both layouts: while one pipeline runs, the switch does not notice the other one dying. Give each "
                    + "deployed layout its own switch (one layout per app via 'layouts', or one app per layout).");
        }
        Stacks stacks = new Stacks(ec2, fargate, eks);
        SupportChecks.warn(context, s, stacks);
        return stacks;
    }

    /** The stacks the app builds; a layout left out of the 'layouts' setting is null. */
    public record Stacks(Ec2HostStack ec2Host, FargateStack fargate, EksStack eks) {
    }
}
