package dev.o11ycdk.fargate;

import dev.o11ycdk.config.AlertmanagerConfig;
import dev.o11ycdk.config.Check;
import dev.o11ycdk.core.ComputeSize;
import dev.o11ycdk.core.Ports;
import dev.o11ycdk.core.internal.AlertRouting;
import java.util.List;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.services.ec2.ISubnet;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ecs.Secret;
import software.amazon.awscdk.services.servicediscovery.INamespace;
import software.constructs.Construct;

/**
 * Alertmanager on Fargate with the seed's routing. Reachable only through Cloud Map
 * ({@code alertmanager.<namespace>}) from Prometheus, never through the ALB. The Slack webhook
 * comes from Secrets Manager and is written to a file at start: Alertmanager does not expand
 * environment variables in its configuration.
 */
public class AlertmanagerService extends FargatePlatformService {
    public static final String CLOUD_MAP_NAME = "alertmanager";
    public static final int DEFAULT_PORT = Ports.ALERTMANAGER;
    /** nobody, prom/alertmanager's own user. */
    static final String USER = "65534:65534";
    /**
     * The storage path, on a task-local volume: prom/alertmanager declares {@code VOLUME ["/alertmanager"]}
     * on a directory nobody owns, so Fargate gives the volume that owner (bind-mounts.html) and the
     * non-root process may write its notification log, silences and the entrypoint's files there.
     */
    static final String DATA = "/alertmanager";
    static final String FILES = DATA + "/o11y";
    static final String CONFIG_PATH = FILES + "/alertmanager.yml";
    static final String WEBHOOK_FILE = FILES + "/secrets/slack_webhook_url";

    private final AlertmanagerConfig config;

    public AlertmanagerService(Construct scope, String id, AlertmanagerServiceProps props) {
        super(scope, id);
        INamespace namespace = props.getNamespace() != null ? props.getNamespace() : props.getCluster().getDefaultCloudMapNamespace();
        if (namespace == null) {
            throw Check.bad(id + ".namespace", null, "give a Cloud Map namespace or a cluster with a default one");
        }
        this.config = AlertRouting.config(props, WEBHOOK_FILE);
        SubnetSelection subnets = props.getVpcSubnets() != null ? props.getVpcSubnets()
                : SubnetSelection.builder().subnetType(SubnetType.PRIVATE_WITH_EGRESS).build();
        warnWithoutEgress(props, subnets);

        FargateComponent.Spec spec = FargateComponent.spec(this, "alertmanager", props.getImage())
                .size(ComputeSize.of("alertmanager", 256, 512))
                .user(USER)
                .scratch("alertmanager-data", DATA)
                .port(Ports.ALERTMANAGER, "/-/healthy")
                .placement(props.getCluster(), namespace, CLOUD_MAP_NAME, subnets)
                .secret("SLACK_WEBHOOK_URL", Secret.fromSecretsManager(props.getSlackWebhookSecret()))
                .command(List.of("/bin/alertmanager",
                        "--config.file=" + CONFIG_PATH,
                        "--storage.path=" + DATA,
                        "--web.listen-address=:" + Ports.ALERTMANAGER,
                        "--cluster.listen-address=", // one replica: no gossip mesh
                        "--enable-feature=" + AlertmanagerConfig.UTF8_STRICT_MODE));
        spec.files().root(FILES).file(CONFIG_PATH, config.toYaml()).secretFile("SLACK_WEBHOOK_URL", WEBHOOK_FILE);
        init(spec.build(), namespace, CLOUD_MAP_NAME, DEFAULT_PORT, "mutedEnvironments");
    }

    private void warnWithoutEgress(AlertmanagerServiceProps props, SubnetSelection subnets) {
        var vpc = props.getCluster().getVpc();
        List<ISubnet> chosen = vpc.selectSubnets(subnets).getSubnets();
        List<String> isolated = vpc.getIsolatedSubnets().stream().map(ISubnet::getSubnetId).toList();
        boolean noEgress = !chosen.isEmpty() && chosen.stream().allMatch(s -> isolated.contains(s.getSubnetId()));
        if (noEgress) {
            // Seed 004: notifications failed silently for lack of a NAT gateway.
            Annotations.of(this).addWarningV2("@o11y-cdk/alertmanager:noEgress", "Alertmanager runs in isolated subnets "
                    + "without internet egress: Slack notifications will fail. Give it private subnets with a NAT "
                    + "gateway (or an egress proxy).");
        }
    }

    public AlertmanagerConfig getConfig() {
        return config;
    }
}
