package dev.o11ycdk.fargate;

import dev.o11ycdk.config.EcsDiscoveryConfig;
import dev.o11ycdk.core.Ports;
import dev.o11ycdk.core.Versions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.services.ecs.ContainerDefinition;
import software.amazon.awscdk.services.ecs.ContainerDefinitionOptions;
import software.amazon.awscdk.services.ecs.ContainerImage;
import software.amazon.awscdk.services.ecs.GenericLogDriverProps;
import software.amazon.awscdk.services.ecs.GenericLogDriver;
import software.amazon.awscdk.services.ecs.LogDriverConfig;
import software.amazon.awscdk.services.ecs.PortMapping;
import software.amazon.awscdk.services.ecs.TaskDefinition;

/**
 * prometheus-community/ecs_exporter as a sidecar of a team's task: it reads the task's CPU, memory and
 * network from the ECS task metadata endpoint v4 (inside the task, free, no AWS API call) and serves
 * them on 9779, where the ECS discovery finds it by the same docker labels as the service's own
 * container (it is a target of the service's job). What Container Insights and the CloudWatch
 * exporter's per-service polling gave before, at no cost per service.
 */
public final class EcsExporterSidecar {
    public static final String CONTAINER_NAME = "ecs-exporter";
    public static final int PORT = Ports.ECS_EXPORTER;
    public static final String DEFAULT_IMAGE = "quay.io/prometheuscommunity/ecs-exporter:v" + Versions.ECS_EXPORTER;
    /** What it reserves of the task's memory (no hard limit: the task's own limit holds). */
    public static final int MEMORY_RESERVATION_MIB = 32;

    private EcsExporterSidecar() {
    }

    /**
     * The discovery labels of the sidecar: the service's own ({@code Scraping.labels}) with the
     * sidecar's port and path.
     */
    public static Map<String, String> dockerLabels(Map<String, String> serviceLabels) {
        Map<String, String> labels = new LinkedHashMap<>(serviceLabels);
        labels.put(EcsDiscoveryConfig.PORT_LABEL, String.valueOf(PORT));
        labels.put(EcsDiscoveryConfig.PATH_LABEL, "/metrics");
        return labels;
    }

    /**
     * The container, for a task definition this library does not see: non-essential, non-root
     * (the image's nobody), read-only root, its own Go and process metrics off.
     */
    public static ContainerDefinitionOptions containerOptions(Map<String, String> serviceLabels) {
        return ContainerDefinitionOptions.builder()
                .containerName(CONTAINER_NAME)
                .image(ContainerImage.fromRegistry(DEFAULT_IMAGE))
                .essential(false)
                .user("65534:65534")
                .readonlyRootFilesystem(true)
                .memoryReservationMiB(MEMORY_RESERVATION_MIB)
                .command(List.of("--web.disable-exporter-metrics"))
                .portMappings(List.of(PortMapping.builder().containerPort(PORT).build()))
                .dockerLabels(dockerLabels(serviceLabels))
                .build();
    }

    /** Adds it, logging where {@code logs} (the service container's log configuration, or null) logs, as stream ecs-exporter. */
    static ContainerDefinition addTo(TaskDefinition taskDefinition, Map<String, String> serviceLabels, LogDriverConfig logs) {
        ContainerDefinitionOptions options = containerOptions(serviceLabels);
        if (logs != null) {
            Map<String, String> o = new LinkedHashMap<>(logs.getOptions() == null ? Map.of() : logs.getOptions());
            if (o.containsKey("awslogs-stream-prefix")) {
                o.put("awslogs-stream-prefix", CONTAINER_NAME);
            }
            options = ContainerDefinitionOptions.builder()
                    .containerName(options.getContainerName()).image(options.getImage()).essential(options.getEssential())
                    .user(options.getUser()).readonlyRootFilesystem(options.getReadonlyRootFilesystem())
                    .memoryReservationMiB(options.getMemoryReservationMiB()).command(options.getCommand())
                    .portMappings(options.getPortMappings()).dockerLabels(options.getDockerLabels())
                    .logging(new GenericLogDriver(GenericLogDriverProps.builder().logDriver(logs.getLogDriver()).options(o).build()))
                    .build();
        }
        return taskDefinition.addContainer(CONTAINER_NAME, options);
    }
}
