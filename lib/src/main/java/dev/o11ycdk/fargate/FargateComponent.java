package dev.o11ycdk.fargate;

import dev.o11ycdk.core.ComputeSize;
import dev.o11ycdk.core.Suppressions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ecs.AwsLogDriverProps;
import software.amazon.awscdk.services.ecs.CloudMapOptions;
import software.amazon.awscdk.services.ecs.ContainerDefinition;
import software.amazon.awscdk.services.ecs.ContainerDefinitionOptions;
import software.amazon.awscdk.services.ecs.ContainerImage;
import software.amazon.awscdk.services.ecs.DeploymentCircuitBreaker;
import software.amazon.awscdk.services.ecs.FargateService;
import software.amazon.awscdk.services.ecs.FargateTaskDefinition;
import software.amazon.awscdk.services.ecs.HealthCheck;
import software.amazon.awscdk.services.ecs.ICluster;
import software.amazon.awscdk.services.ecs.LogDriver;
import software.amazon.awscdk.services.ecs.PortMapping;
import software.amazon.awscdk.services.ecs.Protocol;
import software.amazon.awscdk.services.ecs.Secret;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.servicediscovery.DnsRecordType;
import software.amazon.awscdk.services.servicediscovery.INamespace;
import software.constructs.Construct;

/**
 * What every Fargate piece of the platform shares: a task definition with its own task and
 * execution roles, one container fed by {@link ContainerFiles}, a container health check, awslogs
 * with a retention, a service in private subnets without a public IP, registered in Cloud Map,
 * with the deployment circuit breaker and rollback.
 *
 * <p>Every container is safe by default (AWS Control Tower CT.ECS.PR.3, .6 and .7): an explicit
 * non-root user, a read-only root file system and a hard memory limit. What a container writes goes
 * to a volume its user may write: an EFS access point (which acts as its POSIX user) or a task-local
 * volume ({@link Spec#scratch}) mounted where the image declares a {@code VOLUME} that user owns,
 * since Fargate creates a task-local volume root-owned with mode 0755 unless the image's
 * {@code VOLUME} directive at the same path says otherwise
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/bind-mounts.html, "Considerations").
 * The entrypoint's files must lie inside such a read-write mount, or synth fails.
 */
final class FargateComponent {
    final FargateTaskDefinition taskDefinition;
    final ContainerDefinition container;
    final FargateService service;
    final LogGroup logGroup;
    final ContainerFiles files;
    final String entrypointScript;

