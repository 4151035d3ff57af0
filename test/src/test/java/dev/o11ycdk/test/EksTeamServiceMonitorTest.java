package dev.o11ycdk.test;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.o11ycdk.test.support.Cfn;
import dev.o11ycdk.test.support.ConsumerApps;
import dev.o11ycdk.test.support.EndToEnd;
import dev.o11ycdk.test.support.LocalProcess;
import dev.o11ycdk.test.support.OperatorSchema;
import dev.o11ycdk.test.support.OperatorScrapeConfig;
import dev.o11ycdk.test.support.PrometheusTools;
import dev.o11ycdk.test.support.StandIns;
import dev.o11ycdk.test.support.Synth;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The EKS layout's onboarding as the search team's own app (test/consumer-app-eks) synthesizes it:
 * the ServiceMonitor in its template, with the environment the platform's template publishes in its
 * place, is valid by the prometheus-operator's API schema ({@link OperatorSchema}), and the scrape
 * configuration the operator generates from it ({@link OperatorScrapeConfig}) runs in a real
 * Prometheus against the pods of the team's Service (stand-ins on loopback): each pod is scraped on
 * its container port and metrics path with the labels every layout gives a service; another Service,
 * another port and a failed pod are not.
 */
@EndToEnd
class EksTeamServiceMonitorTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The team's ServiceMonitor, each deploy-time value as the platform's template publishes it. */
    private static Map<String, Object> teamMonitor() throws Exception {
        Map<String, Object> team = ConsumerApps.synth(ConsumerApps.App.EKS).templateJson();
        Map<String, Object> platform = Synth.defaults().templateJson(Synth.defaults().stacks().eks());
        String environment = Cfn.ofType(platform, "AWS::SSM::Parameter").stream().map(Cfn::props)
                .filter(p -> "/o11y-cdk/eks/environment".equals(p.get("Name"))).map(p -> String.valueOf(p.get("Value")))
                .findFirst().orElseThrow();
        List<Map<String, Object>> objects = Cfn.manifest(team, "ServiceMonitor", Map.of(
                Cfn.ssmParameterId(team, "/o11y-cdk/eks/environment"), environment));
        assertThat(objects).hasSize(1);
        return objects.get(0);
    }

    @Test
    void theTeamsServiceMonitorIsValidByTheOperatorsSchemaAndABrokenOneIsNot() throws Exception {
        OperatorSchema schema = OperatorSchema.require();
        Map<String, Object> monitor = teamMonitor();
        assertThat(monitor).containsEntry("apiVersion", "monitoring.coreos.com/v1").containsEntry("kind", "ServiceMonitor");

        // The validator is live: each of these breaks the schema in one field of the same monitor.
        Map<String, Object> badAction = JSON.readValue(JSON.writeValueAsString(monitor).replace("\"replace\"", "\"Frobnicate\""), Map.class);
        Map<String, Object> badPort = JSON.readValue(JSON.writeValueAsString(monitor).replace("\"targetPort\":8080", "\"targetPort\":true"), Map.class);
        Map<String, Object> noSelector = JSON.readValue(JSON.writeValueAsString(monitor), Map.class);
        ((Map<?, ?>) noSelector.get("spec")).remove("selector");
        List<OperatorSchema.Verdict> verdicts = schema.validate(List.of(monitor, badAction, badPort, noSelector));
        assertThat(verdicts.get(0).valid()).as("the team's monitor: %s", verdicts.get(0).errors()).isTrue();
        assertThat(verdicts.get(1).errors()).anySatisfy(e -> assertThat(e).contains("relabelings/0/action"));
        assertThat(verdicts.get(2).errors()).anySatisfy(e -> assertThat(e).contains("endpoints/0/targetPort"));
        assertThat(verdicts.get(3).errors()).anySatisfy(e -> assertThat(e).contains("required property selector"));
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void thePodsOfTheTeamsServiceAreScrapedOnTheirPortAndPathWithTheSharedLabels(@TempDir Path dir) throws Exception {
        Map<String, Object> monitor = teamMonitor();
        @SuppressWarnings("unchecked")
        Map<String, String> selector = (Map<String, String>) ((Map<String, Object>) ((Map<String, Object>) monitor.get("spec"))
                .get("selector")).get("matchLabels");
        @SuppressWarnings("unchecked")
        Map<String, Object> endpoint = ((List<Map<String, Object>>) ((Map<String, Object>) monitor.get("spec")).get("endpoints")).get(0);
        int port = ((Number) endpoint.get("targetPort")).intValue();
        String path = (String) endpoint.get("path");
        // The team's Service as its own manifest names it (not "search": the monitor's labels replace the operator's).
        Map<String, Object> team = ConsumerApps.synth(ConsumerApps.App.EKS).templateJson();
        String service = Cfn.manifest(team, "Workload").stream().filter(o -> "Service".equals(o.get("kind")))
                .map(o -> Cfn.<String>at(o, "metadata.name")).findFirst().orElseThrow();
        assertThat(service).isNotEqualTo("search");

        // The search namespace's endpoints, as discovery lists them: two ready pods of the team's Service,
        // and three that must not be scraped, each answering where it would be scraped.
        Path targets = dir.resolve("endpoints-search.json");
        List<Object> entries = new ArrayList<>(List.of(
                OperatorScrapeConfig.endpointTarget("127.0.2.11:" + port, "search", service, selector, "http", "search-7d9f-a", "Running", "search", port),
                OperatorScrapeConfig.endpointTarget("127.0.2.12:" + port, "search", service, selector, "http", "search-7d9f-b", "Running", "search", port),
                OperatorScrapeConfig.endpointTarget("127.0.2.21:" + port, "search", "search-admin", Map.of("app.kubernetes.io/name", "search-admin"),
                        "http", "search-admin-1", "Running", "admin", port),
                OperatorScrapeConfig.endpointTarget("127.0.2.22:9901", "search", service, selector, "envoy-admin", "search-7d9f-a", "Running", "envoy", 9901),
                OperatorScrapeConfig.endpointTarget("127.0.2.23:" + port, "search", service, selector, "http", "search-7d9f-old", "Failed", "search", port)));
        Files.writeString(targets, JSON.writeValueAsString(entries));
        List<HttpServer> servers = new ArrayList<>();
        for (String ip : List.of("127.0.2.11", "127.0.2.12", "127.0.2.21", "127.0.2.23")) {
            servers.add(StandIns.metricsService(ip, port, path));
        }
        servers.add(StandIns.metricsService("127.0.2.22", 9901, path));

        Map<String, Object> job = OperatorScrapeConfig.of(monitor, 0, targets.toString());
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("global", Map.of("scrape_interval", "1s", "scrape_timeout", "1s"));
        config.put("scrape_configs", List.of(job));
        Files.writeString(dir.resolve("prometheus.yml"), Cfn.YAML.writeValueAsString(config));
        int promPort = LocalProcess.freePort();
        try (LocalProcess prom = LocalProcess.start("prometheus", List.of(PrometheusTools.prometheus(), "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + promPort), dir, Map.of())) {
            assertThat(LocalProcess.await(Duration.ofSeconds(60), () -> {
                JsonNode t = active(promPort);
                int up = 0;
                for (JsonNode n : t) {
                    up += "up".equals(n.path("health").asText()) ? 1 : 0;
                }
                return t.size() == 2 && up == 2;
            })).as("the team's two pods up\n" + active(promPort) + "\n" + prom.log()).isTrue();
            List<String> pods = new ArrayList<>();
            for (JsonNode t : active(promPort)) {
                JsonNode labels = t.path("labels");
                assertThat(t.path("scrapeUrl").asText()).matches("http://127\\.0\\.2\\.1[12]:" + port + java.util.regex.Pattern.quote(path));
                assertThat(labels.path("service").asText()).isEqualTo("search");
                assertThat(labels.path("job").asText()).isEqualTo("search");
                assertThat(labels.path("env").asText()).isEqualTo("prod");
                assertThat(labels.path("team").asText()).isEqualTo("search");
                assertThat(labels.path("namespace").asText()).isEqualTo("search");
                assertThat(labels.path("container").asText()).isEqualTo("search");
                assertThat(labels.path("endpoint").asText()).isEqualTo(String.valueOf(port));
                pods.add(labels.path("pod").asText());
            }
            assertThat(pods).containsExactlyInAnyOrder("search-7d9f-a", "search-7d9f-b");
        } finally {
            servers.forEach(s -> s.stop(0));
        }
    }

    private static JsonNode active(int port) {
        String body = LocalProcess.get("http://127.0.0.1:" + port + "/api/v1/targets?state=active");
        try {
            return body == null ? JSON.createArrayNode() : JSON.readTree(body).path("data").path("activeTargets");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
