package dev.o11ycdk.test;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.o11ycdk.host.ObservabilityInstance;
import dev.o11ycdk.test.support.Cfn;
import dev.o11ycdk.test.support.ConsumerApps;
import dev.o11ycdk.test.support.EndToEnd;
import dev.o11ycdk.test.support.LocalProcess;
import dev.o11ycdk.test.support.PrometheusTools;
import dev.o11ycdk.test.support.StandIns;
import dev.o11ycdk.test.support.Synth;
import dev.o11ycdk.test.support.Tools;
import dev.o11ycdk.test.support.UserData;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The EC2 layout's onboarding, end to end: the tags the orders team's own app (test/consumer-app-host)
 * puts on its Auto Scaling group and its instance, as its synthesized template carries them, are
 * given to instances in moto_server (EC2's API on loopback), in a VPC of 127.0.0.0/16 so that every
 * private IP it hands out is a loopback address; a stand-in answers on each instance's IP, port and
 * metrics path. A real Prometheus runs the host's {@code ec2-services} job exactly as the host's
 * metadata stages it in prometheus.yml, with only where EC2 is (moto's endpoint, test keys) and how
 * often to ask added. It must find the team's running instances, scrape each on its own port and
 * path, and label them service, job, env and team; an untagged, a stopped and a platform-named
 * instance must not be scraped.
 */
@EndToEnd
class HostTeamDiscoveryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REGION = "ap-northeast-2";

    private Map<String, String> awsEnv;
    private String aws;

    private String aws(String... args) {
        List<String> command = new ArrayList<>(List.of(aws, "--region", REGION, "--output", "text"));
        command.addAll(List.of(args));
        Tools.Result r = Tools.run(command, null, awsEnv, 60);
        assertThat(r.exitCode()).as(String.join(" ", args) + "\n" + r.output()).isZero();
        return r.output().strip();
    }

    /** An instance in moto at {@code ip} with {@code tags}; its id. */
    private String instance(String ami, String subnet, String ip, Map<String, String> tags) {
        List<String> args = new ArrayList<>(List.of("ec2", "run-instances", "--image-id", ami, "--subnet-id", subnet,
                "--private-ip-address", ip, "--query", "Instances[0].InstanceId"));
        if (!tags.isEmpty()) {
            StringBuilder spec = new StringBuilder("ResourceType=instance,Tags=[");
            tags.forEach((k, v) -> spec.append("{Key=").append(k).append(",Value=").append(v).append("},"));
            spec.setLength(spec.length() - 1);
            args.addAll(List.of("--tag-specifications", spec + "]"));
        }
        return aws(args.toArray(String[]::new));
    }

    private static JsonNode activeTargets(int port) throws Exception {
        String body = LocalProcess.get("http://127.0.0.1:" + port + "/api/v1/targets?state=active");
        return body == null ? JSON.createArrayNode() : JSON.readTree(body).path("data").path("activeTargets");
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void theHostsEc2JobScrapesTheTeamsTaggedInstancesOnTheirOwnPortAndPathWithTheSharedLabels(@TempDir Path dir) throws Exception {
        String motoServer = Tools.require("moto_server", "pip install 'moto[server]'");
        aws = Tools.require("aws", "pip install awscli");
        String prometheusBin = PrometheusTools.prometheus();

        // What the team's app tags: read from its template, not restated here.
        Map<String, Object> team = ConsumerApps.synth(ConsumerApps.App.HOST).templateJson();
        Map<String, String> apiTags = Cfn.tags(Cfn.onlyResource(team, "AWS::AutoScaling::AutoScalingGroup"), true);
        Map<String, String> batchTags = Cfn.tags(Cfn.onlyResource(team, "AWS::EC2::Instance"), false);

        // The host's ec2-services job as cfn-init stages it on the host.
        Map<String, Object> hostTemplate = Synth.defaults().templateJson(Synth.defaults().stacks().ec2Host());
        @SuppressWarnings("unchecked")
        Map<String, Object> hostConfig = Cfn.YAML.readValue(UserData.stagedFiles(hostTemplate).get("/etc/prometheus/prometheus.yml"), Map.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> job = ((List<Map<String, Object>>) hostConfig.get("scrape_configs")).stream()
                .filter(j -> ObservabilityInstance.SERVICES_JOB.equals(j.get("job_name"))).findFirst().orElseThrow();

        int motoPort = LocalProcess.freePort();
        try (LocalProcess moto = LocalProcess.start("moto", List.of(motoServer, "-H", "127.0.0.1", "-p", String.valueOf(motoPort)), dir, Map.of())) {
            assertThat(LocalProcess.await(Duration.ofSeconds(30), () -> LocalProcess.get("http://127.0.0.1:" + motoPort + "/") != null))
                    .as("moto_server ready\n" + moto.log()).isTrue();
            awsEnv = new LinkedHashMap<>();
            awsEnv.put("AWS_ENDPOINT_URL", "http://127.0.0.1:" + motoPort);
            awsEnv.put("AWS_ACCESS_KEY_ID", "testing");
            awsEnv.put("AWS_SECRET_ACCESS_KEY", "testing");
            for (String k : List.of("AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_DEFAULT_REGION", "AWS_REGION")) {
                awsEnv.put(k, "");
            }
            awsEnv.put("AWS_CONFIG_FILE", dir.resolve("no-aws-config").toString());
            awsEnv.put("AWS_SHARED_CREDENTIALS_FILE", dir.resolve("no-aws-credentials").toString());
            awsEnv.put("AWS_EC2_METADATA_DISABLED", "true");
            awsEnv.put("NO_PROXY", "127.0.0.1");
            String ami = aws("ec2", "describe-images", "--query", "Images[0].ImageId");
            String vpc = aws("ec2", "create-vpc", "--cidr-block", "127.0.0.0/16", "--query", "Vpc.VpcId");
            String subnet = aws("ec2", "create-subnet", "--vpc-id", vpc, "--cidr-block", "127.0.1.0/24",
                    "--availability-zone", REGION + "a", "--query", "Subnet.SubnetId");

            // Two instances the group launched, the batch instance, and three that must not be scraped.
            Map<String, Map<String, String>> scraped = new TreeMap<>(Map.of(
                    "127.0.1.11", apiTags, "127.0.1.12", apiTags, "127.0.1.13", batchTags));
            Map<String, String> ids = new TreeMap<>();
            scraped.forEach((ip, tags) -> ids.put(ip, instance(ami, subnet, ip, tags)));
            instance(ami, subnet, "127.0.1.21", Map.of("Name", "untagged"));
            String stopped = instance(ami, subnet, "127.0.1.22", apiTags);
            aws("ec2", "stop-instances", "--instance-ids", stopped);
            Map<String, String> spoof = new LinkedHashMap<>(batchTags);
            spoof.put("O11Y_SERVICE", "prometheus");
            instance(ami, subnet, "127.0.1.23", spoof);

            // Each stand-in answers only on its instance's tagged port and path: up == 1 proves both were used.
            List<HttpServer> servers = new ArrayList<>();
            scraped.forEach((ip, tags) -> servers.add(uncheck(() -> StandIns.metricsService(ip,
                    Integer.parseInt(tags.get("O11Y_SCRAPE_PORT")), tags.get("O11Y_METRICS_PATH")))));
            for (String ip : List.of("127.0.1.21", "127.0.1.22", "127.0.1.23")) {
                servers.add(StandIns.metricsService(ip, 9100, "/metrics"));
                servers.add(StandIns.metricsService(ip, 9464, "/prometheus"));
            }

            // Where EC2 is and how often to ask: the only keys added to the job as rendered.
            @SuppressWarnings("unchecked")
            Map<String, Object> sd = ((List<Map<String, Object>>) job.get("ec2_sd_configs")).get(0);
            sd.put("endpoint", "http://127.0.0.1:" + motoPort);
            sd.put("access_key", "testing");
            sd.put("secret_key", "testing");
            sd.put("refresh_interval", "2s");
            int promPort = LocalProcess.freePort();
            Map<String, Object> config = new LinkedHashMap<>();
            config.put("global", Map.of("scrape_interval", "1s", "scrape_timeout", "1s"));
            config.put("scrape_configs", List.of(job));
            Files.writeString(dir.resolve("prometheus.yml"), Cfn.YAML.writeValueAsString(config));
            try (LocalProcess prom = LocalProcess.start("prometheus", List.of(prometheusBin, "--config.file=" + dir.resolve("prometheus.yml"),
                    "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + promPort), dir, Map.of())) {
                assertThat(LocalProcess.await(Duration.ofSeconds(60), () -> uncheck(() -> {
                    JsonNode t = activeTargets(promPort);
                    int up = 0;
                    for (JsonNode n : t) {
                        up += "up".equals(n.path("health").asText()) ? 1 : 0;
                    }
                    return t.size() == 3 && up == 3;
                }))).as("the three tagged running instances up\n" + activeTargets(promPort) + "\n" + prom.log()).isTrue();

                Map<String, JsonNode> byIp = new TreeMap<>();
                for (JsonNode t : activeTargets(promPort)) {
                    byIp.put(t.path("labels").path("instance_id").asText(), t);
                }
                assertThat(byIp.keySet()).containsExactlyInAnyOrderElementsOf(ids.values());
                for (Map.Entry<String, Map<String, String>> e : scraped.entrySet()) {
                    JsonNode target = byIp.get(ids.get(e.getKey()));
                    Map<String, String> tags = e.getValue();
                    assertThat(target.path("scrapeUrl").asText()).isEqualTo("http://" + e.getKey() + ":" + tags.get("O11Y_SCRAPE_PORT")
                            + tags.get("O11Y_METRICS_PATH"));
                    JsonNode labels = target.path("labels");
                    assertThat(labels.path("service").asText()).isEqualTo(tags.get("O11Y_SERVICE"));
                    assertThat(labels.path("job").asText()).isEqualTo(tags.get("O11Y_SERVICE"));
                    // No env tag: the platform's environment.
                    assertThat(labels.path("env").asText()).isEqualTo(tags.getOrDefault("O11Y_ENV", "prod"));
                    assertThat(labels.path("team").asText()).isEqualTo("orders");
                    assertThat(labels.path("instance").asText()).isEqualTo(e.getKey() + ":" + tags.get("O11Y_SCRAPE_PORT"));
                    assertThat(labels.path("instance_name").asText()).isEqualTo(tags.get("Name"));
                    assertThat(labels.path("availability_zone").asText()).isEqualTo(REGION + "a");
                }
                assertThat(byIp.values()).extracting(t -> t.path("labels").path("service").asText())
                        .containsExactlyInAnyOrder("orders-api", "orders-api", "orders-batch");
                // The series themselves carry the labels.
                String q = LocalProcess.get("http://127.0.0.1:" + promPort + "/api/v1/query?query="
                        + URLEncoder.encode("standin_requests_total{team=\"orders\"}", StandardCharsets.UTF_8));
                assertThat(JSON.readTree(q).path("data").path("result")).hasSize(3);
            } finally {
                servers.forEach(s -> s.stop(0));
            }
        }
    }

    private interface Io<T> {
        T get() throws Exception;
    }

    private static <T> T uncheck(Io<T> io) {
        try {
            return io.get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
