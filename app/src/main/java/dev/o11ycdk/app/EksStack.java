package dev.o11ycdk.app;

import dev.o11ycdk.eks.KubePrometheusStack;
import dev.o11ycdk.eks.KubePrometheusStackProps;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.certificatemanager.Certificate;
import software.amazon.awscdk.services.certificatemanager.CertificateValidation;
import software.amazon.awscdk.services.eks_v2.Cluster;
import software.amazon.awscdk.services.eks_v2.ICluster;
import software.amazon.awscdk.services.lambda.ILayerVersion;
import software.amazon.awscdk.services.route53.IHostedZone;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.constructs.Construct;

/**
 * Layout 3: the platform on EKS. A new cluster (private endpoint, every control-plane log type,
 * secrets encrypted with a customer-managed key, a managed node group in the private subnets, the
 * AWS Load Balancer Controller), or an existing one by name (the two paths are {@code NewCluster}
 * and {@code ExistingCluster}); then {@link KubePrometheusStack} with the same settings as the other
 * layouts.
 */
public class EksStack extends LayoutStack {
    private final ICluster cluster;
    private final KubePrometheusStack monitoring;

    public EksStack(Construct scope, String id, StackProps props, Settings s) {
        super(scope, id, props, s);
        EksSettings e = s.eks();
        FargateSettings f = s.fargate();
        AlertingSettings a = s.alerting();
        IHostedZone zone = Network.zone(this, s);
        ILayerVersion layer = KubectlLayers.create(this, "KubectlLayer", e.kubectlLayerVersion());
        EksCluster eks = e.clusterName() == null ? NewCluster.create(this, s, layer) : ExistingCluster.create(this, s, layer);
        this.cluster = eks.cluster();

        String certificateArn = s.certificateArn() != null ? s.certificateArn()
                : Certificate.Builder.create(this, "Certificate")
                        .domainName("*." + s.domainName())
                        .validation(CertificateValidation.fromDns(zone))
                        .build().getCertificateArn();
        KubePrometheusStackProps.Builder kb = KubePrometheusStackProps.builder()
                .cluster(cluster)
                .domainName(s.domainName())
                .certificateArn(certificateArn)
                .hostedZone(zone)
                .grafanaAllowedCidrs(s.allowedCidrs())
                .prometheusAllowedCidrs(s.prometheusAllowedCidrs())
                .environment(f.environment())
                .scrapeInterval(s.scrapeInterval())
                .retention(Duration.days(s.retentionDays()))
                .expectedActiveSeries(f.expectedActiveSeries() + KubePrometheusStack.clusterSeries(e.nodeMaxSize()))
                .services(f.services())
                .prometheusReplicas(f.prometheusReplicas())
                .logRetention(Duration.days(e.logRetentionDays()))
                .logGiBPerDay(e.logGiBPerDay())
                .slackWebhookSecret(a.slackWebhookSecret(this))
                .criticalChannel(a.slackCriticalChannel())
                .warningChannel(a.slackWarningChannel())
                .mutedEnvironments(a.mutedEnvironments())
                .heartbeatUrl(a.heartbeatUrl())
                .runbookBaseUrl(a.runbookBaseUrl())
                .rules(KubePrometheusStack.defaultRules(a.runbookBaseUrl())
                        .override("ServiceDown", r -> r.withExpr(null, a.serviceDownFor())).toRuleGroups())
                // The same versions as the other layouts run, whatever the charts' defaults.
                .prometheusVersion(s.prometheusRelease().version())
                .alertmanagerVersion(a.alertmanagerRelease().version())
                .grafanaVersion(s.grafanaRelease().version())
                .nodeExporterVersion(s.nodeExporterRelease().version())
                .kubePrometheusStackVersion(e.kubePrometheusStackVersion())
                .lokiVersion(e.lokiVersion())
                .alloyVersion(e.alloyVersion())
                .externalSecretsVersion(e.externalSecretsVersion())
                .installEbsCsiDriver(e.installEbsCsiDriver())
                // A cluster we do not own may have a gp3 class and a default of its own: ours stays beside them.
                .storageClassName(e.clusterName() == null ? "gp3" : "o11y-gp3")
                .defaultStorageClass(e.clusterName() == null);
        if (f.grafanaAdminSecretName() != null) {
            kb.grafanaAdminSecret(Secret.fromSecretNameV2(this, "GrafanaAdmin", f.grafanaAdminSecretName()));
        }
        this.monitoring = new KubePrometheusStack(this, "Monitoring", kb.build());
        // What service teams' apps import (KubePrometheusStack.fromSsm): their ServiceMonitors need nothing else.
        monitoring.publishToSsm(e.ssmParameterPrefix());
        if (cluster instanceof Cluster owned && owned.getAlbController() != null) {
            // The ingresses need the controller to get their ALBs, and must go before it on delete, or the ALBs dangle.
            monitoring.getNode().addDependency(owned.getAlbController());
        }
        if (eks.nodes() != null) {
            // The add-on and the charts need nodes to run on.
            monitoring.getNode().addDependency(eks.nodes());
        }
        if (eks.access() != null) {
            monitoring.getNode().addDependency(eks.access());
        }
        warnVersion(e);
        EksFindings.cfnJsonHandler(this);
        Logs.encrypt(this, s);

        CfnOutput.Builder.create(this, "GrafanaUrl").value("https://grafana." + s.domainName() + "/").build();
        CfnOutput.Builder.create(this, "PrometheusUrl").value("https://prometheus." + s.domainName() + "/")
                .description(s.prometheusAllowedCidrs() + " only, on an internal ALB").build();
        CfnOutput.Builder.create(this, "GrafanaAdminSecretArn").value(monitoring.getGrafanaAdminSecret().getSecretArn()).build();
        CfnOutput.Builder.create(this, "ServiceTeamsImport").value("KubePrometheusStack.fromSsm(this, \"O11yEks\", \""
                + e.ssmParameterPrefix() + "\")").description("How a service team's app finds this platform").build();
        CfnOutput.Builder.create(this, "UpdateKubeconfig").value("aws eks update-kubeconfig --region " + s.region() + " --name "
                + cluster.getClusterName()).build();
    }

    /** The version's support is read with the other pins' ({@link SupportChecks}). */
    private void warnVersion(EksSettings e) {
        if (e.kubectlSkew() > 1) {
            Annotations.of(this).addWarningV2("@o11y-cdk/eks:kubectlSkew", "the kubectl layer (" + e.kubectlLayerVersion()
                    + ") is " + e.kubectlSkew() + " minor versions from Kubernetes " + e.kubernetesVersion() + "; kubectl supports one. "
                    + "Helm installs and plain manifests work across this skew; when a newer cdk-lambda-layer-kubectl artifact is "
                    + "reachable, add it to app/pom.xml and set eksKubectlLayerVersion");
        }
    }

    public ICluster getCluster() {
        return cluster;
    }

    public KubePrometheusStack getMonitoring() {
        return monitoring;
    }
}
