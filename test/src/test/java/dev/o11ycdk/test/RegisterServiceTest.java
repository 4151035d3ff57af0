package dev.o11ycdk.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.o11ycdk.FargatePrometheus;
import dev.o11ycdk.ScrapeTarget;
import dev.o11ycdk.app.O11yApp;
import dev.o11ycdk.app.Settings;
import dev.o11ycdk.test.support.Synth;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.ecs.AwsLogDriverProps;
import software.amazon.awscdk.services.ecs.ContainerDefinitionOptions;
import software.amazon.awscdk.services.ecs.LogDriver;
import software.amazon.awscdk.services.ecs.ContainerImage;
import software.amazon.awscdk.services.ecs.FargateService;
import software.amazon.awscdk.services.ecs.FargateTaskDefinition;
import software.amazon.awscdk.services.ecs.PortMapping;

/** Another team's stack registers its Fargate service for scraping in one call. */
class RegisterServiceTest {
    private static Template teamTemplate;
    private static FargatePrometheus prometheus;
    private static Template prometheusTemplate;

    @BeforeAll
    static void synth() throws Exception {
        App app = Synth.newApp(Map.of(), Files.createTempDirectory("o11y-register"));
        O11yApp.Stacks stacks = O11yApp.build(app, Settings.from(app));
        prometheus = stacks.fargate().getPrometheus();
        Stack team = new Stack(app, "PaymentsTeam", StackProps.builder()
                .env(Environment.builder().region("ap-northeast-2").build()).build());
        FargateTaskDefinition td = FargateTaskDefinition.Builder.create(team, "Task").cpu(256).memoryLimitMiB(512).build();
        td.addContainer("app", ContainerDefinitionOptions.builder()
                .image(ContainerImage.fromRegistry("example/payments:1.0.0"))
                .logging(LogDriver.awsLogs(AwsLogDriverProps.builder().streamPrefix("payments").build()))
                .portMappings(List.of(PortMapping.builder().containerPort(8080).build())).build());
        FargateService service = FargateService.Builder.create(team, "Payments")
                .cluster(stacks.fargate().getPrometheus().getService().getCluster())
                .taskDefinition(td).build();

        prometheus.registerService(service, new ScrapeTarget("payments", 8080, "/actuator/prometheus", "prod"));

        app.synth();
        teamTemplate = Template.fromStack(team);
        prometheusTemplate = Template.fromStack(stacks.fargate());
    }

    @Test
    void theServiceJoinsCloudMapUnderItsName() {
        teamTemplate.hasResourceProperties("AWS::ServiceDiscovery::Service", Match.objectLike(Map.of("Name", "payments",
                "DnsConfig", Match.objectLike(Map.of("DnsRecords", List.of(Map.of("TTL", 10, "Type", "A")))))));
    }

    @Test
    void itsSecurityGroupOpensTheMetricsPortToPrometheusOnly() {
        Map<String, Map<String, Object>> ingress = teamTemplate.findResources("AWS::EC2::SecurityGroupIngress",
                Map.of("Properties", Match.objectLike(Map.of("FromPort", 8080))));
        assertThat(ingress).hasSize(1);
        assertThat(String.valueOf(ingress.values().iterator().next()))
                .contains("Prometheus scrape of payments", "PrometheusServiceSecurityGroup").doesNotContain("CidrIp");
    }

    @Test
    void itMayQueryPrometheus() {
        // The rule sits in the team's stack (it depends on the platform's, not the other way round).
        Map<String, Map<String, Object>> q = teamTemplate.findResources("AWS::EC2::SecurityGroupIngress",
                Map.of("Properties", Match.objectLike(Map.of("FromPort", 9090))));
        assertThat(q).hasSize(1);
        assertThat(String.valueOf(q.values().iterator().next())).contains("Prometheus queries from payments", "PrometheusServiceSecurityGroup");
    }

    @Test
    void automaticSizingFollowsServicesRegisteredAfterConstruction() {
        // 5 services from cdk.json + 1 registered = 6 targets: past the seed's 5, so more than 1 vCPU / 2 GB.
        assertThat(prometheus.getSize()).isEqualTo(new dev.o11ycdk.FargateSize(2048, 4096));
        prometheusTemplate.hasResourceProperties("AWS::ECS::TaskDefinition", Match.objectLike(Map.of("Cpu", "2048", "Memory", "4096",
                "ContainerDefinitions", List.of(Match.objectLike(Map.of("Name", "prometheus"))))));
    }

    @Test
    void platformNamesCannotBeRegistered() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> prometheus.addScrapeTarget(new ScrapeTarget("grafana", 3000, null, "prod")))
                .hasMessageContaining("services = 'grafana': service names must be unique and not one of the platform's");
    }

    @Test
    void prometheusScrapesEveryTaskOfItWithItsMetricsPath() {
        assertThat(prometheus.getPrometheusConfig().toYaml()).contains("  - job_name: payments\n    metrics_path: /actuator/prometheus\n"
                + "    scheme: http\n    dns_sd_configs:\n      - names:\n          - payments.o11y.local\n        type: A\n        port: 8080");
    }
}
