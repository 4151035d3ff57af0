package dev.o11ycdk;

import dev.o11ycdk.config.AlertDelay;
import dev.o11ycdk.config.AlertRules;
import dev.o11ycdk.config.Check;
import dev.o11ycdk.config.PromDuration;
import dev.o11ycdk.config.PrometheusConfig;
import dev.o11ycdk.config.Rule;
import dev.o11ycdk.config.RuleGroups;
import dev.o11ycdk.config.ScrapeJob;
import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Lazy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.ec2.IConnectable;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ecs.CloudMapOptions;
import software.amazon.awscdk.services.ecs.FargateService;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.servicediscovery.DnsRecordType;
import software.amazon.awscdk.services.servicediscovery.INamespace;
import software.constructs.Construct;

/**
 * Prometheus on Fargate (SPEC layout 2): TSDB on an EFS access point (transit encryption, IAM
 * authorization), 15 s scrape/evaluation, 15 d retention, one task that is stopped before its
 * replacement starts, registered in Cloud Map as {@code prometheus.<namespace>}. Scrape targets are
 * found through Cloud Map DNS, so every task of a service is scraped.
 *
 * <p>Another stack registers its service in one call, which also opens that service's security
 * group to Prometheus: {@code prometheus.registerService(myService, new ScrapeTarget("api-3", 8080,
 * "/actuator/prometheus", "prod"))}.
 */
public class FargatePrometheus extends FargatePlatformService {
    public static final int DEFAULT_PORT = Ports.PROMETHEUS;
    public static final String CLOUD_MAP_NAME = "prometheus";
    /** Job and Cloud Map names the platform itself uses. */
    static final List<String> RESERVED = List.of("prometheus", "grafana", "alertmanager", "cloudwatch",
            "cloudwatch-exporter", "ec2", "node");
    static final String CONFIG_PATH = "/tmp/o11y/prometheus.yml";
    /** Relative to the config file, as Prometheus resolves it: the same file runs anywhere. */
    static final String RULES_FILE = "rules/o11y.yml";
    static final String RULES_PATH = "/tmp/o11y/" + RULES_FILE;
    /** Prometheus' own words on NFS, linked from the synth warning. */
    public static final String STORAGE_DOCS = "https://prometheus.io/docs/prometheus/latest/storage/#operational-aspects";

    private final FargatePrometheusProps props;
    private final INamespace namespace;
    private final FargateSize explicitSize;
    private final RuleGroups rules;
    private final List<ScrapeTarget> targets = new ArrayList<>();
    private final List<ScrapeJob> platformJobs = new ArrayList<>();
    private String alertmanagerName;
    private PromDuration groupWait = PromDuration.ofSeconds(0);

    public FargatePrometheus(Construct scope, String id, FargatePrometheusProps props) {
        super(scope, id);
        this.props = props;
        if (props.getCluster() == null || props.getStorage() == null) {
            throw Check.bad(id + ".cluster/storage", null, "FargatePrometheus needs an ECS cluster and an EfsStorage");
        }
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
        long retentionDays = props.getRetention().toDays().longValue();
        Check.range("retentionDays", (int) Math.min(retentionDays, Integer.MAX_VALUE), 1, 3650);
        props.getTargets().forEach(this::addScrapeTarget);
        this.explicitSize = props.getSize() != null
                ? FargateSize.of("prometheus", props.getSize().cpu(), props.getSize().memoryMiB()) : null;
        this.rules = props.getRules() != null ? props.getRules()
                : AlertRules.defaults(props.getRunbookBaseUrl()).toRuleGroups();

        EfsStorage.Tenant tenant = props.getStorage().addTenant("Prometheus", "/prometheus", 65534, 65534);
        FargateComponent.Spec spec = FargateComponent.spec(this, "prometheus", props.getImage())
                .size(getSize())
                .port(DEFAULT_PORT, "/-/healthy")
                .placement(props.getCluster(), namespace, CLOUD_MAP_NAME, null)
                .singleWriter()
                .volume(tenant.volume("tsdb"), EfsStorage.Tenant.mount("tsdb", "/prometheus"))
                .command(List.of("/bin/prometheus",
                        "--config.file=" + CONFIG_PATH,
                        "--storage.tsdb.path=/prometheus",
                        "--storage.tsdb.retention.time=" + retentionDays + "d",
                        "--web.listen-address=:" + DEFAULT_PORT,
                        "--web.console.libraries=/usr/share/prometheus/console_libraries",
                        "--web.console.templates=/usr/share/prometheus/consoles"));
        // Rendered at synth, after every registerService call of every stack in the app.
        spec.files().file(CONFIG_PATH, Lazy.string(() -> getPrometheusConfig().toYaml()));
        spec.files().file(RULES_PATH, Lazy.string(() -> getRules().toYaml()));
        init(spec.build(), namespace, CLOUD_MAP_NAME);
        tenant.grantReadWrite(component().taskDefinition.getTaskRole());
        if (explicitSize == null) {
            // Automatic sizing follows every target registered until synthesis, not only the initial ones.
            var cfn = (software.amazon.awscdk.services.ecs.CfnTaskDefinition) component().taskDefinition.getNode().getDefaultChild();
            cfn.setCpu(Lazy.string(() -> String.valueOf(getSize().cpu())));
            cfn.setMemory(Lazy.string(() -> String.valueOf(getSize().memoryMiB())));
        }
        tenant.allowMountFrom(component().service);

        component().taskDefinition.addToTaskRolePolicy(PolicyStatement.Builder.create()
                .actions(List.of("ec2:DescribeInstances", "ec2:DescribeAvailabilityZones"))
                .resources(List.of("*"))
                .build());
        if (props.getRemoteWrite() != null) {
            component().taskDefinition.addToTaskRolePolicy(PolicyStatement.Builder.create()
                    .actions(props.getRemoteWrite().actions())
                    .resources(List.of(props.getRemoteWrite().workspaceArn()))
                    .build());
        }
        NagSuppressions.addResourceSuppressions(component().taskDefinition.getTaskRole(), List.of(NagPackSuppression.builder()
                .id("AwsSolutions-IAM5")
                .reason("ec2:DescribeInstances and ec2:DescribeAvailabilityZones (ec2_sd_configs) do not support "
                        + "resource-level permissions.")
                .appliesTo(List.of("Resource::*"))
                .build()), true);
        Annotations.of(this).addWarningV2("@o11y-cdk/prometheus:tsdbOnEfs", "Prometheus keeps its TSDB on EFS, an NFS "
                + "file system, which Prometheus does not support for local storage (" + STORAGE_DOCS + "). This service "
                + "therefore runs exactly one task and stops it before starting its replacement (a short scrape gap on "
                + "each deploy). To outgrow it, enable remoteWrite to Amazon Managed Service for Prometheus.");
    }

