package dev.o11ycdk.test.eks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.o11ycdk.config.Check;
import dev.o11ycdk.core.ScrapeTarget;
import dev.o11ycdk.eks.KubePrometheusStack;
import dev.o11ycdk.eks.KubePrometheusStackProps;
import dev.o11ycdk.test.support.HelmTpl;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.eks_v2.Cluster;
import software.amazon.awscdk.services.eks_v2.ClusterAttributes;
import software.amazon.awscdk.services.eks_v2.ICluster;
import software.amazon.awscdk.services.eks_v2.KubectlProvider;
import software.amazon.awscdk.services.eks_v2.KubectlProviderAttributes;
import software.amazon.awscdk.services.secretsmanager.Secret;

/**
 * The construct as another team's app meets it, on an imported eks_v2 cluster (no synth): bad props
 * stop it with one line naming the prop and the value, a cluster whose nodes may have no way out
 * (seed 004, problem 6) is said to have none, and no chart's values hold what Helm's tpl would read
 * as template code.
 */
class KubePrometheusStackTest {
    private static final String CERT = "arn:aws:acm:ap-northeast-2:111122223333:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789";

    private static Stack stack() {
        return new Stack(new App(), "Consumer", StackProps.builder()
                .env(Environment.builder().account("111122223333").region("ap-northeast-2").build()).build());
    }

    private static ICluster cluster(Stack s, IVpc vpc, boolean withKubectl) {
        ClusterAttributes.Builder a = ClusterAttributes.builder().clusterName("platform");
        if (withKubectl) {
            a.kubectlProvider(KubectlProvider.fromKubectlProviderAttributes(s, "Kubectl", KubectlProviderAttributes.builder()
                    .serviceToken("arn:aws:lambda:ap-northeast-2:111122223333:function:kubectl").build()));
        }
        if (vpc != null) {
            a.vpc(vpc);
        }
        return Cluster.fromClusterAttributes(s, "Cluster", a.build());
    }

    private static KubePrometheusStack build(Stack s, ICluster cluster, Consumer<KubePrometheusStackProps.Builder> change) {
        KubePrometheusStackProps.Builder b = KubePrometheusStackProps.builder()
                .cluster(cluster)
                .domainName("o11y.example.com")
                .certificateArn(CERT)
                .slackWebhookSecret(Secret.fromSecretNameV2(s, "Slack", "o11y/slack-webhook"));
        change.accept(b);
        return new KubePrometheusStack(s, "Monitoring", b.build());
    }

