package dev.o11ycdk.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.o11ycdk.config.PromDuration;
import dev.o11ycdk.config.PrometheusConfig;
import dev.o11ycdk.config.ScrapeJob;
import dev.o11ycdk.grafana.Dashboards;
import dev.o11ycdk.host.Release;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The typed configuration model: grammar, rendering, and the checks that keep bad configs out. */
class ConfigModelTest {

    @Test
    void durationsFollowPrometheusGrammar() {
        assertThat(PromDuration.parse("x", "1h30m").toSeconds()).isEqualTo(5400);
        assertThat(PromDuration.parse("x", "15d").toSeconds()).isEqualTo(15 * 86400);
        assertThat(PromDuration.parse("x", "500ms").toMillis()).isEqualTo(500);
        assertThatThrownBy(() -> PromDuration.parse("evaluationInterval", "1m1h"))
                .hasMessageContaining("evaluationInterval = '1m1h'");
        assertThatThrownBy(() -> PromDuration.parse("evaluationInterval", "-5s"))
                .hasMessageContaining("evaluationInterval = '-5s'");
    }

    @Test
    void rendersJobsInOrderWithLabelsAndPaths() {
        String yaml = PrometheusConfig.builder()
                .scrapeJob(ScrapeJob.builder("api-1").metricsPath("/actuator/prometheus")
                        .dnsSd(List.of("api-1.o11y.local"), ScrapeJob.DnsRecordType.A, 8080, "30s")
                        .labels(Map.of("service", "api-1")).build())
                .build().toYaml();
        assertThat(yaml).startsWith("global:\n  scrape_interval: 15s\n");
        assertThat(yaml).contains("- job_name: api-1\n    metrics_path: /actuator/prometheus")
                .contains("dns_sd_configs:\n      - names:\n          - api-1.o11y.local\n        type: A\n        port: 8080")
                .contains("target_label: service\n        replacement: api-1");
    }

    @Test
    void rejectsReservedOrMalformedLabelNames() {
        assertThatThrownBy(() -> ScrapeJob.builder("x").labels(Map.of("__name__", "y")))
                .hasMessageContaining("scrape job 'x' label = '__name__': label names starting with __ are reserved");
        assertThatThrownBy(() -> ScrapeJob.builder("x").labels(Map.of("service-name", "y")))
                .hasMessageContaining("scrape job 'x' label = 'service-name': a Prometheus label name must match");
    }

    @Test
    void rejectsTargetPortsOutsideTheTcpRange() {
        assertThatThrownBy(() -> ScrapeJob.builder("api").staticTargets(List.of("api:70000"), Map.of()))
                .hasMessageContaining("scrape job 'api' target = 70000: a TCP port must be in 1..65535");
        assertThatThrownBy(() -> ScrapeJob.builder("api").dnsSd(List.of("api.local"), ScrapeJob.DnsRecordType.A, 0, "30s"))
                .hasMessageContaining("scrape job 'api' dnsSd port = 0");
    }

    @Test
    void rejectsDuplicateJobNamesAndTimeoutsLongerThanTheInterval() {
        ScrapeJob a = ScrapeJob.builder("api").staticTargets(List.of("api:8080"), Map.of()).build();
        assertThatThrownBy(() -> PrometheusConfig.builder().scrapeJob(a).scrapeJob(a).build())
                .hasMessageContaining("scrape job name = 'api': appears more than once");
        assertThatThrownBy(() -> PrometheusConfig.builder().scrapeInterval("5s").scrapeTimeout("10s").build())
                .hasMessageContaining("scrapeTimeout = '10s': must not exceed scrapeInterval 5s");
        // Unset, the timeout is Prometheus' 10s or a shorter interval.
        assertThat(PrometheusConfig.builder().scrapeInterval("5s").build().toYaml()).contains("scrape_timeout: 5s");
        assertThat(PrometheusConfig.builder().scrapeInterval("30s").build().toYaml()).contains("scrape_timeout: 10s");
        ScrapeJob fast = ScrapeJob.builder("fast").scrapeInterval("5s").staticTargets(List.of("a:1"), Map.of()).build();
        assertThatThrownBy(() -> PrometheusConfig.builder().scrapeJob(fast).build())
                .hasMessageContaining("exceeds the scrapeInterval 5s of job 'fast'");
    }

    @Test
    void metricsPathMustBeAnAbsolutePath() {
        assertThatThrownBy(() -> ScrapeJob.builder("api").metricsPath("metrics"))
                .hasMessageContaining("scrape job 'api' metricsPath = 'metrics'");
    }

    @Test
    void renderingKeepsDeclaredKeyOrderForReadableDiffs() {
        // Map.of order changes between JVM runs; rendered files must not, or every snapshot would churn.
        assertThat(Dashboards.nodeExporter().toJson()).startsWith("{\n  \"uid\" : \"o11y-node\",\n  \"title\" : \"Node Exporter\",");
        assertThat(Dashboards.nodeExporter().toJson()).contains("\"gridPos\" : {\n      \"h\" : 8,\n      \"w\" : 12,\n      \"x\" : 0,");
        assertThat(PrometheusConfig.builder().scrapeJob(ScrapeJob.builder("e").ec2Sd("ap-northeast-2", 9100, "monitoring", "prometheus")
                .build()).build().toYaml()).contains("filters:\n          - name: tag:monitoring\n            values:\n              - prometheus");
    }

    @Test
    void pinnedReleasesCarryBothChecksumsAndHttpsUrls() {
        for (Release r : List.of(Release.prometheus(), Release.nodeExporter(), Release.grafana())) {
            assertThat(r.sha256(Release.Arch.AMD64)).hasSize(64);
            assertThat(r.sha256(Release.Arch.ARM64)).hasSize(64).isNotEqualTo(r.sha256(Release.Arch.AMD64));
            assertThat(r.url(Release.Arch.ARM64)).startsWith("https://").contains(r.version()).contains("arm64");
        }
    }
}
