package dev.o11ycdk.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.o11ycdk.fargate.AlertmanagerService;
import dev.o11ycdk.fargate.AlertmanagerServiceProps;
import dev.o11ycdk.test.support.CdkJson;
import dev.o11ycdk.test.support.Cfn;
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
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ecs.CloudMapNamespaceOptions;
import software.amazon.awscdk.services.ecs.Cluster;
import software.amazon.awscdk.services.secretsmanager.Secret;

/** The Fargate layout's optional paths: remote write, OAuth, and the egress warning. */
class FargateOptionsTest {

    @Test
    void remoteWriteCreatesAWorkspaceAndSignsWithTheTaskRole() {
        Synth synth = Synth.of(Map.of("remoteWrite", "create"));
        Template t = synth.template(synth.stacks().fargate());
        t.hasResourceProperties("AWS::APS::Workspace", Map.of("Alias", "o11y-cdk"));
        t.hasResourceProperties("AWS::IAM::Policy", Map.of("PolicyDocument", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(
                Map.of("Action", "aps:RemoteWrite", "Effect", "Allow",
                        "Resource", Map.of("Fn::GetAtt", List.of(Match.stringLikeRegexp("AmpWorkspace.*"), "Arn"))))))),
                "Roles", List.of(Map.of("Ref", Match.stringLikeRegexp("PrometheusTaskDefinitionTaskRole.*")))));
        Object config = Cfn.environment(Cfn.container(synth.templateJson(synth.stacks().fargate()), "PrometheusTaskDefinition")).get("O11Y_FILE_0");
        // The endpoint is a deploy-time attribute: the env value becomes a join around it.
        assertThat(String.valueOf(config)).contains("remote_write:", "api/v1/remote_write", "sigv4:", "region: ap-northeast-2",
                "PrometheusEndpoint");
    }

    @Test
    void remoteWriteToAnExistingWorkspaceUsesItsEndpointAndSignsForItsRegion() {
        // A workspace in another region than the stack: SigV4 must sign for the workspace's region.
        Synth synth = Synth.of(Map.of("remoteWrite", "arn:aws:aps:us-west-2:111122223333:workspace/ws-0123abcd-4567"));
        assertThat(synth.stacks().fargate().getPrometheus().getPrometheusConfig().toYaml())
                .contains("remote_write:\n  - url: https://aps-workspaces.us-west-2.amazonaws.com/workspaces/ws-0123abcd-4567/api/v1/remote_write\n"
                        + "    sigv4:\n      region: us-west-2");
        synth.template(synth.stacks().fargate()).resourceCountIs("AWS::APS::Workspace", 0);
    }

    @Test
    void grafanaOAuthIsConfiguredWithTheClientSecretFromSecretsManager() {
        Synth synth = Synth.of(Map.of("grafanaOAuth", "{\"name\":\"Cognito\",\"clientId\":\"abc123\",\"clientSecretName\":\"o11y/grafana-oauth\","
                + "\"authUrl\":\"https://auth.example.com/oauth2/authorize\",\"tokenUrl\":\"https://auth.example.com/oauth2/token\","
                + "\"apiUrl\":\"https://auth.example.com/oauth2/userInfo\","
                + "\"roleAttributePath\":\"contains(groups[*], 'admin') && 'Admin' || 'Viewer'\"}"));
        Map<String, Object> c = Cfn.container(synth.templateJson(synth.stacks().fargate()), "GrafanaTaskDefinition");
        assertThat(Cfn.environment(c)).containsEntry("GF_AUTH_GENERIC_OAUTH_ENABLED", "true")
                .containsEntry("GF_AUTH_GENERIC_OAUTH_CLIENT_ID", "abc123")
                .containsEntry("GF_AUTH_GENERIC_OAUTH_AUTH_URL", "https://auth.example.com/oauth2/authorize")
                .containsEntry("GF_AUTH_GENERIC_OAUTH_ROLE_ATTRIBUTE_PATH", "contains(groups[*], 'admin') && 'Admin' || 'Viewer'")
                .containsEntry("GF_USERS_ALLOW_SIGN_UP", "false")
                .doesNotContainKey("GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET");
        // ECS puts the secret in Grafana's environment; it is never a plain value of the task definition.
        assertThat(String.valueOf(c.get("Secrets"))).contains("Name=GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET", "secret:o11y/grafana-oauth");
        assertThat((String) ((List<?>) c.get("Command")).get(0)).doesNotContain("CLIENT_SECRET");
    }

    @Test
    void alertmanagerWithoutEgressWarnsThatSlackWillFail() {
        App app = App.Builder.create().context(CdkJson.context()).build();
        Stack stack = new Stack(app, "Isolated", StackProps.builder().env(Environment.builder().region("ap-northeast-2").build()).build());
        Vpc vpc = Vpc.Builder.create(stack, "Vpc").maxAzs(2).natGateways(0)
                .subnetConfiguration(List.of(SubnetConfiguration.builder().name("isolated").subnetType(SubnetType.PRIVATE_ISOLATED).build()))
                .build();
        Cluster cluster = Cluster.Builder.create(stack, "Cluster").vpc(vpc)
                .defaultCloudMapNamespace(CloudMapNamespaceOptions.builder().name("iso.local").vpc(vpc).build()).build();
        new AlertmanagerService(stack, "Alertmanager", AlertmanagerServiceProps.builder().cluster(cluster)
                .vpcSubnets(software.amazon.awscdk.services.ec2.SubnetSelection.builder().subnetType(SubnetType.PRIVATE_ISOLATED).build())
                .slackWebhookSecret(Secret.fromSecretNameV2(stack, "Hook", "hook")).build());
        Annotations.fromStack(stack).hasWarning("/Isolated/Alertmanager",
                Match.stringLikeRegexp("Alertmanager runs in isolated subnets without internet egress: Slack notifications will fail.*"));
    }

    @Test
    void theDefaultLayoutHasEgressAndNoSuchWarning() {
        Synth synth = Synth.defaults();
        assertThat(Annotations.fromStack(synth.stacks().fargate()).findWarning("*", Match.stringLikeRegexp(".*without internet egress.*")))
                .isEmpty();
        synth.template(synth.stacks().fargate()).resourceCountIs("AWS::EC2::NatGateway", 1);
    }
}
