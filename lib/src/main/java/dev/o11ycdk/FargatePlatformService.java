package dev.o11ycdk;

import software.amazon.awscdk.services.ec2.Connections;
import software.amazon.awscdk.services.ec2.IConnectable;
import software.amazon.awscdk.services.ecs.FargateService;
import software.amazon.awscdk.services.ecs.FargateTaskDefinition;
import software.amazon.awscdk.services.servicediscovery.INamespace;
import software.constructs.Construct;

/** What the platform's Fargate services expose alike: the service, its security group, its Cloud Map name. */
public abstract class FargatePlatformService extends Construct implements IConnectable {
    private FargateComponent component;
    private INamespace namespace;
    private String cloudMapName;

    protected FargatePlatformService(Construct scope, String id) {
        super(scope, id);
    }

    /** Called once by the subclass constructor after it built its component. */
    final void init(FargateComponent builtComponent, INamespace ns, String name) {
        this.component = builtComponent;
        this.namespace = ns;
        this.cloudMapName = name;
    }

    final FargateComponent component() {
        return component;
    }

    /**
     * Every file this service's entrypoint writes, plus the entrypoint itself, under
     * {@code <cloud map name>/}: what reviewers read in cdk.out and what snapshots cover.
     */
    public java.util.Map<String, String> getRenderedFiles() {
        java.util.Map<String, String> out = new java.util.TreeMap<>();
        component.files.files().forEach((path, content) -> out.put(cloudMapName + "/" + path.replaceFirst("^/tmp/o11y/", ""),
                String.valueOf(software.amazon.awscdk.Stack.of(this).resolve(content))));
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

    @Override
    public Connections getConnections() {
        return component.service.getConnections();
    }
}
