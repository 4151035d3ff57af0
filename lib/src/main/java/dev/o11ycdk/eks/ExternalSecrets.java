package dev.o11ycdk.eks;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.eks.CfnPodIdentityAssociation;
import software.amazon.awscdk.services.eks_v2.Cluster;
import software.amazon.awscdk.services.eks_v2.HelmChart;
import software.amazon.awscdk.services.eks_v2.ICluster;
import software.amazon.awscdk.services.eks_v2.KubernetesManifest;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.constructs.Construct;
import static dev.o11ycdk.config.Rendering.ordered;

/**
 * Secrets Manager to Kubernetes Secrets, so nothing secret is in any chart's values or in the
 * template: the External Secrets chart with its Pod Identity role, a SecretStore, and an
 * ExternalSecret each for the Slack webhook and Grafana's password. Made in {@code scope}, as
 * ExternalSecretsRole, ExternalSecretsIdentity, ExternalSecrets and Secrets.
 */
final class ExternalSecrets {
    /** The chart's construct id. */
    static final String ID = "ExternalSecrets";

    private final Role role;
    private final Map<String, Object> values;
    private final HelmChart chart;
    private final KubernetesManifest secrets;

    ExternalSecrets(Construct scope, ICluster cluster, String version, String namespace, KubernetesManifest namespaceReady,
                    ISecret slackWebhook, ISecret grafanaAdmin) {
        this.role = ClusterObjects.podRole(scope, cluster, "ExternalSecretsRole",
                "o11y-cdk: External Secrets reads the Slack webhook and Grafana password");
        slackWebhook.grantRead(role);
        grafanaAdmin.grantRead(role);
        CfnPodIdentityAssociation association = CfnPodIdentityAssociation.Builder.create(scope, "ExternalSecretsIdentity")
                .clusterName(cluster.getClusterName()).namespace("external-secrets").serviceAccount("external-secrets")
                .roleArn(role.getRoleArn()).build();
        if (cluster instanceof Cluster owned) {
            association.getNode().addDependency(owned.getEksPodIdentityAgent());
        }
        this.values = chartValues();
        this.chart = ClusterObjects.chart(scope, cluster, ID, "external-secrets", "https://charts.external-secrets.io", version,
                "external-secrets", "external-secrets", values);
        chart.getNode().addDependency(association);
        this.secrets = ClusterObjects.manifest(scope, cluster, "Secrets", secretStore(namespace, Stack.of(scope).getRegion()),
                externalSecret(namespace, KubePrometheusStack.SLACK_SECRET, slackWebhook, ordered("url", "{{ .value }}")),
                externalSecret(namespace, KubePrometheusStack.GRAFANA_SECRET, grafanaAdmin,
                        ordered("admin-user", "admin", "admin-password", "{{ .value }}")));
        secrets.getNode().addDependency(chart, namespaceReady);
    }

    private static Map<String, Object> chartValues() {
        return ordered(
                "installCRDs", true,
                "serviceAccount", ordered("create", true, "name", "external-secrets"),
                "resources", ClusterObjects.resources("50m", 128, 256),
                "webhook", ordered("resources", ClusterObjects.resources("20m", 64, 128)),
                "certController", ordered("resources", ClusterObjects.resources("20m", 64, 128)));
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

    Role role() {
        return role;
    }

    /** The chart's values as Helm receives them. */
    Map<String, Object> values() {
        return values;
    }

    HelmChart chart() {
        return chart;
    }

    /** The SecretStore and the ExternalSecrets, ready once the chart's CRDs and the namespace are. */
    KubernetesManifest secrets() {
        return secrets;
    }
}
