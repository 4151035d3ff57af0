package dev.o11ycdk.fargate;

import dev.o11ycdk.config.Check;
import dev.o11ycdk.core.Suppressions;
import dev.o11ycdk.core.internal.DailyBackup;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.backup.BackupPlan;
import software.amazon.awscdk.services.backup.BackupResource;
import software.amazon.awscdk.services.backup.BackupVault;
import software.amazon.awscdk.services.ec2.Connections;
import software.amazon.awscdk.services.ec2.IConnectable;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ecs.AuthorizationConfig;
import software.amazon.awscdk.services.ecs.EfsVolumeConfiguration;
import software.amazon.awscdk.services.ecs.MountPoint;
import software.amazon.awscdk.services.ecs.Volume;
import software.amazon.awscdk.services.efs.AccessPoint;
import software.amazon.awscdk.services.efs.AccessPointOptions;
import software.amazon.awscdk.services.efs.Acl;
import software.amazon.awscdk.services.efs.FileSystem;
import software.amazon.awscdk.services.efs.IFileSystem;
import software.amazon.awscdk.services.efs.LifecyclePolicy;
import software.amazon.awscdk.services.efs.OutOfInfrequentAccessPolicy;
import software.amazon.awscdk.services.efs.PerformanceMode;
import software.amazon.awscdk.services.efs.PosixUser;
import software.amazon.awscdk.services.efs.ThroughputMode;
import software.amazon.awscdk.services.iam.AnyPrincipal;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.IGrantable;
import software.amazon.awscdk.services.iam.PolicyDocument;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.constructs.Construct;

/**
 * The platform's shared state: an encrypted EFS file system (TLS-only by policy, IA after 30 days,
 * retained on stack deletion), one access point per tenant with its POSIX user and non-root
 * directory, mount access only from the tasks that use it, and a daily AWS Backup plan whose vault
 * is retained too.
 */
public class EfsStorage extends Construct implements IConnectable {
    private final FileSystem fileSystem;
    private final BackupPlan backupPlan;
    private final BackupVault backupVault;

    public EfsStorage(Construct scope, String id, EfsStorageProps props) {
        super(scope, id);
        this.fileSystem = FileSystem.Builder.create(this, "Resource")
                .vpc(props.getVpc())
                .vpcSubnets(SubnetSelection.builder().subnetType(SubnetType.PRIVATE_WITH_EGRESS).build())
                .encrypted(true)
                .performanceMode(PerformanceMode.GENERAL_PURPOSE)
                .throughputMode(ThroughputMode.ELASTIC)
                .lifecyclePolicy(props.getTransitionToIa())
                .outOfInfrequentAccessPolicy(OutOfInfrequentAccessPolicy.AFTER_1_ACCESS)
                .enableAutomaticBackups(false) // the explicit plan below replaces the default one
                .removalPolicy(RemovalPolicy.RETAIN)
                .fileSystemPolicy(PolicyDocument.Builder.create().statements(List.of(PolicyStatement.Builder.create()
                        .sid("DenyWithoutTls")
                        .effect(Effect.DENY)
                        .principals(List.of(new AnyPrincipal()))
                        .actions(List.of("*"))
                        .conditions(Map.of("Bool", Map.of("aws:SecureTransport", "false")))
                        .build())).build())
                .build();

        DailyBackup backup = DailyBackup.of(this, "backupRetentionDays", props.getBackupRetentionDays(), "FileSystem",
                BackupResource.fromEfsFileSystem(fileSystem), "snapshot EFS");
        this.backupVault = backup.getVault();
        this.backupPlan = backup.getPlan();
        Suppressions.suppress(fileSystem, false, Suppressions.CfnGuard.of("efs_automatic_backups_enabled_check", "The BackupPlan beside it backs this "
                + "file system up daily into a retained vault for backupRetentionDays; EFS automatic backups on top would take a "
                + "second daily copy (fixed 35 days, default vault) and double the backup storage bill."));
    }

    /**
     * Adds a tenant: an access point rooted at {@code path} (created as uid:gid, mode 750) that
     * forces every client to act as that POSIX user, so a container never writes as root.
     */
    public Tenant addTenant(String id, String path, int uid, int gid) {
        Check.urlPath(id + " path", path);
        if (path.equals("/")) {
            throw Check.bad(id + " path", path, "a tenant needs its own directory, not the file system root");
        }
        Check.range(id + " uid", uid, 1, 4_294_967);
        AccessPoint ap = fileSystem.addAccessPoint(id, AccessPointOptions.builder()
                .path(path)
                .posixUser(PosixUser.builder().uid(String.valueOf(uid)).gid(String.valueOf(gid)).build())
                .createAcl(Acl.builder().ownerUid(String.valueOf(uid)).ownerGid(String.valueOf(gid)).permissions("750").build())
                .build());
        return new Tenant(this, ap);
    }

    @Override
    public Connections getConnections() {
        return fileSystem.getConnections();
    }

    public IFileSystem getFileSystem() {
        return fileSystem;
    }

    public BackupPlan getBackupPlan() {
        return backupPlan;
    }

    public BackupVault getBackupVault() {
        return backupVault;
    }

    /** One access point of the file system, ready to mount in an ECS task. */
    public static final class Tenant {
        private final EfsStorage storage;
        private final AccessPoint accessPoint;

        private Tenant(EfsStorage storage, AccessPoint accessPoint) {
            this.storage = storage;
            this.accessPoint = accessPoint;
        }

        public AccessPoint getAccessPoint() {
            return accessPoint;
        }

        /** An ECS volume: transit encryption and IAM authorization through this access point. */
        Volume volume(String name) {
            return Volume.builder().name(name).efsVolumeConfiguration(EfsVolumeConfiguration.builder()
                    .fileSystemId(storage.fileSystem.getFileSystemId())
                    .transitEncryption("ENABLED")
                    .authorizationConfig(AuthorizationConfig.builder().accessPointId(accessPoint.getAccessPointId()).iam("ENABLED").build())
                    .build()).build();
        }

        static MountPoint mount(String volume, String containerPath) {
            return mount(volume, containerPath, false);
        }

        static MountPoint mount(String volume, String containerPath, boolean readOnly) {
            return MountPoint.builder().sourceVolume(volume).containerPath(containerPath).readOnly(readOnly).build();
        }

        /** Lets {@code grantee} mount and write through this access point only. */
        void grantReadWrite(IGrantable grantee) {
            grantee.getGrantPrincipal().addToPrincipalPolicy(PolicyStatement.Builder.create()
                    .actions(List.of("elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"))
                    .resources(List.of(storage.fileSystem.getFileSystemArn()))
                    .conditions(Map.of("StringEquals", Map.of("elasticfilesystem:AccessPointArn", accessPoint.getAccessPointArn())))
                    .build());
        }

        void allowMountFrom(IConnectable client) {
            storage.getConnections().allowDefaultPortFrom(client, "NFS from " + client.getClass().getSimpleName());
        }
    }

    /** Default lifecycle of {@link EfsStorageProps}. */
    public static final LifecyclePolicy DEFAULT_TRANSITION_TO_IA = LifecyclePolicy.AFTER_30_DAYS;

}
