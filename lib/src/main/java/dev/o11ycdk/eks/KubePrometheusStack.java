package dev.o11ycdk.eks;

import dev.o11ycdk.config.AlertDelay;
import dev.o11ycdk.config.AlertRules;
import dev.o11ycdk.config.AlertmanagerConfig;
import dev.o11ycdk.config.Check;
import dev.o11ycdk.config.PromDuration;
import dev.o11ycdk.config.RuleGroups;
import dev.o11ycdk.core.ComputeSize;
import dev.o11ycdk.core.Ebs;
import dev.o11ycdk.core.PrometheusSizing;
import dev.o11ycdk.core.internal.AlertDelayWarnings;
import dev.o11ycdk.core.internal.GrafanaAdminSecret;
import dev.o11ycdk.core.internal.ReviewFiles;
import dev.o11ycdk.core.internal.AlertRouting;
import dev.o11ycdk.grafana.Dashboard;
import dev.o11ycdk.grafana.DashboardRules;
import dev.o11ycdk.grafana.Dashboards;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Token;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.eks_v2.HelmChart;
import software.amazon.awscdk.services.eks_v2.ICluster;
import software.amazon.awscdk.services.eks_v2.KubernetesManifest;
import software.amazon.awscdk.services.eks_v2.KubernetesObjectValue;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.route53.CnameRecord;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.constructs.Construct;
import static dev.o11ycdk.config.Rendering.ordered;

/**
 * Layout 3: the platform on an EKS cluster from Helm charts, with seed 004's operating lessons built
 * in. kube-prometheus-stack (Prometheus, Alertmanager, Grafana, node-exporter, kube-state-metrics,
 * the operator), Loki with Alloy shipping every pod's logs, and External Secrets copying the Slack
 * webhook and Grafana's password out of Secrets Manager. Every chart's values are rendered from the
 * typed models the other layouts use: the alert rules become a PrometheusRule, the routing becomes
 * Alertmanager's configuration, the dashboards become the Grafana sidecar's ConfigMaps.
 *
 * <p>The lessons: the EBS CSI driver as an add-on with its own Pod Identity role and an encrypted
 * default gp3 StorageClass (problems 9, 10); volumes for Prometheus, Alertmanager, Grafana and Loki
 * sized from retention; Prometheus' requests and limits from the sizing model (problem 7); ingress
 * through the AWS Load Balancer Controller on the ACM certificate, ClusterIP services only (problem
 * 8), Prometheus on an internal ALB; {@code env} as an external label with muted environments routed
 * to {@code null} (problem 11); a metrics path per service (problem 12); pods measured against their
 * own limits (problem 14); no scrape of the control plane EKS runs for you.
 *
 * <p>This class checks the props, sizes Prometheus and Loki and installs the charts in order; its
 * parts make their resources in this construct, under the ids they always had: {@code EbsCsiStorage},
 * {@code ExternalSecrets}, and the values of {@code ChartValues} (kube-prometheus-stack) and
 * {@code LokiAndAlloy}.
 */
public class KubePrometheusStack extends Construct implements IKubePrometheusStack {
    /** Where the platform's app publishes what teams import by default (cdk.json's eksSsmParameterPrefix). */
    public static final String DEFAULT_SSM_PREFIX = "/o11y-cdk/eks";
    /** The parameters {@link #publishToSsm} writes and {@link #fromSsm} reads under a prefix. */
    public static final List<String> SSM_NAMES = EksParameters.NAMES;
    /** Helm release of kube-prometheus-stack; its objects are named o11y-prometheus, o11y-alertmanager, o11y-grafana. */
    public static final String RELEASE = "o11y";
    /** The Kubernetes Secret (key {@code url}) the Slack webhook is copied into; Alertmanager mounts it. */
    public static final String SLACK_SECRET = "alertmanager-slack-webhook";
    public static final String GRAFANA_SECRET = "grafana-admin";
    static final String SLACK_URL_FILE = "/etc/alertmanager/secrets/" + SLACK_SECRET + "/url";
    /** Series the cluster brings without any service: apiserver (~20k), and per node kubelet/cAdvisor, node-exporter, kube-state-metrics. */
    public static final long CLUSTER_BASE_SERIES = 25_000;
    public static final long SERIES_PER_NODE = 11_000;
    /** The smallest claim the charts get: room for a first compaction whatever the sizing says. */
    static final int MIN_VOLUME_GIB = 10;

