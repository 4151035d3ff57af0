package dev.o11ycdk.fargate;

import dev.o11ycdk.config.Check;
import dev.o11ycdk.core.KeyPolicies;
import dev.o11ycdk.core.Suppressions;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.ec2.Connections;
import software.amazon.awscdk.services.ec2.IConnectable;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ecs.FargateService;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.targets.SfnStateMachine;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.rds.AuroraPostgresClusterEngineProps;
import software.amazon.awscdk.services.rds.AuroraPostgresEngineVersion;
import software.amazon.awscdk.services.rds.BackupProps;
import software.amazon.awscdk.services.rds.ClusterInstance;
import software.amazon.awscdk.services.rds.Credentials;
import software.amazon.awscdk.services.rds.CredentialsFromUsernameOptions;
import software.amazon.awscdk.services.rds.DatabaseCluster;
import software.amazon.awscdk.services.rds.DatabaseClusterEngine;
import software.amazon.awscdk.services.rds.EngineLifecycleSupport;
import software.amazon.awscdk.services.rds.RotationSingleUserOptions;
import software.amazon.awscdk.services.rds.ServerlessV2ClusterInstanceProps;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.amazon.awscdk.services.stepfunctions.DefinitionBody;
import software.amazon.awscdk.services.stepfunctions.LogLevel;
import software.amazon.awscdk.services.stepfunctions.LogOptions;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.amazon.awscdk.services.stepfunctions.tasks.CallAwsService;
import software.constructs.Construct;

/**
 * Grafana's shared database, so more than one Grafana task can serve: Aurora PostgreSQL
 * Serverless v2 ({@link #ENGINE_VERSION}) in the private subnets, storage encrypted with a key of
 * its own (rotated yearly), deletion protection, 7 days of backups and a final snapshot when the
 * stack lets go of it (removal policy SNAPSHOT). The credentials are a generated Secrets Manager
 * secret, rotated every {@link #ROTATION_DAYS} days by the single-user rotation function; port
 * 5432 admits {@link GrafanaService}'s tasks and that function, nothing else. A rotation changes
 * the password Grafana's tasks read at start, so an EventBridge rule on the secret's
 * {@code RotationSucceeded} starts a state machine that forces a new deployment of the Grafana
 * service (its role may call {@code ecs:UpdateService} on that one service).
 */
public class GrafanaDatabase extends Construct implements IConnectable {
    /** The newest Aurora PostgreSQL 17 aws-cdk-lib 2.263.0 names; on the support calendar as aurora-postgresql. */
    public static final AuroraPostgresEngineVersion ENGINE_VERSION = AuroraPostgresEngineVersion.VER_17_9;
    public static final int PORT = 5432;
    public static final String DATABASE_NAME = "grafana";
    public static final String USERNAME = "grafana";
    public static final double DEFAULT_MIN_ACU = 0.5;
    public static final double DEFAULT_MAX_ACU = 2;
    public static final int BACKUP_DAYS = 7;
    public static final int ROTATION_DAYS = 30;

    private final DatabaseCluster cluster;
    private final Key key;
    private final SecurityGroup securityGroup;
    private StateMachine redeploy;
    private Rule rotationRule;

