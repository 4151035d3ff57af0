package dev.o11ycdk.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.o11ycdk.app.O11yApp;
import dev.o11ycdk.app.Settings;
import dev.o11ycdk.core.ScrapeOptions;
import dev.o11ycdk.fargate.FargatePrometheus;
import dev.o11ycdk.fargate.IFargatePrometheus;
import dev.o11ycdk.fargate.ScrapeRegistration;
import dev.o11ycdk.test.support.Cfn;
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
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ec2.VpcAttributes;
import software.amazon.awscdk.services.ecs.AwsLogDriverProps;
import software.amazon.awscdk.services.ecs.ContainerDefinitionOptions;
import software.amazon.awscdk.services.ecs.ContainerImage;
import software.amazon.awscdk.services.ecs.Ec2Service;
import software.amazon.awscdk.services.ecs.Ec2TaskDefinition;
import software.amazon.awscdk.services.ecs.ExternalService;
import software.amazon.awscdk.services.ecs.ExternalTaskDefinition;
import software.amazon.awscdk.services.ecs.FargateService;
import software.amazon.awscdk.services.ecs.FargateTaskDefinition;
import software.amazon.awscdk.services.ecs.ICluster;
import software.amazon.awscdk.services.ecs.LogDriver;
import software.amazon.awscdk.services.ecs.NetworkMode;
import software.amazon.awscdk.services.ecs.PortMapping;

/**
 * Another team's stack in the same app opts its service in with one call on the live
 * {@link FargatePrometheus}: everything lands in the team's stack, the platform's template does not
 * change at all, and the service carries what ECS discovery reads.
 */
class ScrapeServiceTest {
    private static App app;
    private static O11yApp.Stacks stacks;
    private static Stack team;
    private static Template teamTemplate;
    private static ScrapeRegistration registration;

    static FargateService paymentsService(Stack stack, ICluster cluster, int port) {
        FargateTaskDefinition td = FargateTaskDefinition.Builder.create(stack, "Task").cpu(256).memoryLimitMiB(512).build();
        td.addContainer("app", ContainerDefinitionOptions.builder()
                .image(ContainerImage.fromRegistry("example/payments:1.0.0"))
                .logging(LogDriver.awsLogs(AwsLogDriverProps.builder().streamPrefix("payments").build()))
                .portMappings(List.of(PortMapping.builder().containerPort(port).build())).build());
        return FargateService.Builder.create(stack, "Payments").cluster(cluster).taskDefinition(td).build();
    }

    /** The platform's cluster as a team's stack imports it, by name and with its VPC by id (no cross-stack reference). */
    static ICluster teamCluster(Stack stack) {
        return importedCluster(stack, "o11y-platform");
    }

    /** A cluster imported by name into {@code stack}, in the platform's VPC (imported once per stack). */
    static ICluster importedCluster(Stack stack, String name) {
        IVpc vpc = stack.getNode().tryFindChild("Vpc") instanceof IVpc v ? v : Vpc.fromVpcAttributes(stack, "Vpc", VpcAttributes.builder()
                .vpcId("vpc-0123456789abcdef0").availabilityZones(List.of("ap-northeast-2a", "ap-northeast-2c"))
                .privateSubnetIds(List.of("subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb")).build());
        return software.amazon.awscdk.services.ecs.Cluster.fromClusterAttributes(stack, "Cluster-" + name,
                software.amazon.awscdk.services.ecs.ClusterAttributes.builder().clusterName(name).vpc(vpc).build());
    }

    @BeforeAll
    static void synth() throws Exception {
        app = Synth.newApp(Map.of(), Files.createTempDirectory("o11y-scrape"));
        stacks = O11yApp.build(app, Settings.from(app));
        team = new Stack(app, "PaymentsTeam", StackProps.builder().env(Environment.builder().region("ap-northeast-2").build()).build());
        FargateService service = paymentsService(team, teamCluster(team), 8080);

        registration = stacks.fargate().getPrometheus().scrape(service, ScrapeOptions.builder()
                .name("payments").port(8080).metricsPath("/actuator/prometheus").team("payments").build());

        app.synth();
        teamTemplate = Template.fromStack(team);
    }

