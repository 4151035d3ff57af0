package dev.o11ycdk.fargate;

import dev.o11ycdk.config.Check;
import dev.o11ycdk.config.EcsDiscoveryConfig;
import dev.o11ycdk.config.ScrapeJob;
import dev.o11ycdk.core.ScrapeOptions;
import dev.o11ycdk.core.ScrapeTarget;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Token;
import software.amazon.awscdk.services.ecs.AwsLogDriverProps;
import software.amazon.awscdk.services.ecs.BaseService;
import software.amazon.awscdk.services.ecs.CfnCluster;
import software.amazon.awscdk.services.ecs.ContainerDefinition;
import software.amazon.awscdk.services.ecs.ContainerDefinitionOptions;
import software.amazon.awscdk.services.ecs.ContainerImage;
import software.amazon.awscdk.services.ecs.HealthCheck;
import software.amazon.awscdk.services.ecs.ICluster;
import software.amazon.awscdk.services.ecs.LogDriver;
import software.amazon.awscdk.services.iam.PolicyStatement;

/**
 * How Prometheus finds the platform's and the teams' ECS tasks: the ADOT collector's
 * {@code ecs_observer} as a sidecar of the Prometheus task, its configuration, what its task role
 * may call, and the check that a service opted in is in a cluster it lists. The sidecar writes
 * result files under {@link FargatePrometheus#DISCOVERY_DIR}; Prometheus reads them (file_sd).
 */
final class EcsDiscovery {
    private EcsDiscovery() {
    }

    /** The sidecar's configuration: the platform's cluster, {@code discoveryClusters}, and the services named in settings. */
    static EcsDiscoveryConfig config(FargatePrometheusProps props, String region) {
        String platform = literalClusterName(props.getCluster());
        EcsDiscoveryConfig.Builder d = EcsDiscoveryConfig.builder()
                .region(region)
                .resultDir(FargatePrometheus.DISCOVERY_DIR)
                .refreshInterval(props.getDiscoveryInterval());
        d.cluster(Token.isUnresolved(platform) ? "platform" : platform, platform);
        props.getDiscoveryClusters().forEach(c -> d.cluster(c, c));
        List<String> seen = new ArrayList<>();
        for (ScrapeTarget t : props.getServices()) {
            if (seen.contains(t.name()) || ScrapeJob.PLATFORM_JOBS.contains(t.name())) {
                throw Check.bad("services", t.name(), "service names must be unique and not one of the platform's jobs " + ScrapeJob.PLATFORM_JOBS);
            }
            seen.add(t.name());
            d.namedService(t.name(), t.port(), t.metricsPath(), t.env());
        }
        return d.build();
    }

    /** The cluster's name, a literal where it is known at synth (an imported cluster, or one given a clusterName). */
    static String literalClusterName(ICluster cluster) {
        String name = cluster.getClusterName();
        if (Token.isUnresolved(name) && cluster.getNode().getDefaultChild() instanceof CfnCluster cfn
                && cfn.getClusterName() != null && !Token.isUnresolved(cfn.getClusterName())) {
            return cfn.getClusterName();
        }
        return name;
    }