    public GrafanaDatabase(Construct scope, String id, GrafanaDatabaseProps props) {
        super(scope, id);
        double min = capacity("grafana database minCapacity", props.getMinCapacity(), 0.5);
        double max = capacity("grafana database maxCapacity", props.getMaxCapacity(), 1);
        if (max < min) {
            throw Check.bad("grafana database maxCapacity", number(max), "is below minCapacity " + acu(min) + " ACU");
        }
        this.key = Key.Builder.create(this, "Key")
                .description("Grafana's Aurora PostgreSQL storage, snapshots and backups")
                .enableKeyRotation(true)
                // Snapshots outlive the cluster and need the key to be read.
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        KeyPolicies.grantsOnlyForAwsServices(key); // RDS uses the key through grants it creates for the cluster
        this.securityGroup = SecurityGroup.Builder.create(this, "SecurityGroup")
                .vpc(props.getVpc())
                .description("Grafana database: 5432 from the Grafana tasks and the rotation function only")
                .allowAllOutbound(false) // the database starts no connection
                .build();
        SubnetSelection privateSubnets = SubnetSelection.builder().subnetType(SubnetType.PRIVATE_WITH_EGRESS).build();
        // CloudFormation's DBClusterIdentifier is create-only: fixed from the stack's name, so the log group's name is known.
        String identifier = (Stack.of(this).getStackName() + "-grafana").toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
        LogGroup logs = LogGroup.Builder.create(this, "PostgresqlLogs")
                .logGroupName("/aws/rds/cluster/" + identifier + "/postgresql")
                .retention(RetentionDays.ONE_YEAR)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        this.cluster = DatabaseCluster.Builder.create(this, "Cluster")
                .clusterIdentifier(identifier)
                .engine(DatabaseClusterEngine.auroraPostgres(AuroraPostgresClusterEngineProps.builder().version(ENGINE_VERSION).build()))
                .engineLifecycleSupport(EngineLifecycleSupport.OPEN_SOURCE_RDS_EXTENDED_SUPPORT_DISABLED)
                .writer(ClusterInstance.serverlessV2("Writer", ServerlessV2ClusterInstanceProps.builder()
                        .autoMinorVersionUpgrade(true)
                        .publiclyAccessible(false)
                        .build()))
                .serverlessV2MinCapacity(min)
                .serverlessV2MaxCapacity(max)
                .vpc(props.getVpc())
                .vpcSubnets(privateSubnets)
                .securityGroups(List.of(securityGroup))
                .port(PORT)
                .credentials(Credentials.fromGeneratedSecret(USERNAME, CredentialsFromUsernameOptions.builder().build()))
                .defaultDatabaseName(DATABASE_NAME)
                .storageEncrypted(true)
                .storageEncryptionKey(key)
                .iamAuthentication(true)
                .deletionProtection(true)
                .backup(BackupProps.builder().retention(Duration.days(BACKUP_DAYS)).build())
                .copyTagsToSnapshot(true)
                .cloudwatchLogsExports(List.of("postgresql"))
                .removalPolicy(RemovalPolicy.SNAPSHOT)
                .build();
        cluster.getNode().addDependency(logs);
        // A restored snapshot keeps the password the secret holds.
        ((software.amazon.awscdk.services.secretsmanager.Secret) cluster.getNode().findChild("Secret")).applyRemovalPolicy(RemovalPolicy.RETAIN);
        cluster.addRotationSingleUser(RotationSingleUserOptions.builder()
                .automaticallyAfter(Duration.days(ROTATION_DAYS))
                .vpcSubnets(privateSubnets)
                .build());
        Suppressions.suppress(cluster, false,
                Suppressions.CdkNag.of("AwsSolutions-RDS11", "Port 5432 is PostgreSQL's default; its security group admits only "
                        + "Grafana's tasks and the rotation function, so another port would hide nothing from anyone who can reach it."));
        Suppressions.suppress(cluster.getNode().findChild("Writer"), false, Suppressions.CfnGuard.of("rds_instance_enhanced_monitoring_enabled_check", "Grafana's "
                + "small database is watched through the RDS metrics CloudWatch keeps at no charge (ServerlessDatabaseCapacity, "
                + "ACUUtilization, CPUUtilization, DatabaseConnections); Enhanced Monitoring's per-second OS metrics would add an IAM "
                + "role and a billed RDSOSMetrics log stream for a database of a few megabytes."));
    }

    private static double capacity(String setting, double acu, double lowest) {
        if (Double.isNaN(acu) || acu < lowest || acu > 256 || acu * 2 != Math.rint(acu * 2)) {
            throw Check.bad(setting, number(acu), "Aurora Serverless v2 takes " + acu(lowest) + "..256 ACU in steps of 0.5");
        }
        return acu;
    }

    /** 0.5, 2 (not 2.0), as a person writes an ACU count, for messages. */
    private static Object number(double v) {
        return v == Math.rint(v) && !Double.isInfinite(v) ? (Object) (long) v : (Object) v;
    }

