package dev.o11ycdk.eks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.o11ycdk.config.AlertRules;
import dev.o11ycdk.config.AlertmanagerConfig;
import dev.o11ycdk.config.PromDuration;
import dev.o11ycdk.config.ScrapeJob;
import dev.o11ycdk.core.ComputeSize;
import dev.o11ycdk.core.ScrapeTarget;
import dev.o11ycdk.test.support.HelmTpl;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * kube-prometheus-stack's values as a pure function of their inputs: no App, no Stack, no construct.
 * In this package because {@link ChartValues} is the library's internal.
 */
class ChartValuesTest {
    private static final String CERT = "arn:aws:acm:ap-northeast-2:111122223333:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789";

    private static ImmutableChartValues.Builder inputs() {
        return ChartValues.builder()
                .domainName("o11y.example.com")
                .certificateArn(CERT)
                .grafanaAllowedCidrs(List.of("203.0.113.0/24"))
                .prometheusAllowedCidrs(List.of("10.0.0.0/8", "172.16.0.0/12"))
                .prometheusPublic(false)
                .scrapeInterval(PromDuration.parse("scrapeInterval", "30s"))
                .environment("staging")
                .retentionDays(15)
                .prometheusSize(ComputeSize.of("prometheusSize", 1024, 3072))
                .prometheusVolumeGiB(40)
                .storageClass("o11y-gp3")
                .rules(AlertRules.withoutEcs("https://runbooks.example.com/").toRuleGroups())
                .alertmanagerConfig(AlertmanagerConfig.seedDefaults(KubePrometheusStack.SLACK_URL_FILE, "#critical", "#warning",
                        List.of("test"), null))
                .lokiUrl("http://loki-gateway.monitoring.svc.cluster.local")
                .prometheusVersion("3.13.2")
                .alertmanagerVersion("0.34.1")
                .grafanaVersion("13.2.3")
                .nodeExporterVersion("1.12.1");
    }

