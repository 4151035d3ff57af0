package dev.o11ycdk.core.internal;

import dev.o11ycdk.config.Check;
import dev.o11ycdk.core.Suppressions;
import java.util.List;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.backup.BackupPlan;
import software.amazon.awscdk.services.backup.BackupPlanRule;
import software.amazon.awscdk.services.backup.BackupResource;
import software.amazon.awscdk.services.backup.BackupSelectionOptions;
import software.amazon.awscdk.services.backup.BackupVault;
import software.amazon.awscdk.services.events.CronOptions;
import software.amazon.awscdk.services.events.Schedule;
import software.constructs.Construct;

/**
 * The daily AWS Backup of what holds a layout's state (the Fargate layout's EFS, the host's data
 * volume): a vault kept when the stack goes ({@code BackupVault}), a plan with one rule
 * ({@code BackupPlan}, 18:00 UTC, 03:00 in the seed's Seoul), and one selection.
 */
public final class DailyBackup {
    private final BackupVault vault;
    private final BackupPlan plan;

    private DailyBackup(BackupVault vault, BackupPlan plan) {
        this.vault = vault;
        this.plan = plan;
    }

    /**
     * The vault and plan in {@code scope}, the selection {@code selectionId} of {@code resource}.
     *
     * @param retentionSetting the name of the setting {@code retentionDays} came from, for the error
     * @param what             what AWS Backup copies, for the reason of the managed-policy finding ("snapshot EFS")
     */
    public static DailyBackup of(Construct scope, String retentionSetting, int retentionDays, String selectionId,
                                 BackupResource resource, String what) {
        Check.range(retentionSetting, retentionDays, 1, 36500);
        BackupVault vault = BackupVault.Builder.create(scope, "BackupVault")
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        BackupPlan plan = BackupPlan.Builder.create(scope, "BackupPlan")
                .backupVault(vault)
                .backupPlanRules(List.of(BackupPlanRule.Builder.create()
                        .ruleName("Daily")
                        .scheduleExpression(Schedule.cron(CronOptions.builder().minute("0").hour("18").build()))
                        .deleteAfter(Duration.days(retentionDays))
                        .build()))
                .build();
        plan.addSelection(selectionId, BackupSelectionOptions.builder().resources(List.of(resource)).build());
        Suppressions.suppress(plan, true, Suppressions.CdkNag.of("AwsSolutions-IAM4", "AWSBackupServiceRolePolicyForBackup is the "
                + "AWS-maintained policy AWS Backup needs to " + what + ".",
                "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup"));
        return new DailyBackup(vault, plan);
    }

    public BackupVault getVault() {
        return vault;
    }

    public BackupPlan getPlan() {
        return plan;
    }
}
