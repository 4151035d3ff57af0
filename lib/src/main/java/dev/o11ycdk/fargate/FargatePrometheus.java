package dev.o11ycdk.fargate;

import dev.o11ycdk.config.AlertDelay;
import dev.o11ycdk.config.AlertRules;
import dev.o11ycdk.config.Check;
import dev.o11ycdk.config.EcsDiscoveryConfig;
import dev.o11ycdk.config.PromDuration;
import dev.o11ycdk.config.PrometheusConfig;
import dev.o11ycdk.config.RuleGroups;
import dev.o11ycdk.config.ScrapeJob;
import dev.o11ycdk.core.ComputeSize;
import dev.o11ycdk.core.Ports;
import dev.o11ycdk.core.PrometheusSizing;
import dev.o11ycdk.core.ScrapeOptions;
import dev.o11ycdk.core.ScrapeTarget;
import dev.o11ycdk.core.Suppressions;
import dev.o11ycdk.core.internal.AlertDelayWarnings;
import dev.o11ycdk.core.internal.Regions;
import dev.o11ycdk.core.internal.ReviewFiles;
import dev.o11ycdk.grafana.DashboardRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Lazy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.ec2.IConnectable;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.servicediscovery.INamespace;
import software.constructs.Construct;

/**
 * Prometheus on Fargate (SPEC layout 2): TSDB on an EFS access point (transit encryption, IAM
 * authorization), 15 s scrape/evaluation, 15 d retention, one task that is stopped before its
 * replacement starts, registered in Cloud Map as {@code prometheus.<namespace>}.
 *
 * <p>Application services are found while Prometheus runs: an ECS discovery sidecar (the AWS
 * Distro for OpenTelemetry collector's {@code ecs_observer}) lists the tasks of the platform's
 * cluster and of {@code discoveryClusters} every {@code discoveryInterval} and writes them to a
 * file Prometheus reads. A service opts in by the docker labels its own container carries, set by
 * one call from any app: {@code prometheus.scrape(service, ScrapeOptions.builder().name("payments")
 * .port(8080).metricsPath("/actuator/prometheus").build())}. Neither the configuration nor the
 * template of Prometheus changes when a service joins.
 */
public class FargatePrometheus extends FargatePlatformService implements IFargatePrometheus {
    public static final int DEFAULT_PORT = Ports.PROMETHEUS;
    public static final String CLOUD_MAP_NAME = "prometheus";
    /** The job that reads the ECS discovery results. */
    public static final String DISCOVERY_JOB = "ecs";
    /** Where the discovery sidecar writes and Prometheus reads (an EFS access point both mount). */
    public static final String DISCOVERY_DIR = "/o11y/discovery";
    /** What the discovery sidecar may use of the task: a hard memory limit and a CPU share. */
    public static final int DISCOVERY_MEMORY_MIB = 256;
    public static final int DISCOVERY_CPU = 128;
    /** The container's user, nobody as in prom/prometheus' Dockerfile, and the EFS access points' POSIX user. */
    static final String USER = "65534:65534";
    /**
     * Where the entrypoint writes the configuration: on the TSDB's EFS access point, the one volume
     * Prometheus may write (the root file system is read-only). The TSDB opens only block
     * directories (ULIDs), the WAL and its own files, so a sibling directory is left alone.
     */
    static final String FILES = "/prometheus/o11y";
    static final String CONFIG_PATH = FILES + "/prometheus.yml";
    /** Relative to the config file, as Prometheus resolves it: the same file runs anywhere. */
    static final String RULES_FILE = "rules/o11y.yml";
    static final String RULES_PATH = FILES + "/" + RULES_FILE;
    /** Prometheus' own words on NFS, linked from the synth warning. */
    public static final String STORAGE_DOCS = "https://prometheus.io/docs/prometheus/latest/storage/#operational-aspects";
    /**
     * The SSM parameters {@link #publishToSsm} writes and {@link #fromSsm} reads, under a prefix:
     * Prometheus' security group, the cluster, the Cloud Map namespace, and the VPC (its id, one
     * private subnet per zone as {@code <zone>:<subnet-id>}, and the count of zones).
     */
    public static final List<String> SSM_NAMES = PlatformParameters.NAMES;
    /** The zones {@link #fromSsm(Construct, String, String)} assumes the platform's VPC spans: the app's VPC has two. */
    public static final int DEFAULT_AVAILABILITY_ZONES = 2;
    /** Where the platform's app publishes its parameters by default (cdk.json's ssmParameterPrefix). */
    public static final String DEFAULT_SSM_PREFIX = "/o11y-cdk/platform";