    @Test
    void thePlatformsTemplateIsIdenticalWithAndWithoutTheTeamsService() {
        Synth alone = Synth.defaults();
        assertThat(Template.fromStack(stacks.fargate()).toJSON()).isEqualTo(alone.template(alone.stacks().fargate()).toJSON());
        // The team's stack reads the platform's security group from SSM at deploy time: no export, no import.
        assertThat(String.valueOf(teamTemplate.toJSON())).contains("AWS::SSM::Parameter::Value<String>", "/o11y-cdk/platform/security-group-id")
                .doesNotContain("Fn::ImportValue");
        // And nothing else of the platform's: the scrape needs the security group alone.
        Map<?, ?> parameters = (Map<?, ?>) teamTemplate.toJSON().get("Parameters");
        assertThat(parameters.values().stream().map(p -> String.valueOf(((Map<?, ?>) p).get("Default")))
                .filter(name -> name.startsWith("/o11y-cdk/"))).containsExactly("/o11y-cdk/platform/security-group-id");
        // Deployed after the platform, whose parameters it reads.
        assertThat(team.getDependencies()).extracting(Stack::getStackName).containsExactly("O11yFargate");
    }

    @Test
    void theContainerCarriesTheDiscoveryLabels() {
        // No env label: Prometheus gives the platform's environment, so the team's stack holds nothing that follows it.
        teamTemplate.hasResourceProperties("AWS::ECS::TaskDefinition", Match.objectLike(Map.of("ContainerDefinitions",
                Match.arrayWith(List.of(Match.objectLike(Map.of("Name", "app", "DockerLabels", Match.exact(Map.of("O11Y_SCRAPE_PORT", "8080",
                        "O11Y_METRICS_PATH", "/actuator/prometheus", "O11Y_SERVICE", "payments", "O11Y_TEAM", "payments")))))))));
        assertThat(registration.getDockerLabels()).containsOnlyKeys("O11Y_SCRAPE_PORT", "O11Y_METRICS_PATH", "O11Y_SERVICE", "O11Y_TEAM")
                .containsEntry("O11Y_SERVICE", "payments").containsEntry("O11Y_SCRAPE_PORT", "8080");
    }

    @Test
    void theTaskGetsTheEcsExporterSidecarLabelledAsTheServiceAndOpenedToPrometheus() {
        // Its CPU, memory and network from the task metadata endpoint: a target of the service's own job on 9779.
        teamTemplate.hasResourceProperties("AWS::ECS::TaskDefinition", Match.objectLike(Map.of("ContainerDefinitions",
                Match.arrayWith(List.of(Match.objectLike(Map.of("Name", "ecs-exporter",
                        "Image", "quay.io/prometheuscommunity/ecs-exporter:v" + dev.o11ycdk.core.Versions.ECS_EXPORTER,
                        "Essential", false, "User", "65534:65534", "ReadonlyRootFilesystem", true, "MemoryReservation", 32,
                        "Command", List.of("--web.disable-exporter-metrics"),
                        "PortMappings", List.of(Match.objectLike(Map.of("ContainerPort", 9779))),
                        "LogConfiguration", Match.objectLike(Map.of("LogDriver", "awslogs",
                                "Options", Match.objectLike(Map.of("awslogs-stream-prefix", "ecs-exporter")))),
                        "DockerLabels", Match.exact(Map.of("O11Y_SCRAPE_PORT", "9779", "O11Y_METRICS_PATH", "/metrics",
                                "O11Y_SERVICE", "payments", "O11Y_TEAM", "payments")))))))));
        assertThat(teamTemplate.findResources("AWS::EC2::SecurityGroupIngress",
                Map.of("Properties", Match.objectLike(Map.of("FromPort", 9779, "ToPort", 9779))))).hasSize(1);
    }