    private FargateComponent(Spec s) {
        Construct scope = s.scope;
        this.files = s.files;
        this.entrypointScript = s.files.entrypointScript(s.command);
        String user = nonRoot(s.name, s.user);
        int memoryMiB = s.containerMemoryMiB != null ? s.containerMemoryMiB : s.size.memoryMiB();
        if (memoryMiB < 4 || memoryMiB > s.size.memoryMiB()) {
            throw new IllegalStateException(s.name + " container memory " + memoryMiB + " MiB must be within its task's "
                    + s.size.memoryMiB() + " MiB");
        }
        checkWritesOnVolumes(s);
        this.taskDefinition = FargateTaskDefinition.Builder.create(scope, "TaskDefinition")
                .cpu(s.size.cpu())
                .memoryLimitMiB(s.size.memoryMiB())
                .family(null)
                .build();
        s.volumes.forEach(taskDefinition::addVolume);
        this.logGroup = LogGroup.Builder.create(scope, "Logs")
                .retention(s.logRetention)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        Map<String, String> env = new LinkedHashMap<>(s.environment);
        env.putAll(s.files.environment());
        String probe = s.healthCommand != null ? s.healthCommand
                : "wget -q -O /dev/null http://127.0.0.1:" + s.port + s.healthPath + " || exit 1";
        List<String> healthCmd = List.of("CMD-SHELL", probe);
        this.container = taskDefinition.addContainer(s.name, ContainerDefinitionOptions.builder()
                .containerName(s.name)
                .image(ContainerImage.fromRegistry(s.image))
                .entryPoint(List.of("/bin/sh", "-c"))
                .command(List.of(entrypointScript))
                .environment(env)
                .secrets(s.secrets)
                .essential(true)
                .user(user)
                .readonlyRootFilesystem(true)
                .memoryLimitMiB(memoryMiB)
                .portMappings(List.of(PortMapping.builder().containerPort(s.port).protocol(Protocol.TCP).name(s.name).build()))
                .healthCheck(HealthCheck.builder()
                        .command(healthCmd)
                        .interval(Duration.seconds(30))
                        .timeout(Duration.seconds(5))
                        .retries(3)
                        .startPeriod(Duration.seconds(s.healthStartSeconds))
                        .build())
                .logging(LogDriver.awsLogs(AwsLogDriverProps.builder().logGroup(logGroup).streamPrefix(s.name).build()))
                .build());
        s.mounts.forEach(container::addMountPoints);

        this.service = FargateService.Builder.create(scope, "Service")
                .cluster(s.cluster)
                .taskDefinition(taskDefinition)
                .desiredCount(s.desiredCount)
                .minHealthyPercent(s.minHealthyPercent)
                .maxHealthyPercent(s.maxHealthyPercent)
                .circuitBreaker(DeploymentCircuitBreaker.builder().enable(true).rollback(true).build())
                .assignPublicIp(false)
                .vpcSubnets(s.subnets != null ? s.subnets : SubnetSelection.builder().subnetType(SubnetType.PRIVATE_WITH_EGRESS).build())
                .cloudMapOptions(CloudMapOptions.builder()
                        .name(s.cloudMapName)
                        .cloudMapNamespace(s.namespace)
                        .dnsRecordType(DnsRecordType.A)
                        .dnsTtl(Duration.seconds(10))
                        .build())
                .healthCheckGracePeriod(s.healthCheckGracePeriod)
                .securityGroups(s.securityGroups)
                .build();
        Suppressions.suppress(taskDefinition, false, Suppressions.CdkNag.of("AwsSolutions-ECS2", "The environment carries rendered, non-secret configuration files (o11y-cdk ContainerFiles) so "
                        + "stock images need no rebuild and a change is a new task revision; secrets use ECS secrets."));
    }

    /** CT.ECS.PR.3's reading of root: uid 0 or the name root, with or without a group. */
    static String nonRoot(String container, String user) {
        if (user == null || user.isBlank() || user.matches("(0|root)(:.*)?")) {
            throw new IllegalStateException(container + " container user = \"" + user + "\": every container runs as an explicit "
                    + "non-root user (uid[:gid])");
        }
        return user;
    }

    /** The entrypoint writes only inside a read-write mount, below its root (which it empties). */
    private static void checkWritesOnVolumes(Spec s) {
        if (!s.files.writes()) {
            return;
        }
        String root = s.files.root();
        boolean onVolume = s.mounts.stream().anyMatch(m -> !Boolean.TRUE.equals(m.getReadOnly())
                && root.startsWith(m.getContainerPath().replaceAll("/$", "") + "/"));
        if (!onVolume) {
            throw new IllegalStateException(s.name + " writes its files under " + root + ", which is on the read-only root file "
                    + "system: put it below a read-write mount point " + s.mounts.stream().map(m -> m.getContainerPath()).toList());
        }
    }

    static Spec spec(Construct scope, String name, String image) {
        return new Spec(scope, name, image);
    }

    /** Inputs of a component; mutable only while the owning construct assembles it. */
    static final class Spec {
        private final Construct scope;
        private final String name;
        private final String image;
        private ComputeSize size;
        private int port;
        private String healthPath;
        private int healthStartSeconds = 60;
        private List<String> command = List.of();
        private final ContainerFiles files = new ContainerFiles();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private final Map<String, Secret> secrets = new LinkedHashMap<>();
        private final List<software.amazon.awscdk.services.ecs.Volume> volumes = new ArrayList<>();
        private final List<software.amazon.awscdk.services.ecs.MountPoint> mounts = new ArrayList<>();
        private ICluster cluster;
        private INamespace namespace;
        private String cloudMapName;
        private SubnetSelection subnets;
        private int desiredCount = 1;
        private int minHealthyPercent = 100;
        private int maxHealthyPercent = 200;
        private String user;
        /** A year: AWS Control Tower CT.CLOUDWATCH.PR.2 asks at least that of every log group. */
        private RetentionDays logRetention = RetentionDays.ONE_YEAR;
        private Duration healthCheckGracePeriod;
        private String healthCommand;
        private Integer containerMemoryMiB;
        private List<software.amazon.awscdk.services.ec2.ISecurityGroup> securityGroups;