    private final FargatePrometheusProps props;
    private final INamespace namespace;
    private final ComputeSize size;
    private final long expectedSeries;
    private final RuleGroups rules;
    private final EcsDiscoveryConfig discovery;
    private final List<ScrapeJob> platformJobs = new ArrayList<>();
    private String alertmanagerName;
    private PlatformParameters published;
    private PromDuration groupWait = PromDuration.ofSeconds(0);
    private int replicas = 1;
    private FargateComponent second;

    /**
     * The Prometheus container's memory in a task of {@code size}: the task's less the discovery
     * sidecar's; fails naming prometheusMemoryMiB when that leaves less than the sizing formula needs
     * for Prometheus itself and the platform's own series (the series alert's threshold would be zero,
     * firing for ever).
     */
    public static int prometheusMemoryMiB(ComputeSize size) {
        int left = size.memoryMiB() - DISCOVERY_MEMORY_MIB;
        int floor = PrometheusSizing.prometheusMemoryMiB(0);
        if (left < floor) {
            throw Check.bad("prometheusMemoryMiB", size.memoryMiB(), "leaves Prometheus " + left + " MiB next to the "
                    + DISCOVERY_MEMORY_MIB + " MiB discovery sidecar; the sizing formula needs " + floor + " MiB for Prometheus "
                    + "itself and the platform's own series");
        }
        return left;
    }

    public FargatePrometheus(Construct scope, String id, FargatePrometheusProps props) {
        super(scope, id);
        this.props = props;
        String region = Regions.require(this, "FargatePrometheus");
        if (props.getDesiredCount() != 1) {
            throw Check.bad("prometheusDesiredCount", props.getDesiredCount(), "Prometheus' TSDB on EFS must have exactly one "
                    + "writer (" + STORAGE_DOCS + "); scale out with remoteWrite to Amazon Managed Service for Prometheus instead");
        }
        this.namespace = props.getNamespace() != null ? props.getNamespace() : props.getCluster().getDefaultCloudMapNamespace();
        if (namespace == null) {
            throw Check.bad(id + ".namespace", null, "give a Cloud Map namespace or a cluster with a default one");
        }
        PromDuration.parse("scrapeInterval", props.getScrapeInterval()).positive("scrapeInterval");
        PromDuration.parse("evaluationInterval", props.getEvaluationInterval()).positive("evaluationInterval");
        long retentionDays = PrometheusSizing.retentionDays("retentionDays", props.getRetention());
        Check.notBlank("environment", props.getEnvironment());

        this.discovery = EcsDiscovery.config(props, region);
        this.expectedSeries = props.getExpectedActiveSeries();
        this.size = props.getSize() != null
                ? ComputeSize.of("prometheus", props.getSize().cpu(), props.getSize().memoryMiB())
                : PrometheusSizing.forSeries("expectedActiveSeries", expectedSeries, DISCOVERY_MEMORY_MIB);
        int prometheusMemoryMiB = prometheusMemoryMiB(size);
        RuleGroups base = props.getRules() != null ? props.getRules() : AlertRules.defaults(props.getRunbookBaseUrl()).toRuleGroups();
        this.rules = base.copy()
                .group("prometheus-capacity", AlertRules.prometheusCapacity((long) prometheusMemoryMiB * 1024 * 1024,
                        PrometheusSizing.seriesCapacity(prometheusMemoryMiB), props.getRunbookBaseUrl()))
                .group("ecs-discovery", AlertRules.ecsDiscovery(discovery.getRefreshInterval(), ".*/ecs-[^/]+\\.yaml",
                        props.getRunbookBaseUrl()))
                .group(DashboardRules.GROUP, DashboardRules.http(PromDuration.parse("scrapeInterval", props.getScrapeInterval())));

        if (props.getReplicas() < 1 || props.getReplicas() > 2) {
            throw Check.bad("prometheusReplicas", props.getReplicas(), "must be 1 or 2 (a pair, each replica with its own "
                    + "EFS directories)");
        }
        this.replicas = props.getReplicas();
        FargateComponent first = replica(this, 1, region, retentionDays, prometheusMemoryMiB, null);
        init(first, namespace, CLOUD_MAP_NAME, DEFAULT_PORT, "services");
        if (replicas == 2) {
            Construct scope2 = new Construct(this, "Replica2");
            this.second = replica(scope2, 2, region, retentionDays, prometheusMemoryMiB,
                    first.service.getConnections().getSecurityGroups());
            // One at a time: CloudFormation updates (and waits for) the first service before it touches the second.
            second.service.getNode().addDependency(first.service);
        }
        Annotations.of(this).addWarningV2("@o11y-cdk/prometheus:tsdbOnEfs", "Prometheus keeps its TSDB on EFS, an NFS "
                + "file system, which Prometheus does not support for local storage (" + STORAGE_DOCS + "). Each replica "
                + "therefore runs exactly one task and stops it before starting its replacement" + (replicas == 2
                ? " (the pair deploys one replica at a time, so one scrapes)."
                : " (a short scrape gap on each deploy). prometheusReplicas = 2 closes the gap; remoteWrite to Amazon "
                        + "Managed Service for Prometheus outgrows one task."));
    }

