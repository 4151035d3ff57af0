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
                Arguments.of("only one of cpu and memory", Map.of("prometheusCpu", "2048"),
                        "settings 'prometheusCpu' and 'prometheusMemoryMiB': give both numbers"),
                Arguments.of("two services with one name", Map.of("services",
                        "[{\"name\":\"api-1\",\"port\":8080},{\"name\":\"api-1\",\"port\":8081}]"),
                        "services = 'api-1': service names must be unique"),
                Arguments.of("service port out of range", Map.of("services", "[{\"name\":\"api-1\",\"port\":70000}]"),
                        "service 'api-1' port = 70000: a TCP port must be in 1..65535"),
                Arguments.of("service name Cloud Map cannot register", Map.of("services", "[{\"name\":\"Api_1\",\"port\":8080}]"),
                        "service name = 'Api_1': must be a DNS label"),
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
    void sizingFollowsTheSeedTableRoundedUpToFargateSizes() {
        assertThat(FargateSize.forPrometheusTargets(5)).isEqualTo(new FargateSize(1024, 2048));
        // The seed's 1.5 vCPU / 3 GB for 10 services is not a Fargate size: the next one up is 2 vCPU / 4 GB.
        assertThat(FargateSize.forPrometheusTargets(10)).isEqualTo(new FargateSize(2048, 4096));
        assertThat(FargateSize.forPrometheusTargets(20)).isEqualTo(new FargateSize(2048, 4096));
        assertThat(FargateSize.forPrometheusTargets(40)).isEqualTo(new FargateSize(4096, 8192));
        assertThat(FargateSize.of("x", 256, 512)).isEqualTo(new FargateSize(256, 512));
    }

    @Test
    void moreServicesGiveALargerPrometheusTask() {
        StringBuilder twelve = new StringBuilder("[");
        for (int i = 0; i < 12; i++) {
            twelve.append(i == 0 ? "" : ",").append("{\"name\":\"svc-").append(i).append("\",\"port\":8080}");
        }
        var stacks = Synth.build(Map.of("services", twelve.append("]").toString()));
        assertThat(stacks.fargate().getPrometheus().getSize()).isEqualTo(new FargateSize(2048, 4096));
    }
}