    /** Scrapes an application service by its Cloud Map name {@code <name>.<namespace>}. */
    public void addScrapeTarget(ScrapeTarget target) {
        if (targets.stream().anyMatch(t -> t.name().equals(target.name())) || RESERVED.contains(target.name())) {
            throw Check.bad("services", target.name(), "service names must be unique and not one of the platform's jobs "
                    + "or Cloud Map names " + RESERVED);
        }
        targets.add(target);
    }

    /**
     * Registers a Fargate service of any stack for scraping: enables Cloud Map on it (A records,
     * one per task) unless it already has it, opens its security group to Prometheus on
     * {@code target.port()}, and adds the scrape job.
     */
    public void registerService(FargateService service, ScrapeTarget target) {
        addScrapeTarget(target);
        if (service.getCloudMapService() == null) {
            service.enableCloudMap(CloudMapOptions.builder()
                    .name(target.name()).cloudMapNamespace(namespace).dnsRecordType(DnsRecordType.A)
                    .dnsTtl(Duration.seconds(10)).build());
        } else if (!target.name().equals(service.getCloudMapService().getServiceName())) {
            throw Check.bad("registerService " + target.name(), service.getCloudMapService().getServiceName(),
                    "the service is already in Cloud Map under another name; use that name");
        }
        service.getConnections().allowFrom(this, Port.tcp(target.port()), "Prometheus scrape of " + target.name());
        // SPEC: 9090 from Grafana and the monitored services. Made from the service's side, so the rule
        // lives in the service's stack, which already depends on this one (no cross-stack cycle).
        service.getConnections().allowTo(this, Port.tcp(DEFAULT_PORT), "Prometheus queries from " + target.name());
    }

    /** Sends alerts to {@code alertmanager} and scrapes it; opens its port to Prometheus only. */
    public void useAlertmanager(AlertmanagerService alertmanager) {
        this.alertmanagerName = alertmanager.getDnsName();
        this.groupWait = alertmanager.getConfig().route().groupWait();
        for (AlertDelay d : getAlertDelays()) {
            if (!d.meetsGoal()) {
                Annotations.of(this).addWarningV2("@o11y-cdk/prometheus:alertDelay:" + d.alert(), "Alert " + d.describe()
                        + ". Shorten its for, the intervals or group_wait, or relax the goal.");
            }
        }
        alertmanager.getConnections().allowFrom(this, Port.tcp(Ports.ALERTMANAGER), "Prometheus to Alertmanager");
        platformJobs.add(ScrapeJob.builder("alertmanager")
                .dnsSd(List.of(alertmanagerName), ScrapeJob.DnsRecordType.A, Ports.ALERTMANAGER, "30s").build());
    }

