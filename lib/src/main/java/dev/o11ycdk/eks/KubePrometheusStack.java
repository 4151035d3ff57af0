package dev.o11ycdk.eks;

import dev.o11ycdk.config.AlertDelay;
import dev.o11ycdk.config.AlertRules;
import dev.o11ycdk.config.AlertmanagerConfig;
import dev.o11ycdk.config.Check;
import dev.o11ycdk.config.PromDuration;
import dev.o11ycdk.config.PrometheusConfig;
import dev.o11ycdk.config.RuleGroups;
import dev.o11ycdk.config.ScrapeJob;
import dev.o11ycdk.core.ComputeSize;
import dev.o11ycdk.core.Ebs;
import dev.o11ycdk.core.PrometheusSizing;
import dev.o11ycdk.core.ScrapeTarget;
import dev.o11ycdk.core.Suppressions;
import dev.o11ycdk.core.internal.AlertDelayWarnings;
import dev.o11ycdk.core.internal.GrafanaAdminSecret;
import dev.o11ycdk.core.internal.ReviewFiles;
import dev.o11ycdk.core.internal.AlertRouting;
import dev.o11ycdk.grafana.Dashboard;
import dev.o11ycdk.grafana.Dashboards;
import dev.o11ycdk.grafana.Datasource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Token;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.eks.CfnAddon;
import software.amazon.awscdk.services.eks.CfnPodIdentityAssociation;
import software.amazon.awscdk.services.eks_v2.Cluster;
import software.amazon.awscdk.services.eks_v2.HelmChart;
import software.amazon.awscdk.services.eks_v2.ICluster;
import software.amazon.awscdk.services.eks_v2.KubernetesManifest;
import software.amazon.awscdk.services.eks_v2.KubernetesObjectValue;
import software.amazon.awscdk.services.iam.ManagedPolicy;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.route53.CnameRecord;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.constructs.Construct;
import software.constructs.IConstruct;
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
 */