    @Test
    void itsSecurityGroupOpensTheMetricsPortToPrometheusOnlyAndTheRuleLivesInTheTeamsStack() {
        Map<String, Map<String, Object>> ingress = teamTemplate.findResources("AWS::EC2::SecurityGroupIngress",
                Map.of("Properties", Match.objectLike(Map.of("FromPort", 8080))));
        assertThat(ingress).hasSize(1);
        assertThat(String.valueOf(ingress.values().iterator().next()))
                .contains("Prometheus scrape of payments", "o11ycdkplatformsecuritygroupid").doesNotContain("CidrIp");
    }

    @Test
    void withThePlatformsClusterNamedByCloudFormationAnUnwatchedClusterIsAWarning() {
        App a = Synth.newApp(Map.of(), null);
        O11yApp.Stacks s = O11yApp.build(a, Settings.from(a));
        Stack other = new Stack(a, "Batch", StackProps.builder().env(Environment.builder().region("ap-northeast-2").build()).build());
        ICluster batch = importedCluster(other, "batch");
        s.fargate().getPrometheus().scrape(paymentsService(other, batch, 8080), ScrapeOptions.builder().name("batch").port(8080).build());
        Annotations.fromStack(other).hasWarning("/Batch/Payments", Match.stringLikeRegexp(
                "scrape 'batch' of service Batch/Payments cluster = 'batch': ECS discovery watches only the platform's cluster: unless.*"));
        // The platform's own cluster construct, whatever CloudFormation names it, is always watched.
        ICluster platform = s.fargate().getPrometheus().getService().getCluster();
        s.fargate().getPrometheus().scrape(paymentsService(s.fargate(), platform, 8080), ScrapeOptions.builder().name("inside").port(8080).build());
        Annotations.fromStack(s.fargate()).hasNoWarning("*", Match.stringLikeRegexp(".*ECS discovery watches only.*"));
    }

    @Test
    void queryingPrometheusIsOptInThroughARuleInItsOwnStack() {
        // Off by default: each one is a rule against Prometheus' security-group quota.
        assertThat(teamTemplate.findResources("AWS::EC2::SecurityGroupIngress", Map.of("Properties", Match.objectLike(Map.of("FromPort", 9090)))))
                .isEmpty();
        App a = Synth.newApp(Map.of(), null);
        O11yApp.Stacks s = O11yApp.build(a, Settings.from(a));
        Stack other = new Stack(a, "Reports", StackProps.builder().env(Environment.builder().region("ap-northeast-2").build()).build());
        s.fargate().getPrometheus().scrape(paymentsService(other, teamCluster(other), 8080),
                ScrapeOptions.builder().name("reports").port(8080).allowQueries(true).build());
        Map<String, Map<String, Object>> q = Template.fromStack(other).findResources("AWS::EC2::SecurityGroupIngress",
                Map.of("Properties", Match.objectLike(Map.of("FromPort", 9090))));
        assertThat(q).hasSize(1);
        assertThat(String.valueOf(q.values().iterator().next())).contains("Prometheus queries from reports", "o11ycdkplatformsecuritygroupid");
    }

