package dev.o11ycdk.test.fargate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.o11ycdk.core.PropsException;
import dev.o11ycdk.fargate.AlertmanagerService;
import dev.o11ycdk.fargate.AlertmanagerServiceProps;
import dev.o11ycdk.test.support.Cfn;
import dev.o11ycdk.test.support.FreshStack;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ecs.CloudMapNamespaceOptions;
import software.amazon.awscdk.services.ecs.Cluster;
import software.amazon.awscdk.services.secretsmanager.Secret;

/** {@link AlertmanagerService} in a stack of its own. */
class AlertmanagerServiceTest {
    @Test
    void theSeedsRoutingWithTheWebhookFromSecretsManagerInAFileNeverInTheTemplate() {
        FargateFixture x = new FargateFixture("Alertmanager");
        AlertmanagerService am = new AlertmanagerService(x.f.stack(), "Alertmanager", AlertmanagerServiceProps.builder()
                .cluster(x.cluster).slackWebhookSecret(Secret.fromSecretNameV2(x.f.stack(), "Slack", "o11y/slack-webhook"))
                .mutedEnvironments(List.of("test", "staging")).build());
        assertThat(am.getConfig().toYaml()).contains("channel: \"#alerts-critical\"", "channel: \"#alerts-warning\"",
                "api_url_file: /alertmanager/o11y/secrets/slack_webhook_url", "- env=\"test\"", "- env=\"staging\"");
        assertThat(am.getDnsName()).isEqualTo("alertmanager.o11y.local");
        Template t = x.f.template();
        t.hasResourceProperties("AWS::ECS::TaskDefinition", Match.objectLike(Map.of("Cpu", "256", "Memory", "512")));
        Map<String, Object> container = Cfn.container(t.toJSON(), "Alertmanager");
        assertThat(Cfn.json(container.get("Secrets"))).contains("SLACK_WEBHOOK_URL");
        assertThat(container).containsEntry("User", "65534:65534").containsEntry("ReadonlyRootFilesystem", true);
        assertThat(Cfn.json(t.toJSON())).doesNotContain("hooks.slack.com");
    }

    @Test
    void isolatedSubnetsGetTheSeedsNoEgressWarning() {
        FreshStack f = FreshStack.of("NoEgress");
        Vpc vpc = f.isolatedVpc();
        Cluster cluster = Cluster.Builder.create(f.stack(), "Cluster").vpc(vpc)
                .defaultCloudMapNamespace(CloudMapNamespaceOptions.builder().name("o11y.local").vpc(vpc).build()).build();
        new AlertmanagerService(f.stack(), "Alertmanager", AlertmanagerServiceProps.builder().cluster(cluster)
                .slackWebhookSecret(Secret.fromSecretNameV2(f.stack(), "Slack", "o11y/slack-webhook"))
                .vpcSubnets(SubnetSelection.builder().subnetType(SubnetType.PRIVATE_ISOLATED).build()).build());
        f.annotations().hasWarning("/NoEgress/Alertmanager", Match.stringLikeRegexp(".*without internet egress: Slack notifications will fail.*"));
    }

    @Test
    void withoutTheWebhookSecretThePropsAreNotBuilt() {
        FargateFixture x = new FargateFixture("NoSecret");
        assertThatThrownBy(() -> AlertmanagerServiceProps.builder().cluster(x.cluster).build())
                .isInstanceOf(PropsException.class)
                .hasMessage("Cannot build AlertmanagerServiceProps, some of required attributes are not set [slackWebhookSecret]");
    }
}