    private final KubePrometheusStackProps props;
    private final RuleGroups rules;
    private final AlertmanagerConfig alertmanagerConfig;
    private final ComputeSize prometheusSize;
    private final long expectedActiveSeries;
    private final int prometheusVolumeGiB;
    private final int lokiVolumeGiB;
    private final ISecret grafanaAdminSecret;
    private final ChartValues chartValues;
    private final LokiAndAlloy logs;
    private final Map<String, HelmChart> charts = new LinkedHashMap<>();
    private final Map<String, Map<String, Object>> values = new LinkedHashMap<>();
    private final Role ebsCsiRole;
    private final Role externalSecretsRole;
    private String published;

    public KubePrometheusStack(Construct scope, String id, KubePrometheusStackProps props) {
        super(scope, id);
        this.props = props;
        ICluster cluster = props.getCluster();
        if (cluster.getKubectlProvider() == null) {
            throw Check.bad(id + ".cluster", cluster.getNode().getPath(), "has no kubectl provider: create it with kubectlProviderOptions, "
                    + "or import it with a kubectlProvider, so the charts can be installed");
        }
        String domain = Check.notBlank("domainName", props.getDomainName());
        String cert = props.getCertificateArn();
        boolean certArn = cert != null && (Token.isUnresolved(cert) || cert.matches("arn:aws[a-z-]*:acm:[a-z0-9-]+:\\d{12}:certificate/[0-9a-f-]+"));
        if (!certArn) {
            throw Check.bad("certificateArn", cert, "the ALB's HTTPS listener needs an ACM certificate ARN");
        }
        String storageClass = props.getStorageClassName();
        if (!storageClass.matches("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?")) {
            throw Check.bad("storageClassName", storageClass, "must be a Kubernetes object name (lower-case letters, digits, '-' and '.')");
        }
        String ns = props.getNamespace();
        if (!ns.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
            throw Check.bad("namespace", ns, "must be a Kubernetes namespace name (lower-case letters, digits and '-')");
        }
        props.getGrafanaAllowedCidrs().forEach(c -> Check.ipv4Cidr("grafanaAllowedCidrs", c));
        props.getPrometheusAllowedCidrs().forEach(c -> Check.ipv4Cidr("prometheusAllowedCidrs", c));
        Check.notBlank("environment", props.getEnvironment());
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("kubePrometheusStackVersion", props.getKubePrometheusStackVersion());
        versions.put("lokiVersion", props.getLokiVersion());
        versions.put("alloyVersion", props.getAlloyVersion());
        versions.put("externalSecretsVersion", props.getExternalSecretsVersion());
        versions.forEach((prop, v) -> {
            if (!v.matches("\\d+\\.\\d+\\.\\d+")) {
                throw Check.bad(prop, v, "pin an exact chart version such as 1.2.3 (no ranges, no 'latest')");
            }
        });
        Map<String, String> images = new LinkedHashMap<>();
        images.put("prometheusVersion", props.getPrometheusVersion());
        images.put("alertmanagerVersion", props.getAlertmanagerVersion());
        images.put("grafanaVersion", props.getGrafanaVersion());
        images.put("nodeExporterVersion", props.getNodeExporterVersion());
        images.forEach((prop, v) -> {
            if (!v.matches("\\d+\\.\\d+\\.\\d+")) {
                throw Check.bad(prop, v, "pin an exact image version such as 1.2.3 (no 'v', no ranges, no 'latest')");
            }
        });
        PromDuration interval = PromDuration.parse("scrapeInterval", props.getScrapeInterval()).positive("scrapeInterval");
        long retentionDays = PrometheusSizing.retentionDays("retentionDays", props.getRetention());

        // Sizing: the model the other layouts use (ComputeSize), plus what Kubernetes itself exports.
        this.expectedActiveSeries = props.getExpectedActiveSeries() != null ? props.getExpectedActiveSeries()
                : PrometheusSizing.expectedSeries(Math.max(1, props.getServices().size())) + clusterSeries(3);
        this.prometheusSize = PrometheusSizing.forSeries("expectedActiveSeries", expectedActiveSeries, 0);
        double tsdbBytes = PrometheusSizing.tsdbBytes(retentionDays, interval, expectedActiveSeries);
        this.prometheusVolumeGiB = Ebs.gp3("expectedActiveSeries", expectedActiveSeries,
                Math.max(MIN_VOLUME_GIB, PrometheusSizing.volumeGiB(tsdbBytes, PrometheusSizing.CLAIM_TSDB_HEADROOM)), retentionDays + " days");
        this.lokiVolumeGiB = lokiVolumeGiB(PrometheusSizing.retentionDays("logRetentionDays", props.getLogRetention()),
                props.getLogGiBPerDay());

        this.alertmanagerConfig = AlertRouting.config(props, SLACK_URL_FILE);
        RuleGroups base = props.getRules() != null ? props.getRules() : defaultRules(props.getRunbookBaseUrl()).toRuleGroups();
        this.rules = base.copy().group("prometheus-capacity", AlertRules.prometheusCapacity(
                (long) prometheusSize.memoryMiB() * 1024 * 1024, PrometheusSizing.seriesCapacity(prometheusSize.memoryMiB()),
                props.getRunbookBaseUrl()))
                .group(DashboardRules.GROUP, DashboardRules.http(interval));
        AlertDelayWarnings.warnMissedGoals(this, "@o11y-cdk/eks", getAlertDelays());
        this.logs = new LokiAndAlloy(ns, props.getEnvironment(), storageClass, lokiVolumeGiB,
                props.getLogRetention().toDays().longValue());
        this.chartValues = ChartValues.builder()
                .domainName(domain)
                .certificateArn(cert)
                .grafanaAllowedCidrs(props.getGrafanaAllowedCidrs())
                .prometheusAllowedCidrs(props.getPrometheusAllowedCidrs())
                .prometheusPublic(props.isPrometheusPublic())
                .scrapeInterval(interval)
                .environment(props.getEnvironment())
                .retentionDays(props.getRetention().toDays().longValue())
                .prometheusSize(prometheusSize)
                .prometheusVolumeGiB(prometheusVolumeGiB)
                .storageClass(storageClass)
                .rules(rules)
                .alertmanagerConfig(alertmanagerConfig)
                .services(props.getServices())
                .lokiUrl(logs.lokiUrl())
                .prometheusVersion(props.getPrometheusVersion())
                .alertmanagerVersion(props.getAlertmanagerVersion())
                .grafanaVersion(props.getGrafanaVersion())
                .nodeExporterVersion(props.getNodeExporterVersion())
                .prometheusReplicas(Check.range("prometheusReplicas", props.getPrometheusReplicas(), 1, 2))
                .haCluster(software.amazon.awscdk.Stack.of(this).getStackName())
                .build();

        this.grafanaAdminSecret = GrafanaAdminSecret.orGenerate(this, "GrafanaAdminSecret", props.getGrafanaAdminSecret(),
                "o11y-cdk: Grafana admin password (EKS layout); copied into the cluster by External Secrets");

        EbsCsiStorage storage = new EbsCsiStorage(this, cluster, storageClass, props.isInstallEbsCsiDriver(), props.isDefaultStorageClass());
        this.ebsCsiRole = storage.role();
        KubernetesManifest classManifest = storage.storageClass();

        KubernetesManifest namespace = ClusterObjects.manifest(this, cluster, "Namespace", ordered("apiVersion", "v1", "kind", "Namespace",
                "metadata", ordered("name", ns, "labels", ordered("app.kubernetes.io/part-of", "o11y-cdk"))));

        ExternalSecrets externalSecrets = new ExternalSecrets(this, cluster, props.getExternalSecretsVersion(), ns, namespace,
                props.getSlackWebhookSecret(), grafanaAdminSecret);
        this.externalSecretsRole = externalSecrets.role();
        register(ExternalSecrets.ID, externalSecrets.chart(), externalSecrets.values());

        HelmChart kps = chart("KubePrometheusStack", "kube-prometheus-stack", "https://prometheus-community.github.io/helm-charts",
                props.getKubePrometheusStackVersion(), RELEASE, ns, chartValues.kubePrometheusStack());
        kps.getNode().addDependency(classManifest, externalSecrets.secrets(), namespace);
        // Applied as they are, not through the chart: its extraManifests go through Helm's tpl, which would
        // take the dashboards' legends ({{pod}}) for template code and fail the release.
        Map<?, ?>[] dashboardMaps = dashboards().stream().map(d -> dashboardConfigMap(ns, d)).toArray(Map<?, ?>[]::new);
        ClusterObjects.manifest(this, cluster, "Dashboards", dashboardMaps).getNode().addDependency(namespace);
        HelmChart loki = chart("Loki", "loki", LokiAndAlloy.LOKI_REPOSITORY, props.getLokiVersion(), "loki", ns,
                logs.lokiValues());
        loki.getNode().addDependency(classManifest, namespace);
        HelmChart alloy = chart("Alloy", "alloy", "https://grafana.github.io/helm-charts", props.getAlloyVersion(), "alloy", ns,
                logs.alloyValues());
        alloy.getNode().addDependency(loki);

        if (props.getHostedZone() != null) {
            record("Grafana", "grafana", RELEASE + "-grafana", kps);
            record("Prometheus", "prometheus", RELEASE + "-prometheus", kps);
        }
        warnWithoutEgress(cluster);
        ReviewFiles.register(this, this::getReviewFiles);
    }

