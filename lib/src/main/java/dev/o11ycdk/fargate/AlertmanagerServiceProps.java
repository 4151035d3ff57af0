package dev.o11ycdk.fargate;

import dev.o11ycdk.core.AlertRoutingProps;
import dev.o11ycdk.core.Versions;
import dev.o11ycdk.core.internal.PropsStyle;
import org.immutables.value.Value;
import org.jetbrains.annotations.Nullable;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ecs.ICluster;
import software.amazon.awscdk.services.servicediscovery.INamespace;

/** Properties of {@link AlertmanagerService}: the cluster it runs in, and where alerts go ({@link AlertRoutingProps}). */
@Value.Immutable
@PropsStyle
public abstract class AlertmanagerServiceProps implements AlertRoutingProps {
    /** The image the service runs by default. */
    public static final String DEFAULT_IMAGE = "prom/alertmanager:v" + Versions.ALERTMANAGER;

    public static Builder builder() {
        return new Builder();
    }

    /** Required. */
    public abstract ICluster getCluster();

    /** @default - the cluster's default Cloud Map namespace */
    @Nullable
    public abstract INamespace getNamespace();

    /**
     * An Alertmanager image run as uid 65534 on a read-only root file system: it must declare
     * {@code VOLUME ["/alertmanager"]} on a directory that user owns, as prom/alertmanager does (the
     * task-local volume there is the only place it writes).
     *
     * @default DEFAULT_IMAGE
     */
    @Value.Default
    public String getImage() {
        return DEFAULT_IMAGE;
    }

    /** Needs internet egress for Slack. @default - private subnets with egress */
    @Nullable
    public abstract SubnetSelection getVpcSubnets();

    public static final class Builder extends ImmutableAlertmanagerServiceProps.Builder {
    }
}
