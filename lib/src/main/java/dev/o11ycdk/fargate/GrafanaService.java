package dev.o11ycdk.fargate;

import dev.o11ycdk.alb.HostRoute;
import dev.o11ycdk.alb.HostRouteOptions;
import dev.o11ycdk.alb.MonitoringAlb;
import dev.o11ycdk.core.Versions;
import dev.o11ycdk.config.Check;
import dev.o11ycdk.core.ComputeSize;
import dev.o11ycdk.core.Ports;
import dev.o11ycdk.core.Suppressions;
import dev.o11ycdk.core.internal.GrafanaAdminSecret;
import dev.o11ycdk.core.internal.Regions;
import dev.o11ycdk.cost.Prices;
import dev.o11ycdk.grafana.Dashboard;
import dev.o11ycdk.grafana.Dashboards;
import dev.o11ycdk.grafana.Datasource;
import dev.o11ycdk.grafana.GrafanaProvisioning;
import java.util.List;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.ec2.ISecurityGroup;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ecs.PortMapping;
import software.amazon.awscdk.services.ecs.Protocol;
import software.amazon.awscdk.services.ecs.Secret;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.constructs.Construct;

/**
 * Grafana on Fargate (0.5 vCPU / 1 GB) behind {@link MonitoringAlb} at {@code grafana.<domain>}:
 * state on EFS, datasources (Prometheus default, CloudWatch) and dashboards provisioned from files,
 * admin password from Secrets Manager, sign-up and anonymous access off, secure cookies, optional
 * generic OAuth. Its task role may read CloudWatch and nothing else.
 */
public class GrafanaService extends FargatePlatformService {
    public static final int DEFAULT_PORT = Ports.GRAFANA;
    /** grafana/grafana's own uid (its Dockerfile's GF_UID), also the EFS access point's POSIX user. */
    static final String USER = "472:472";
    static final String DATA = "/var/lib/grafana";
    /**
     * Where the entrypoint writes provisioning and dashboards: on Grafana's EFS access point, the one
     * volume Grafana may write (the root file system is read-only; Grafana's image declares no
     * VOLUME, so a task-local volume would be root's). Emptied at each start, so a dashboard taken
     * out of the app does not linger in the data directory.
     */
    static final String FILES = DATA + "/o11y";
    static final String PROVISIONING = FILES + "/provisioning";
    static final String DASHBOARDS = FILES + "/dashboards";
    /** TMPDIR (SQLite's and Go's temporary files): / and /tmp are read-only. */
    static final String TMP = FILES + "/tmp";
    static final int MAX_DASHBOARD_BYTES = 40_000;
    /** With a {@link GrafanaDatabase}: each task's own directory below this (ContainerFiles.taskDirectory), exported as GF_PATHS_DATA. */
    static final String TASKS = DATA + "/tasks";
    /** Grafana Alerting's HA gossip (memberlist, TCP and UDP) between the tasks. */
    public static final int HA_PORT = 9094;

    private final ISecret adminSecret;
    private final HostRoute route;
    private final List<Dashboard> dashboards;
    private final String datasourcesYaml;

