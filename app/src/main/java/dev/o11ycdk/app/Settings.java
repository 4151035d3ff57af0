package dev.o11ycdk.app;

import dev.o11ycdk.host.Release;
import java.util.List;
import software.amazon.awscdk.App;

/**
 * Every setting of the app, read once from the context. Names match the cdk.json keys, so an error
 * message names exactly what to change on the command line.
 */
public record Settings(
        List<String> layouts,
        String region,
        String account,
        List<String> availabilityZones,
        String domainName,
        String hostedZoneId,
        String hostedZoneName,
        String certificateArn,
        List<String> allowedCidrs,
        List<String> prometheusAllowedCidrs,
        String alarmTopicArn,
        String vpcId,
        List<String> vpcPublicSubnetIds,
        List<String> vpcPrivateSubnetIds,
        int grafanaPriority,
        int prometheusPriority,
        List<Integer> existingRulePriorities,
        ExistingAlb existingAlb,
        String instanceType,
        int retentionDays,
        String scrapeInterval,
        Release prometheusRelease,
        Release nodeExporterRelease,
        Release grafanaRelease,
        FargateSettings fargate,
        boolean albDeletionProtection,
        boolean logsKmsKey) {

    /** The layouts the app can build, each one stack: the EC2 host, ECS Fargate. */
    public static final List<String> LAYOUTS = List.of("ec2", "fargate");

    /** Another stack's ALB to add our rules to; null when the app creates its own. */
    public record ExistingAlb(String loadBalancerArn, String listenerArn, String securityGroupId, String dnsName,
                              String canonicalHostedZoneId) {
    }

    public static Settings from(App app) {
        Context c = new Context(app.getNode());
        List<String> layouts = c.list("layouts");
        for (String l : layouts) {
            if (!LAYOUTS.contains(l)) {
                throw new IllegalArgumentException("setting 'layouts' has '" + l + "': layouts are " + LAYOUTS);
            }
        }
        if (layouts.isEmpty()) {
            throw new IllegalArgumentException("setting 'layouts' is empty: name at least one of " + LAYOUTS);
        }
        String region = c.string("region");
        if (!region.matches("[a-z]{2}(-gov)?-[a-z]+-\\d")) {
            throw new IllegalArgumentException("setting 'region' = '" + region + "': not an AWS region such as ap-northeast-2");
        }
        String account = c.optional("account");
        if (account != null && !account.matches("\\d{12}")) {
            throw new IllegalArgumentException("setting 'account' = '" + account + "': must be 12 digits, or empty");
        }
        List<String> azs = c.list("availabilityZones");
        for (String az : azs) {
            if (!az.startsWith(region) || az.length() != region.length() + 1) {
                throw new IllegalArgumentException("setting 'availabilityZones' has '" + az + "': not a zone of region "
                        + region + " (e.g. " + region + "a)");
            }
        }
        String domain = c.string("domainName").toLowerCase();
        String zoneId = c.string("hostedZoneId");
        if (!zoneId.matches("Z[A-Z0-9]{1,31}")) {
            throw new IllegalArgumentException("setting 'hostedZoneId' = '" + zoneId + "': a Route 53 zone id starts with Z, "
                    + "then upper-case letters and digits");
        }
        String zoneName = c.optional("hostedZoneName") != null ? c.optional("hostedZoneName") : domain;
        if (!domain.equals(zoneName) && !domain.endsWith("." + zoneName)) {
            throw new IllegalArgumentException("setting 'hostedZoneName' = '" + zoneName + "': domainName " + domain
                    + " is not inside it");
        }
        String certArn = c.optional("certificateArn");
        if (certArn != null && !certArn.matches("arn:aws[a-z-]*:acm:[a-z0-9-]+:\\d{12}:certificate/[0-9a-f-]+")) {
            throw new IllegalArgumentException("setting 'certificateArn' = '" + certArn + "': not an ACM certificate ARN");
        }
        if (certArn != null && !certArn.split(":")[3].equals(region)) {
            throw new IllegalArgumentException("setting 'certificateArn' = '" + certArn + "': an ALB needs a certificate of its own "
                    + "region " + region);
        }
        String vpcId = c.optional("vpcId");
        List<String> pub = c.list("vpcPublicSubnetIds");
        List<String> priv = c.list("vpcPrivateSubnetIds");
        if (vpcId != null) {
            if (!vpcId.matches("vpc-[0-9a-f]{8,17}")) {
                throw new IllegalArgumentException("setting 'vpcId' = '" + vpcId + "': not a VPC id such as vpc-0123abcd");
            }
            if (azs.isEmpty() || pub.size() != azs.size() || priv.size() != azs.size()) {
                throw new IllegalArgumentException("setting 'vpcId' = '" + vpcId + "': an existing VPC needs availabilityZones, "
                        + "vpcPublicSubnetIds and vpcPrivateSubnetIds of equal length (got " + azs.size() + ", "
                        + pub.size() + ", " + priv.size() + ")");
            }
        }
        ExistingAlb alb = null;
        String listenerArn = c.optional("albListenerArn");
        if (listenerArn != null) {
            String[] keys = {"albArn", "albSecurityGroupId", "albDnsName", "albCanonicalHostedZoneId"};
            for (String k : keys) {
                if (c.optional(k) == null) {
                    throw new IllegalArgumentException("setting '" + k + "' is empty: with albListenerArn set, the existing ALB "
                            + "also needs albArn, albSecurityGroupId, albDnsName and albCanonicalHostedZoneId");
                }
            }
            alb = new ExistingAlb(c.optional("albArn"), listenerArn, c.optional("albSecurityGroupId"),
                    c.optional("albDnsName"), c.optional("albCanonicalHostedZoneId"));
            String arnPrefix = "arn:aws[a-z-]*:elasticloadbalancing:" + region + ":\\d{12}:";
            if (!alb.loadBalancerArn().matches(arnPrefix + "loadbalancer/app/[A-Za-z0-9-]+/[0-9a-f]+")) {
                throw new IllegalArgumentException("setting 'albArn' = '" + alb.loadBalancerArn() + "': not an ALB ARN in " + region);
            }
            if (!listenerArn.matches(arnPrefix + "listener/app/[A-Za-z0-9-]+/[0-9a-f]+/[0-9a-f]+")) {
                throw new IllegalArgumentException("setting 'albListenerArn' = '" + listenerArn + "': not an ALB listener ARN in " + region);
            }
            if (!alb.securityGroupId().matches("sg-[0-9a-f]{8,17}")) {
                throw new IllegalArgumentException("setting 'albSecurityGroupId' = '" + alb.securityGroupId() + "': not a security group id");
            }
        }
        return new Settings(layouts, region, account, azs, domain, zoneId, zoneName, certArn, c.list("allowedCidrs"),
                c.list("prometheusAllowedCidrs"), alarmTopic(c.optional("alarmTopicArn"), region),
                vpcId, pub, priv,
                c.integer("grafanaPriority"), c.integer("prometheusPriority"), c.integers("existingRulePriorities"),
                alb, instanceType(c.string("instanceType")), c.integer("retentionDays"), c.string("scrapeInterval"),
                release(c, Release.prometheus(), "prometheus"),
                release(c, Release.nodeExporter(), "nodeExporter"),
                release(c, Release.grafana(), "grafana"),
                FargateSettings.from(c),
                c.bool("albDeletionProtection"),
                c.bool("logsKmsKey"));
    }

    private static String alarmTopic(String arn, String region) {
        if (arn != null && !arn.matches("arn:aws[a-z-]*:sns:" + region + ":\\d{12}:[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("setting 'alarmTopicArn' = '" + arn + "': not an SNS topic ARN in " + region);
        }
        return arn;
    }

    private static String instanceType(String t) {
        if (!t.matches("[a-z][a-z0-9-]*\\.(nano|micro|small|medium|large|metal|[0-9]*xlarge)")) {
            throw new IllegalArgumentException("setting 'instanceType' = '" + t + "': not an EC2 instance type such as t3.medium");
        }
        return t;
    }

    private static Release release(Context c, Release pinned, String name) {
        String version = c.string(name + "Version");
        return pinned.withVersion(version, c.optional(name + "Sha256Amd64"), c.optional(name + "Sha256Arm64"));
    }
}