    /**
     * The ADOT collector next to Prometheus: not essential (Prometheus keeps scraping what it found
     * when discovery stops, and EcsDiscoveryStale says so), restarted by ECS, non-root, with a hard
     * memory limit, its configuration in the environment (ADOT reads AOT_CONFIG_CONTENT), a
     * read-only root file system: it writes only its result files, on the discovery access point.
     */
    static void addSidecar(FargateComponent component, String image, EcsDiscoveryConfig discovery, String region) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AOT_CONFIG_CONTENT", discovery.toYaml());
        env.put("AWS_REGION", region);
        ContainerDefinition sidecar = component.taskDefinition.addContainer("ecs-discovery", ContainerDefinitionOptions.builder()
                .containerName("ecs-discovery")
                .image(ContainerImage.fromRegistry(image))
                .essential(false)
                .enableRestartPolicy(true)
                .restartAttemptPeriod(Duration.seconds(60))
                .user(FargatePrometheus.USER)
                .readonlyRootFilesystem(true)
                .cpu(FargatePrometheus.DISCOVERY_CPU)
                .memoryLimitMiB(FargatePrometheus.DISCOVERY_MEMORY_MIB)
                .environment(env)
                .healthCheck(HealthCheck.builder()
                        .command(List.of("CMD", "/healthcheck"))
                        .interval(Duration.seconds(30)).timeout(Duration.seconds(5)).retries(3).startPeriod(Duration.seconds(30))
                        .build())
                .logging(LogDriver.awsLogs(AwsLogDriverProps.builder().logGroup(component.logGroup).streamPrefix("ecs-discovery").build()))
                .build());
        sidecar.addMountPoints(EfsStorage.Tenant.mount("discovery", FargatePrometheus.DISCOVERY_DIR));
    }

    /**
     * What the task role needs for discovery: the ECS list and describe calls limited to the
     * discovered clusters, and the calls that support no resource-level permissions (the second
     * statement also serves the ec2 job's ec2_sd).
     */
    static List<PolicyStatement> taskRoleStatements(Stack stack, EcsDiscoveryConfig discovery) {
        return List.of(
                PolicyStatement.Builder.create()
                        .actions(List.of("ecs:ListTasks", "ecs:DescribeTasks", "ecs:ListServices", "ecs:DescribeServices",
                                "ecs:DescribeContainerInstances"))
                        .resources(List.of("*"))
                        .conditions(Map.of("ArnEquals", Map.of("ecs:cluster", discovery.getClusters().values().stream()
                                .map(name -> clusterArn(stack, name)).toList())))
                        .build(),
                PolicyStatement.Builder.create()
                        .actions(List.of("ecs:DescribeTaskDefinition", "ec2:DescribeInstances", "ec2:DescribeAvailabilityZones"))
                        .resources(List.of("*"))
                        .build());
    }

    private static String clusterArn(Stack stack, String name) {
        return stack.formatArn(ArnComponents.builder().service("ecs").resource("cluster").resourceName(name).build());
    }

    /**
     * How often Prometheus re-reads the result files when no file event reaches it (inotify may not
     * cross the EFS mounts of two containers): 10 s, or the discovery interval if shorter.
     */
    static String rereadInterval(EcsDiscoveryConfig discovery) {
        return discovery.getRefreshInterval().toSeconds() < 10 ? discovery.getRefreshInterval().toString() : "10s";
    }

    /**
     * A service labelled in a cluster the sidecar never lists would silently never be scraped: an
     * error when every name is known at synth, a warning when the platform's own cluster has a name
     * only CloudFormation knows (the service might name that cluster by it).
     */
    static void checkWatched(ICluster platform, EcsDiscoveryConfig discovery, BaseService service, ScrapeOptions options) {
        ICluster cluster = service.getCluster();
        String name = literalClusterName(cluster);
        if (cluster.getNode().getPath().equals(platform.getNode().getPath()) || Token.isUnresolved(name)
                || discovery.getClusters().containsValue(name)) {
            return;
        }
        String what = "scrape '" + options.getName() + "' of service " + service.getNode().getPath() + " cluster";
        String watched = discovery.getClusters().values().stream().map(v -> Token.isUnresolved(v) ? "the platform's cluster" : v)
                .collect(Collectors.joining(", "));
        if (discovery.getClusters().values().stream().noneMatch(Token::isUnresolved)) {
            throw Check.bad(what, name, "ECS discovery watches only " + watched + "; add it to discoveryClusters");
        }
        Annotations.of(service).addWarningV2("@o11y-cdk/prometheus:undiscoveredCluster", Check.bad(what, name, "ECS discovery "
                + "watches only " + watched + ": unless that is the platform's cluster, add it to discoveryClusters or its tasks "
                + "are never scraped").getMessage());
    }
}
