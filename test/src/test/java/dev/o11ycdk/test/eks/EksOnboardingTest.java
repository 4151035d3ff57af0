package dev.o11ycdk.test.eks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.o11ycdk.core.ScrapeOptions;
import dev.o11ycdk.eks.IKubePrometheusStack;
import dev.o11ycdk.eks.KubePrometheusStack;
import dev.o11ycdk.eks.ServiceMonitor;
import dev.o11ycdk.eks.ServiceMonitorRegistration;
import dev.o11ycdk.test.support.Cfn;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Template;

/**
 * A team's stack onboarding a Kubernetes Service ({@link IKubePrometheusStack#scrape}): the
 * ServiceMonitor as a typed model (its labels those of every layout), applied through the platform's
 * kubectl provider from the team's stack, reading only the published parameters it needs.
 */
class EksOnboardingTest {
    private static final String PREFIX = KubePrometheusStack.DEFAULT_SSM_PREFIX;

    private static Stack stack() {
        return new Stack(new App(), "Team", StackProps.builder().env(Environment.builder().region("ap-northeast-2").build()).build());
    }

    @Test
    void theMonitorSelectsTheServiceAndSetsServiceJobEnvAndTeamAfterTheOperatorsOwnLabels() {
        ServiceMonitor m = ServiceMonitor.of("search", Map.of("app.kubernetes.io/name", "search", "tier", "api"),
                ScrapeOptions.builder().name("search").port(8080).metricsPath("/actuator/prometheus").team("search").build(), "prod");
        assertThat(m.getLabels()).containsExactlyInAnyOrderEntriesOf(Map.of("service", "search", "job", "search", "env", "prod", "team", "search"));
        assertThat(m.toYaml()).isEqualTo("""
                apiVersion: monitoring.coreos.com/v1
                kind: ServiceMonitor
                metadata:
                  name: search
                  namespace: search
                  labels:
                    app.kubernetes.io/name: search
                    app.kubernetes.io/managed-by: o11y-cdk
                spec:
                  selector:
                    matchLabels:
                      app.kubernetes.io/name: search
                      tier: api
                  fallbackScrapeProtocol: PrometheusText0.0.4
                  endpoints:
                    - targetPort: 8080
                      path: /actuator/prometheus
                      relabelings:
                        - action: replace
                          targetLabel: service
                          replacement: search
                        - action: replace
                          targetLabel: job
                          replacement: search
                        - action: replace
                          targetLabel: env
                          replacement: prod
                        - action: replace
                          targetLabel: team
                          replacement: search
                """);
        // Its own env wins over the platform's; no team, no team label.
        assertThat(ServiceMonitor.of("search", Map.of("app", "search"), ScrapeOptions.builder().name("search").port(8080).env("test").build(),
                "prod").getLabels()).containsExactlyInAnyOrderEntriesOf(Map.of("service", "search", "job", "search", "env", "test"));
    }

    @Test
    void fromSsmTheMonitorGoesThroughThePlatformsKubectlProviderWithThePublishedEnvironment() {
        Stack s = stack();
        IKubePrometheusStack platform = KubePrometheusStack.fromSsm(s, "O11yEks", PREFIX);
        ServiceMonitorRegistration r = platform.scrape(s, "search", Map.of("app", "search"),
                ScrapeOptions.builder().name("search").port(8080).build());
        Map<String, Object> t = Template.fromStack(s).toJSON();
        assertThat(Cfn.ssmParameterNames(t)).containsExactly(PREFIX + "/cluster-name", PREFIX + "/environment", PREFIX + "/kubectl-service-token");
        Map<String, Object> manifest = Cfn.onlyResource(t, Cfn.KUBERNETES_MANIFEST);
        assertThat(Cfn.props(manifest)).containsEntry("ServiceToken", Map.of("Ref", Cfn.ssmParameterId(t, PREFIX + "/kubectl-service-token")))
                .containsEntry("ClusterName", Map.of("Ref", Cfn.ssmParameterId(t, PREFIX + "/cluster-name")))
                .containsEntry("Overwrite", true);
        String env = Cfn.ssmParameterId(t, PREFIX + "/environment");
        List<Map<String, Object>> objects = Cfn.manifest(t, "ServiceMonitor", Map.of(env, "prod"));
        assertThat(objects).singleElement().satisfies(o -> assertThat(Cfn.<String>at(o, "metadata.namespace")).isEqualTo("search"));
        assertThat(Cfn.text(Cfn.props(manifest).get("Manifest"))).contains("\"targetLabel\":\"env\",\"replacement\":\"<<Ref:" + env + ">>\"");
        assertThat(r.getServiceMonitor().getName()).isEqualTo("search");
        assertThat(r.getManifest().getNode().getScope()).isSameAs(s);
    }

    @Test
    void aStackThatOnlyAppliesItsOwnManifestsReadsNoEnvironment() {
        Stack s = stack();
        IKubePrometheusStack platform = KubePrometheusStack.fromSsm(s, "O11yEks", PREFIX);
        platform.getCluster();
        platform.getCluster();
        assertThat(Cfn.ssmParameterNames(Template.fromStack(s).toJSON()))
                .containsExactly(PREFIX + "/cluster-name", PREFIX + "/kubectl-service-token");
    }
}