    public GrafanaService(Construct scope, String id, GrafanaServiceProps props) {
        super(scope, id);
        Check.notBlank("grafana prometheusUrl", props.getPrometheusUrl());
        String region = Regions.require(this, "GrafanaService");
        String rootUrl = "https://" + props.getSubdomain() + "." + props.getAlb().getDomainName() + "/";
        this.dashboards = props.getDashboards() != null ? props.getDashboards()
                : Dashboards.fargateDefaults(Prices.forRegionOrSeed(region).fargate());
        if (props.getDashboards() == null && Prices.forRegion(region).isEmpty()) {
            Annotations.of(this).addWarningV2("@o11y-cdk/grafana:seedPrices", "No list prices for " + region + " in prices.json: "
                    + "the Cost Estimation dashboard uses " + Prices.SEED_REGION + "'s; pass dashboards built with your region's FargatePricing.");
        }
        int bytes = dashboards.stream().mapToInt(d -> d.toJson().length()).sum();
        if (bytes > MAX_DASHBOARD_BYTES) {
            // Dashboards travel in the task definition, which ECS caps at 64 KiB in all.
            throw Check.bad("grafana dashboards", dashboards.size() + " dashboards, " + bytes + " bytes",
                    "exceed the " + MAX_DASHBOARD_BYTES + " bytes that fit in a task definition; provision fewer");
        }
        this.adminSecret = GrafanaAdminSecret.orGenerate(this, "AdminPassword", props.getAdminSecret(), "Grafana admin password");

        EfsStorage.Tenant tenant = props.getStorage().addTenant("Grafana", "/grafana", 472, 472);
        GrafanaDatabase db = props.getDatabase();
        FargateComponent.Spec spec = FargateComponent.spec(this, "grafana", props.getImage())
                .size(ComputeSize.of("grafana", 512, 1024))
                .user(USER)
                .port(DEFAULT_PORT, "/api/health")
                .placement(props.getCluster(), props.getCluster().getDefaultCloudMapNamespace(), "grafana", null)
                .desiredCount(db != null ? 2 : 1)
                .healthCheckGracePeriod(Duration.seconds(120))
                .volume(tenant.volume("grafana-data"), EfsStorage.Tenant.mount("grafana-data", DATA))
                // ECS puts secrets in the environment Grafana reads them from. Not 0600 files: the only
                // volume Grafana may write is EFS, where they would persist and enter every backup.
                .secret("GF_SECURITY_ADMIN_PASSWORD", Secret.fromSecretsManager(adminSecret))
                .env("GF_METRICS_ENABLED", "false") // /metrics would be public through the ALB
                .env("GF_SERVER_HTTP_PORT", String.valueOf(DEFAULT_PORT))
                .env("GF_SERVER_ROOT_URL", rootUrl);
        if (db == null) {
            spec.singleWriter() // SQLite on EFS: one task at a time
                    .env("GF_PATHS_DATA", DATA).env("GF_PATHS_PROVISIONING", PROVISIONING).env("TMPDIR", TMP);
        } else {
            // Provisioning at one path in every task: Grafana records a provisioned dashboard by its file's path, in the
            // database both tasks share, so per-task paths would have each task unprovision the other's every minute.
            spec.env("GF_PATHS_PROVISIONING", PROVISIONING);
        }
        spec.env("GF_SECURITY_ADMIN_USER", "admin")
                .env("GF_SECURITY_COOKIE_SECURE", "true")
                .env("GF_SECURITY_COOKIE_SAMESITE", "lax")
                .env("GF_SECURITY_DISABLE_GRAVATAR", "true")
                .env("GF_USERS_ALLOW_SIGN_UP", "false")
                .env("GF_USERS_AUTO_ASSIGN_ORG_ROLE", "Viewer")
                .env("GF_AUTH_ANONYMOUS_ENABLED", "false")
                .env("GF_AUTH_BASIC_ENABLED", "true")
                .env("GF_ANALYTICS_REPORTING_ENABLED", "false")
                .env("GF_ANALYTICS_CHECK_FOR_UPDATES", "false")
                .command(List.of("/run.sh"));
        if (props.getOauth() != null) {
            GrafanaOAuth o = props.getOauth();
            spec.env("GF_AUTH_GENERIC_OAUTH_ENABLED", "true")
                    .env("GF_AUTH_GENERIC_OAUTH_NAME", o.name())
                    .env("GF_AUTH_GENERIC_OAUTH_CLIENT_ID", o.clientId())
                    .env("GF_AUTH_GENERIC_OAUTH_SCOPES", o.scopes())
                    .env("GF_AUTH_GENERIC_OAUTH_AUTH_URL", o.authUrl())
                    .env("GF_AUTH_GENERIC_OAUTH_TOKEN_URL", o.tokenUrl())
                    .env("GF_AUTH_GENERIC_OAUTH_API_URL", o.apiUrl())
                    .env("GF_AUTH_GENERIC_OAUTH_ROLE_ATTRIBUTE_PATH", o.roleAttributePath())
                    .env("GF_AUTH_GENERIC_OAUTH_ROLE_ATTRIBUTE_STRICT", "true")
                    // OAuth users get an account on first login; the sign-up form stays off.
                    .env("GF_AUTH_GENERIC_OAUTH_ALLOW_SIGN_UP", "true")
                    .secret("GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET", Secret.fromSecretsManager(o.clientSecret()));
        }
        if (db != null) {
            shareDatabase(spec, db, props.getCluster().getDefaultCloudMapNamespace().getNamespaceName());
        }
        RemoteWrite amp = props.getAmp();
        if (amp != null) {
            // Grafana 13's core Prometheus datasource has no SigV4: AMP's own datasource plugin, pinned, installed at start.
            spec.env("GF_AUTH_SIGV4_AUTH_ENABLED", "true")
                    .env("GF_PLUGINS_PREINSTALL_SYNC", Datasource.AMP_PLUGIN + "@" + Versions.GRAFANA_AMP_PLUGIN);
        }
        this.datasourcesYaml = GrafanaProvisioning.datasourcesYaml(amp == null
                ? List.of(Datasource.prometheus(props.getPrometheusUrl(), props.getScrapeInterval(), true), Datasource.cloudWatch(region))
                : List.of(Datasource.amp("prometheus", amp.queryUrl(), amp.region(), props.getScrapeInterval(), true),
                        Datasource.prometheus("Prometheus (local)", "prometheus-local", props.getPrometheusUrl(), props.getScrapeInterval(), false),
                        Datasource.cloudWatch(region)));
        spec.files().root(FILES).dir(TMP).file(PROVISIONING + "/datasources/o11y.yaml", datasourcesYaml)
                .file(PROVISIONING + "/dashboards/o11y.yaml", GrafanaProvisioning.dashboardProviderYaml("o11y", DASHBOARDS));
        for (Dashboard d : dashboards) {
            spec.files().file(DASHBOARDS + "/" + d.getUid() + ".json", d.toJson());
        }
        if (db != null) {
            // What each task writes as it runs (its data directory, plugins, temporary files): a directory of its own.
            spec.files().taskDirectory(TASKS, "GF_PATHS_DATA", "").taskDirectory(TASKS, "TMPDIR", "tmp")
                    .taskDirectory(TASKS, "GF_PATHS_PLUGINS", "plugins");
        }
        init(spec.build(), props.getCluster().getDefaultCloudMapNamespace(), "grafana", DEFAULT_PORT, "dashboards");
        tenant.grantReadWrite(component().taskDefinition.getTaskRole());
        tenant.allowMountFrom(component().service);
        if (db != null) {
            db.serve(component().service);
            component().container.addPortMappings(PortMapping.builder().containerPort(HA_PORT).protocol(Protocol.TCP).name("grafana-ha").build(),
                    PortMapping.builder().containerPort(HA_PORT).protocol(Protocol.UDP).name("grafana-ha-udp").build());
            for (ISecurityGroup sg : component().service.getConnections().getSecurityGroups()) { // ingress only: egress is open
                sg.addIngressRule(sg, Port.tcp(HA_PORT), "Grafana alerting HA between Grafana tasks");
                sg.addIngressRule(sg, Port.udp(HA_PORT), "Grafana alerting HA between Grafana tasks");
            }
        }

        component().taskDefinition.addToTaskRolePolicy(PolicyStatement.Builder.create()
                .actions(Datasource.CLOUDWATCH_READ)
                .resources(List.of("*"))
                .build());
        if (amp != null) {
            component().taskDefinition.addToTaskRolePolicy(PolicyStatement.Builder.create()
                    .actions(Datasource.AMP_QUERY)
                    .resources(List.of(amp.workspaceArn()))
                    .build());
        }
        Suppressions.suppress(component().taskDefinition.getTaskRole(), true, Suppressions.CdkNag.of("AwsSolutions-IAM5", "CloudWatch read actions used by Grafana's CloudWatch datasource do not support resource-level permissions.", "Resource::*"));

        component().service.getConnections().allowFrom(props.getAlb(), Port.tcp(DEFAULT_PORT), "ALB to Grafana");
        this.route = props.getAlb().addHostRoute("Grafana", HostRouteOptions.builder()
                .subdomain(props.getSubdomain())
                .port(DEFAULT_PORT)
                .healthCheckPath("/api/health")
                .priority(props.getPriority())
                .targets(List.of(component().service))
                .build());
        if (db == null) {
            Annotations.of(this).addWarningV2("@o11y-cdk/grafana:sqliteSingleTask", "Grafana keeps its SQLite database on "
                    + "EFS, so it runs one task at a time (the old task stops before the new one starts). For more than one "
                    + "task, give it a GrafanaDatabase (the app's grafanaDatabase = aurora).");
        }
    }