    /**
     * One Prometheus task and its ECS service in {@code scope}: replica 1 in this construct (its ids and
     * EFS access points as before there were pairs), replica 2 in {@code Replica2} with access points of its
     * own ({@code /prometheus-2}, {@code /discovery-2}) and replica 1's security group, so every rule that
     * opens a port to Prometheus opens it to both.
     */
    private FargateComponent replica(Construct scope, int n, String region, long retentionDays, int prometheusMemoryMiB,
                                     List<software.amazon.awscdk.services.ec2.ISecurityGroup> sharedGroups) {
        String suffix = n == 1 ? "" : String.valueOf(n);
        EfsStorage.Tenant tsdb = props.getStorage().addTenant("Prometheus" + suffix, "/prometheus" + (n == 1 ? "" : "-" + n), 65534, 65534);
        EfsStorage.Tenant results = props.getStorage().addTenant("Discovery" + suffix, "/discovery" + (n == 1 ? "" : "-" + n), 65534, 65534);
        FargateComponent.Spec spec = FargateComponent.spec(scope, "prometheus", props.getImage())
                .size(size)
                .containerMemoryMiB(prometheusMemoryMiB)
                .user(USER)
                // A pair: ready, not only up, or ECS reports the replica healthy while it replays its WAL and CloudFormation
                // moves on to stop the other one (one alone keeps /-/healthy: its template as before there were pairs).
                .port(DEFAULT_PORT, replicas == 2 ? "/-/ready" : "/-/healthy")
                // Not ready while it replays its WAL: ECS's longest start period, then three failed checks 30 s apart.
                .healthStartPeriod(replicas == 2 ? 300 : 60)
                .placement(props.getCluster(), namespace, n == 1 ? CLOUD_MAP_NAME : CLOUD_MAP_NAME + "-" + n, null)
                .singleWriter()
                .volume(tsdb.volume("tsdb"), EfsStorage.Tenant.mount("tsdb", "/prometheus"))
                .volume(results.volume("discovery"), EfsStorage.Tenant.mount("discovery", DISCOVERY_DIR, true))
                // No --web.console.* flags: Prometheus 3's images ship no console_libraries/ or consoles/.
                .command(List.of("/bin/prometheus",
                        "--config.file=" + CONFIG_PATH,
                        "--storage.tsdb.path=/prometheus",
                        // A flag, not prometheus.yml's storage.tsdb.retention, which needs Prometheus 3.8 (see the host's unit).
                        "--storage.tsdb.retention.time=" + retentionDays + "d",
                        "--web.listen-address=:" + DEFAULT_PORT));
        if (sharedGroups != null) {
            spec.securityGroups(sharedGroups);
        }
        // Rendered at synth, after useAlertmanager and scrapeCloudWatchExporter added their jobs.
        spec.files().root(FILES).file(CONFIG_PATH, Lazy.string(() -> config(null, null, n, null).toYaml()));
        spec.files().file(RULES_PATH, rules.toYaml());
        FargateComponent c = spec.build();
        tsdb.grantReadWrite(c.taskDefinition.getTaskRole());
        results.grantReadWrite(c.taskDefinition.getTaskRole());
        tsdb.allowMountFrom(c.service);
        EcsDiscovery.addSidecar(c, props.getDiscoveryImage(), discovery, region);
        EcsDiscovery.taskRoleStatements(Stack.of(this), discovery).forEach(c.taskDefinition::addToTaskRolePolicy);
        if (props.getRemoteWrite() != null) {
            c.taskDefinition.addToTaskRolePolicy(PolicyStatement.Builder.create()
                    .actions(props.getRemoteWrite().actions())
                    .resources(List.of(props.getRemoteWrite().workspaceArn()))
                    .build());
        }
        Suppressions.suppress(c.taskDefinition.getTaskRole(), true, Suppressions.CdkNag.of("AwsSolutions-IAM5",
                "ecs:DescribeTaskDefinition (ECS discovery), ec2:DescribeInstances and ec2:DescribeAvailabilityZones "
                        + "(ec2_sd, and the discovery's EC2 launch type) support no resource-level permissions; the ECS list and "
                        + "describe calls are limited to the discovered clusters by the ecs:cluster condition.", "Resource::*"));
        return c;
    }