    /** The value at a dotted path, failing on the first key that is not there. */
    private static Object at(Map<String, Object> map, String dotted) {
        Object o = map;
        for (String k : dotted.split("\\.")) {
            assertThat(o).as("%s has %s", dotted, k).isInstanceOf(Map.class);
            assertThat(((Map<?, ?>) o).containsKey(k)).as("%s has %s", dotted, k).isTrue();
            o = ((Map<?, ?>) o).get(k);
        }
        return o;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> mapAt(Map<String, Object> map, String dotted) {
        Object o = at(map, dotted);
        assertThat(o).as(dotted).isInstanceOf(Map.class);
        return (Map<String, Object>) o;
    }

    @Test
    void prometheusGetsTheSizingModelsRequestsAndLimitsItsVolumeAndRetention() {
        Map<String, Object> spec = mapAt(inputs().build().kubePrometheusStack(), "prometheus.prometheusSpec");
        assertThat(at(spec, "resources")).isEqualTo(Map.of(
                "requests", Map.of("cpu", "1000m", "memory", "3072Mi"),
                "limits", Map.of("cpu", "2000m", "memory", "3072Mi")));
        assertThat(at(spec, "storageSpec.volumeClaimTemplate.spec")).isEqualTo(Map.of(
                "storageClassName", "o11y-gp3", "accessModes", List.of("ReadWriteOnce"),
                "resources", Map.of("requests", Map.of("storage", "40Gi"))));
        // Old blocks go at 85 % of the volume, before it is full.
        assertThat(spec).containsEntry("retention", "15d").containsEntry("retentionSize", "34GB")
                .containsEntry("scrapeInterval", "30s").containsEntry("evaluationInterval", "30s")
                .containsEntry("externalLabels", Map.of("env", "staging"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aPairIsTwoReplicasWithAmpsHighAvailabilityLabelsAndEveryKeyIsTheCharts() throws Exception {
        Map<String, Object> values = inputs().prometheusReplicas(2).haCluster("O11yEks").build().kubePrometheusStack();
        Map<String, Object> spec = mapAt(values, "prometheus.prometheusSpec");
        // AWS, "Set up high availability data ... using the Prometheus Operator Helm chart": these two keys.
        assertThat(spec).containsEntry("replicas", 2).containsEntry("replicaExternalLabelName", "__replica__")
                .containsEntry("externalLabels", Map.of("env", "staging", "cluster", "O11yEks"));
        Map<String, Object> keys;
        try (java.io.InputStream in = ChartValuesTest.class.getResourceAsStream("/chart-values/kube-prometheus-stack-92.3.0.yaml")) {
            keys = dev.o11ycdk.test.support.Cfn.YAML.readValue(in, Map.class);
        }
        Map<String, Object> chartSpec = (Map<String, Object>) ((Map<String, Object>) keys.get("prometheus")).get("prometheusSpec");
        assertThat(chartSpec).as("keys the chart's values.yaml defines").containsKeys("replicas", "replicaExternalLabelName");
        // Each replica claims its own volume: the estimate counts it twice.
        assertThat(dev.o11ycdk.cost.KubernetesUsage.of(Map.of("KubePrometheusStack", values), false, 0).volumesGiB().get("prometheus"))
                .isEqualTo(2 * dev.o11ycdk.cost.KubernetesUsage.of(Map.of("KubePrometheusStack", inputs().build().kubePrometheusStack()),
                        false, 0).volumesGiB().get("prometheus"));
        // One Prometheus (the default) sets neither key and no cluster label.
        Map<String, Object> one = mapAt(inputs().build().kubePrometheusStack(), "prometheus.prometheusSpec");
        assertThat(one).doesNotContainKeys("replicas", "replicaExternalLabelName").containsEntry("externalLabels", Map.of("env", "staging"));
    }

    @Test
    void alertmanagerAndGrafanaClaimTheirFixedVolumesOnTheGivenClass() {
        Map<String, Object> v = inputs().build().kubePrometheusStack();
        assertThat(at(v, "alertmanager.alertmanagerSpec.storage.volumeClaimTemplate.spec.storageClassName")).isEqualTo("o11y-gp3");
        assertThat(at(v, "alertmanager.alertmanagerSpec.storage.volumeClaimTemplate.spec.resources.requests.storage"))
                .isEqualTo(ChartValues.ALERTMANAGER_VOLUME_GIB + "Gi");
        assertThat(mapAt(v, "grafana.persistence")).containsEntry("storageClassName", "o11y-gp3")
                .containsEntry("size", ChartValues.GRAFANA_VOLUME_GIB + "Gi");
    }

    @Test
    void bothIngressesCarryTheCertificateTheirCidrsAndTheirOwnAlbGroup() {
        Map<String, Object> v = inputs().build().kubePrometheusStack();
        Map<String, Object> prometheus = mapAt(v, "prometheus.ingress.annotations");
        assertThat(prometheus).containsEntry("alb.ingress.kubernetes.io/scheme", "internal")
                .containsEntry("alb.ingress.kubernetes.io/certificate-arn", CERT)
                .containsEntry("alb.ingress.kubernetes.io/inbound-cidrs", "10.0.0.0/8,172.16.0.0/12")
                .containsEntry("alb.ingress.kubernetes.io/healthcheck-path", "/-/ready")
                .containsEntry("alb.ingress.kubernetes.io/group.name", "o11y-prometheus")
                .containsEntry("alb.ingress.kubernetes.io/listen-ports", "[{\"HTTPS\":443}]");
        assertThat(at(v, "prometheus.ingress.hosts")).isEqualTo(List.of("prometheus.o11y.example.com"));
        Map<String, Object> grafana = mapAt(v, "grafana.ingress.annotations");
        assertThat(grafana).containsEntry("alb.ingress.kubernetes.io/scheme", "internet-facing")
                .containsEntry("alb.ingress.kubernetes.io/certificate-arn", CERT)
                .containsEntry("alb.ingress.kubernetes.io/inbound-cidrs", "203.0.113.0/24")
                .containsEntry("alb.ingress.kubernetes.io/healthcheck-path", "/api/health")
                .containsEntry("alb.ingress.kubernetes.io/group.name", "o11y-grafana");
        assertThat(at(v, "grafana.ingress.hosts")).isEqualTo(List.of("grafana.o11y.example.com"));
        Map<String, Object> grafanaValues = mapAt(v, "grafana");
        assertThat(grafanaValues.get("grafana.ini")).asString().contains("root_url=https://grafana.o11y.example.com/");

        Map<String, Object> publicPrometheus = mapAt(inputs().prometheusPublic(true).build().kubePrometheusStack(),
                "prometheus.ingress.annotations");
        assertThat(publicPrometheus).containsEntry("alb.ingress.kubernetes.io/scheme", "internet-facing");
    }

    @Test
    void servicesSharingAPortPathAndEnvAreOneScrapeJobAndNoServicesNone() {
        ChartValues v = inputs().services(List.of(
                new ScrapeTarget("orders", 8080, "/actuator/prometheus", "prod"),
                new ScrapeTarget("payments", 8080, "/actuator/prometheus", "prod"),
                new ScrapeTarget("search", 9090, null, "prod"))).build();
        assertThat(ChartValues.serviceJobs(v.services())).extracting(ScrapeJob::getJobName)
                .containsExactly("services-8080-actuator-prometheus-prod", "services-9090-metrics-prod");
        assertThat(v.additionalScrapeConfigs()).hasSize(2);
        assertThat(at(v.kubePrometheusStack(), "prometheus.prometheusSpec.additionalScrapeConfigs"))
                .isEqualTo(v.additionalScrapeConfigs());
        assertThat(inputs().build().additionalScrapeConfigs()).isEmpty();
    }

    @Test
    void theImagesAreTheVersionsTheOtherLayoutsRunNotTheChartsDefaults() {
        Map<String, Object> v = inputs().build().kubePrometheusStack();
        assertThat(at(v, "prometheus.prometheusSpec.image.tag")).isEqualTo("v3.13.2");
        assertThat(at(v, "alertmanager.alertmanagerSpec.image.tag")).isEqualTo("v0.34.1");
        assertThat(at(v, "grafana.image.tag")).isEqualTo("13.2.3");
        assertThat(at(v, "prometheus-node-exporter.image.tag")).isEqualTo("v1.12.1");
        // A new chart major brings new CRDs, which Helm itself never upgrades.
        assertThat(at(v, "crds.upgradeJob.enabled")).isEqualTo(true);
    }

    @Test
    void alertmanagerGetsTheWholeConfigurationSoNoneOfTheChartsDefaultRemains() {
        ChartValues v = inputs().build();
        Map<String, Object> config = v.alertmanager();
        assertThat(config).containsKeys("global", "route", "receivers", "templates");
        assertThat(config.get("templates")).isEqualTo(List.of());
        assertThat(at(v.kubePrometheusStack(), "alertmanager.config")).isEqualTo(config);
        assertThat(at(v.kubePrometheusStack(), "alertmanager.alertmanagerSpec.secrets"))
                .isEqualTo(List.of(KubePrometheusStack.SLACK_SECRET));
    }

    @Test
    void theSameInputsGiveTheSameValuesAndNoneHoldsTemplateCodeForHelmsTpl() {
        Map<String, Object> v = inputs().build().kubePrometheusStack();
        assertThat(inputs().build().kubePrometheusStack()).isEqualTo(v);
        assertThat(HelmTpl.templateCode(v, HelmTpl.KUBE_PROMETHEUS_STACK_VERBATIM)).isEmpty();
        assertThat(v).doesNotContainKey("extraManifests");
        assertThat(mapAt(v, "grafana.sidecar.dashboards")).containsEntry("label", ChartValues.DASHBOARD_LABEL)
                .containsEntry("labelValue", "1");
    }
}