    /**
     * What reviewers and tools read in {@code cdk.out/<stack>.rendered/kubernetes/}: each chart's values
     * as Helm receives them, and the files they carry (rules, Alertmanager's configuration, the extra
     * scrape jobs, Alloy's pipeline); deploy-time values show as {@value ReviewFiles#DEPLOY_TIME}.
     */
    public Map<String, String> getReviewFiles() {
        Map<String, String> out = new LinkedHashMap<>();
        String dir = "kubernetes/";
        charts.forEach((id, c) -> out.put(dir + "values/" + c.getChart() + ".yaml",
                ReviewFiles.text(this, dev.o11ycdk.config.Rendering.yaml(values.get(id)))));
        out.put(dir + "rules.yml", rules.toYaml());
        out.put(dir + "alertmanager.yml", dev.o11ycdk.config.Rendering.yaml(chartValues.alertmanager()));
        out.put(dir + "additional-scrape-configs.yml", dev.o11ycdk.config.Rendering.yaml(chartValues.additionalScrapeConfigs()));
        out.put(dir + "config.alloy", logs.alloyConfig());
        dashboards().forEach(d -> out.put(dir + "dashboards/" + d.getUid() + ".json", d.toJson()));
        return out;
    }

    /**
     * Publishes what a team's stack imports with {@link #fromSsm} as SSM parameters under
     * {@code prefix} (the cluster's name, its kubectl provider's service token, the environment),
     * resolved at the team's deploy: no synth-time look-up, no cross-stack export, and a team that
     * opts in changes nothing here.
     */
    public void publishToSsm(String prefix) {
        EksParameters.checkPrefix(prefix);
        if (published != null) {
            throw Check.bad("eksSsmParameterPrefix", prefix, "the platform is already published under " + published);
        }
        EksParameters.publish(this, prefix);
        this.published = prefix;
    }

