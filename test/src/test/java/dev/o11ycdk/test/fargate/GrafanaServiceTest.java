package dev.o11ycdk.test.fargate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.o11ycdk.alb.MonitoringAlb;
import dev.o11ycdk.alb.MonitoringAlbProps;
import dev.o11ycdk.fargate.GrafanaOAuth;
import dev.o11ycdk.fargate.GrafanaService;
import dev.o11ycdk.fargate.GrafanaServiceProps;
import dev.o11ycdk.test.support.Cfn;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.certificatemanager.Certificate;
import software.amazon.awscdk.services.secretsmanager.Secret;

/** {@link GrafanaService} in a stack of its own, behind a {@link MonitoringAlb}. */
class GrafanaServiceTest {
    private static GrafanaServiceProps.Builder props(FargateFixture x) {
        MonitoringAlb alb = new MonitoringAlb(x.f.stack(), "Alb", MonitoringAlbProps.builder().vpc(x.f.vpc()).domainName("o11y.example.com")
                .certificate(Certificate.fromCertificateArn(x.f.stack(), "Cert",
                        "arn:aws:acm:ap-northeast-2:111122223333:certificate/f3e3c113-8989-4f83-98d8-48213617ce72")).build());
        return GrafanaServiceProps.builder().cluster(x.cluster).storage(x.storage).alb(alb).prometheusUrl("http://prometheus.o11y.local:9090");
    }

    private static Map<String, Object> environment(Template t) {
        return Cfn.environment(Cfn.container(t.toJSON(), "Grafana"));
    }

    @Test
    void halfAVcpuBehindTheAlbWithSignUpOffAndAGeneratedAdminPassword() {
        FargateFixture x = new FargateFixture("Grafana");
        GrafanaService g = new GrafanaService(x.f.stack(), "Grafana", props(x).build());
        assertThat(g.getRoute().getUrl()).isEqualTo("https://grafana.o11y.example.com/");
        assertThat(g.getDatasourcesYaml()).contains("url: http://prometheus.o11y.local:9090", "type: cloudwatch");
        Template t = x.f.template();
        t.hasResourceProperties("AWS::ECS::TaskDefinition", Match.objectLike(Map.of("Cpu", "512", "Memory", "1024")));
        t.hasResourceProperties("AWS::ElasticLoadBalancingV2::ListenerRule", Match.objectLike(Map.of("Priority", 5)));
        t.hasResourceProperties("AWS::SecretsManager::Secret", Match.objectLike(Map.of("GenerateSecretString",
                Match.objectLike(Map.of("ExcludePunctuation", true, "PasswordLength", 32)))));
        Map<String, Object> env = environment(t);
        assertThat(env).containsEntry("GF_USERS_ALLOW_SIGN_UP", "false").containsEntry("GF_AUTH_ANONYMOUS_ENABLED", "false")
                .containsEntry("GF_SECURITY_COOKIE_SECURE", "true").containsEntry("GF_SERVER_ROOT_URL", "https://grafana.o11y.example.com/")
                .doesNotContainKey("GF_AUTH_GENERIC_OAUTH_ENABLED");
    }

    @Test
    void genericOAuthTakesItsClientSecretFromSecretsManagerAndRolesFromTheToken() {
        FargateFixture x = new FargateFixture("OAuth");
        new GrafanaService(x.f.stack(), "Grafana", props(x).oauth(new GrafanaOAuth("Cognito", "client-1",
                Secret.fromSecretNameV2(x.f.stack(), "Client", "o11y/grafana-oauth"), "https://auth.example.com/authorize",
                "https://auth.example.com/token", "https://auth.example.com/userinfo", null, null)).build());
        Template t = x.f.template();
        Map<String, Object> env = environment(t);
        assertThat(env).containsEntry("GF_AUTH_GENERIC_OAUTH_ENABLED", "true").containsEntry("GF_AUTH_GENERIC_OAUTH_SCOPES", "openid email profile")
                .containsEntry("GF_AUTH_GENERIC_OAUTH_ROLE_ATTRIBUTE_STRICT", "true");
        assertThat(Cfn.json(Cfn.container(t.toJSON(), "Grafana").get("Secrets"))).contains("GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET")
                .contains("GF_SECURITY_ADMIN_PASSWORD");
        assertThat(env).doesNotContainKey("GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET");
        t.resourceCountIs("AWS::SecretsManager::Secret", 1); // the admin password; the client secret is the user's
    }
}
