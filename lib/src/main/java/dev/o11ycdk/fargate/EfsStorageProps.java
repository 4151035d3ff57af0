package dev.o11ycdk.fargate;

import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.efs.LifecyclePolicy;

/** Properties of {@link EfsStorage}. */
public final class EfsStorageProps {
    private final IVpc vpc;
    private final LifecyclePolicy transitionToIa;
    private final int backupRetentionDays;

    private EfsStorageProps(Builder b) {
        this.vpc = b.vpc;
        this.transitionToIa = b.transitionToIa != null ? b.transitionToIa : EfsStorage.DEFAULT_TRANSITION_TO_IA;
        this.backupRetentionDays = b.backupRetentionDays != null ? b.backupRetentionDays : 35;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Required. */
    public IVpc getVpc() {
        return vpc;
    }

    /** @default LifecyclePolicy.AFTER_30_DAYS */
    public LifecyclePolicy getTransitionToIa() {
        return transitionToIa;
    }

    /** How long daily backups are kept. @default 35 */
    public int getBackupRetentionDays() {
        return backupRetentionDays;
    }

    public static final class Builder {
        private IVpc vpc;
        private LifecyclePolicy transitionToIa;
        private Integer backupRetentionDays;

        public Builder vpc(IVpc vpc) {
            this.vpc = vpc;
            return this;
        }

        public Builder transitionToIa(LifecyclePolicy transitionToIa) {
            this.transitionToIa = transitionToIa;
            return this;
        }

        public Builder backupRetentionDays(int days) {
            this.backupRetentionDays = days;
            return this;
        }

        public EfsStorageProps build() {
            return new EfsStorageProps(this);
        }
    }
}