public class KubePrometheusStack extends Construct {
    /** Helm release of kube-prometheus-stack; its objects are named o11y-prometheus, o11y-alertmanager, o11y-grafana. */
    public static final String RELEASE = "o11y";
    /** The Kubernetes Secret (key {@code url}) the Slack webhook is copied into; Alertmanager mounts it. */
    public static final String SLACK_SECRET = "alertmanager-slack-webhook";
    public static final String GRAFANA_SECRET = "grafana-admin";
    static final String SLACK_URL_FILE = "/etc/alertmanager/secrets/" + SLACK_SECRET + "/url";
    /** Series the cluster brings without any service: apiserver (~20k), and per node kubelet/cAdvisor, node-exporter, kube-state-metrics. */
    public static final long CLUSTER_BASE_SERIES = 25_000;
    public static final long SERIES_PER_NODE = 11_000;
    static final int ALERTMANAGER_VOLUME_GIB = 2;
    static final int GRAFANA_VOLUME_GIB = 10;
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
    private final List<ScrapeJob> serviceJobs;
    private final Map<String, HelmChart> charts = new LinkedHashMap<>();
    private final Map<String, Map<String, Object>> values = new LinkedHashMap<>();
    private final String storageClass;
    private final Role ebsCsiRole;
    private final Role externalSecretsRole;

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
        this.storageClass = props.getStorageClassName();
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
                props.getRunbookBaseUrl()));
        AlertDelayWarnings.warnMissedGoals(this, "@o11y-cdk/eks", getAlertDelays());
        this.serviceJobs = serviceJobs(props);

        this.grafanaAdminSecret = GrafanaAdminSecret.orGenerate(this, "GrafanaAdminSecret", props.getGrafanaAdminSecret(),
                "o11y-cdk: Grafana admin password (EKS layout); copied into the cluster by External Secrets");

        // Problems 9 and 10: the EBS CSI driver with its own role, and a default encrypted gp3 class.
        this.ebsCsiRole = podRole("EbsCsiRole", "o11y-cdk: EBS CSI driver controller (Pod Identity)");
        ebsCsiRole.addManagedPolicy(ManagedPolicy.fromAwsManagedPolicyName("service-role/AmazonEBSCSIDriverPolicy"));
        Suppressions.suppress(ebsCsiRole, true, Suppressions.CdkNag.of("AwsSolutions-IAM4",
                "AmazonEBSCSIDriverPolicy is the policy AWS maintains for the EBS CSI driver add-on, scoped by its own tag conditions",
                "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy"));
        IConstruct storageReady;
        if (props.isInstallEbsCsiDriver()) {
            CfnAddon ebs = CfnAddon.Builder.create(this, "EbsCsiDriver")
                    .clusterName(cluster.getClusterName())
                    .addonName("aws-ebs-csi-driver")
                    .resolveConflicts("OVERWRITE")
                    .podIdentityAssociations(List.of(CfnAddon.PodIdentityAssociationProperty.builder()
                            .serviceAccount("ebs-csi-controller-sa").roleArn(ebsCsiRole.getRoleArn()).build()))
                    .build();
            if (cluster instanceof Cluster owned) {
                ebs.getNode().addDependency(owned.getEksPodIdentityAgent());
            }
            storageReady = ebs;
        } else {
            storageReady = ebsCsiRole;
        }
        KubernetesManifest classManifest = manifest("Gp3StorageClass", ordered(
                "apiVersion", "storage.k8s.io/v1",
                "kind", "StorageClass",
                "metadata", ordered("name", storageClass,
                        "annotations", ordered("storageclass.kubernetes.io/is-default-class", String.valueOf(props.isDefaultStorageClass()))),
                "provisioner", "ebs.csi.aws.com",
                "parameters", ordered("type", "gp3", "encrypted", "true", "csi.storage.k8s.io/fstype", "ext4"),
                // A deleted claim (or stack) keeps its EBS volume: the TSDB and Grafana's database are state.
                "reclaimPolicy", "Retain",
                "allowVolumeExpansion", true,
                // Bound where the pod is scheduled, so a volume is never in another zone than its pod.
                "volumeBindingMode", "WaitForFirstConsumer"));
        classManifest.getNode().addDependency(storageReady);

        KubernetesManifest namespace = manifest("Namespace", ordered("apiVersion", "v1", "kind", "Namespace",
                "metadata", ordered("name", ns, "labels", ordered("app.kubernetes.io/part-of", "o11y-cdk"))));

        // Secrets Manager -> Kubernetes Secrets: nothing secret in any chart's values or in the template.
        this.externalSecretsRole = podRole("ExternalSecretsRole", "o11y-cdk: External Secrets reads the Slack webhook and Grafana password");
        props.getSlackWebhookSecret().grantRead(externalSecretsRole);
        grafanaAdminSecret.grantRead(externalSecretsRole);
        CfnPodIdentityAssociation esAssociation = CfnPodIdentityAssociation.Builder.create(this, "ExternalSecretsIdentity")
                .clusterName(cluster.getClusterName()).namespace("external-secrets").serviceAccount("external-secrets")
                .roleArn(externalSecretsRole.getRoleArn()).build();
        if (cluster instanceof Cluster owned) {
            esAssociation.getNode().addDependency(owned.getEksPodIdentityAgent());
        }
        HelmChart externalSecrets = chart("ExternalSecrets", "external-secrets", "https://charts.external-secrets.io",
                props.getExternalSecretsVersion(), "external-secrets", "external-secrets", externalSecretsValues());
        externalSecrets.getNode().addDependency(esAssociation);
        KubernetesManifest secrets = manifest("Secrets", secretStore(ns, Stack.of(this).getRegion()),
                externalSecret(ns, SLACK_SECRET, props.getSlackWebhookSecret(), ordered("url", "{{ .value }}")),
                externalSecret(ns, GRAFANA_SECRET, grafanaAdminSecret,
                        ordered("admin-user", "admin", "admin-password", "{{ .value }}")));
        secrets.getNode().addDependency(externalSecrets, namespace);

        HelmChart kps = chart("KubePrometheusStack", "kube-prometheus-stack", "https://prometheus-community.github.io/helm-charts",
                props.getKubePrometheusStackVersion(), RELEASE, ns, kubePrometheusStackValues(domain, cert, interval));
        kps.getNode().addDependency(classManifest, secrets, namespace);
        HelmChart loki = chart("Loki", "loki", "https://grafana.github.io/helm-charts", props.getLokiVersion(), "loki", ns, lokiValues());
        loki.getNode().addDependency(classManifest, namespace);
        HelmChart alloy = chart("Alloy", "alloy", "https://grafana.github.io/helm-charts", props.getAlloyVersion(), "alloy", ns,
                alloyValues());
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
        out.put(dir + "alertmanager.yml", dev.o11ycdk.config.Rendering.yaml(alertmanagerValues()));
        out.put(dir + "additional-scrape-configs.yml", dev.o11ycdk.config.Rendering.yaml(additionalScrapeConfigs()));
        out.put(dir + "config.alloy", alloyConfig());
        return out;
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

    /** Alerts of the chart's own rule set that the shared model replaces (same name, same meaning), so none fires twice. */
    static final List<String> REPLACED_CHART_ALERTS = List.of("NodeFilesystemSpaceFillingUp", "NodeFilesystemAlmostOutOfSpace");

    private Role podRole(String id, String description) {
        // Only this cluster's pods, in this account, may take the role (EKS Pod Identity's confused-deputy conditions).
        Map<String, Object> conditions = new LinkedHashMap<>();
        conditions.put("StringEquals", ordered("aws:SourceAccount", Stack.of(this).getAccount()));
        conditions.put("ArnEquals", ordered("aws:SourceArn", props.getCluster().getClusterArn()));
        return Role.Builder.create(this, id)
                .assumedBy(new ServicePrincipal("pods.eks.amazonaws.com").withConditions(conditions).withSessionTags())
                .description(description)
                .build();
    }

    private KubernetesManifest manifest(String id, Map<?, ?>... objects) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Map<?, ?> o : objects) {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) o;
            list.add(m);
        }
        return KubernetesManifest.Builder.create(this, id).cluster(props.getCluster()).manifest(list).overwrite(true).build();
    }

    private HelmChart chart(String id, String chart, String repository, String version, String release, String namespace,
                            Map<String, Object> chartValues) {
        values.put(id, chartValues);
        HelmChart c = HelmChart.Builder.create(this, id)
                .cluster(props.getCluster())
                .chart(chart)
                .repository(repository)
                .version(version)
                .release(release)
                .namespace(namespace)
                .createNamespace(true)
                // Seed 004's Pending PVCs and CrashLoopBackOffs failed nothing: waiting makes them fail the deployment.
                .wait(true)
                // Below the kubectl handler's own 15-minute limit, so Helm reports why before the Lambda is stopped.
                .timeout(Duration.minutes(10))
                .values(chartValues)
                .build();
        charts.put(id, c);
        return c;
    }

    private Map<String, Object> externalSecretsValues() {
        return ordered(
                "installCRDs", true,
                "serviceAccount", ordered("create", true, "name", "external-secrets"),
                "resources", resources("50m", 128, 256),
                "webhook", ordered("resources", resources("20m", 64, 128)),
                "certController", ordered("resources", resources("20m", 64, 128)));
    }

    private static Map<String, Object> secretStore(String ns, String region) {
        // No auth block: the controller's own Pod Identity credentials, which read only these two secrets.
        return ordered("apiVersion", "external-secrets.io/v1", "kind", "SecretStore",
                "metadata", ordered("name", "aws-secrets-manager", "namespace", ns),
                "spec", ordered("provider", ordered("aws", ordered("service", "SecretsManager", "region", region))));
    }

    private static Map<String, Object> externalSecret(String ns, String name, ISecret secret, Map<String, Object> template) {
        return ordered("apiVersion", "external-secrets.io/v1", "kind", "ExternalSecret",
                "metadata", ordered("name", name, "namespace", ns),
                "spec", ordered(
                        "refreshInterval", "1h",
                        "secretStoreRef", ordered("name", "aws-secrets-manager", "kind", "SecretStore"),
                        "target", ordered("name", name, "creationPolicy", "Owner",
                                "template", ordered("engineVersion", "v2", "data", template)),
                        "data", List.of(ordered("secretKey", "value", "remoteRef", ordered("key", secret.getSecretName())))));
    }

    private static Map<String, Object> resources(String cpu, int requestMiB, int limitMiB) {
        return ordered("requests", ordered("cpu", cpu, "memory", requestMiB + "Mi"), "limits", ordered("memory", limitMiB + "Mi"));
    }

    private Map<String, Object> volumeClaim(int gib) {
        return ordered("volumeClaimTemplate", ordered("spec", ordered(
                "storageClassName", storageClass,
                "accessModes", List.of("ReadWriteOnce"),
                "resources", ordered("requests", ordered("storage", gib + "Gi")))));
    }

    private Map<String, Object> ingress(String scheme, List<String> cidrs, String cert, String healthPath, String group) {
        return ordered(
                "alb.ingress.kubernetes.io/scheme", scheme,
                "alb.ingress.kubernetes.io/target-type", "ip",
                "alb.ingress.kubernetes.io/listen-ports", "[{\"HTTPS\":443}]",
                "alb.ingress.kubernetes.io/certificate-arn", cert,
                "alb.ingress.kubernetes.io/ssl-policy", "ELBSecurityPolicy-TLS13-1-2-2021-06",
                "alb.ingress.kubernetes.io/inbound-cidrs", String.join(",", cidrs),
                "alb.ingress.kubernetes.io/healthcheck-path", healthPath,
                "alb.ingress.kubernetes.io/group.name", group);
    }

    private static Map<String, Object> jobLabel(String job) {
        return ordered("relabelings", List.of(ordered("action", "replace", "targetLabel", "job", "replacement", job)));
    }

    private Map<String, Object> kubePrometheusStackValues(String domain, String cert, PromDuration interval) {
        String prometheusScheme = props.isPrometheusPublic() ? "internet-facing" : "internal";
        Map<String, Object> disabledRules = new LinkedHashMap<>();
        // EKS runs the control plane: nothing to scrape, so these would fire for ever (seed 004's false alarms).
        disabledRules.put("KubeControllerManagerDown", true);
        disabledRules.put("KubeSchedulerDown", true);
        REPLACED_CHART_ALERTS.forEach(a -> disabledRules.put(a, true));
        List<Map<String, Object>> dashboards = new ArrayList<>();
        for (Dashboard d : dashboards()) {
            dashboards.add(ordered("apiVersion", "v1", "kind", "ConfigMap",
                    "metadata", ordered("name", "o11y-dashboard-" + d.getUid().replaceFirst("^o11y-", ""),
                            "labels", ordered("grafana_dashboard", "1")),
                    "data", ordered(d.getUid() + ".json", d.toJson())));
        }
        return ordered(
                "fullnameOverride", RELEASE,
                "defaultRules", ordered(
                        "create", true,
                        "rules", ordered(
                                "etcd", false,
                                "kubeControllerManager", false,
                                "kubeSchedulerAlerting", false,
                                "kubeSchedulerRecording", false,
                                // Replaced by the shared model's groups of the same purpose (job="prometheus"/"alertmanager").
                                "general", false,
                                "prometheus", false,
                                "alertmanager", false),
                        "disabled", disabledRules),
                "additionalPrometheusRulesMap", ordered("o11y-cdk", ordered("groups", rules.toGroupList())),
                "kubeControllerManager", ordered("enabled", false),
                "kubeScheduler", ordered("enabled", false),
                "kubeEtcd", ordered("enabled", false),
                "alertmanager", ordered(
                        "service", ordered("type", "ClusterIP"),
                        "serviceMonitor", jobLabel("alertmanager"),
                        "config", alertmanagerValues(),
                        "alertmanagerSpec", ordered(
                                "secrets", List.of(SLACK_SECRET),
                                "resources", resources("50m", 256, 256),
                                "storage", volumeClaim(ALERTMANAGER_VOLUME_GIB))),
                "prometheus", ordered(
                        "service", ordered("type", "ClusterIP"),
                        "serviceMonitor", jobLabel("prometheus"),
                        "ingress", ordered(
                                "enabled", true,
                                "ingressClassName", "alb",
                                "annotations", ingress(prometheusScheme, props.getPrometheusAllowedCidrs(), cert, "/-/ready",
                                        "o11y-prometheus"),
                                "hosts", List.of("prometheus." + domain),
                                "paths", List.of("/"),
                                "pathType", "Prefix"),
                        "prometheusSpec", ordered(
                                "scrapeInterval", interval.toString(),
                                "evaluationInterval", interval.toString(),
                                "externalLabels", ordered("env", props.getEnvironment()),
                                "retention", props.getRetention().toDays().intValue() + "d",
                                // Prometheus deletes old blocks before the volume is full, not after.
                                "retentionSize", (int) Math.floor(prometheusVolumeGiB * 0.85) + "GB",
                                "ruleSelectorNilUsesHelmValues", false,
                                "serviceMonitorSelectorNilUsesHelmValues", false,
                                "podMonitorSelectorNilUsesHelmValues", false,
                                "resources", ordered(
                                        "requests", ordered("cpu", millicores(prometheusSize.cpu()), "memory", prometheusSize.memoryMiB() + "Mi"),
                                        // Seed 004's fix: a memory limit from the sizing model, and room to burst CPU.
                                        "limits", ordered("cpu", millicores(2 * prometheusSize.cpu()), "memory", prometheusSize.memoryMiB() + "Mi")),
                                "storageSpec", volumeClaim(prometheusVolumeGiB),
                                "additionalScrapeConfigs", additionalScrapeConfigs())),
                "grafana", ordered(
                        "fullnameOverride", RELEASE + "-grafana",
                        "admin", ordered("existingSecret", GRAFANA_SECRET, "userKey", "admin-user", "passwordKey", "admin-password"),
                        "service", ordered("type", "ClusterIP"),
                        // One ReadWriteOnce volume: the old pod must let go of it before the new one starts.
                        "deploymentStrategy", ordered("type", "Recreate"),
                        "persistence", ordered("enabled", true, "type", "pvc", "storageClassName", storageClass,
                                "accessModes", List.of("ReadWriteOnce"), "size", GRAFANA_VOLUME_GIB + "Gi"),
                        "resources", resources("100m", 512, 512),
                        "ingress", ordered(
                                "enabled", true,
                                "ingressClassName", "alb",
                                "annotations", ingress("internet-facing", props.getGrafanaAllowedCidrs(), cert, "/api/health",
                                        "o11y-grafana"),
                                "hosts", List.of("grafana." + domain),
                                "path", "/",
                                "pathType", "Prefix"),
                        "grafana.ini", ordered(
                                "server", ordered("root_url", "https://grafana." + domain + "/"),
                                "analytics", ordered("check_for_updates", false, "reporting_enabled", false),
                                "users", ordered("allow_sign_up", false)),
                        "sidecar", ordered("dashboards", ordered("enabled", true, "label", "grafana_dashboard", "labelValue", "1")),
                        "additionalDataSources", List.of(Datasource.loki(lokiUrl()).toMap())),
                "extraManifests", dashboards);
    }

    private Map<String, Object> alertmanagerValues() {
        // The whole configuration, so Helm's merge with the chart's default leaves nothing of the default behind.
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("global", ordered("resolve_timeout", "5m"));
        config.putAll(alertmanagerConfig.toMap());
        config.put("templates", List.of());
        return config;
    }

    private List<Object> additionalScrapeConfigs() {
        if (serviceJobs.isEmpty()) {
            return List.of();
        }
        @SuppressWarnings("unchecked")
        List<Object> jobs = (List<Object>) PrometheusConfig.builder().scrapeJobs(serviceJobs).build().toMap().get("scrape_configs");
        return jobs;
    }

    /**
     * The services' scrape jobs, each service at its own metrics path (seed 004, problem 12): one job
     * for all the services sharing a port, path and env, its targets labelled job and service by
     * their Service's name, so the values grow by a name per service, not by a job (1,000 services
     * would otherwise pass CloudFormation's 1 MB template limit).
     */
    private static List<ScrapeJob> serviceJobs(KubePrometheusStackProps props) {
        Map<String, List<ScrapeTarget>> byEndpoint = new LinkedHashMap<>();
        for (ScrapeTarget t : props.getServices()) {
            byEndpoint.computeIfAbsent(t.port() + " " + t.metricsPath() + " " + t.env(), k -> new ArrayList<>()).add(t);
        }
        List<ScrapeJob> jobs = new ArrayList<>();
        for (List<ScrapeTarget> group : byEndpoint.values()) {
            ScrapeTarget first = group.get(0);
            String slug = first.metricsPath().replaceAll("[^A-Za-z0-9]+", "-").replaceAll("^-|-$", "");
            Map<String, String> env = new LinkedHashMap<>();
            env.put("env", first.env());
            jobs.add(ScrapeJob.builder("services-" + first.port() + (slug.isEmpty() ? "" : "-" + slug) + "-" + first.env())
                    .metricsPath(first.metricsPath())
                    .kubernetesServices(group.stream().map(ScrapeTarget::name).toList(), first.port(), List.of())
                    .labels(env)
                    .build());
        }
        return jobs;
    }

    private String lokiUrl() {
        return "http://loki-gateway." + props.getNamespace() + ".svc.cluster.local";
    }

    private Map<String, Object> lokiValues() {
        long hours = props.getLogRetention().toDays().longValue() * 24;
        return ordered(
                "deploymentMode", "SingleBinary",
                "loki", ordered(
                        "auth_enabled", false,
                        "commonConfig", ordered("replication_factor", 1),
                        "storage", ordered("type", "filesystem"),
                        "schemaConfig", ordered("configs", List.of(ordered(
                                "from", "2024-04-01", "store", "tsdb", "object_store", "filesystem", "schema", "v13",
                                "index", ordered("prefix", "loki_index_", "period", "24h")))),
                        "limits_config", ordered("retention_period", hours + "h"),
                        "compactor", ordered("retention_enabled", true, "delete_request_store", "filesystem")),
                "singleBinary", ordered(
                        "replicas", 1,
                        "persistence", ordered("enabled", true, "storageClass", storageClass, "size", lokiVolumeGiB + "Gi"),
                        "resources", resources("100m", 512, 1024)),
                "read", ordered("replicas", 0),
                "write", ordered("replicas", 0),
                "backend", ordered("replicas", 0),
                "chunksCache", ordered("enabled", false),
                "resultsCache", ordered("enabled", false),
                "lokiCanary", ordered("enabled", false),
                "test", ordered("enabled", false),
                "minio", ordered("enabled", false),
                "gateway", ordered("enabled", true));
    }

    /**
     * Alloy as a DaemonSet, each pod tailing the containers of its own node through the API server
     * ({@code loki.source.kubernetes}): no hostPath and no root, unlike seed 003's Promtail; namespace,
     * pod, container and app become labels, env a static one.
     */
    String alloyConfig() {
        String env = props.getEnvironment().replace("\\", "\\\\").replace("\"", "\\\"");
        return String.join("\n",
                "discovery.kubernetes \"pods\" {",
                "  role = \"pod\"",
                "  selectors {",
                "    role  = \"pod\"",
                "    field = \"spec.nodeName=\" + sys.env(\"NODE_NAME\")",
                "  }",
                "}",
                "",
                "discovery.relabel \"pods\" {",
                "  targets = discovery.kubernetes.pods.targets",
                "  rule {",
                "    source_labels = [\"__meta_kubernetes_namespace\"]",
                "    target_label  = \"namespace\"",
                "  }",
                "  rule {",
                "    source_labels = [\"__meta_kubernetes_pod_name\"]",
                "    target_label  = \"pod\"",
                "  }",
                "  rule {",
                "    source_labels = [\"__meta_kubernetes_pod_container_name\"]",
                "    target_label  = \"container\"",
                "  }",
                "  rule {",
                "    source_labels = [\"__meta_kubernetes_pod_label_app_kubernetes_io_name\"]",
                "    target_label  = \"app\"",
                "  }",
                "}",
                "",
                "loki.source.kubernetes \"pods\" {",
                "  targets    = discovery.relabel.pods.output",
                "  forward_to = [loki.process.env.receiver]",
                "}",
                "",
                "loki.process \"env\" {",
                "  stage.static_labels {",
                "    values = { env = \"" + env + "\" }",
                "  }",
                "  forward_to = [loki.write.loki.receiver]",
                "}",
                "",
                "loki.write \"loki\" {",
                "  endpoint {",
                "    url = \"" + lokiUrl() + "/loki/api/v1/push\"",
                "  }",
                "}",
                "");
    }

    private Map<String, Object> alloyValues() {
        return ordered(
                "controller", ordered("type", "daemonset"),
                "alloy", ordered(
                        "configMap", ordered("create", true, "content", alloyConfig()),
                        "extraEnv", List.of(ordered("name", "NODE_NAME",
                                "valueFrom", ordered("fieldRef", ordered("fieldPath", "spec.nodeName")))),
                        "resources", resources("50m", 128, 256)));
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

    private static String millicores(int cpuUnits) {
        return (cpuUnits * 1000 / 1024) + "m";
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