    /**
     * Publishes what another app needs ({@link #SSM_NAMES}) as SSM parameters under {@code prefix},
     * which {@link #fromSsm} resolves at deploy time: no synth-time look-up, no cross-stack export.
     */
    public void publishToSsm(String prefix) {
        PlatformParameters.checkPrefix(prefix);
        if (published != null) {
            throw Check.bad("ssmParameterPrefix", prefix, "attributes are already published under " + published.prefix());
        }
        this.published = PlatformParameters.publish(this, prefix);
    }

    /**
     * Opts in a service of this app. From another stack, once {@link #publishToSsm} ran, it goes
     * through the SSM parameters, so the platform's stack gains no export and its template does not
     * change; without them the service's stack references this one (a CloudFormation export).
     */
    @Override
    public ScrapeRegistration scrape(software.amazon.awscdk.services.ecs.BaseService service, ScrapeOptions options) {
        EcsDiscovery.checkWatched(props.getCluster(), discovery, service, options);
        return Scraping.register(seenFrom(service), service, options);
    }

    @Override
    public ScrapeRegistration scrape(IConnectable network, ScrapeOptions options) {
        return Scraping.register(network instanceof software.constructs.IConstruct c ? seenFrom(c) : this, network, options);
    }

    private IFargatePrometheus seenFrom(software.constructs.IConstruct construct) {
        return PlatformParameters.seenFrom(this, published, construct);
    }

    /** The platform's Prometheus as another app sees it, from known attributes. */
    public static IFargatePrometheus fromPrometheusAttributes(Construct scope, String id, PrometheusAttributes attrs) {
        return ImportedPrometheus.of(scope, id, attrs);
    }

    /**
     * The platform's Prometheus from the SSM parameters {@link #publishToSsm} wrote under
     * {@code prefix}, resolved by CloudFormation at deploy time (synth needs no AWS access). Each
     * getter adds the parameters it needs to the stack on first use, and only those: a stack that
     * only calls {@code scrape} reads the security group id alone. Its VPC is assumed to span
     * {@link #DEFAULT_AVAILABILITY_ZONES} zones.
     */
    public static IFargatePrometheus fromSsm(Construct scope, String id, String prefix) {
        return fromSsm(scope, id, prefix, DEFAULT_AVAILABILITY_ZONES);
    }

    /**
     * As {@link #fromSsm(Construct, String, String)}, for a platform whose VPC spans
     * {@code availabilityZones} zones. The count must be known at synth (an IVpc's subnet list is);
     * {@link IFargatePrometheus#getVpc} adds a rule that fails the deploy, before any change, when
     * the platform published another count.
     */
    public static IFargatePrometheus fromSsm(Construct scope, String id, String prefix, int availabilityZones) {
        return PlatformParameters.read(scope, id, prefix, availabilityZones);
    }

    /** Sends alerts to {@code alertmanager} and scrapes it; opens its port to Prometheus only. */
    public void useAlertmanager(AlertmanagerService alertmanager) {
        this.alertmanagerName = alertmanager.getDnsName();
        this.groupWait = alertmanager.getConfig().route().groupWait();
        AlertDelayWarnings.warnMissedGoals(this, "@o11y-cdk/prometheus", getAlertDelays());
        alertmanager.getConnections().allowDefaultPortFrom(this, "Prometheus to Alertmanager");
        platformJobs.add(ScrapeJob.builder("alertmanager")
                .dnsSd(List.of(alertmanagerName), ScrapeJob.DnsRecordType.A, Ports.ALERTMANAGER, "30s").build());
    }