    @Test
    void aServiceInAClusterDiscoveryDoesNotWatchOrOnEcsAnywhereFailsAtSynth() {
        App a = Synth.newApp(Map.of("clusterName", "o11y-platform", "discoveryClusters", "team-a"), null);
        O11yApp.Stacks s = O11yApp.build(a, Settings.from(a));
        Stack other = new Stack(a, "Other", StackProps.builder().env(Environment.builder().region("ap-northeast-2").build()).build());
        ICluster batch = importedCluster(other, "batch");
        FargatePrometheus prometheus = s.fargate().getPrometheus();
        FargateService inBatch = paymentsService(other, batch, 8080);
        assertThatThrownBy(() -> prometheus.scrape(inBatch, ScrapeOptions.builder().name("payments").port(8080).build()))
                .hasMessage("scrape 'payments' of service Other/Payments cluster = 'batch': ECS discovery watches only o11y-platform, "
                        + "team-a; add it to discoveryClusters");
        // A cluster the app creates with a name counts as known too.
        Stack reportsStack = new Stack(a, "Reports", StackProps.builder().env(Environment.builder().region("ap-northeast-2").build()).build());
        software.amazon.awscdk.services.ecs.Cluster reports = software.amazon.awscdk.services.ecs.Cluster.Builder.create(reportsStack, "Reports")
                .clusterName("reports").vpc(software.amazon.awscdk.services.ec2.Vpc.Builder.create(reportsStack, "Vpc").maxAzs(1).natGateways(0).build())
                .build();
        FargateService inReports = paymentsService(reportsStack, reports, 8080);
        assertThatThrownBy(() -> prometheus.scrape(inReports, ScrapeOptions.builder().name("reports").port(8080).build()))
                .hasMessageContaining("cluster = 'reports': ECS discovery watches only o11y-platform, team-a;");
        // The clusters it watches are fine.
        Stack teamA = new Stack(a, "TeamA", StackProps.builder().env(Environment.builder().region("ap-northeast-2").build()).build());
        ICluster a1 = importedCluster(teamA, "team-a");
        assertThat(prometheus.scrape(paymentsService(teamA, a1, 8080), ScrapeOptions.builder().name("payments").port(8080).build())
                .getDockerLabels()).containsEntry("O11Y_SERVICE", "payments");

        ExternalTaskDefinition etd = ExternalTaskDefinition.Builder.create(other, "EdgeTask").build();
        etd.addContainer("edge", ContainerDefinitionOptions.builder().image(ContainerImage.fromRegistry("example/edge:1"))
                .memoryLimitMiB(128).portMappings(List.of(PortMapping.builder().containerPort(9100).build())).build());
        ICluster platform = teamCluster(other);
        ExternalService edge = ExternalService.Builder.create(other, "Edge").cluster(platform).taskDefinition(etd).build();
        assertThatThrownBy(() -> prometheus.scrape(edge, ScrapeOptions.builder().name("edge").port(9100).build()))
                .hasMessage("scrape 'edge' service = 'Other/Edge': an ECS Anywhere (external) service: ECS discovery finds Fargate "
                        + "and EC2 tasks only; scrape its hosts another way");
    }

    @Test
    void aPortTheContainerDoesNotMapFailsAtSynthBecauseDiscoveryWouldSkipItSilently() {
        App a = Synth.newApp(Map.of(), null);
        O11yApp.Stacks s = O11yApp.build(a, Settings.from(a));
        Stack other = new Stack(a, "Other", StackProps.builder().env(Environment.builder().region("ap-northeast-2").build()).build());
        FargateService service = paymentsService(other, teamCluster(other), 8080);
        assertThatThrownBy(() -> s.fargate().getPrometheus().scrape(service, ScrapeOptions.builder().name("payments").port(9464).build()))
                .hasMessageContaining("port = 9464: container 'app' maps no such port; ECS discovery scrapes only mapped ports");
        assertThatThrownBy(() -> s.fargate().getPrometheus().scrape(service, ScrapeOptions.builder().name("payments").port(8080)
                .containerName("sidecar").build()))
                .hasMessage("scrape 'payments' of service Other/Payments containerName = 'sidecar': the task definition has no "
                        + "container of that name");
        // Published once, by the app; a second prefix would leave teams reading two sets.
        assertThatThrownBy(() -> s.fargate().getPrometheus().publishToSsm("/o11y-cdk/other"))
                .hasMessage("ssmParameterPrefix = '/o11y-cdk/other': attributes are already published under /o11y-cdk/platform");
        assertThatThrownBy(() -> FargatePrometheus.fromSsm(other, "P", "o11y-cdk/platform"))
                .hasMessage("ssmParameterPrefix = 'o11y-cdk/platform': must be an SSM path such as /o11y-cdk/platform");
        assertThatThrownBy(() -> ScrapeOptions.builder().name("prometheus").port(8080).build())
                .hasMessageContaining("scrape name = 'prometheus': is one of the platform's own jobs");
        assertThatThrownBy(() -> ScrapeOptions.builder().name("pay ments").port(8080).build())
                .hasMessageContaining("scrape name = 'pay ments': must be letters, digits");
    }