    static Stream<Arguments> badProps() {
        return Stream.of(
                Arguments.of("namespace", (Consumer<KubePrometheusStackProps.Builder>) b -> b.namespace("Monitoring"),
                        "namespace = 'Monitoring': must be a Kubernetes namespace name (lower-case letters, digits and '-')"),
                Arguments.of("certificate", (Consumer<KubePrometheusStackProps.Builder>) b -> b.certificateArn("o11y.example.com"),
                        "certificateArn = 'o11y.example.com': the ALB's HTTPS listener needs an ACM certificate ARN"),
                Arguments.of("chart range", (Consumer<KubePrometheusStackProps.Builder>) b -> b.kubePrometheusStackVersion("88.x"),
                        "kubePrometheusStackVersion = '88.x': pin an exact chart version such as 1.2.3 (no ranges, no 'latest')"),
                Arguments.of("scrape interval", (Consumer<KubePrometheusStackProps.Builder>) b -> b.scrapeInterval("15sec"),
                        "scrapeInterval = '15sec': is not a Prometheus duration; use units y w d h m s ms, largest first, e.g. 15s, 1m, 2h30m"),
                Arguments.of("CIDR", (Consumer<KubePrometheusStackProps.Builder>) b -> b.prometheusAllowedCidrs(List.of("10.0.0.0/33")),
                        "prometheusAllowedCidrs = '10.0.0.0/33': must be an IPv4 CIDR block such as 203.0.113.0/24"),
                Arguments.of("log volume", (Consumer<KubePrometheusStackProps.Builder>) b -> b.logGiBPerDay(0),
                        "logGiBPerDay = 0: must be in 1..10000"),
                Arguments.of("volume above gp3", (Consumer<KubePrometheusStackProps.Builder>) b -> b.expectedActiveSeries(3_000_000L)
                                .retention(Duration.days(3650)),
                        null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badProps")
    void badPropsStopWithOneLineNamingThePropAndTheValue(String name, Consumer<KubePrometheusStackProps.Builder> change, String message) {
        Stack s = stack();
        ICluster c = cluster(s, null, true);
        var thrown = assertThatThrownBy(() -> build(s, c, change)).isInstanceOf(Check.BadValue.class);
        thrown.satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        if (message != null) {
            thrown.hasMessage(message);
        } else {
            thrown.hasMessageStartingWith("expectedActiveSeries = 3000000: needs a ").hasMessageEndingWith("above the 16 TiB gp3 limit");
        }
    }

    @Test
    void aClusterWithoutKubectlProviderIsRefusedByName() {
        Stack s = stack();
        ICluster c = cluster(s, null, false);
        assertThatThrownBy(() -> build(s, c, b -> { })).isInstanceOf(Check.BadValue.class)
                .hasMessage("Monitoring.cluster = 'Consumer/Cluster': has no kubectl provider: create it with kubectlProviderOptions, "
                        + "or import it with a kubectlProvider, so the charts can be installed");
    }

    private static long egressWarnings(Stack s) {
        return Annotations.fromStack(s).findWarning("*", Match.stringLikeRegexp(".*seed 004, problem 6.*")).size();
    }

    @Test
    void aClusterImportedWithoutItsVpcOrInAVpcOfIsolatedSubnetsIsWarnedAboutEgress() {
        Stack noVpc = stack();
        build(noVpc, cluster(noVpc, null, true), b -> { });
        assertThat(Annotations.fromStack(noVpc).findWarning("*", Match.stringLikeRegexp(
                "the cluster was imported without its VPC: make sure its nodes' subnets route to a NAT gateway.*"))).hasSize(1);

        Stack isolated = stack();
        Vpc vpc = Vpc.Builder.create(isolated, "Vpc").natGateways(0).subnetConfiguration(List.of(SubnetConfiguration.builder()
                .name("nodes").subnetType(SubnetType.PRIVATE_ISOLATED).build())).build();
        build(isolated, cluster(isolated, vpc, true), b -> { });
        assertThat(Annotations.fromStack(isolated).findWarning("*", Match.stringLikeRegexp(
                "the cluster's VPC has only isolated private subnets.*"))).hasSize(1);

        Stack routed = stack();
        Vpc withNat = Vpc.Builder.create(routed, "Vpc").natGateways(1).build();
        build(routed, cluster(routed, withNat, true), b -> { });
        assertThat(egressWarnings(routed)).isZero();
    }

    @Test
    @SuppressWarnings("unchecked")
    void noChartValueHoldsTemplateCodeForHelmsTplOutsideThePathsTheChartPassesOnVerbatim() {
        Stack s = stack();
        KubePrometheusStack k = build(s, cluster(s, null, true), b -> b.services(List.of(
                new ScrapeTarget("orders", 8080, "/actuator/prometheus", "prod"))));
        assertThat(k.getValues()).containsOnlyKeys("ExternalSecrets", "KubePrometheusStack", "Loki", "Alloy");
        k.getValues().forEach((chart, values) -> assertThat(HelmTpl.templateCode(values,
                chart.equals("KubePrometheusStack") ? HelmTpl.KUBE_PROMETHEUS_STACK_VERBATIM : List.of())).as(chart).isEmpty());
        // The verbatim paths do carry the rules' and receivers' own templates, and stay verbatim only while tplConfig is unset.
        Map<String, Object> kps = k.getValues().get("KubePrometheusStack");
        assertThat(HelmTpl.templateCode(kps, List.of())).isNotEmpty().allSatisfy(found -> assertThat(found)
                .matches("(additionalPrometheusRulesMap|alertmanager\\.config)\\..*"));
        assertThat((Map<String, Object>) kps.get("alertmanager")).doesNotContainKey("tplConfig");
    }

    @Test
    void theTplCheckFindsGrafanaLegendsInExtraManifestsWhereTheDashboardsUsedToBe() {
        // The values' shape before the fix: Helm failed on it with 'function "namespace" not defined'.
        Map<String, Object> before = Map.of("extraManifests", List.of(Map.of("kind", "ConfigMap",
                "data", Map.of("o11y-kubernetes.json", "{\"legendFormat\": \"{{namespace}}/{{pod}}\"}"))));
        assertThat(HelmTpl.templateCode(before, HelmTpl.KUBE_PROMETHEUS_STACK_VERBATIM)).singleElement().asString()
                .startsWith("extraManifests.0.data.o11y-kubernetes.json: ");
    }

    @Test
    @SuppressWarnings("unchecked")
    void prometheusIsInternalUnlessAskedAndItsVolumeGrowsWithRetention() {
        Stack s = stack();
        KubePrometheusStack base = build(s, cluster(s, null, true), b -> b.expectedActiveSeries(200_000L));
        Stack s2 = stack();
        KubePrometheusStack longer = build(s2, cluster(s2, null, true), b -> b.expectedActiveSeries(200_000L).retention(Duration.days(60))
                .prometheusPublic(true));
        assertThat(longer.getPrometheusVolumeGiB()).isGreaterThan(3 * base.getPrometheusVolumeGiB());
        var ingress = (java.util.Map<String, Object>) ((java.util.Map<String, Object>) base.getValues().get("KubePrometheusStack")
                .get("prometheus")).get("ingress");
        assertThat(((java.util.Map<String, Object>) ingress.get("annotations")).get("alb.ingress.kubernetes.io/scheme")).isEqualTo("internal");
        var publicIngress = (java.util.Map<String, Object>) ((java.util.Map<String, Object>) longer.getValues().get("KubePrometheusStack")
                .get("prometheus")).get("ingress");
        assertThat(((java.util.Map<String, Object>) publicIngress.get("annotations")).get("alb.ingress.kubernetes.io/scheme"))
                .isEqualTo("internet-facing");
        // The memory request follows the series too, never a fixed 1Gi.
        assertThat(base.getPrometheusSize().memoryMiB()).isGreaterThan(1024);
    }
}