    /** Scrapes the CloudWatch exporter (its slow CloudWatch calls get a 60 s interval). */
    public void scrapeCloudWatchExporter(CloudWatchExporter exporter) {
        exporter.getConnections().allowFrom(this, Port.tcp(Ports.CLOUDWATCH_EXPORTER), "Prometheus scrape of cloudwatch-exporter");
        platformJobs.add(ScrapeJob.builder("cloudwatch")
                .scrapeInterval("60s").scrapeTimeout("50s")
                .dnsSd(List.of(exporter.getDnsName()), ScrapeJob.DnsRecordType.A, Ports.CLOUDWATCH_EXPORTER, "30s").build());
    }

    /** Lets {@code client} (Grafana, a monitored service) query the Prometheus API on 9090. */
    public void allowQueriesFrom(IConnectable client) {
        getConnections().allowFrom(client, Port.tcp(DEFAULT_PORT), "Prometheus queries");
    }

    /** The configuration as it is rendered now; synthesis renders it again after all registrations. */
    public PrometheusConfig getPrometheusConfig() {
        return config(null);
    }

    /**
     * A loopback profile of the same configuration, for end-to-end tests on one machine: every
     * Cloud Map name in {@code addresses} (e.g. {@code api-1.o11y.local}) becomes a static
     * {@code host:port} target with the same job, path and labels; cloud discovery (EC2) and
     * remote write are left out, and names without an address are dropped.
     */
    public PrometheusConfig getLocalProfile(Map<String, String> addresses) {
        return config(addresses);
    }

    private PrometheusConfig config(Map<String, String> local) {
        PrometheusConfig.Builder b = PrometheusConfig.builder()
                .scrapeInterval(props.getScrapeInterval())
                .evaluationInterval(props.getEvaluationInterval())
                .scrapeTimeout(PromDuration.parse("scrapeInterval", props.getScrapeInterval()).toSeconds() >= 10 ? "10s" : props.getScrapeInterval())
                .ruleFile(RULES_FILE)
                .scrapeJob(ScrapeJob.builder("prometheus").staticTargets(List.of("localhost:" + DEFAULT_PORT), Map.of()).build());
        for (ScrapeTarget t : targets) {
            String dns = t.name() + "." + namespace.getNamespaceName();
            ScrapeJob.Builder job = ScrapeJob.builder(t.name()).metricsPath(t.metricsPath());
            if (local == null) {
                job.dnsSd(List.of(dns), ScrapeJob.DnsRecordType.A, t.port(), "30s");
            } else if (local.containsKey(dns)) {
                job.staticTargets(List.of(local.get(dns)), Map.of());
            } else {
                continue;
            }
            b.scrapeJob(job.labels(new java.util.TreeMap<>(Map.of("service", t.name(), "env", t.env()))).build());
        }
        if (local == null) {
            b.scrapeJob(ScrapeJob.builder("ec2")
                    .ec2Sd(Stack.of(this).getRegion(), Ports.NODE_EXPORTER, props.getEc2DiscoveryTagKey(), props.getEc2DiscoveryTagValue())
                    .build());
            b.scrapeJobs(platformJobs);
        }
        if (alertmanagerName != null) {
            if (local == null) {
                b.alertmanagerDns(alertmanagerName, Ports.ALERTMANAGER);
            } else if (local.containsKey(alertmanagerName)) {
                b.alertmanagerStatic(List.of(local.get(alertmanagerName)));
                b.scrapeJob(ScrapeJob.builder("alertmanager").staticTargets(List.of(local.get(alertmanagerName)), Map.of()).build());
            }
        }
        if (props.getRemoteWrite() != null && local == null) {
            b.remoteWriteSigV4(props.getRemoteWrite().remoteWriteUrl(), props.getRemoteWrite().region());
        }
        return b.build();
    }

    /**
     * The rules as rendered: the given ones plus {@code expected-services}, one
     * {@code o11y_expected_service} series per registered target, which ServiceTargetsGone needs.
     */
    public RuleGroups getRules() {
        if (targets.isEmpty()) {
            return rules;
        }
        return rules.map(r -> r).group("expected-services", targets.stream()
                .map(t -> Rule.record("o11y_expected_service", "vector(1)", Map.of("job", t.name(), "service", t.name(), "env", t.env())))
                .toList());
    }

    /** Worst-case outage-to-notification delay of every alert, from the intervals, for and group_wait. */
    public List<AlertDelay> getAlertDelays() {
        PromDuration scrape = PromDuration.parse("scrapeInterval", props.getScrapeInterval());
        PromDuration eval = PromDuration.parse("evaluationInterval", props.getEvaluationInterval());
        return rules.alerts().stream().map(r -> AlertDelay.of(r, scrape, eval, groupWait)).toList();
    }

    public List<ScrapeTarget> getTargets() {
        return List.copyOf(targets);
    }

    /** The task size: explicit, or from the seed's table for the targets registered so far. */
    public FargateSize getSize() {
        return explicitSize != null ? explicitSize : FargateSize.forPrometheusTargets(targets.size());
    }


    public String getInternalUrl() {
        return "http://" + getDnsName() + ":" + DEFAULT_PORT;
    }



}