    @Test
    void aTaskWithoutRoomForTheEcsExporterSidecarFailsAtSynthNotAtDeploy() {
        App a = Synth.newApp(Map.of(), null);
        O11yApp.Stacks s = O11yApp.build(a, Settings.from(a));
        FargatePrometheus prometheus = s.fargate().getPrometheus();
        // The app's hard limit is the whole task: ECS would refuse the sidecar's 32 MiB reservation on top.
        Stack full = new Stack(a, "Full", StackProps.builder().env(Environment.builder().region("ap-northeast-2").build()).build());
        FargateTaskDefinition td = FargateTaskDefinition.Builder.create(full, "Task").cpu(256).memoryLimitMiB(512).build();
        td.addContainer("app", ContainerDefinitionOptions.builder().image(ContainerImage.fromRegistry("example/payments:1.0.0"))
                .memoryLimitMiB(512).portMappings(List.of(PortMapping.builder().containerPort(8080).build())).build());
        FargateService service = FargateService.Builder.create(full, "Payments").cluster(teamCluster(full)).taskDefinition(td).build();
        assertThatThrownBy(() -> prometheus.scrape(service, ScrapeOptions.builder().name("payments").port(8080).build()))
                .hasMessage("scrape 'payments' of service Full/Payments taskMetrics = true: the task's containers hold 512 of its 512 "
                        + "MiB and the ecs_exporter sidecar reserves 32; set taskMetrics(false) and add EcsExporterSidecar.containerOptions "
                        + "yourself, or leave it 32 MiB (a lower memoryLimitMiB, or a larger task)");
        // Nothing was added by the refused call, and without the sidecar it is scraped.
        assertThat(td.findContainer("ecs-exporter")).isNull();
        assertThat(prometheus.scrape(service, ScrapeOptions.builder().name("payments").port(8080).taskMetrics(false).build())
                .getDockerLabels()).containsEntry("O11Y_SERVICE", "payments");

        // A container of the task already serves on 9779, the sidecar's port.
        Stack taken = new Stack(a, "Taken", StackProps.builder().env(Environment.builder().region("ap-northeast-2").build()).build());
        FargateTaskDefinition td2 = FargateTaskDefinition.Builder.create(taken, "Task").cpu(256).memoryLimitMiB(512).build();
        td2.addContainer("app", ContainerDefinitionOptions.builder().image(ContainerImage.fromRegistry("example/payments:1.0.0"))
                .memoryReservationMiB(256).portMappings(List.of(PortMapping.builder().containerPort(8080).build(),
                        PortMapping.builder().containerPort(9779).build())).build());
        FargateService other = FargateService.Builder.create(taken, "Payments").cluster(teamCluster(taken)).taskDefinition(td2).build();
        assertThatThrownBy(() -> prometheus.scrape(other, ScrapeOptions.builder().name("payments").port(8080).build()))
                .hasMessage("scrape 'payments' of service Taken/Payments taskMetrics = true: container 'app' maps port 9779, where the "
                        + "ecs_exporter sidecar serves; set taskMetrics(false) and add EcsExporterSidecar.containerOptions yourself, "
                        + "or move that port");
    }

