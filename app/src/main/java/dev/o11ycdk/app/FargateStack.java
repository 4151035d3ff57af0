package dev.o11ycdk.app;

import dev.o11ycdk.alb.MonitoringAlb;
import dev.o11ycdk.config.AlertRules;
import dev.o11ycdk.config.CloudWatchExporterConfig;
import dev.o11ycdk.core.ComputeSize;
import dev.o11ycdk.core.Suppressions;
import dev.o11ycdk.fargate.AlertmanagerService;
import dev.o11ycdk.fargate.AlertmanagerServiceProps;
import dev.o11ycdk.fargate.CloudWatchExporter;
import dev.o11ycdk.fargate.CloudWatchExporterProps;
import dev.o11ycdk.fargate.EcsTaskCounts;
import dev.o11ycdk.fargate.EcsTaskCountsProps;
import dev.o11ycdk.fargate.EfsStorage;
import dev.o11ycdk.fargate.EfsStorageProps;
import dev.o11ycdk.fargate.FargatePlatformService;
import dev.o11ycdk.fargate.FargatePrometheus;
import dev.o11ycdk.fargate.FargatePrometheusProps;
import dev.o11ycdk.fargate.GrafanaDatabase;
import dev.o11ycdk.fargate.GrafanaDatabaseProps;
import dev.o11ycdk.fargate.GrafanaOAuth;
import dev.o11ycdk.fargate.GrafanaService;
import dev.o11ycdk.fargate.GrafanaServiceProps;
import dev.o11ycdk.fargate.RemoteWrite;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Tags;
import software.amazon.awscdk.services.cloudwatch.IAlarmAction;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ecs.CloudMapNamespaceOptions;
import software.amazon.awscdk.services.ecs.Cluster;
import software.amazon.awscdk.services.ecs.ContainerInsights;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationLoadBalancer;
import software.amazon.awscdk.services.route53.IHostedZone;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.servicediscovery.NamespaceType;
import software.constructs.Construct;

/**
 * Layout 2: Prometheus (TSDB on EFS), Grafana, a CloudWatch exporter and Alertmanager on ECS
 * Fargate, scraping the team's services through Cloud Map, Grafana behind the HTTPS ALB.
 */
public class FargateStack extends LayoutStack {
    private final FargatePrometheus prometheus;
    private final GrafanaService grafana;
    private final AlertmanagerService alertmanager;
    private final CloudWatchExporter exporter;
    private final EfsStorage storage;
    private final EcsTaskCounts taskCounts;

