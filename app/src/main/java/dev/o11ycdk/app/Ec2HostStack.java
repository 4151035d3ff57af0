package dev.o11ycdk.app;

import dev.o11ycdk.alb.HostRoute;
import dev.o11ycdk.alb.HostRouteOptions;
import dev.o11ycdk.alb.MonitoringAlb;
import dev.o11ycdk.alb.MonitoringAlbProps;
import dev.o11ycdk.core.Ports;
import dev.o11ycdk.host.ObservabilityInstance;
import dev.o11ycdk.host.ObservabilityInstanceProps;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.certificatemanager.Certificate;
import software.amazon.awscdk.services.cloudwatch.IAlarmAction;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.InstanceType;
import software.amazon.awscdk.services.ec2.MachineImage;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationListener;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationListenerAttributes;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationLoadBalancer;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationLoadBalancerAttributes;
import software.amazon.awscdk.services.elasticloadbalancingv2.targets.InstanceTarget;
import software.amazon.awscdk.services.route53.IHostedZone;
import software.constructs.Construct;

/** Layout 1: one EC2 host with Prometheus, Grafana, Alertmanager and node_exporter behind the HTTPS ALB. */
public class Ec2HostStack extends LayoutStack {
    private final MonitoringAlb alb;
    private final ObservabilityInstance host;

    public Ec2HostStack(Construct scope, String id, StackProps props, Settings s) {
        super(scope, id, props, s);
        IVpc vpc = Network.vpc(this, s);
        IHostedZone zone = Network.zone(this, s);
        IAlarmAction alarms = Alarms.action(this, s);
        this.alb = new MonitoringAlb(this, "Alb", albProps(this, s, vpc, zone, alarms));

        HostSettings h = s.host();
        this.host = new ObservabilityInstance(this, "Host", ObservabilityInstanceProps.builder()
                .vpc(vpc)
                .instanceType(new InstanceType(s.instanceType()))
                .machineImage(h.amiId() == null ? null : MachineImage.genericLinux(Map.of(s.region(), h.amiId())))
                .terminationProtection(h.terminationProtection())
                .retention(Duration.days(s.retentionDays()))
                .scrapeInterval(s.scrapeInterval())
                .prometheusRelease(s.prometheusRelease())
                .nodeExporterRelease(s.nodeExporterRelease())
                .grafanaRelease(s.grafanaRelease())
                .grafanaRootUrl("https://grafana." + s.domainName() + "/")
                .runbookBaseUrl(s.alerting().runbookBaseUrl())
                .rules(ObservabilityInstance.defaultRules(s.alerting().runbookBaseUrl())
                        .override("ServiceDown", r -> r.withExpr(null, s.alerting().serviceDownFor())).toRuleGroups())
                // The same Alertmanager settings as the Fargate layout, the webhook read at boot.
                .alertmanagerRelease(s.alerting().alertmanagerRelease())
                .slackWebhookSecret(s.alerting().slackWebhookSecret(this))
                .criticalChannel(s.alerting().slackCriticalChannel())
                .warningChannel(s.alerting().slackWarningChannel())
                .mutedEnvironments(s.alerting().mutedEnvironments())
                .heartbeatUrl(s.alerting().heartbeatUrl())
                .environment(s.fargate().environment())
                .build());
        // What service teams' apps import (ObservabilityInstance.fromSsm): their instances join by tags alone.
        host.publishToSsm(h.ssmParameterPrefix());
        // Grafana and Prometheus only from the ALB.
        alb.getConnections().allowTo(host, Port.tcp(Ports.GRAFANA), "ALB to Grafana");
        alb.getConnections().allowTo(host, Port.tcp(Ports.PROMETHEUS), "ALB to Prometheus");

        HostRoute grafana = alb.addHostRoute("Grafana", HostRouteOptions.builder()
                .subdomain("grafana").port(Ports.GRAFANA).healthCheckPath("/api/health")
                .priority(s.grafanaPriority())
                .targets(List.of(new InstanceTarget(host.getInstance(), Ports.GRAFANA)))
                .build());
        HostRoute prometheus = alb.addHostRoute("Prometheus", HostRouteOptions.builder()
                .subdomain("prometheus").port(Ports.PROMETHEUS).healthCheckPath("/-/ready")
                .priority(s.prometheusPriority())
                .authenticated(false) // Prometheus has no login: limit who reaches it
                .sourceCidrs(s.prometheusAllowedCidrs())
                .targets(List.of(new InstanceTarget(host.getInstance(), Ports.PROMETHEUS)))
                .build());

        Logs.encrypt(this, s);
        warnOfAmiAge(h, s.today());

        CfnOutput.Builder.create(this, "GrafanaUrl").value(grafana.getUrl()).build();
        CfnOutput.Builder.create(this, "PrometheusUrl").value(prometheus.getUrl()).build();
        CfnOutput.Builder.create(this, "InstanceId").value(host.getInstance().getInstanceId())
                .description("aws ssm start-session --target <this id>").build();
        CfnOutput.Builder.create(this, "DataVolumeId").value(host.getDataVolume().getVolumeId())
                .description("The host's data volume (TSDB, Grafana, Alertmanager), kept across instances and stack deletion").build();
        CfnOutput.Builder.create(this, "GrafanaAdminSecretArn").value(host.getGrafanaAdminSecret().getSecretArn())
                .description("Grafana admin password (user admin)").build();
        CfnOutput.Builder.create(this, "ServiceTeamsImport").value("ObservabilityInstance.fromSsm(this, \"O11yHost\", \""
                + h.ssmParameterPrefix() + "\")").description("How a service team's app finds this host").build();
    }

