package dev.o11ycdk.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.o11ycdk.core.Versions;
import dev.o11ycdk.eks.KubePrometheusStackProps;
import dev.o11ycdk.host.Release;
import dev.o11ycdk.test.support.Cfn;
import dev.o11ycdk.test.support.CdkJson;
import dev.o11ycdk.test.support.Synth;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One version of each component wherever it runs: the host's tarballs, the Fargate images, the EKS charts' images. */
class VersionsTest {
    private final Synth synth = Synth.defaults();

    @Test
    void cdkJsonPinsWhatTheLibraryPins() {
        Map<String, Object> c = CdkJson.context();
        assertThat(c).containsEntry("prometheusVersion", Versions.PROMETHEUS)
                .containsEntry("alertmanagerVersion", Versions.ALERTMANAGER)
                .containsEntry("nodeExporterVersion", Versions.NODE_EXPORTER)
                .containsEntry("grafanaVersion", Versions.GRAFANA)
                .containsEntry("cloudwatchExporterVersion", Versions.CLOUDWATCH_EXPORTER)
                .containsEntry("adotCollectorVersion", Versions.ADOT_COLLECTOR)
                .containsEntry("kubePrometheusStackVersion", KubePrometheusStackProps.KUBE_PROMETHEUS_STACK_VERSION)
                .containsEntry("lokiVersion", KubePrometheusStackProps.LOKI_VERSION)
                .containsEntry("alloyVersion", KubePrometheusStackProps.ALLOY_VERSION)
                .containsEntry("externalSecretsVersion", KubePrometheusStackProps.EXTERNAL_SECRETS_VERSION);
        for (Release r : List.of(Release.prometheus(), Release.alertmanager(), Release.nodeExporter(), Release.grafana())) {
            assertThat(c).containsEntry(r.name() + "Version", r.version());
        }
    }

    @Test
    void theHostTheFargateTasksAndTheEksPodsRunTheSameVersions() {
        String releases = synth.stacks().ec2Host().getHost().getReviewFiles().get("etc/o11y-cdk/staged/releases");
        assertThat(releases).contains("prometheus " + Versions.PROMETHEUS + " ", "alertmanager " + Versions.ALERTMANAGER + " ",
                "nodeExporter " + Versions.NODE_EXPORTER + " ", "grafana " + Versions.GRAFANA + " ");

        String fargate = Cfn.json(synth.templateJson(synth.stacks().fargate()));
        assertThat(fargate).contains("\"Image\":\"prom/prometheus:v" + Versions.PROMETHEUS + "\"",
                "\"Image\":\"prom/alertmanager:v" + Versions.ALERTMANAGER + "\"", "\"Image\":\"grafana/grafana:" + Versions.GRAFANA + "\"",
                "\"Image\":\"prom/cloudwatch-exporter:v" + Versions.CLOUDWATCH_EXPORTER + "\"",
                "\"Image\":\"public.ecr.aws/aws-observability/aws-otel-collector:v" + Versions.ADOT_COLLECTOR + "\"");

        Map<String, Object> kps = Cfn.helmValues(synth.templateJson(synth.stacks().eks()), "MonitoringKubePrometheusStack");
        assertThat((String) Cfn.at(kps, "prometheus.prometheusSpec.image.tag")).isEqualTo("v" + Versions.PROMETHEUS);
        assertThat((String) Cfn.at(kps, "alertmanager.alertmanagerSpec.image.tag")).isEqualTo("v" + Versions.ALERTMANAGER);
        assertThat((String) Cfn.at(kps, "grafana.image.tag")).isEqualTo(Versions.GRAFANA);
        assertThat((String) Cfn.at(kps, "prometheus-node-exporter.image.tag")).isEqualTo("v" + Versions.NODE_EXPORTER);
    }

    @Test
    void anotherPinnedVersionReachesEveryLayoutAlike() {
        Synth other = Synth.of(Map.of("alertmanagerVersion", "0.34.0", "alertmanagerSha256Amd64",
                "19c75a1111111111111111111111111111111111111111111111111111174a03"));
        assertThat(other.stacks().ec2Host().getHost().getReviewFiles().get("etc/o11y-cdk/staged/releases"))
                .startsWith("prometheus ").contains("\nalertmanager 0.34.0 ");
        assertThat(Cfn.json(other.templateJson(other.stacks().fargate()))).contains("\"Image\":\"prom/alertmanager:v0.34.0\"");
        assertThat((String) Cfn.at(Cfn.helmValues(other.templateJson(other.stacks().eks()), "MonitoringKubePrometheusStack"),
                "alertmanager.alertmanagerSpec.image.tag")).isEqualTo("v0.34.0");
    }
}
