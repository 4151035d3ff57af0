package dev.o11ycdk.host;

import dev.o11ycdk.alb.MonitoringAlb;
import dev.o11ycdk.config.AlertDelay;
import dev.o11ycdk.config.AlertRules;
import dev.o11ycdk.config.AlertmanagerConfig;
import dev.o11ycdk.config.Check;
import dev.o11ycdk.config.Ec2DiscoveryConfig;
import dev.o11ycdk.core.ScrapeOptions;
import dev.o11ycdk.config.PromDuration;
import dev.o11ycdk.config.PrometheusConfig;
import dev.o11ycdk.config.Rendering;
import dev.o11ycdk.config.Rule;
import dev.o11ycdk.config.RuleGroups;
import dev.o11ycdk.config.ScrapeJob;
import dev.o11ycdk.config.Shell;
import dev.o11ycdk.core.Ebs;
import dev.o11ycdk.core.Ports;
import dev.o11ycdk.core.PrometheusSizing;
import dev.o11ycdk.core.Suppressions;
import dev.o11ycdk.core.internal.AlertDelayWarnings;
import dev.o11ycdk.core.internal.AlertRouting;
import dev.o11ycdk.core.internal.DailyBackup;
import dev.o11ycdk.core.internal.GrafanaAdminSecret;
import dev.o11ycdk.core.internal.Regions;
import dev.o11ycdk.core.internal.ReviewFiles;
import dev.o11ycdk.grafana.Dashboard;
import dev.o11ycdk.grafana.DashboardRules;
import dev.o11ycdk.grafana.Datasource;
import dev.o11ycdk.grafana.GrafanaProvisioning;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.AspectOptions;
import software.amazon.awscdk.AspectPriority;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.CfnParameter;
import software.amazon.awscdk.IAspect;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Size;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Tags;
import software.amazon.awscdk.regioninfo.RegionInfo;
import software.amazon.awscdk.services.backup.BackupResource;
import software.amazon.awscdk.services.ec2.AttachInitOptions;
import software.amazon.awscdk.services.ec2.BlockDevice;
import software.amazon.awscdk.services.ec2.BlockDeviceVolume;
import software.amazon.awscdk.services.ec2.CfnInstance;
import software.amazon.awscdk.services.ec2.CfnLaunchTemplate;
import software.amazon.awscdk.services.ec2.Connections;
import software.amazon.awscdk.services.ec2.ConnectionsProps;
import software.amazon.awscdk.services.ec2.EbsDeviceOptions;
import software.amazon.awscdk.services.ec2.EbsDeviceVolumeType;
import software.amazon.awscdk.services.ec2.IConnectable;
import software.amazon.awscdk.services.ec2.IMachineImage;
import software.amazon.awscdk.services.ec2.ISubnet;
import software.amazon.awscdk.services.ec2.InitCommand;
import software.amazon.awscdk.services.ec2.InitCommandOptions;
import software.amazon.awscdk.services.ec2.InitFile;
import software.amazon.awscdk.services.ec2.Instance;
import software.amazon.awscdk.services.ec2.InstanceArchitecture;
import software.amazon.awscdk.services.ec2.MachineImage;
import software.amazon.awscdk.services.ec2.MultipartBody;
import software.amazon.awscdk.services.ec2.MultipartBodyOptions;
import software.amazon.awscdk.services.ec2.MultipartUserData;
import software.amazon.awscdk.services.ec2.OperatingSystemType;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.UserData;
import software.amazon.awscdk.services.ec2.Volume;
import software.amazon.awscdk.services.iam.ManagedPolicy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.constructs.Construct;
import software.constructs.IConstruct;

/**
 * One EC2 host running Prometheus, node_exporter, Grafana and Alertmanager as systemd services (SPEC layout 1):
 * private subnet, no public IP, no key pair (Session Manager), IMDSv2. Expose it through
 * {@link MonitoringAlb}; {@link #getConnections()} carries the security group,
 * {@code alb.getConnections().allowTo(host, Port.tcp(Ports.GRAFANA))} style.
 *
 * <p>Day 2. The state (TSDB, Grafana's database, Alertmanager's silences) lives on a data volume of
 * its own (encrypted gp3 sized for the retention, kept when the stack or the instance goes, backed
 * up daily), which the instance attaches to itself at boot and mounts before any service starts: a
 * new instance (a new AMI, a lost host) takes it over. The AMI is pinned ({@code machineImage}, or the
 * template's {@code <id>AmiId} parameter), never resolved at deploy. Rules, dashboards, scrape
 * targets, routes and releases are CloudFormation metadata ({@link HostConfiguration}), applied by
 * cfn-hup with each daemon's reload after promtool and amtool pass them: the user data holds only the
 * bootstrap, so a configuration change never stops the host.
 */