    /**
     * Two tasks on a {@link GrafanaDatabase}: its endpoint, name and credentials (ECS secrets from the
     * generated secret) and Grafana Alerting's HA peers
     * found through the service's Cloud Map name (an A record per task), so an alert notifies once.
     */
    private static void shareDatabase(FargateComponent.Spec spec, GrafanaDatabase db, String namespace) {
        spec.env("GF_DATABASE_TYPE", "postgres")
                .env("GF_DATABASE_HOST", db.getHostPort())
                .env("GF_DATABASE_NAME", GrafanaDatabase.DATABASE_NAME)
                .env("GF_DATABASE_SSL_MODE", "require")
                .secret("GF_DATABASE_USER", Secret.fromSecretsManager(db.getSecret(), "username"))
                .secret("GF_DATABASE_PASSWORD", Secret.fromSecretsManager(db.getSecret(), "password"))
                .env("GF_UNIFIED_ALERTING_HA_PEERS", "grafana." + namespace + ":" + HA_PORT)
                .env("GF_UNIFIED_ALERTING_HA_LISTEN_ADDRESS", "0.0.0.0:" + HA_PORT);
    }

    public HostRoute getRoute() {
        return route;
    }

    public ISecret getAdminSecret() {
        return adminSecret;
    }

    /** Every dashboard Grafana shows. */
    public List<Dashboard> getDashboards() {
        return dashboards;
    }

    public String getDatasourcesYaml() {
        return datasourcesYaml;
    }
}