    /** 0.5, 2 (not 2.0), as a person writes an ACU count. */
    static String acu(double v) {
        return v == Math.rint(v) && !Double.isInfinite(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    /**
     * Wires Grafana's service to the database: 5432 from its tasks, and a new deployment of it once
     * the secret has rotated. Called by {@link GrafanaService}.
     */
    void serve(FargateService grafana) {
        cluster.getConnections().allowFrom(grafana, Port.tcp(PORT), "Grafana to its database");
        // Grafana's first tasks need the writer, not only the cluster their environment names.
        grafana.getNode().addDependency(cluster.getNode().findChild("Writer"));
        this.redeploy = StateMachine.Builder.create(this, "RedeployGrafana")
                .comment("Forces a new deployment of the Grafana service, whose tasks read the database password at start")
                .definitionBody(DefinitionBody.fromChainable(CallAwsService.Builder.create(this, "ForceNewDeployment")
                        .service("ecs")
                        .action("updateService")
                        .parameters(Map.of("Cluster", grafana.getCluster().getClusterArn(), "Service", grafana.getServiceArn(),
                                "ForceNewDeployment", true))
                        .iamAction("ecs:UpdateService")
                        .iamResources(List.of(grafana.getServiceArn()))
                        .build()))
                .tracingEnabled(true)
                .logs(LogOptions.builder()
                        .destination(LogGroup.Builder.create(this, "RedeployLogs")
                                .retention(RetentionDays.ONE_YEAR)
                                .removalPolicy(RemovalPolicy.RETAIN)
                                .build())
                        .level(LogLevel.ALL)
                        .includeExecutionData(true)
                        .build())
                .build();
        Suppressions.suppress(redeploy.getRole(), true, Suppressions.CdkNag.of("AwsSolutions-IAM5", "Resource * only on what Step "
                + "Functions' own logging (logs:*LogDelivery, logs:DescribeResourcePolicies/LogGroups) and X-Ray tracing "
                + "(xray:PutTraceSegments, PutTelemetryRecords, GetSampling*) need, which take no resource; ecs:UpdateService is "
                + "on the Grafana service alone.", "Resource::*"));
        this.rotationRule = Rule.Builder.create(this, "OnRotation")
                .description("A rotated Grafana database password: roll the Grafana service so its tasks read the new one")
                .eventPattern(EventPattern.builder()
                        .source(List.of("aws.secretsmanager"))
                        .detailType(List.of("AWS Service Event via CloudTrail"))
                        .detail(Map.of("eventSource", List.of("secretsmanager.amazonaws.com"),
                                "eventName", List.of("RotationSucceeded"),
                                "additionalEventData", Map.of("SecretId", List.of(getSecret().getSecretArn()))))
                        .build())
                .targets(List.of(new SfnStateMachine(redeploy)))
                .build();
        // CloudFormation rotates once when it creates the schedule: after the writer can take the new password, and after
        // the rule that rolls Grafana onto it exists.
        software.constructs.IConstruct schedule = cluster.getSecret().getNode().tryFindChild("RotationSchedule");
        if (schedule != null) {
            schedule.getNode().addDependency(cluster.getNode().findChild("Writer"), rotationRule, redeploy);
        }
    }

    public DatabaseCluster getCluster() {
        return cluster;
    }

    /** username, password, host, port, dbname as JSON. */
    public ISecret getSecret() {
        return cluster.getSecret();
    }

    public Key getKey() {
        return key;
    }

    /** host:port of the writer, as Grafana's GF_DATABASE_HOST takes it. */
    public String getHostPort() {
        return cluster.getClusterEndpoint().getSocketAddress();
    }

    /** Null until {@link GrafanaService} is given this database. */
    public StateMachine getRedeployStateMachine() {
        return redeploy;
    }

    public Rule getRotationRule() {
        return rotationRule;
    }

    @Override
    public Connections getConnections() {
        return cluster.getConnections();
    }
}
