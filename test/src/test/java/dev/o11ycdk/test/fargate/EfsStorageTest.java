package dev.o11ycdk.test.fargate;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.o11ycdk.config.Check;
import dev.o11ycdk.fargate.EfsStorage;
import dev.o11ycdk.fargate.EfsStorageProps;
import dev.o11ycdk.test.support.FreshStack;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** {@link EfsStorage} in a stack of its own. */
class EfsStorageTest {
    @Test
    void encryptedTlsOnlyRetainedAndBackedUpDailyIntoARetainedVault() {
        FreshStack f = FreshStack.of("Efs");
        EfsStorage storage = new EfsStorage(f.stack(), "Storage", EfsStorageProps.builder().vpc(f.vpc()).backupRetentionDays(14).build());
        storage.addTenant("Prometheus", "/prometheus", 65534, 65534);
        Template t = f.template();
        t.hasResource("AWS::EFS::FileSystem", Match.objectLike(Map.of("DeletionPolicy", "Retain", "Properties", Match.objectLike(Map.of(
                "Encrypted", true,
                "LifecyclePolicies", Match.arrayWith(List.of(Map.of("TransitionToIA", "AFTER_30_DAYS"))),
                "FileSystemPolicy", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of("Sid", "DenyWithoutTls",
                        "Effect", "Deny", "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")))))))))))));
        t.hasResource("AWS::Backup::BackupVault", Match.objectLike(Map.of("DeletionPolicy", "Retain")));
        t.hasResourceProperties("AWS::Backup::BackupPlan", Match.objectLike(Map.of("BackupPlan", Match.objectLike(Map.of(
                "BackupPlanRule", List.of(Match.objectLike(Map.of("RuleName", "Daily", "ScheduleExpression", "cron(0 18 * * ? *)",
                        "Lifecycle", Map.of("DeleteAfterDays", 14)))))))));
        t.hasResourceProperties("AWS::EFS::AccessPoint", Match.objectLike(Map.of(
                "PosixUser", Map.of("Uid", "65534", "Gid", "65534"),
                "RootDirectory", Map.of("Path", "/prometheus", "CreationInfo", Map.of("OwnerUid", "65534", "OwnerGid", "65534",
                        "Permissions", "750")))));
    }

    @Test
    void aTenantNeedsADirectoryOfItsOwnAndANonRootUser() {
        FreshStack f = FreshStack.of("Tenants");
        EfsStorage storage = new EfsStorage(f.stack(), "Storage", EfsStorageProps.builder().vpc(f.vpc()).build());
        assertThatThrownBy(() -> storage.addTenant("Root", "/", 1000, 1000)).isInstanceOf(Check.BadValue.class)
                .hasMessage("Root path = '/': a tenant needs its own directory, not the file system root");
        assertThatThrownBy(() -> storage.addTenant("AsRoot", "/data", 0, 0)).hasMessage("AsRoot uid = 0: must be in 1..4294967");
    }
}