    /**
     * The platform from the SSM parameters {@link #publishToSsm} wrote under {@code prefix}, resolved
     * by CloudFormation at deploy time; each getter adds the parameters it needs on first use.
     */
    public static IKubePrometheusStack fromSsm(Construct scope, String id, String prefix) {
        return EksParameters.read(scope, id, prefix);
    }

    /**
     * Opts in a Service from {@code scope}'s stack. From another stack, once {@link #publishToSsm}
     * ran, the monitor goes through the SSM parameters, so this stack gains no export and its
     * template does not change.
     */
    @Override
    public ServiceMonitorRegistration scrape(Construct scope, String namespace, Map<String, String> serviceLabels,
                                             dev.o11ycdk.core.ScrapeOptions options) {
        return KubernetesScraping.register(this, scope, namespace, serviceLabels, options);
    }

    IKubePrometheusStack seenFrom(Construct scope) {
        return EksParameters.seenFrom(this, published, scope);
    }

    @Override
    public ICluster getCluster() {
        return props.getCluster();
    }

    @Override
    public String getEnvironment() {
        return props.getEnvironment();
    }

    /** Series Kubernetes itself brings on {@code nodes} nodes (apiserver, kubelet and cAdvisor, node-exporter, kube-state-metrics). */
    public static long clusterSeries(int nodes) {
        return CLUSTER_BASE_SERIES + SERIES_PER_NODE * Math.max(1, nodes);
    }

    /**
     * The shared rule model for Kubernetes: the defaults without the ECS groups (nothing here runs on
     * ECS); kube-prometheus-stack's own rules cover the cluster.
     */
    public static AlertRules defaultRules(String runbookBaseUrl) {
        return AlertRules.withoutEcs(runbookBaseUrl);
    }

    /** A dashboard as the ConfigMap Grafana's sidecar loads (label {@code grafana_dashboard: "1"}, in Grafana's namespace). */
    private static Map<String, Object> dashboardConfigMap(String namespace, Dashboard d) {
        return ordered("apiVersion", "v1", "kind", "ConfigMap",
                "metadata", ordered("name", "o11y-dashboard-" + d.getUid().replaceFirst("^o11y-", ""), "namespace", namespace,
                        "labels", ordered(ChartValues.DASHBOARD_LABEL, "1")),
                "data", ordered(d.getUid() + ".json", d.toJson()));
    }

    private HelmChart chart(String id, String chart, String repository, String version, String release, String namespace,
                            Map<String, Object> chartValues) {
        return register(id, ClusterObjects.chart(this, props.getCluster(), id, chart, repository, version, release, namespace,
                chartValues), chartValues);
    }

