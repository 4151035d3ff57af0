package dev.o11ycdk.fargate;

import dev.o11ycdk.config.Check;
import dev.o11ycdk.config.EcsDiscoveryConfig;
import dev.o11ycdk.core.ScrapeOptions;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Token;
import software.amazon.awscdk.services.ec2.IConnectable;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ecs.BaseService;
import software.amazon.awscdk.services.ecs.CfnTaskDefinition;
import software.amazon.awscdk.services.ecs.ContainerDefinition;
import software.amazon.awscdk.services.ecs.ExternalService;
import software.amazon.awscdk.services.ecs.NetworkMode;
import software.amazon.awscdk.services.ecs.PortMapping;
import software.amazon.awscdk.services.ecs.TaskDefinition;
import software.constructs.IConstruct;

/**
 * The one call a service team makes: labels on its container (what the ECS discovery reads) and a
 * security-group rule. Every resource lands in the service's own stack: rules between the two
 * security groups are made from the service's side, so the platform's template never changes.
 */
final class Scraping {
    private Scraping() {
    }

    static ScrapeRegistration register(IFargatePrometheus prometheus, BaseService service, ScrapeOptions options) {
        if (service instanceof ExternalService) {
            throw Check.bad("scrape '" + options.getName() + "' service", service.getNode().getPath(), "an ECS Anywhere "
                    + "(external) service: ECS discovery finds Fargate and EC2 tasks only; scrape its hosts another way");
        }
        TaskDefinition td = service.getTaskDefinition();
        ContainerDefinition container = options.getContainerName() != null
                ? td.findContainer(options.getContainerName()) : td.getDefaultContainer();
        String what = "scrape '" + options.getName() + "' of service " + service.getNode().getPath();
        if (container == null) {
            throw Check.bad(what + " containerName", options.getContainerName(), options.getContainerName() == null
                    ? "the task definition has no default container; name the one that serves the metrics"
                    : "the task definition has no container of that name");
        }
        boolean mapped = container.getPortMappings().stream()
                .map(PortMapping::getContainerPort).anyMatch(p -> p != null && p.intValue() == options.getPort());
        if (!mapped) {
            // ecs_observer skips a labelled port the container does not map, silently.
            throw Check.bad(what + " port", options.getPort(), "container '" + container.getContainerName() + "' maps no such "
                    + "port; ECS discovery scrapes only mapped ports: add PortMapping.builder().containerPort("
                    + options.getPort() + ")");
        }
        boolean addSidecar = options.isTaskMetrics() && td.findContainer(EcsExporterSidecar.CONTAINER_NAME) == null;
        if (addSidecar) {
            checkRoomForSidecar(td, what);
        }
        Map<String, String> labels = labels(prometheus, options);
        labels.forEach(container::addDockerLabel);
        if (addSidecar) {
            EcsExporterSidecar.addTo(td, labels, container.getLogDriverConfig());
        }
        if (td.getNetworkMode() == NetworkMode.AWS_VPC) {
            open(prometheus, service, options);
        } else {
            Annotations.of(service).addWarningV2("@o11y-cdk/scrape:instanceNetwork", "Service " + service.getNode().getPath()
                    + " uses the " + td.getNetworkMode().toString().toLowerCase() + " network mode: Prometheus reaches it on its container instances. "
                    + "Open their security group with prometheus.scrape(instanceSecurityGroup, options) (dynamic host ports "
                    + "are 32768-65535).");
        }
        return new ScrapeRegistration(labels, options.getPort());
    }

    /**
     * What the sidecar needs of the task, checked before it is added, or ECS refuses the task definition at deploy time:
     * its port free in the task (awsvpc: the task's containers share one network namespace), and its memory reservation
     * within the task's memory beside what the other containers hold (their hard limit, else their reservation).
     */
    private static void checkRoomForSidecar(TaskDefinition td, String what) {
        String fix = "; set taskMetrics(false) and add EcsExporterSidecar.containerOptions yourself, or ";
        long held = 0;
        for (IConstruct child : td.getNode().getChildren()) {
            if (!(child instanceof ContainerDefinition c)) {
                continue;
            }
            boolean taken = c.getPortMappings().stream().map(PortMapping::getContainerPort)
                    .anyMatch(p -> p != null && p.intValue() == EcsExporterSidecar.PORT);
            if (taken) {
                throw Check.bad(what + " taskMetrics", true, "container '" + c.getContainerName() + "' maps port "
                        + EcsExporterSidecar.PORT + ", where the ecs_exporter sidecar serves" + fix + "move that port");
            }
            CfnTaskDefinition.ContainerDefinitionProperty rendered = c.renderContainerDefinition(td);
            Number memory = rendered.getMemory() != null ? rendered.getMemory() : rendered.getMemoryReservation();
            if (memory != null && !Token.isUnresolved(memory)) {
                held += memory.longValue();
            }
        }
        CfnTaskDefinition cfn = (CfnTaskDefinition) td.getNode().getDefaultChild();
        String taskMemory = cfn.getMemory();
        if (taskMemory != null && !Token.isUnresolved(taskMemory) && taskMemory.matches("\\d+")
                && held + EcsExporterSidecar.MEMORY_RESERVATION_MIB > Long.parseLong(taskMemory)) {
            throw Check.bad(what + " taskMetrics", true, "the task's containers hold " + held + " of its " + taskMemory
                    + " MiB and the ecs_exporter sidecar reserves " + EcsExporterSidecar.MEMORY_RESERVATION_MIB + fix
                    + "leave it " + EcsExporterSidecar.MEMORY_RESERVATION_MIB + " MiB (a lower memoryLimitMiB, or a larger task)");
        }
    }

    static ScrapeRegistration register(IFargatePrometheus prometheus, IConnectable network, ScrapeOptions options) {
        open(prometheus, network, options);
        return new ScrapeRegistration(labels(prometheus, options), options.getPort());
    }

    static Map<String, String> labels(IFargatePrometheus prometheus, ScrapeOptions options) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(EcsDiscoveryConfig.PORT_LABEL, String.valueOf(options.getPort()));
        labels.put(EcsDiscoveryConfig.PATH_LABEL, options.getMetricsPath());
        labels.put(EcsDiscoveryConfig.SERVICE_LABEL, options.getName());
        if (options.getEnv() != null) {
            labels.put(EcsDiscoveryConfig.ENV_LABEL, options.getEnv());
        }
        if (options.getTeam() != null) {
            labels.put(EcsDiscoveryConfig.TEAM_LABEL, options.getTeam());
        }
        return labels;
    }

    private static void open(IFargatePrometheus prometheus, IConnectable network, ScrapeOptions options) {
        network.getConnections().allowFrom(prometheus, Port.tcp(options.getPort()), "Prometheus scrape of " + options.getName());
        if (options.isTaskMetrics() && options.getPort() != EcsExporterSidecar.PORT) {
            network.getConnections().allowFrom(prometheus, Port.tcp(EcsExporterSidecar.PORT),
                    "Prometheus scrape of " + options.getName() + " task metrics");
        }
        if (options.isAllowQueries()) {
            network.getConnections().allowTo(prometheus, Port.tcp(FargatePrometheus.DEFAULT_PORT),
                    "Prometheus queries from " + options.getName());
        }
    }
}