    public FargateStack(Construct scope, String id, StackProps props, Settings s) {
        super(scope, id, props, s);
        FargateSettings f = s.fargate();
        IVpc vpc = Network.vpc(this, s);
        IHostedZone zone = Network.zone(this, s);

        Cluster cluster = Cluster.Builder.create(this, "Cluster")
                .clusterName(f.clusterName())
                .vpc(vpc)
                // Off by default: billed per metric of every service in the cluster, teams' included; the signals come
                // from the tasks' ecs_exporter sidecars and EcsTaskCounts instead.
                .containerInsightsV2(f.containerInsights() ? ContainerInsights.ENABLED : ContainerInsights.DISABLED)
                .defaultCloudMapNamespace(CloudMapNamespaceOptions.builder()
                        .name(f.cloudMapNamespace()).type(NamespaceType.DNS_PRIVATE).vpc(vpc).build())
                .build();
        if (!f.containerInsights()) {
            Suppressions.suppress(cluster, false, Suppressions.CdkNag.of("AwsSolutions-ECS4", "containerInsights is false: Container "
                    + "Insights bills about 11 custom metrics per ECS service (teams' included); each task's ecs_exporter sidecar gives "
                    + "CPU, memory and network, EcsTaskCounts the desired and running tasks. containerInsights = true turns it on."),
                    Suppressions.CfnGuard.of("ecs_container_insights_enabled_check", "containerInsights is false: Container Insights "
                            + "bills about 11 custom metrics per ECS service (teams' included); each task's ecs_exporter sidecar gives CPU, "
                            + "memory and network, EcsTaskCounts the desired and running tasks. containerInsights = true turns it on."));
        }
        this.storage = new EfsStorage(this, "Storage", EfsStorageProps.builder().vpc(vpc).build());

        AlertingSettings a = s.alerting();
        this.alertmanager = new AlertmanagerService(this, "Alertmanager", AlertmanagerServiceProps.builder()
                .cluster(cluster)
                .slackWebhookSecret(a.slackWebhookSecret(this))
                .criticalChannel(a.slackCriticalChannel())
                .warningChannel(a.slackWarningChannel())
                .mutedEnvironments(a.mutedEnvironments())
                .heartbeatUrl(a.heartbeatUrl())
                .image("prom/alertmanager:v" + a.alertmanagerRelease().version())
                .build());
        this.exporter = new CloudWatchExporter(this, "CloudWatchExporter", CloudWatchExporterProps.builder()
                .cluster(cluster)
                .image("prom/cloudwatch-exporter:v" + f.cloudwatchExporterVersion())
                .build());

        FargatePrometheusProps.Builder pb = FargatePrometheusProps.builder()
                .cluster(cluster)
                .storage(storage)
                .image("prom/prometheus:v" + s.prometheusRelease().version())
                .scrapeInterval(s.scrapeInterval())
                .evaluationInterval(s.scrapeInterval())
                // With AMP as the store Grafana reads, the tasks keep a short local TSDB (alert rules, a replica's own view).
                .retention(Duration.days(f.remoteWrite() != null ? f.ampLocalRetentionDays() : s.retentionDays()))
                .replicas(f.prometheusReplicas())
                .runbookBaseUrl(s.alerting().runbookBaseUrl())
                .rules(AlertRules.defaults(s.alerting().runbookBaseUrl())
                        .override("ServiceDown", r -> r.withExpr(null, s.alerting().serviceDownFor())).toRuleGroups())
                .services(f.services())
                .environment(f.environment())
                .expectedActiveSeries(f.expectedActiveSeries())
                .discoveryClusters(f.discoveryClusters())
                .discoveryInterval(f.discoveryInterval())
                .discoveryImage("public.ecr.aws/aws-observability/aws-otel-collector:v" + f.adotCollectorVersion())
                .desiredCount(f.prometheusDesiredCount());
        if (f.prometheusCpu() != null) { // both set, or neither (Settings checks)
            pb.size(ComputeSize.of("prometheus", f.prometheusCpu(), f.prometheusMemoryMiB()));
        }
        RemoteWrite amp = null;
        if (f.remoteWrite() != null) {
            amp = f.remoteWrite().equals("create")
                    ? RemoteWrite.createWorkspace(this, "AmpWorkspace", "o11y-cdk", f.ampRetentionDays())
                    : RemoteWrite.fromWorkspaceArn(f.remoteWrite());
            pb.remoteWrite(amp);
            if (f.ampLocalRetentionDays() < s.retentionDays()) {
                // A platform that had remoteWrite before this release kept retentionDays locally: say what the next start deletes.
                Annotations.of(this).addWarningV2("@o11y-cdk/app:ampLocalRetention", "remoteWrite is set, so each Prometheus task "
                        + "keeps ampLocalRetentionDays = " + f.ampLocalRetentionDays() + " days of its own TSDB, not retentionDays = "
                        + s.retentionDays() + ": its next start deletes older blocks (AMP keeps them, and Grafana reads AMP). Set "
                        + "ampLocalRetentionDays = " + s.retentionDays() + " to keep them locally.");
            }
        }
        this.prometheus = new FargatePrometheus(this, "Prometheus", pb.build());
        prometheus.useAlertmanager(alertmanager);
        prometheus.scrapeCloudWatchExporter(exporter);
        // Service teams import these from their own apps (FargatePrometheus.fromSsm), resolved at deploy time.
        prometheus.publishToSsm(f.ssmParameterPrefix());
        // Desired vs running per ECS service, for ServiceTasksGone and the platform services' own alarms.
        this.taskCounts = new EcsTaskCounts(this, "TaskCounts", EcsTaskCountsProps.builder()
                .vpc(vpc)
                .clusterNames(prometheus.getDiscoveryConfig().getClusters().values())
                .build());

        IAlarmAction alarms = Alarms.action(this, s);
        MonitoringAlb alb = new MonitoringAlb(this, "Alb", Ec2HostStack.albProps(this, s, vpc, zone, alarms));
        if (alb.getLoadBalancer() instanceof ApplicationLoadBalancer own) {
            // The CloudWatch exporter reads the target response time of tagged load balancers only.
            Tags.of(own).add(CloudWatchExporterConfig.MONITORED_TAG, "true");
        }
        GrafanaServiceProps.Builder gb = GrafanaServiceProps.builder()
                .cluster(cluster)
                .storage(storage)
                .alb(alb)
                .priority(s.grafanaPriority())
                .prometheusUrl(prometheus.getInternalUrl())
                .amp(amp)
                .scrapeInterval(s.scrapeInterval())
                .image("grafana/grafana:" + s.grafanaRelease().version());
        if (f.grafanaAdminSecretName() != null) {
            gb.adminSecret(Secret.fromSecretNameV2(this, "GrafanaAdmin", f.grafanaAdminSecretName()));
        }
        if (!f.grafanaOAuth().isEmpty()) {
            gb.oauth(oauth(f.grafanaOAuth()));
        }
        if (f.grafanaDatabase().equals("aurora")) {
            gb.database(new GrafanaDatabase(this, "GrafanaDatabase", GrafanaDatabaseProps.builder()
                    .vpc(vpc).minCapacity(f.grafanaDatabaseMinAcu()).maxCapacity(f.grafanaDatabaseMaxAcu()).build()));
        }
        this.grafana = new GrafanaService(this, "Grafana", gb.build());
        prometheus.allowQueriesFrom(grafana);
        for (FargatePlatformService service : List.of(prometheus, grafana, alertmanager, exporter)) {
            service.addHealthAlarms(alarms, s.alerting().runbookBaseUrl());
        }
        taskCounts.addHealthAlarms(alarms, s.alerting().runbookBaseUrl());
        Logs.encrypt(this, s);

        CfnOutput.Builder.create(this, "GrafanaUrl").value(grafana.getRoute().getUrl()).build();
        CfnOutput.Builder.create(this, "PrometheusInternalUrl").value(prometheus.getInternalUrl())
                .description("Reachable from Grafana and the VPC's registered services only").build();
        CfnOutput.Builder.create(this, "AlertmanagerInternalUrl").value("http://" + alertmanager.getDnsName() + ":9093").build();
        CfnOutput.Builder.create(this, "GrafanaAdminSecretArn").value(grafana.getAdminSecret().getSecretArn()).build();
        CfnOutput.Builder.create(this, "ServiceTeamsImport").value("FargatePrometheus.fromSsm(this, \"Prometheus\", \""
                + f.ssmParameterPrefix() + "\")").description("How a service team's app finds this Prometheus").build();
    }

    private GrafanaOAuth oauth(Map<String, Object> o) {
        String secretName = str(o, "clientSecretName");
        if (secretName == null) {
            throw new IllegalArgumentException("setting 'grafanaOAuth' needs clientSecretName (a Secrets Manager secret name)");
        }
        return new GrafanaOAuth(str(o, "name"), str(o, "clientId"),
                Secret.fromSecretNameV2(this, "GrafanaOAuthClientSecret", secretName),
                str(o, "authUrl"), str(o, "tokenUrl"), str(o, "apiUrl"), str(o, "scopes"), str(o, "roleAttributePath"));
    }

    private static String str(Map<String, Object> m, String k) {
        Object v = m.get(k);
        return v == null || String.valueOf(v).isBlank() ? null : String.valueOf(v);
    }

    public FargatePrometheus getPrometheus() {
        return prometheus;
    }

    public GrafanaService getGrafana() {
        return grafana;
    }

    public AlertmanagerService getAlertmanager() {
        return alertmanager;
    }

    public CloudWatchExporter getExporter() {
        return exporter;
    }

    public EcsTaskCounts getTaskCounts() {
        return taskCounts;
    }

    public EfsStorage getStorage() {
        return storage;
    }
}
