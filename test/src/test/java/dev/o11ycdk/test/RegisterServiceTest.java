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
    }

    @Test
    void theServiceJoinsCloudMapUnderItsName() {
        teamTemplate.hasResourceProperties("AWS::ServiceDiscovery::Service", Match.objectLike(Map.of("Name", "payments",
                "DnsConfig", Match.objectLike(Map.of("DnsRecords", List.of(Map.of("TTL", 10, "Type", "A")))))));
    }

    @Test
    void itsSecurityGroupOpensTheMetricsPortToPrometheusOnly() {
        teamTemplate.hasResourceProperties("AWS::EC2::SecurityGroupIngress", Match.objectLike(Map.of(
                "FromPort", 8080, "ToPort", 8080, "Description", "Prometheus scrape of payments",
                "SourceSecurityGroupId", Match.anyValue())));
        assertThat(String.valueOf(teamTemplate.findResources("AWS::EC2::SecurityGroupIngress"))).contains("PrometheusServiceSecurityGroup");
    }

    @Test
    void prometheusScrapesEveryTaskOfItWithItsMetricsPath() {
        assertThat(prometheus.getPrometheusConfig().toYaml()).contains("  - job_name: payments\n    metrics_path: /actuator/prometheus\n"
                + "    scheme: http\n    dns_sd_configs:\n      - names:\n          - payments.o11y.local\n        type: A\n        port: 8080");
    }
}