public class ObservabilityInstance extends Construct implements IObservabilityHost {
    private Connections connections;
    /** Where the platform's app publishes the host's parameters by default (cdk.json's hostSsmParameterPrefix). */
    public static final String DEFAULT_SSM_PREFIX = "/o11y-cdk/host";
    /** The parameters {@link #publishToSsm} writes and {@link #fromSsm} reads under a prefix: the host's security group. */
    public static final List<String> SSM_NAMES = HostParameters.NAMES;
    /** The job of the teams' services found by their EC2 tags ({@link Ec2DiscoveryConfig}). */
    public static final String SERVICES_JOB = "ec2-services";
    static final int OS_AND_GRAFANA_GIB = 10;
    /** Grafana's database and Alertmanager's silences on the data volume, beside the TSDB. */
    static final int GRAFANA_AND_ALERTMANAGER_GIB = 2;
    static final int MAX_SCRIPT_BYTES = 15_000;
    /**
     * The configuration travels in the template, whose body CloudFormation caps at 1 MB (from S3):
     * the host's share stops at half of it.
     */
    static final int MAX_CONFIG_BYTES = 500_000;
    private static final String TARGETS_DIR = "/etc/prometheus/targets";
    /** Relative to prometheus.yml (Prometheus resolves them so): the rendered config runs anywhere. */
    static final String RULES_FILE = "rules/o11y.yml";
    static final String NODE_TARGETS_FILE = "targets/node.json";
    /** Where the boot writes the Slack webhook URL (0600, user alertmanager); the Slack receivers read it. */
    public static final String SLACK_WEBHOOK_FILE = "/etc/alertmanager/slack_webhook_url";
    /** node_exporter's textfile collector reads this folder; o11y-apply writes its outcome there. */
    public static final String TEXTFILE_DIR = "/var/lib/node_exporter/textfile";
    /** 1 when the last o11y-apply run installed the staged configuration, 0 when it kept the running one (node_exporter's textfile). */
    public static final String HOST_CONFIG_APPLIED = "o11y_host_config_apply_success";
    /** Held by every cfn-init run: the boot's and cfn-hup's must not stage and apply at the same time. */
    static final String CFN_INIT_LOCK = "/run/o11y-cfn-init.lock";
    /** Where the bootstrap writes the script that attaches and mounts the data volume. */
    public static final String DATA_VOLUME_SCRIPT = "/usr/local/sbin/o11y-data-volume";
    /** The comment that opens the boot step mounting the data volume. */
    public static final String DATA_VOLUME_STEP = "The data volume, attached to this instance and mounted before any service starts";
    /** The comment that opens the boot step writing that file (tests find the step by it). */
    public static final String SLACK_STEP = "Slack webhook for Alertmanager from Secrets Manager, readable by alertmanager only";
    /** Alertmanager listens here only: Prometheus on the same host is its one client. */
    static final String ALERTMANAGER_ADDRESS = "127.0.0.1:" + Ports.ALERTMANAGER;
    /** The configuration checked as Alertmanager runs it, in UTF-8 strict mode. */
    private static final String AMTOOL_CHECK = "/opt/alertmanager/amtool --enable-feature=" + AlertmanagerConfig.UTF8_STRICT_MODE
            + " check-config /etc/alertmanager/alertmanager.yml";

    private final Instance instance;
    private final SecurityGroup securityGroup;
    private final ISecret adminSecret;
    private final ISecret slackWebhookSecret;
    private final AlertmanagerConfig alertmanagerConfig;
    private final PrometheusConfig prometheusConfig;
    private final RuleGroups rules;
    private final String scrapeInterval;
    private final HostBootstrapScript script;
    private final HostConfiguration config;
    private final Volume dataVolume;
    private final DailyBackup backup;
    private final int volumeSizeGiB;
    private final int dataVolumeSizeGiB;
    private final int retentionSizeGiB;
    private String published;