    /** Scrapes the CloudWatch exporter (its slow CloudWatch calls get a 60 s interval). */
    public void scrapeCloudWatchExporter(CloudWatchExporter exporter) {
        exporter.getConnections().allowDefaultPortFrom(this, "Prometheus scrape of cloudwatch-exporter");
        platformJobs.add(ScrapeJob.builder("cloudwatch")
                .scrapeInterval("60s").scrapeTimeout("50s")
                .dnsSd(List.of(exporter.getDnsName()), ScrapeJob.DnsRecordType.A, Ports.CLOUDWATCH_EXPORTER, "30s").build());
    }

    /** Lets {@code client} (Grafana, say) query the Prometheus API on 9090. */
    public void allowQueriesFrom(IConnectable client) {
        getConnections().allowDefaultPortFrom(client, "Prometheus queries");
    }

    /** The configuration as it is rendered now; synthesis renders it again after the platform's jobs are added. */
    public PrometheusConfig getPrometheusConfig() {
        return config(null, null, 1, null);
    }

    /** Replica {@code replica}'s configuration (1, or 2 of a pair): the same jobs and rules, its own {@code __replica__}. */
    public PrometheusConfig getPrometheusConfig(int replica) {
        checkReplica(replica);
        return config(null, null, replica, null);
    }

    /**
     * A loopback profile of the same configuration, for end-to-end tests on one machine: the ECS
     * discovery job reads {@code discoveryFiles} (result files in the sidecar's format), Alertmanager
     * is at {@code alertmanagerAddress} (host:port, or null for none), cloud discovery (EC2), Cloud Map
     * jobs and remote write are left out.
     */
    public PrometheusConfig getLocalProfile(String discoveryFiles, String alertmanagerAddress) {
        return config(discoveryFiles, alertmanagerAddress, 1, null);
    }

    /**
     * The loopback profile of replica {@code replica}, writing to {@code remoteWriteUrl} without signing
     * (a Prometheus with {@code --web.enable-remote-write-receiver} standing in for AMP; null for none)
     * when remote write is configured; the pair's labels and alert relabelling as deployed.
     */
    public PrometheusConfig getLocalProfile(String discoveryFiles, String alertmanagerAddress, int replica, String remoteWriteUrl) {
        checkReplica(replica);
        return config(discoveryFiles, alertmanagerAddress, replica, remoteWriteUrl);
    }

    private void checkReplica(int replica) {
        if (replica < 1 || replica > replicas) {
            throw Check.bad("replica", replica, "this Prometheus has replicas 1.." + replicas);
        }
    }

    /** The {@code cluster} label the pair shares: the stack's name, one per platform writing to a workspace. */
    public String getHaClusterLabel() {
        return Stack.of(this).getStackName();
    }

    /** 1, or 2 for a pair. */
    public int getReplicas() {
        return replicas;
    }

    /** Every replica's ECS service, the first first. */
    public List<software.amazon.awscdk.services.ecs.FargateService> getReplicaServices() {
        return second == null ? List.of(getService()) : List.of(getService(), second.service);
    }

