package dev.o11ycdk;

import dev.o11ycdk.config.Rendering;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.ec2.Connections;
import software.amazon.awscdk.services.ec2.ConnectionsProps;
import software.amazon.awscdk.services.ec2.IConnectable;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ecs.CfnTaskDefinition;
import software.amazon.awscdk.services.ecs.FargateService;
import software.amazon.awscdk.services.ecs.FargateTaskDefinition;
import software.amazon.awscdk.services.servicediscovery.INamespace;
import software.constructs.Construct;
import software.constructs.IValidation;

/**
 * What the platform's Fargate services expose alike: the service, its security group with the
 * service's default port, its Cloud Map name, the files it renders (written to
 * {@code cdk.out/<stack>.rendered/<name>/} on synth) and a synth-time check of ECS's 64 KiB
 * task-definition limit.
 */
public abstract class FargatePlatformService extends Construct implements IConnectable {
    /** ECS refuses a task definition larger than this (RegisterTaskDefinition, 64 KiB). */
    public static final int MAX_TASK_DEFINITION_BYTES = 64 * 1024;

    private FargateComponent component;
    private INamespace namespace;
    private String cloudMapName;
    private Connections connections;

    protected FargatePlatformService(Construct scope, String id) {
        super(scope, id);
    }

    /**
     * Called once by the subclass constructor after it built its component.
     *
     * @param sizeSetting the setting that makes this task definition grow, named in the 64 KiB error
     */
    final void init(FargateComponent builtComponent, INamespace ns, String name, int defaultPort, String sizeSetting) {
        this.component = builtComponent;
        this.namespace = ns;
        this.cloudMapName = name;
        this.connections = new Connections(ConnectionsProps.builder()
                .securityGroups(builtComponent.service.getConnections().getSecurityGroups())
                .defaultPort(Port.tcp(defaultPort))
                .build());
        ReviewFiles.register(this, this::getRenderedFiles);
        getNode().addValidation(new IValidation() {
            @Override
            public List<String> validate() {
                return checkTaskDefinitionSize(sizeSetting);
            }
        });
    }

    final FargateComponent component() {
        return component;
    }

    /** The container definitions as ECS receives them (CloudFormation's form; tokens are their JSON). */
    public int getTaskDefinitionBytes() {
        CfnTaskDefinition cfn = (CfnTaskDefinition) component.taskDefinition.getNode().getDefaultChild();
        Object resolved = Stack.of(this).resolve(cfn.getContainerDefinitions());
        return Rendering.compactJson(resolved).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    @SuppressWarnings("unchecked")
    private List<String> checkTaskDefinitionSize(String sizeSetting) {
        int bytes = getTaskDefinitionBytes();
        if (bytes <= MAX_TASK_DEFINITION_BYTES) {
            return List.of();
        }
        // Name what takes the room: the largest environment values (rendered files, the sidecar's configuration).
        CfnTaskDefinition cfn = (CfnTaskDefinition) component.taskDefinition.getNode().getDefaultChild();
        List<Map.Entry<String, Integer>> sizes = new ArrayList<>();
        for (Object c : (List<Object>) Stack.of(this).resolve(cfn.getContainerDefinitions())) {
            // The L1's own form: camelCase keys (CloudFormation's PascalCase comes later).
            Map<String, Object> container = (Map<String, Object>) c;
            Object envs = container.getOrDefault("environment", container.getOrDefault("Environment", List.of()));
            for (Object e : (List<Object>) envs) {
                Map<String, Object> env = (Map<String, Object>) e;
                Object name = env.getOrDefault("name", env.get("Name"));
                Object value = env.getOrDefault("value", env.get("Value"));
                sizes.add(Map.entry(container.getOrDefault("name", container.get("Name")) + " " + name,
                        Rendering.compactJson(value).getBytes(java.nio.charset.StandardCharsets.UTF_8).length));
            }
        }
        sizes.sort((a, b) -> Integer.compare(b.getValue(), a.getValue()));
        List<String> largest = sizes.stream().limit(2).map(e -> e.getKey() + " " + e.getValue() + " bytes").toList();
        return List.of("o11y-cdk: setting '" + sizeSetting + "': the " + cloudMapName + " task definition is " + bytes
                + " bytes, over ECS's limit of " + MAX_TASK_DEFINITION_BYTES + " (largest: " + String.join(", ", largest) + ")");
    }

    /**
     * Every file this service's entrypoint writes, plus the entrypoint itself, under
     * {@code <cloud map name>/}: what reviewers read in cdk.out and what snapshots cover.
     */
    public Map<String, String> getRenderedFiles() {
        Map<String, String> out = new TreeMap<>();
        String root = component.files.root() == null ? "" : component.files.root() + "/";
        component.files.files().forEach((path, content) -> out.put(cloudMapName + "/" + (path.startsWith(root) ? path.substring(root.length()) : path),
                ReviewFiles.text(this, content)));
        out.put(cloudMapName + "/entrypoint.sh", "#!/bin/sh\n" + component.entrypointScript);
        return out;
    }

    /** {@code <name>.<namespace>}: every running task answers behind this DNS name. */
    public String getDnsName() {
        return cloudMapName + "." + namespace.getNamespaceName();
    }

    public FargateService getService() {
        return component.service;
    }

    public FargateTaskDefinition getTaskDefinition() {
        return component.taskDefinition;
    }

    /** The service's security group; {@code allowDefaultPortFrom} opens the service's own port. */
    @Override
    public Connections getConnections() {
        return connections;
    }
}