    public ObservabilityInstance(Construct scope, String id, ObservabilityInstanceProps props) {
        super(scope, id);
        long retentionDays = PrometheusSizing.retentionDays("retentionDays", props.getRetention());
        PromDuration interval = PromDuration.parse("scrapeInterval", props.getScrapeInterval()).positive("scrapeInterval");
        Check.range("expectedActiveSeries", props.getExpectedActiveSeries(), 1, 50_000_000);
        Release.Arch arch = props.getInstanceType().getArchitecture() == InstanceArchitecture.ARM_64
                ? Release.Arch.ARM64 : Release.Arch.AMD64;

        double tsdbBytes = PrometheusSizing.tsdbBytes(retentionDays, interval, props.getExpectedActiveSeries());
        this.retentionSizeGiB = Math.max(1, PrometheusSizing.volumeGiB(tsdbBytes, 1.1));
        // The root volume keeps the size of o11y-cdk 0.1, which held the data: a new size would replace the host.
        this.volumeSizeGiB = Ebs.gp3("expectedActiveSeries", props.getExpectedActiveSeries(),
                OS_AND_GRAFANA_GIB + PrometheusSizing.volumeGiB(tsdbBytes, PrometheusSizing.HOST_TSDB_HEADROOM), retentionDays + " days");
        this.dataVolumeSizeGiB = Ebs.gp3("expectedActiveSeries", props.getExpectedActiveSeries(),
                GRAFANA_AND_ALERTMANAGER_GIB + PrometheusSizing.volumeGiB(tsdbBytes, PrometheusSizing.CLAIM_TSDB_HEADROOM),
                retentionDays + " days");

        this.securityGroup = SecurityGroup.Builder.create(this, "SecurityGroup")
                .vpc(props.getVpc())
                .description("o11y host: Grafana/Prometheus from the ALB only, node_exporter from Prometheus")
                .allowAllOutbound(true) // release downloads, EC2 discovery API, Secrets Manager
                .build();
        // node_exporter only from Prometheus, which runs in this same security group.
        securityGroup.addIngressRule(securityGroup, Port.tcp(Ports.NODE_EXPORTER), "node_exporter from Prometheus");

        Role role = Role.Builder.create(this, "Role")
                .assumedBy(new ServicePrincipal("ec2.amazonaws.com"))
                .description("o11y host: Session Manager, EC2 discovery, Grafana admin and Slack webhook secrets")
                .managedPolicies(List.of(ManagedPolicy.fromAwsManagedPolicyName("AmazonSSMManagedInstanceCore")))
                .build();
        role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .actions(List.of("ec2:DescribeInstances", "ec2:DescribeAvailabilityZones"))
                .resources(List.of("*"))
                .build());
        // Grafana's CloudWatch datasource on this host.
        role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .actions(Datasource.CLOUDWATCH_READ)
                .resources(List.of("*"))
                .build());

        this.adminSecret = GrafanaAdminSecret.orGenerate(this, "GrafanaAdminPassword", props.getGrafanaAdminSecret(),
                "Grafana admin password of the o11y host");
        adminSecret.grantRead(role);
        this.slackWebhookSecret = props.getSlackWebhookSecret();
        slackWebhookSecret.grantRead(role);
        this.alertmanagerConfig = AlertRouting.config(props, SLACK_WEBHOOK_FILE);

        String region = Regions.require(this, "ObservabilityInstance");
        this.scrapeInterval = props.getScrapeInterval();
        RuleGroups base = props.getRules() != null ? props.getRules() : defaultRules(props.getRunbookBaseUrl()).toRuleGroups();
        this.rules = base.copy().group(DashboardRules.GROUP, DashboardRules.http(interval));
        AlertDelayWarnings.warnMissedGoals(this, "@o11y-cdk/host", getAlertDelays());
        this.prometheusConfig = PrometheusConfig.builder()
                .scrapeInterval(props.getScrapeInterval())
                .ruleFile(RULES_FILE)
                .evaluationInterval(props.getScrapeInterval())
                .scrapeJob(ScrapeJob.builder("prometheus").staticTargets(List.of("localhost:" + Ports.PROMETHEUS), Map.of()).build())
                // The host's own private IP is only known at boot: the script writes this file.
                .scrapeJob(ScrapeJob.builder("node").fileSd(List.of(NODE_TARGETS_FILE), "1m").build())
                // Whatever the tagged instances' owners run on 9100: the platform installs nothing there.
                .scrapeJob(ScrapeJob.builder("ec2")
                        .ec2Sd(region, Ports.NODE_EXPORTER, props.getDiscoveryTagKey(), props.getDiscoveryTagValue())
                        .fallbackScrapeProtocol(ScrapeJob.ScrapeProtocol.PROMETHEUS_TEXT_0_0_4).build())
                // The teams' services on their own instances, by the tags their scrape call put there.
                .scrapeJob(Ec2DiscoveryConfig.scrapeJob(SERVICES_JOB, region, props.getEnvironment(), ScrapeJob.PLATFORM_JOBS))
                .scrapeJob(ScrapeJob.builder("alertmanager").staticTargets(List.of(ALERTMANAGER_ADDRESS), Map.of()).build())
                .alertmanagerStatic(List.of(ALERTMANAGER_ADDRESS))
                .scrapeJobs(props.getAdditionalScrapeJobs())
                .build();

        String rootUrl = props.getGrafanaRootUrl() != null ? props.getGrafanaRootUrl() : "http://localhost:" + Ports.GRAFANA + "/";
        this.config = configuration(props, arch, region, rootUrl);
        int configBytes = config.getFiles().values().stream().mapToInt(c -> c.getBytes(StandardCharsets.UTF_8).length).sum();
        if (configBytes > MAX_CONFIG_BYTES) {
            throw Check.bad(id + " configuration", configBytes + " bytes", "exceeds " + MAX_CONFIG_BYTES + " bytes (it travels in "
                    + "the template, which CloudFormation caps at 1 MB); provision fewer dashboards or rules on the host");
        }

        // The instance and its data volume in one subnet, so in one availability zone.
        ISubnet subnet = props.getVpc().selectSubnets(props.getVpcSubnets()).getSubnets().get(0);
        this.dataVolume = Volume.Builder.create(this, "DataVolume")
                .availabilityZone(subnet.getAvailabilityZone())
                .size(Size.gibibytes(dataVolumeSizeGiB))
                .volumeType(EbsDeviceVolumeType.GP3)
                .encrypted(true)
                .encryptionKey(props.getDataVolumeEncryptionKey())
                .volumeName(Stack.of(this).getStackName() + "-o11y-data")
                // Outlives the instance, the stack and any replacement of itself.
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .actions(List.of("ec2:DescribeVolumes"))
                .resources(List.of("*"))
                .build());
        this.backup = DailyBackup.of(this, "backupRetentionDays", props.getBackupRetentionDays(), "DataVolume",
                BackupResource.fromArn(Stack.of(this).formatArn(ArnComponents.builder().service("ec2").resource("volume")
                        .resourceName(dataVolume.getVolumeId()).build())), "snapshot the host's data volume");

        // Its parts come below, once the instance's logical id (which the bootstrap names) is known.
        MultipartUserData userData = new MultipartUserData();
        this.instance = Instance.Builder.create(this, "Resource")
                .vpc(props.getVpc())
                .vpcSubnets(SubnetSelection.builder().subnets(List.of(subnet)).build())
                .instanceType(props.getInstanceType())
                .machineImage(machineImage(props, arch))
                .securityGroup(securityGroup)
                .role(role)
                .requireImdsv2(true)
                .associatePublicIpAddress(false)
                .detailedMonitoring(true)
                .disableApiTermination(props.isTerminationProtection())
                .userData(userData)
                .blockDevices(List.of(BlockDevice.builder()
                        .deviceName("/dev/xvda")
                        .volume(BlockDeviceVolume.ebs(volumeSizeGiB, EbsDeviceOptions.builder()
                                .volumeType(EbsDeviceVolumeType.GP3).encrypted(true).deleteOnTermination(true).build()))
                        .build()))
                .build();
        // Only an instance of this construct attaches the volume, and only to itself (tags on both, checked by IAM).
        dataVolume.grantAttachVolumeByResourceTag(role, List.of(instance));
        CfnInstance cfnInstance = (CfnInstance) instance.getNode().getDefaultChild();
        String logicalId = Stack.of(this).getLogicalId(cfnInstance);

        this.script = bootstrap(region, logicalId);
        // EC2 rejects user data above 16 KB; leave room for the MIME envelope and deploy-time values.
        int scriptBytes = script.render().getBytes(StandardCharsets.UTF_8).length;
        if (scriptBytes > MAX_SCRIPT_BYTES) {
            throw Check.bad(id + " user data", scriptBytes + " bytes", "exceeds " + MAX_SCRIPT_BYTES + " bytes (EC2's limit is 16 KB)");
        }
        // Run the bootstrap on every boot, not only the first: it re-reads the secrets and the configuration.
        userData.addPart(MultipartBody.fromRawBody(MultipartBodyOptions.builder()
                .contentType("text/cloud-config; charset=\"utf-8\"")
                .body("#cloud-config\n" + Rendering.yaml(Map.of("cloud_final_modules", List.of(List.of("scripts-user", "always")))))
                .build()));
        userData.addPart(MultipartBody.fromRawBody(MultipartBodyOptions.builder()
                .contentType("text/x-shellscript; charset=\"utf-8\"")
                .body(script.render())
                .build()));

        // The metadata, cfn-hup's files and the role's cloudformation:DescribeStackResource. The user data
        // CDK would add the cfn-init call to is set aside: the bootstrap above makes that call itself, and
        // without a fingerprint in the user data, a change of the metadata is no change of the instance.
        String cfnInit = "flock " + CFN_INIT_LOCK + " /opt/aws/bin/cfn-init -v --region " + region + " --stack " + Aws.STACK_NAME + " --resource " + logicalId
                + " --configsets " + HostConfiguration.CONFIG_SET;
        config.toInit(List.of(
                        InitFile.fromString("/etc/cfn/cfn-hup.conf", "[main]\nstack=" + Aws.STACK_ID + "\nregion=" + region
                                + "\n# minutes between two reads of the metadata\ninterval=1\n", HostConfiguration.options("root", "0400")),
                        InitFile.fromString("/etc/cfn/hooks.d/o11y.conf", "[o11y-configuration]\ntriggers=post.update\n"
                                + "path=Resources." + logicalId + ".Metadata.AWS::CloudFormation::Init\naction=" + cfnInit + "\nrunas=root\n",
                                HostConfiguration.options("root", "0400")),
                        InitFile.fromString("/etc/systemd/system/cfn-hup.service", cfnHupUnit().render(), HostConfiguration.options("root", "0644"))),
                List.of(InitCommand.shellCommand("systemctl daemon-reload && systemctl enable --now cfn-hup",
                        InitCommandOptions.builder().key("20-cfn-hup").build())))
                .attach(cfnInstance, AttachInitOptions.builder()
                        .instanceRole(role)
                        .platform(OperatingSystemType.LINUX)
                        .userData(UserData.forLinux())
                        .configSets(List.of(HostConfiguration.CONFIG_SET))
                        .embedFingerprint(false)
                        .build());

        Tags.of(instance).add("Name", Stack.of(this).getStackName() + "-o11y");
        // requireImdsv2 adds a launch template (from an aspect) that AWS Control Tower CT.EC2.PR.10 wants with detailed
        // monitoring. The instance has it already; changing the template would replace a deployed host (see below).
        Aspects.of(instance).add(new LaunchTemplateMonitoringSuppression(), AspectOptions.builder().priority(AspectPriority.MUTATING).build());
        Suppressions.suppress(instance, false, Suppressions.CfnGuard.of("ec2_instance_nitro_encryption_in_transit_check", "Nitro encrypts traffic "
                + "only between two instances of supporting types. This host's traffic is from the ALB (plain HTTP to any "
                + "target type), to AWS APIs and downloads (TLS), and its scrapes of tagged instances' node_exporter, whatever "
                + "their type; the instance type is the user's instanceType setting (t3.medium, burstable, by default)."));

        Suppressions.suppress(role, true,
                Suppressions.CdkNag.of("AwsSolutions-IAM4", "AmazonSSMManagedInstanceCore is the AWS-maintained minimum for Session "
                        + "Manager, which replaces SSH keys on this host.",
                        "Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonSSMManagedInstanceCore"),
                Suppressions.CdkNag.of("AwsSolutions-IAM5", "ec2:DescribeInstances and ec2:DescribeAvailabilityZones (Prometheus ec2_sd), "
                        + "ec2:DescribeVolumes (the bootstrap waits for its data volume) and the CloudWatch reads of Grafana's datasource "
                        + "do not support resource-level permissions; ec2:AttachVolume is limited by resource tags to this volume and "
                        + "this construct's instance.", "Resource::*",
                        "Resource::arn:" + RegionInfo.get(region).getPartition() + ":ec2:" + region + ":<AWS::AccountId>:instance/*"));
        if (!props.isTerminationProtection()) {
            Suppressions.suppress(instance, false, Suppressions.CdkNag.of("AwsSolutions-EC29", "The host's data is on its own volume, "
                    + "retained and backed up daily, which a terminated instance leaves behind and the next instance takes over. "
                    + "Protection would also stop CloudFormation from terminating the instance a new AMI replaces, which holds the "
                    + "volume: terminationProtection turns it on."));
        }
        this.connections = new Connections(ConnectionsProps.builder()
                .securityGroups(List.of(securityGroup)).defaultPort(Port.tcp(Ports.GRAFANA)).build());
        ReviewFiles.register(this, this::getReviewFiles);
    }

    /** The reasoned CT.EC2.PR.10 suppression on the launch template requireImdsv2 creates. */
    private static final class LaunchTemplateMonitoringSuppression implements IAspect {
        @Override
        public void visit(IConstruct node) {
            if (node instanceof CfnLaunchTemplate template) {
                Suppressions.suppress(template, false, Suppressions.CfnGuard.of("ec2_launch_template_monitoring_enabled_check", "The instance "
                        + "launched from this template runs with detailed monitoring (AWS::EC2::Instance Monitoring: true), "
                        + "which is what the control asks for. The template only carries IMDSv2; a change to it is a new "
                        + "template version, which CloudFormation applies by replacing the instance (a scrape and alerting "
                        + "gap while the data volume moves to the new one)."));
            }
        }
    }

    private HostConfiguration configuration(ObservabilityInstanceProps props, Release.Arch arch, String region, String rootUrl) {
        String promFlags = String.join(" ", List.of(
                "/opt/prometheus/prometheus",
                "--config.file=/etc/prometheus/prometheus.yml",
                "--storage.tsdb.path=/var/lib/prometheus/",
                // Retention as flags: prometheus.yml's storage.tsdb.retention needs Prometheus 3.8 (which deprecates the
                // flags but still reads them), and the promtool of 3.5, Prometheus' previous LTS line, rejects it.
                "--storage.tsdb.retention.time=" + props.getRetention().toDays().longValue() + "d",
                "--storage.tsdb.retention.size=" + retentionSizeGiB + "GB",
                // No --web.enable-lifecycle: /-/quit and /-/reload must not be reachable through the ALB.
                "--web.listen-address=:" + Ports.PROMETHEUS));
        SystemdUnit prometheus = SystemdUnit.service("prometheus", "Prometheus", "prometheus", promFlags)
                // The TSDB is on the data volume: never start on an empty root directory instead.
                .set("Unit", "RequiresMountsFor", "/var/lib/prometheus")
                // Refuse to start on a broken config instead of crash-looping (seed 004).
                .set("Service", "ExecStartPre", "/opt/prometheus/promtool check config /etc/prometheus/prometheus.yml")
                .set("Service", "ExecReload", "/bin/kill -HUP $MAINPID")
                .set("Service", "LimitNOFILE", "65536");
        SystemdUnit nodeExporter = SystemdUnit.service("node_exporter", "Prometheus node_exporter", "node_exporter",
                "/opt/node_exporter/node_exporter --web.listen-address=:" + Ports.NODE_EXPORTER
                        // o11y-apply reports each run there (HOST_CONFIG_APPLIED).
                        + " --collector.textfile.directory=" + TEXTFILE_DIR);
        SystemdUnit alertmanager = SystemdUnit.service("alertmanager", "Prometheus Alertmanager", "alertmanager", String.join(" ", List.of(
                "/opt/alertmanager/alertmanager",
                "--config.file=/etc/alertmanager/alertmanager.yml",
                "--storage.path=/var/lib/alertmanager/",
                "--web.listen-address=" + ALERTMANAGER_ADDRESS,
                "--cluster.listen-address=", // one instance: no gossip mesh, no port 9094
                "--enable-feature=" + AlertmanagerConfig.UTF8_STRICT_MODE)))
                .set("Unit", "RequiresMountsFor", "/var/lib/alertmanager")
                .set("Service", "ExecStartPre", AMTOOL_CHECK)
                .set("Service", "ExecReload", "/bin/kill -HUP $MAINPID");
        SystemdUnit grafana = SystemdUnit.service("grafana", "Grafana", "grafana",
                "/opt/grafana/bin/grafana server --homepath=/opt/grafana --config=/etc/grafana/grafana.ini")
                .set("Unit", "RequiresMountsFor", "/var/lib/grafana")
                .set("Service", "EnvironmentFile", "/etc/grafana/grafana.env")
                .set("Service", "WorkingDirectory", "/opt/grafana");

        Map<String, String> grafanaEnv = new LinkedHashMap<>();
        grafanaEnv.put("GF_PATHS_DATA", "/var/lib/grafana");
        grafanaEnv.put("GF_PATHS_LOGS", "/var/log/grafana");
        grafanaEnv.put("GF_PATHS_PLUGINS", "/var/lib/grafana/plugins");
        grafanaEnv.put("GF_PATHS_PROVISIONING", "/etc/grafana/provisioning");
        grafanaEnv.put("GF_SERVER_HTTP_PORT", String.valueOf(Ports.GRAFANA));
        grafanaEnv.put("GF_SERVER_ROOT_URL", rootUrl);
        grafanaEnv.put("GF_SECURITY_COOKIE_SECURE", String.valueOf(rootUrl.startsWith("https://")));
        grafanaEnv.put("GF_SECURITY_DISABLE_GRAVATAR", "true");
        grafanaEnv.put("GF_USERS_ALLOW_SIGN_UP", "false");
        grafanaEnv.put("GF_AUTH_ANONYMOUS_ENABLED", "false");
        grafanaEnv.put("GF_ANALYTICS_REPORTING_ENABLED", "false");
        grafanaEnv.put("GF_ANALYTICS_CHECK_FOR_UPDATES", "false");
        grafanaEnv.put("GF_METRICS_ENABLED", "false"); // /metrics would be public through the ALB
        String envFile = grafanaEnv.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n", "", "\n"));

        HostConfiguration c = new HostConfiguration()
                .release(props.getPrometheusRelease(), arch, "/opt/prometheus", "prometheus")
                .release(props.getNodeExporterRelease(), arch, "/opt/node_exporter", "node_exporter")
                .release(props.getGrafanaRelease(), arch, "/opt/grafana", "grafana")
                .release(props.getAlertmanagerRelease(), arch, "/opt/alertmanager", "alertmanager")
                .file("/etc/prometheus/prometheus.yml", prometheusConfig.toYaml(), "root", "0644")
                .file("/etc/prometheus/" + RULES_FILE, rules.toYaml(), "root", "0644")
                .file("/etc/grafana/grafana.env", envFile, "root", "0644")
                // GF_*__FILE is a feature of Grafana's Docker entrypoint only; the binary reads $__file{} in grafana.ini.
                .file("/etc/grafana/grafana.ini", "[security]\nadmin_user = admin\nadmin_password = $__file{/etc/grafana/admin_password}\n",
                        "root", "0644")
                .file("/etc/grafana/provisioning/datasources/o11y.yaml", GrafanaProvisioning.datasourcesYaml(List.of(
                        Datasource.prometheus("http://localhost:" + Ports.PROMETHEUS, props.getScrapeInterval(), true),
                        Datasource.cloudWatch(region))), "root", "0644")
                .file("/etc/grafana/provisioning/dashboards/o11y.yaml",
                        GrafanaProvisioning.dashboardProviderYaml("o11y", "/etc/grafana/dashboards"), "root", "0644")
                // No secret in it: the Slack receivers read SLACK_WEBHOOK_FILE.
                .file("/etc/alertmanager/alertmanager.yml", alertmanagerConfig.toYaml(), "root", "0644");
        for (Dashboard d : props.getDashboards()) {
            c.file("/etc/grafana/dashboards/" + d.getUid() + ".json", d.toJson(), "root", "0644");
        }
        return c.unit(prometheus).unit(nodeExporter).unit(grafana).unit(alertmanager);
    }

    /** cfn-hup as a service: it reads the metadata every minute and runs cfn-init when it changed. */
    private static SystemdUnit cfnHupUnit() {
        return SystemdUnit.privileged("cfn-hup", "CloudFormation metadata watcher (o11y-cdk configuration)", "/opt/aws/bin/cfn-hup");
    }

    private HostBootstrapScript bootstrap(String region, String logicalId) {
        return new HostBootstrapScript()
                .command("readonly REGION=" + Shell.quote(region))
                .command("readonly STACK=" + Shell.quote(Aws.STACK_NAME))
                .command("readonly RESOURCE=" + Shell.quote(logicalId))
                .command("readonly DATA_VOLUME=" + Shell.quote(dataVolume.getVolumeId()))
                .command("readonly GRAFANA_ADMIN_SECRET=" + Shell.quote(adminSecret.getSecretArn()))
                .command("readonly SLACK_WEBHOOK_SECRET=" + Shell.quote(secretId(slackWebhookSecret)))
                .comment("System users without a login shell (seed 002)")
                .systemUser("prometheus", 59090).systemUser("node_exporter", 59100).systemUser("grafana", 59300)
                .systemUser("alertmanager", 59093)
                .comment("CloudFormation's helper scripts: part of the Amazon Linux 2023 AMI, installed when missing")
                .command("[ -x /opt/aws/bin/cfn-init ] || dnf install -y aws-cfn-bootstrap")
                .comment("This instance")
                .command("imds_token=\"$(curl -fsS -X PUT http://169.254.169.254/latest/api/token -H 'X-aws-ec2-metadata-token-ttl-seconds: 300')\"")
                .command("instance_id=\"$(curl -fsS -H \"X-aws-ec2-metadata-token: ${imds_token}\" http://169.254.169.254/latest/meta-data/instance-id)\"")
                .command("private_ip=\"$(curl -fsS -H \"X-aws-ec2-metadata-token: ${imds_token}\" http://169.254.169.254/latest/meta-data/local-ipv4)\"")
                .comment(DATA_VOLUME_STEP)
                .file(DATA_VOLUME_SCRIPT, HostConfiguration.script("o11y-data-volume.sh"), "root", "0755")
                .command(DATA_VOLUME_SCRIPT + " \"${REGION}\" \"${DATA_VOLUME}\" \"${instance_id}\"")
                .comment("Directories; the data directories are the volume's")
                .directory("/etc/prometheus", "root", "0755")
                .directory(TARGETS_DIR, "root", "0755")
                .directory("/var/lib/prometheus", "prometheus", "0750")
                .directory("/etc/grafana", "root", "0755")
                .directory("/var/lib/grafana", "grafana", "0750")
                .directory("/var/log/grafana", "grafana", "0750")
                .directory("/etc/alertmanager", "root", "0755")
                .directory("/var/lib/alertmanager", "alertmanager", "0750")
                .directory(TEXTFILE_DIR, "root", "0755")
                .comment("node_exporter on this host's private IP (seed 002: private IPs avoid transfer cost)")
                .command("printf '[{\"targets\": [\"%s:" + Ports.NODE_EXPORTER + "\"]}]\\n' \"${private_ip}\" > " + TARGETS_DIR + "/node.json")
                .comment("Grafana admin password from Secrets Manager, readable by grafana only; without it Grafana cannot start")
                .secretFile("REGION", "GRAFANA_ADMIN_SECRET", "/etc/grafana/admin_password", "grafana", true, null)
                .comment(SLACK_STEP)
                // Not fatal: Alertmanager reads the file at each notification, so without it alerts still reach
                // Alertmanager (UI, logged failed notifications) and the next boot that reads the secret fixes Slack.
                .secretFile("REGION", "SLACK_WEBHOOK_SECRET", SLACK_WEBHOOK_FILE, "alertmanager", false,
                        "cannot read the Slack webhook secret; Alertmanager starts without it (notifications fail until a boot reads it)")
                .comment("Releases and configuration from the stack's metadata, checked, installed and (re)started; "
                        + "cfn-hup does the same on every change")
                // One cfn-init at a time: cfn-hup's, when it saw new metadata at this boot, and this one.
                .command("flock " + CFN_INIT_LOCK + " /opt/aws/bin/cfn-init -v --region \"${REGION}\" --stack \"${STACK}\" --resource \"${RESOURCE}\" "
                        + "--configsets " + HostConfiguration.CONFIG_SET)
                .comment("cfn-hup reads its hooks when it starts: with the ones cfn-init just wrote")
                .command("systemctl restart cfn-hup");
    }

    /** The AMI as given, else the template's {@code <id>AmiId} parameter: pinned either way, never resolved at deploy. */
    private IMachineImage machineImage(ObservabilityInstanceProps props, Release.Arch arch) {
        if (props.getMachineImage() != null) {
            return props.getMachineImage();
        }
        String ssm = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-" + (arch == Release.Arch.ARM64 ? "arm64" : "x86_64");
        CfnParameter ami = CfnParameter.Builder.create(this, "AmiId")
                .type("AWS::EC2::Image::Id")
                .description("Amazon Linux 2023 AMI of the o11y host, pinned: a new value replaces the instance, whose data "
                        + "volume moves over. The newest: aws ssm get-parameter --name " + ssm + " --query Parameter.Value")
                .build();
        String name = getNode().getId().replaceAll("[^A-Za-z0-9]", "") + "AmiId";
        ami.overrideLogicalId(name);
        Annotations.of(this).addWarningV2("@o11y-cdk/host:amiParameter", "No machineImage: the template asks for the host's "
                + "AMI as the parameter " + name + " (cdk deploy --parameters " + name + "=ami-...; later "
                + "deploys keep it). The newest Amazon Linux 2023: aws ssm get-parameter --name " + ssm + " --query Parameter.Value");
        return MachineImage.genericLinux(Map.of(Stack.of(this).getRegion(), ami.getValueAsString()));
    }

    /**
     * Publishes what a team's stack imports with {@link #fromSsm} (the host's security group) as an
     * SSM parameter under {@code prefix}, resolved at the team's deploy: no synth-time look-up, no
     * cross-stack export, and a team that opts in changes nothing here.
     */
    public void publishToSsm(String prefix) {
        HostParameters.checkPrefix(prefix);
        if (published != null) {
            throw Check.bad("hostSsmParameterPrefix", prefix, "the host is already published under " + published);
        }
        HostParameters.publish(this, prefix);
        this.published = prefix;
    }

    /**
     * The platform's host from the SSM parameters {@link #publishToSsm} wrote under {@code prefix},
     * resolved by CloudFormation at deploy time: a team's stack that calls {@code scrape} gets one
     * CloudFormation parameter, the security group id.
     */
    public static IObservabilityHost fromSsm(Construct scope, String id, String prefix) {
        return HostParameters.read(scope, id, prefix);
    }

    /** The platform's host by its security group id, for a team that has it by other means. */
    public static IObservabilityHost fromSecurityGroupId(Construct scope, String id, String securityGroupId) {
        return HostParameters.of(scope, id, securityGroupId);
    }

    @Override
    public String getSecurityGroupId() {
        return securityGroup.getSecurityGroupId();
    }

    /**
     * Opts in an instance of this app. From another stack, once {@link #publishToSsm} ran, the rule
     * goes through the SSM parameter, so this stack gains no export and its template does not change.
     */
    @Override
    public HostScrapeRegistration scrape(software.amazon.awscdk.services.ec2.Instance instance, ScrapeOptions options) {
        return HostScraping.register(HostParameters.seenFrom(this, published, instance), instance, instance, options);
    }

    @Override
    public HostScrapeRegistration scrape(software.amazon.awscdk.services.autoscaling.AutoScalingGroup group, ScrapeOptions options) {
        return HostScraping.register(HostParameters.seenFrom(this, published, group), group, group, options);
    }

    @Override
    public HostScrapeRegistration scrape(IConnectable network, ScrapeOptions options) {
        IObservabilityHost seen = network instanceof software.constructs.IConstruct c ? HostParameters.seenFrom(this, published, c) : this;
        return HostScraping.register(seen, null, network, options);
    }

    /** The host's security group; its default port is Grafana's (3000), the one the ALB reaches first. */
    @Override
    public Connections getConnections() {
        return connections;
    }

    public Instance getInstance() {
        return instance;
    }

    public ISecret getGrafanaAdminSecret() {
        return adminSecret;
    }

    /** The routing the host's Alertmanager runs, its Slack receivers reading {@link #SLACK_WEBHOOK_FILE}. */
    public AlertmanagerConfig getAlertmanagerConfig() {
        return alertmanagerConfig;
    }

    /** The full ARN when known; else the partial one of a secret imported by name (Secrets Manager resolves it). */
    private static String secretId(ISecret secret) {
        return secret.getSecretFullArn() != null ? secret.getSecretFullArn() : secret.getSecretArn();
    }

    public PrometheusConfig getPrometheusConfig() {
        return prometheusConfig;
    }

    /**
     * The host's default rules, to change before passing them as {@code rules}: {@link AlertRules#defaults}
     * without the rules on ECS metrics (the host has no CloudWatch exporter) and on discovered ECS services,
     * and with {@code HostConfigurationNotApplied} (group {@code host}): the last configuration change
     * failed its checks or its download, so the host runs the configuration before it.
     */
    public static AlertRules defaultRules(String runbookBaseUrl) {
        return AlertRules.withoutEcs(runbookBaseUrl).add("host", Rule.alert("HostConfigurationNotApplied",
                "min by (instance) (" + HOST_CONFIG_APPLIED + "{job=\"node\"}) == 0", "0m", "warning",
                "The o11y host runs an older configuration than the stack holds",
                "o11y-apply kept the running rules, routes and dashboards: a staged file failed promtool or amtool, or a "
                        + "release failed its download or digest. /var/log/cfn-init-cmd.log names it; fix it in the app and deploy.",
                runbookBaseUrl + "#hostconfigurationnotapplied"));
    }

    /** Worst-case delay of every alert: scrape + evaluation (both scrapeInterval) + for + group_wait. */
    public List<AlertDelay> getAlertDelays() {
        PromDuration interval = PromDuration.parse("scrapeInterval", scrapeInterval);
        return rules.alerts().stream().map(r -> AlertDelay.of(r, interval, interval, alertmanagerConfig.route().groupWait())).toList();
    }

    /** The rules as rendered: the given (or default) groups plus the dashboards' recording rules ({@link DashboardRules#GROUP}). */
    public RuleGroups getRules() {
        return rules;
    }

    /**
     * For review: every file the host gets, under its path on the host, the {@code releases} list
     * ({@code etc/o11y-cdk/staged/releases}), and the bootstrap itself as {@code user-data/bootstrap.sh}
     * (deploy-time values such as the secret ARN shown as placeholders).
     */
    public Map<String, String> getReviewFiles() {
        Map<String, String> out = new java.util.TreeMap<>();
        config.getFiles().forEach((path, content) -> out.put(path.substring(1), content));
        out.put(HostConfiguration.STAGED.substring(1) + "/releases", config.getReleases());
        out.put("user-data/bootstrap.sh", script.render().replaceAll("\\$\\{Token\\[[^\\]]+\\]\\}", "<deploy-time value>"));
        return out;
    }

    /** Every configuration file the host gets (CloudFormation metadata, installed by o11y-apply), path to content. */
    public Map<String, String> getRenderedFiles() {
        return config.getFiles();
    }

    /** The volume that holds the TSDB, Grafana's database and Alertmanager's silences. */
    public Volume getDataVolume() {
        return dataVolume;
    }

    /** The daily AWS Backup of the data volume. */
    public DailyBackup getBackup() {
        return backup;
    }

    /** The data volume's size. */
    public int getDataVolumeSizeGiB() {
        return dataVolumeSizeGiB;
    }

    /** The root volume's size: still that of o11y-cdk 0.1, which kept the data on it (a new size would replace the host). */
    public int getVolumeSizeGiB() {
        return volumeSizeGiB;
    }

    public int getRetentionSizeGiB() {
        return retentionSizeGiB;
    }
}
