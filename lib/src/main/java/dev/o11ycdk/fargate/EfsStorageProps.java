package dev.o11ycdk.fargate;

import dev.o11ycdk.core.internal.PropsStyle;
import org.immutables.value.Value;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.efs.LifecyclePolicy;

/** Properties of {@link EfsStorage}. */
@Value.Immutable
@PropsStyle
public abstract class EfsStorageProps {
    public static Builder builder() {
        return new Builder();
    }

    /** Required. */
    public abstract IVpc getVpc();

    /** @default LifecyclePolicy.AFTER_30_DAYS */
    @Value.Default
    public LifecyclePolicy getTransitionToIa() {
        return EfsStorage.DEFAULT_TRANSITION_TO_IA;
    }

    /** How long daily backups are kept. @default 35 */
    @Value.Default
    public int getBackupRetentionDays() {
        return 35;
    }

    public static final class Builder extends ImmutableEfsStorageProps.Builder {
    }
}