    private HelmChart register(String id, HelmChart chart, Map<String, Object> chartValues) {
        values.put(id, chartValues);
        charts.put(id, chart);
        return chart;
    }

    private void record(String id, String host, String ingressName, HelmChart after) {
        KubernetesObjectValue address = KubernetesObjectValue.Builder.create(this, id + "AlbAddress")
                .cluster(props.getCluster())
                .objectType("ingress")
                .objectName(ingressName)
                .objectNamespace(props.getNamespace())
                .jsonPath(".status.loadBalancer.ingress[0].hostname")
                .timeout(Duration.minutes(10))
                .build();
        address.getNode().addDependency(after);
        CnameRecord.Builder.create(this, id + "Record")
                .zone(props.getHostedZone())
                .recordName(host + "." + props.getDomainName())
                .domainName(address.getValue())
                .ttl(Duration.minutes(5))
                .build();
    }

    /**
     * Loki's volume: {@code gibPerDay} of logs for {@code days}, 20 % headroom, at least 10 GiB; at most
     * gp3's 16 TiB (the error names {@code logGiBPerDay}).
     */
    public static int lokiVolumeGiB(long days, int gibPerDay) {
        Check.range("logGiBPerDay", gibPerDay, 1, 10_000);
        return Ebs.gp3("logGiBPerDay", gibPerDay, (int) Math.max(MIN_VOLUME_GIB, Math.ceil(days * (double) gibPerDay * 1.2)),
                days + " days of logs");
    }

    /** Seed 004, problem 6: Alertmanager in a private subnet without NAT never reaches Slack. */
    private void warnWithoutEgress(ICluster cluster) {
        IVpc vpc;
        try {
            vpc = cluster.getVpc();
        } catch (RuntimeException e) {
            vpc = null;
        }
        String msg = vpc == null
                ? "the cluster was imported without its VPC: make sure its nodes' subnets route to a NAT gateway, or "
                        + "Alertmanager cannot reach Slack (seed 004, problem 6: context deadline exceeded)"
                : vpc.getPrivateSubnets().isEmpty() && !vpc.getIsolatedSubnets().isEmpty()
                        ? "the cluster's VPC has only isolated private subnets: nodes there reach no Slack, no Helm repository "
                                + "and no image registry without a NAT gateway or proxy (seed 004, problem 6)"
                        : null;
        if (msg != null) {
            Annotations.of(this).addWarningV2("@o11y-cdk/eks:noEgress", msg);
        }
    }

    /** Worst-case delay of every alert: scrape + evaluation (both scrapeInterval) + for + group_wait. */
    public List<AlertDelay> getAlertDelays() {
        PromDuration interval = PromDuration.parse("scrapeInterval", props.getScrapeInterval());
        return rules.alerts().stream().map(r -> AlertDelay.of(r, interval, interval, alertmanagerConfig.route().groupWait())).toList();
    }

    /** The dashboards Grafana gets: the cluster view (problem 14), the node view and the application view of the other layouts. */
    public static List<Dashboard> dashboards() {
        return List.of(Dashboards.kubernetes(), Dashboards.nodeExporter(), Dashboards.applicationPerformance());
    }

    /**
     * The rules as rendered: the given (or default) groups plus Prometheus' capacity alerts and the
     * dashboards' recording rules ({@link DashboardRules#GROUP}).
     */
    public RuleGroups getRules() {
        return rules;
    }

    public AlertmanagerConfig getAlertmanagerConfig() {
        return alertmanagerConfig;
    }

    /** The Helm charts by construct id, in install order: ExternalSecrets, KubePrometheusStack, Loki, Alloy. */
    public Map<String, HelmChart> getCharts() {
        return java.util.Collections.unmodifiableMap(charts);
    }

    /** Each chart's values as rendered (by construct id), for review files and tests. */
    public Map<String, Map<String, Object>> getValues() {
        return java.util.Collections.unmodifiableMap(values);
    }

    public ComputeSize getPrometheusSize() {
        return prometheusSize;
    }

    public long getExpectedActiveSeries() {
        return expectedActiveSeries;
    }

    public int getPrometheusVolumeGiB() {
        return prometheusVolumeGiB;
    }

    public int getLokiVolumeGiB() {
        return lokiVolumeGiB;
    }

    public ISecret getGrafanaAdminSecret() {
        return grafanaAdminSecret;
    }

    public Role getEbsCsiRole() {
        return ebsCsiRole;
    }

    public Role getExternalSecretsRole() {
        return externalSecretsRole;
    }
}