        private Spec(Construct scope, String name, String image) {
            this.scope = scope;
            this.name = name;
            this.image = image;
        }

        Spec size(ComputeSize size) {
            this.size = size;
            return this;
        }

        Spec port(int port, String healthPath) {
            this.port = port;
            this.healthPath = healthPath;
            return this;
        }

        /** How long a starting task's failed health checks do not count (ECS allows 0 to 300 s). */
        Spec healthStartPeriod(int seconds) {
            this.healthStartSeconds = seconds;
            return this;
        }

        Spec command(List<String> command) {
            this.command = List.copyOf(command);
            return this;
        }

        ContainerFiles files() {
            return files;
        }

        Spec env(String key, String value) {
            environment.put(key, value);
            return this;
        }

        Spec secret(String envName, Secret secret) {
            secrets.put(envName, secret);
            return this;
        }

        Spec volume(software.amazon.awscdk.services.ecs.Volume volume, software.amazon.awscdk.services.ecs.MountPoint mount) {
            volumes.add(volume);
            mounts.add(mount);
            return this;
        }

        /**
         * A task-local volume (Fargate ephemeral storage, gone with the task) mounted read-write at
         * {@code containerPath}. Fargate makes it root-owned 0755 unless the image declares
         * {@code VOLUME [containerPath]} on a directory its user owns: only such a path is writable
         * for a non-root user, so name the image's own VOLUME here.
         */
        Spec scratch(String volumeName, String containerPath) {
            return volume(software.amazon.awscdk.services.ecs.Volume.builder().name(volumeName).build(),
                    software.amazon.awscdk.services.ecs.MountPoint.builder().sourceVolume(volumeName).containerPath(containerPath)
                            .readOnly(false).build());
        }

        Spec placement(ICluster cluster, INamespace namespace, String cloudMapName, SubnetSelection subnets) {
            this.cluster = cluster;
            this.namespace = namespace;
            this.cloudMapName = cloudMapName;
            this.subnets = subnets;
            return this;
        }

        /** One task at a time, the old stopped before the new starts (single writer on EFS). */
        Spec singleWriter() {
            this.desiredCount = 1;
            this.minHealthyPercent = 0;
            this.maxHealthyPercent = 100;
            return this;
        }

        /** Tasks of a service whose tasks may run side by side; a deploy starts the new before stopping the old. */
        Spec desiredCount(int count) {
            this.desiredCount = count;
            return this;
        }

        /** A shell probe for images without wget. @default wget of http://127.0.0.1:port/healthPath */
        Spec healthCommand(String shell) {
            this.healthCommand = shell;
            return this;
        }

        /** The main container's hard memory limit, below the task's when a sidecar shares it. @default - the task's memory */
        Spec containerMemoryMiB(int mib) {
            this.containerMemoryMiB = mib;
            return this;
        }

        /** The service's security groups, shared with another service (a replica). @default - a new one */
        Spec securityGroups(List<software.amazon.awscdk.services.ec2.ISecurityGroup> groups) {
            this.securityGroups = List.copyOf(groups);
            return this;
        }

        /** The container's user, uid[:gid], never root. Required. */
        Spec user(String user) {
            this.user = user;
            return this;
        }

        Spec logRetention(RetentionDays days) {
            this.logRetention = days;
            return this;
        }

        Spec healthCheckGracePeriod(Duration grace) {
            this.healthCheckGracePeriod = grace;
            return this;
        }

        FargateComponent build() {
            return new FargateComponent(this);
        }
    }
}