    /** A pinned AMI older than hostAmiMaxAgeDays, or one without its date, warns: patched, not forgotten. */
    private void warnOfAmiAge(HostSettings h, LocalDate today) {
        if (h.amiId() == null) {
            return; // the construct warns of the parameter
        }
        String subject = Context.subject("hostAmiId", h.amiId());
        if (h.amiReleased() == null) {
            Annotations.of(this).addWarningV2("@o11y-cdk/host:amiUndated", subject + ": hostAmiReleased is empty, so the AMI's age "
                    + "is not checked; set it to the AMI's CreationDate (aws ec2 describe-images --image-ids " + h.amiId()
                    + " --query 'Images[0].CreationDate')");
            return;
        }
        long age = ChronoUnit.DAYS.between(h.amiReleased(), today);
        if (age > h.amiMaxAgeDays()) {
            Annotations.of(this).addWarningV2("@o11y-cdk/host:amiAge", subject + " came out on " + h.amiReleased() + ", " + age
                    + " days before " + today + " (hostAmiMaxAgeDays " + h.amiMaxAgeDays() + "): move the host to a newer Amazon "
                    + "Linux 2023 AMI (README, \"Moving the host to a new AMI\")");
        }
    }

    /** ALB props from the settings: a new ALB, or another stack's listener when albListenerArn is set. */
    static MonitoringAlbProps albProps(Construct scope, Settings s, IVpc vpc, IHostedZone zone, IAlarmAction alarms) {
        MonitoringAlbProps.Builder b = MonitoringAlbProps.builder()
                .vpc(vpc)
                .alarmAction(alarms)
                .domainName(s.domainName())
                .hostedZone(zone)
                .existingRulePriorities(s.existingRulePriorities())
                .deletionProtection(s.albDeletionProtection());
        if (!s.allowedCidrs().isEmpty()) {
            b.allowedCidrs(s.allowedCidrs());
        }
        if (s.certificateArn() != null) {
            b.certificate(Certificate.fromCertificateArn(scope, "Certificate", s.certificateArn()));
        }
        if (s.existingAlb() != null) {
            Settings.ExistingAlb e = s.existingAlb();
            b.existingLoadBalancer(ApplicationLoadBalancer.fromApplicationLoadBalancerAttributes(scope, "ExistingAlb",
                    ApplicationLoadBalancerAttributes.builder()
                            .loadBalancerArn(e.loadBalancerArn())
                            .securityGroupId(e.securityGroupId())
                            .loadBalancerDnsName(e.dnsName())
                            .loadBalancerCanonicalHostedZoneId(e.canonicalHostedZoneId())
                            .build()));
            b.existingListener(ApplicationListener.fromApplicationListenerAttributes(scope, "ExistingListener",
                    ApplicationListenerAttributes.builder()
                            .listenerArn(e.listenerArn())
                            .securityGroup(SecurityGroup.fromSecurityGroupId(scope, "ExistingAlbSg", e.securityGroupId()))
                            .build()));
        }
        return b.build();
    }

    /** Zones from the settings keep synth offline even with an explicit account. */
    public MonitoringAlb getAlb() {
        return alb;
    }

    public ObservabilityInstance getHost() {
        return host;
    }
}
