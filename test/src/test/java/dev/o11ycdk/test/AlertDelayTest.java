package dev.o11ycdk.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.o11ycdk.config.AlertDelay;
import dev.o11ycdk.config.AlertRules;
import dev.o11ycdk.config.PromDuration;
import dev.o11ycdk.config.Rule;
import dev.o11ycdk.config.RuleGroups;
import dev.o11ycdk.fargate.AlertmanagerService;
import dev.o11ycdk.fargate.AlertmanagerServiceProps;
import dev.o11ycdk.fargate.EfsStorage;
import dev.o11ycdk.fargate.EfsStorageProps;
import dev.o11ycdk.fargate.FargatePrometheus;
import dev.o11ycdk.fargate.FargatePrometheusProps;
import dev.o11ycdk.test.support.CdkJson;
import dev.o11ycdk.test.support.Synth;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ecs.CloudMapNamespaceOptions;
import software.amazon.awscdk.services.ecs.Cluster;
import software.amazon.awscdk.services.secretsmanager.Secret;

/** The worst-case alert delay computed from the model, and the synth warning when a goal is missed. */
class AlertDelayTest {

    @Test
    void worstCaseIsScrapePlusEvaluationPlusForPlusGroupWait() {
        Rule down = Rule.alert("ServiceDown", "up == 0", "2m", "critical", "s", "d", "https://x").withDelayGoal("2m");
        AlertDelay d = AlertDelay.of(down, PromDuration.parse("s", "15s"), PromDuration.parse("e", "15s"), PromDuration.parse("g", "10s"));
        assertThat(d.worstCaseSeconds()).isEqualTo(160);
        assertThat(d.meetsGoal()).isFalse();
        assertThat(d.describe()).isEqualTo("ServiceDown: 15s scrape + 15s evaluation + 2m for + 10s group_wait = 2m40s (goal 2m: MISSED by 40s)");
        AlertDelay faster = AlertDelay.of(down.withExpr(null, "1m"), PromDuration.parse("s", "15s"), PromDuration.parse("e", "15s"),
                PromDuration.parse("g", "10s"));
        assertThat(faster.worstCaseSeconds()).isEqualTo(100);
        assertThat(faster.meetsGoal()).isTrue();
    }

    @Test
    void defaultsMeetTheSeedsTwoMinuteGoalSoSynthWarnsOfNoMissedGoal() {
        Synth synth = Synth.defaults();
        assertThat(Annotations.fromStack(synth.stacks().fargate()).findWarning("*", Match.stringLikeRegexp(".*MISSED.*"))).isEmpty();
        assertThat(Annotations.fromStack(synth.stacks().ec2Host()).findWarning("*", Match.stringLikeRegexp(".*MISSED.*"))).isEmpty();
        assertThat(synth.stacks().ec2Host().getHost().getAlertDelays()).extracting(AlertDelay::describe)
                .contains("ServiceDown: 15s scrape + 15s evaluation + 1m for + 10s group_wait = 1m40s (goal 2m: met)");
        AlertDelay down = synth.stacks().fargate().getPrometheus().getAlertDelays().stream()
                .filter(d -> d.alert().equals("ServiceDown")).findFirst().orElseThrow();
        assertThat(down.describe()).isEqualTo("ServiceDown: 15s scrape + 15s evaluation + 1m for + 10s group_wait = 1m40s (goal 2m: met)");
        assertThat(synth.stacks().fargate().getPrometheus().getAlertDelays()).extracting(AlertDelay::alert)
                .contains("ServiceDown", "HighCPUUsage", "Watchdog");
    }

    @Test
    void theSeedsLiteralForCanStillBeSetAndSynthSaysItMissesTheGoal() {
        Synth synth = Synth.of(AlertingTest.SET); // serviceDownFor=2m among the other alerting settings
        Annotations.fromStack(synth.stacks().fargate()).hasWarning("/O11yFargate/Prometheus",
                Match.stringLikeRegexp("Alert ServiceDown: .* = 2m40s \\(goal 2m: MISSED by 40s\\).*"));
        Annotations.fromStack(synth.stacks().ec2Host()).hasWarning("/O11yEc2Host/Host",
                Match.stringLikeRegexp("Alert ServiceDown: .* = 2m40s \\(goal 2m: MISSED by 40s\\).*"));
    }

    @Test
    void aRuleThatMeetsItsGoalGetsNoWarning() {
        App app = App.Builder.create().context(CdkJson.context()).build();
        Stack stack = new Stack(app, "Probe", StackProps.builder().env(Environment.builder().region("ap-northeast-2").build()).build());
        Vpc vpc = Vpc.Builder.create(stack, "Vpc").maxAzs(2).build();
        Cluster cluster = Cluster.Builder.create(stack, "Cluster").vpc(vpc)
                .defaultCloudMapNamespace(CloudMapNamespaceOptions.builder().name("probe.local").vpc(vpc).build()).build();
        RuleGroups rules = AlertRules.defaults("https://x").override("ServiceDown", r -> r.withExpr(null, "1m")).toRuleGroups();
        FargatePrometheus prometheus = new FargatePrometheus(stack, "Prometheus", FargatePrometheusProps.builder()
                .cluster(cluster).storage(new EfsStorage(stack, "Storage", EfsStorageProps.builder().vpc(vpc).build()))
                .rules(rules).build());
        prometheus.useAlertmanager(new AlertmanagerService(stack, "Alertmanager", AlertmanagerServiceProps.builder()
                .cluster(cluster).slackWebhookSecret(Secret.fromSecretNameV2(stack, "Hook", "hook")).build()));
        assertThat(Annotations.fromStack(stack).findWarning("/Probe/Prometheus", Match.stringLikeRegexp(".*alertDelay.*|.*MISSED.*")))
                .isEmpty();
        assertThat(prometheus.getAlertDelays().stream().filter(d -> d.alert().equals("ServiceDown")).findFirst().orElseThrow()
                .worstCaseSeconds()).isEqualTo(100);
    }
}