    private PrometheusConfig config(String localFiles, String localAlertmanager, int replica, String localRemoteWrite) {
        boolean local = localFiles != null;
        PrometheusConfig.Builder b = PrometheusConfig.builder()
                .scrapeInterval(props.getScrapeInterval())
                .evaluationInterval(props.getEvaluationInterval())
                .ruleFile(RULES_FILE)
                .scrapeJob(ScrapeJob.builder("prometheus").staticTargets(List.of("localhost:" + DEFAULT_PORT), Map.of()).build())
                .scrapeJob(EcsDiscoveryConfig.scrapeJob(DISCOVERY_JOB, local ? localFiles : discovery.resultGlob(),
                        EcsDiscovery.rereadInterval(discovery), props.getEnvironment(), ScrapeJob.PLATFORM_JOBS));
        if (!local) {
            b.scrapeJob(ScrapeJob.builder("ec2")
                    .ec2Sd(Stack.of(this).getRegion(), Ports.NODE_EXPORTER, props.getEc2DiscoveryTagKey(), props.getEc2DiscoveryTagValue())
                    // Whatever their owners run on 9100: the platform installs nothing there.
                    .fallbackScrapeProtocol(ScrapeJob.ScrapeProtocol.PROMETHEUS_TEXT_0_0_4)
                    .build());
            b.scrapeJobs(platformJobs);
            if (alertmanagerName != null) {
                b.alertmanagerDns(alertmanagerName, Ports.ALERTMANAGER);
            }
            if (props.getRemoteWrite() != null) {
                b.remoteWriteSigV4(props.getRemoteWrite().remoteWriteUrl(), props.getRemoteWrite().region());
            }
        } else if (localAlertmanager != null) {
            b.alertmanagerStatic(List.of(localAlertmanager));
            b.scrapeJob(ScrapeJob.builder("alertmanager").staticTargets(List.of(localAlertmanager), Map.of()).build());
        }
        if (local && localRemoteWrite != null && props.getRemoteWrite() != null) {
            b.remoteWritePlain(localRemoteWrite);
        }
        if (replicas > 1) {
            b.haReplica(getHaClusterLabel(), "replica-" + replica);
        }
        return b.build();
    }

    /**
     * The rules as rendered: the given (or default) groups plus Prometheus' capacity and discovery alerts
     * and the dashboards' recording rules ({@link DashboardRules#GROUP}).
     */
    public RuleGroups getRules() {
        return rules;
    }

    /** The discovery sidecar's configuration. */
    public EcsDiscoveryConfig getDiscoveryConfig() {
        return discovery;
    }

    /** Worst-case outage-to-notification delay of every alert, from the intervals, for and group_wait. */
    public List<AlertDelay> getAlertDelays() {
        PromDuration scrape = PromDuration.parse("scrapeInterval", props.getScrapeInterval());
        PromDuration eval = PromDuration.parse("evaluationInterval", props.getEvaluationInterval());
        return rules.alerts().stream().map(r -> AlertDelay.of(r, scrape, eval, groupWait)).toList();
    }

    /** The services the platform names itself (settings), found by ECS service name. */
    public List<ScrapeTarget> getServices() {
        return props.getServices();
    }

    /** The task size: explicit, or from the expected active series. */
    public ComputeSize getSize() {
        return size;
    }

    /** The active series the task is sized for. */
    public long getExpectedActiveSeries() {
        return expectedSeries;
    }

    @Override
    public String getInternalUrl() {
        return "http://" + getDnsName() + ":" + DEFAULT_PORT;
    }

    @Override
    public String getSecurityGroupId() {
        return getConnections().getSecurityGroups().get(0).getSecurityGroupId();
    }

    @Override
    public String getClusterName() {
        return props.getCluster().getClusterName();
    }

    @Override
    public INamespace getNamespace() {
        return namespace;
    }

    /** The cluster's VPC. A stack of another app gets the published one from {@link #fromSsm}. */
    @Override
    public IVpc getVpc() {
        return props.getCluster().getVpc();
    }

    /** Replica 1's alarms, and with a pair the same for replica 2 (its own ids under {@code Replica2}). */
    @Override
    public List<software.amazon.awscdk.services.cloudwatch.Alarm> addHealthAlarms(software.amazon.awscdk.services.cloudwatch.IAlarmAction action,
                                                                               String runbookBaseUrl) {
        List<software.amazon.awscdk.services.cloudwatch.Alarm> out = new ArrayList<>(super.addHealthAlarms(action, runbookBaseUrl));
        if (second != null) {
            out.addAll(healthAlarms((Construct) second.service.getNode().getScope(), second.service, CLOUD_MAP_NAME + "-2", action, runbookBaseUrl));
        }
        return out;
    }

    /** Adds the discovery sidecar's configuration and the alert-delay table to what reviewers read. */
    @Override
    public Map<String, String> getRenderedFiles() {
        Map<String, String> out = super.getRenderedFiles();
        out.put(CLOUD_MAP_NAME + "/ecs-discovery/otel-collector.yaml", ReviewFiles.text(this, discovery.toYaml()));
        out.put(CLOUD_MAP_NAME + "/alert-delays.txt", AlertDelay.table(getAlertDelays()));
        if (second != null) {
            out.putAll(renderedFiles(second, CLOUD_MAP_NAME + "-2"));
        }
        return out;
    }
}