    @Test
    void anEc2ServiceInBridgeModeIsLabelledAndToldToOpenItsInstances() {
        App a = Synth.newApp(Map.of(), null);
        O11yApp.Stacks s = O11yApp.build(a, Settings.from(a));
        Stack other = new Stack(a, "Batch", StackProps.builder().env(Environment.builder().region("ap-northeast-2").build()).build());
        Ec2TaskDefinition td = Ec2TaskDefinition.Builder.create(other, "Task").networkMode(NetworkMode.BRIDGE).build();
        td.addContainer("worker", ContainerDefinitionOptions.builder().image(ContainerImage.fromRegistry("example/worker:2"))
                .logging(LogDriver.awsLogs(AwsLogDriverProps.builder().streamPrefix("worker").build()))
                .memoryLimitMiB(256).portMappings(List.of(PortMapping.builder().containerPort(9100).hostPort(0).build())).build());
        ICluster ec2Cluster = software.amazon.awscdk.services.ecs.Cluster.fromClusterAttributes(other, "Cluster",
                software.amazon.awscdk.services.ecs.ClusterAttributes.builder().clusterName("batch").hasEc2Capacity(true)
                        .vpc(software.amazon.awscdk.services.ec2.Vpc.fromVpcAttributes(other, "Vpc", software.amazon.awscdk.services.ec2.VpcAttributes.builder()
                                .vpcId("vpc-0123456789abcdef0").availabilityZones(List.of("ap-northeast-2a")).build())).build());
        Ec2Service service = Ec2Service.Builder.create(other, "Worker").cluster(ec2Cluster).taskDefinition(td).build();
        FargatePrometheus prometheus = s.fargate().getPrometheus();
        prometheus.scrape(service, ScrapeOptions.builder().name("worker").port(9100).build());
        Template t = Template.fromStack(other);
        t.hasResourceProperties("AWS::ECS::TaskDefinition", Match.objectLike(Map.of("ContainerDefinitions",
                Match.arrayWith(List.of(Match.objectLike(Map.of("DockerLabels", Match.objectLike(Map.of("O11Y_SERVICE", "worker", "O11Y_SCRAPE_PORT", "9100")))))))));
        Annotations.fromStack(other).hasWarning("/Batch/Worker", Match.stringLikeRegexp(".*bridge network mode.*scrape\\(instanceSecurityGroup.*"));
    }

    @Test
    void aServiceDeployedOutsideThisAppIsOpenedByItsSecurityGroupAndGetsTheLabelsToCarry() {
        App a = Synth.newApp(Map.of(), null);
        Stack other = new Stack(a, "Legacy", StackProps.builder().env(Environment.builder().region("ap-northeast-2").build()).build());
        IFargatePrometheus prometheus = FargatePrometheus.fromSsm(other, "Prometheus", "/o11y-cdk/platform");
        ScrapeRegistration r = prometheus.scrape(SecurityGroup.fromSecurityGroupId(other, "Sg", "sg-0123456789abcdef0"),
                ScrapeOptions.builder().name("legacy").port(9000).env("test").allowQueries(false).build());
        assertThat(r.getDockerLabels()).containsEntry("O11Y_SERVICE", "legacy").containsEntry("O11Y_ENV", "test")
                .containsEntry("O11Y_SCRAPE_PORT", "9000");
        Map<String, Object> json = Cfn.resources(Template.fromStack(other).toJSON());
        // The metrics port, and the ecs_exporter sidecar's 9779 for when its task definition carries one (EcsExporterSidecar).
        List<String> ingress = json.values().stream().map(String::valueOf).filter(v -> v.contains("AWS::EC2::SecurityGroupIngress")).toList();
        assertThat(ingress).hasSize(2).allMatch(v -> v.contains("GroupId=sg-0123456789abcdef0") && v.contains("SsmParameterValueo11ycdkplatformsecuritygroupid"))
                .anyMatch(v -> v.contains("FromPort=9000")).anyMatch(v -> v.contains("FromPort=9779"));
    }
}
