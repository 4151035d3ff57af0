package dev.o11ycdk.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.o11ycdk.FargateSize;
import dev.o11ycdk.test.support.BadInput;
import dev.o11ycdk.test.support.Synth;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad settings of the Fargate layout fail at synth, naming the setting and the value. */
class FargateBadInputTest {

    static Stream<Arguments> badSettings() {
        return Stream.of(
                Arguments.of("1.5 vCPU is not a Fargate size", Map.of("prometheusCpu", "1536", "prometheusMemoryMiB", "3072"),
                        "prometheus cpu = 1536: Fargate CPU must be one of 256, 512, 1024, 2048, 4096, 8192, 16384"),
                Arguments.of("memory outside the CPU's range", Map.of("prometheusCpu", "1024", "prometheusMemoryMiB", "1024"),
                        "prometheus memoryMiB = 1024: is not a Fargate size for cpu 1024; valid: 2048..8192 in steps of 1024"),
                Arguments.of("a task too small for Prometheus next to its sidecar", Map.of("prometheusCpu", "512", "prometheusMemoryMiB", "1024"),
                        "prometheusMemoryMiB = 1024: leaves Prometheus 768 MiB next to the 256 MiB discovery sidecar; the sizing "
                                + "formula needs 1071 MiB for Prometheus itself and the platform's own series"),
                Arguments.of("a cluster name ECS refuses for the platform", Map.of("clusterName", "o11y platform"),
                        "setting 'clusterName' = 'o11y platform': an ECS cluster name has letters, digits, '-' and '_'"),
                Arguments.of("only one of cpu and memory", Map.of("prometheusCpu", "2048"),
                        "settings 'prometheusCpu' and 'prometheusMemoryMiB': give both numbers"),
                Arguments.of("two services with one name", Map.of("services",
                        "[{\"name\":\"api-1\",\"port\":8080},{\"name\":\"api-1\",\"port\":8081}]"),
                        "services = 'api-1': service names must be unique"),
                Arguments.of("service port out of range", Map.of("services", "[{\"name\":\"api-1\",\"port\":70000}]"),
                        "service 'api-1' port = 70000: a TCP port must be in 1..65535"),
                Arguments.of("service name ECS cannot have", Map.of("services", "[{\"name\":\"api.1\",\"port\":8080}]"),
                        "service name = 'api.1': must be an ECS service name"),
                Arguments.of("expected series that are not a number", Map.of("expectedActiveSeries", "lots"),
                        "setting 'expectedActiveSeries' = 'lots': must be a whole number"),
                Arguments.of("expected services below one", Map.of("expectedServices", "0"),
                        "setting 'expectedServices' = '0': must be 'auto' or a number of at least 1"),
                Arguments.of("more series than the largest Fargate task holds", Map.of("expectedActiveSeries", "9000000"),
                        "expectedActiveSeries = 9000000: needs 36864 CPU units"),
                Arguments.of("a cluster name ECS refuses", Map.of("discoveryClusters", "team a"),
                        "discoveryClusters = 'team a': an ECS cluster name has letters, digits"),
                Arguments.of("a discovery interval that is not a duration", Map.of("discoveryInterval", "30"),
                        "discoveryInterval = '30': is not a Prometheus duration"),
                Arguments.of("an SSM prefix that is not a path", Map.of("ssmParameterPrefix", "o11y"),
                        "setting 'ssmParameterPrefix' = 'o11y': must be an SSM path"),
                Arguments.of("metrics path that is not a path", Map.of("services", "[{\"name\":\"api-1\",\"port\":8080,\"path\":\"metrics\"}]"),
                        "service 'api-1' metricsPath = 'metrics': must be an absolute URL path"),
                Arguments.of("services that are not JSON", Map.of("services", "api-1:8080"),
                        "setting 'services' = 'api-1:8080': must be a JSON list"),
                Arguments.of("bad duration", Map.of("scrapeInterval", "1 minute"),
                        "scrapeInterval = '1 minute': is not a Prometheus duration"),
                Arguments.of("missing Slack secret name", Map.of("slackWebhookSecretName", ""),
                        "setting 'slackWebhookSecretName' is empty"),
                Arguments.of("two Prometheus writers on one EFS directory", Map.of("prometheusDesiredCount", "2"),
                        "prometheusDesiredCount = 2: Prometheus' TSDB on EFS must have exactly one writer"),
                Arguments.of("remote write to something that is not a workspace", Map.of("remoteWrite", "https://example.com/write"),
                        "remoteWrite = 'https://example.com/write': give 'create' or an AMP workspace ARN"),
                Arguments.of("Slack channel without #", Map.of("slackCriticalChannel", "alerts-critical"),
                        "receiver slack-critical channel = 'alerts-critical'"),
                Arguments.of("OAuth without a client secret", Map.of("grafanaOAuth",
                        "{\"name\":\"Cognito\",\"clientId\":\"abc\",\"authUrl\":\"https://a\",\"tokenUrl\":\"https://t\",\"apiUrl\":\"https://u\"}"),
                        "setting 'grafanaOAuth' needs clientSecretName"),
                Arguments.of("OAuth over plain http", Map.of("grafanaOAuth",
                        "{\"name\":\"Cognito\",\"clientId\":\"abc\",\"clientSecretName\":\"o11y/oauth\",\"authUrl\":\"http://a\",\"tokenUrl\":\"https://t\",\"apiUrl\":\"https://u\"}"),
                        "grafanaOAuth authUrl = 'http://a': must be an https:// URL"),
                Arguments.of("image version range", Map.of("alertmanagerVersion", "latest"),
                        "setting 'alertmanagerVersion' = 'latest': must be an exact version"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSettings")
    void failsAtSynthNamingTheSettingAndValue(String what, Map<String, String> overrides, String message) {
        BadInput.assertRejected(overrides, message);
    }

    @Test
    void sizingFollowsTheExpectedActiveSeriesWithTheSeedAsTheFloor() {
        // The seed's 5 services (600 series) and anything up to 46,152 series (+ 3,000 of the platform's): 1 vCPU / 2 GB.
        assertThat(FargateSize.forPrometheus("s", FargateSize.expectedSeries(5), 256)).isEqualTo(new FargateSize(1024, 2048));
        assertThat(FargateSize.forPrometheus("s", 46_152, 256)).isEqualTo(new FargateSize(1024, 2048));
        assertThat(FargateSize.forPrometheus("s", 46_153, 256)).isEqualTo(new FargateSize(1024, 3072));
        // 100,000 series: 1024 + 103,000 x 16 KiB + 256 = 2890 MiB -> 1 vCPU / 3 GB.
        assertThat(FargateSize.forPrometheus("s", 100_000, 256)).isEqualTo(new FargateSize(1024, 3072));
        // 1,000 services at 120 series each: 1 vCPU / 4 GB, not the seed's table extrapolated to 51 vCPU / 102 GB.
        assertThat(FargateSize.forPrometheus("s", FargateSize.expectedSeries(1000), 256)).isEqualTo(new FargateSize(1024, 4096));
        // A million series: 4 vCPU (250k per vCPU) and 17 GB.
        assertThat(FargateSize.forPrometheus("s", 1_000_000, 256)).isEqualTo(new FargateSize(4096, 17408));
    }

    @Test
    void moreSeriesGiveALargerPrometheusTaskAndItsRulesKnowTheLimit() {
        var prometheus = Synth.build(Map.of("expectedActiveSeries", "300000")).fargate().getPrometheus();
        assertThat(prometheus.getSize()).isEqualTo(new FargateSize(2048, 6144));
        assertThat(prometheus.getRules().alerts().stream().map(dev.o11ycdk.config.Rule::expr).toList())
                .contains("max by (instance) (process_resident_memory_bytes{job=\"prometheus\"}) / " + (6144L - 256) * 1024 * 1024 + " > 0.8",
                        // What 5,888 MiB holds by the sizing formula, not the setting: it also holds for explicit sizes.
                        "max by (instance) (prometheus_tsdb_head_series{job=\"prometheus\"}) > " + (5888L - 1024) * 64);
    }
}
