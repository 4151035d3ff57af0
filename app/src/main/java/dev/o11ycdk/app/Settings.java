package dev.o11ycdk.app;

import dev.o11ycdk.alb.MonitoringAlb;
import dev.o11ycdk.config.Check;
import dev.o11ycdk.config.PromDuration;
import dev.o11ycdk.core.PrometheusSizing;
import dev.o11ycdk.host.Release;
import java.time.LocalDate;
import java.util.List;
import software.amazon.awscdk.App;
import software.amazon.awscdk.regioninfo.RegionInfo;
import software.amazon.awscdk.services.ec2.InstanceArchitecture;
import software.amazon.awscdk.services.ec2.InstanceType;

/**
 * Every setting of the app, read once from the context and checked before any construct is
 * built. Names match the cdk.json keys, and every error is one line naming the key and the value as
 * given ({@code setting 'grafanaPriority' = 0: must be in 1..50000}), also where a library check
 * (which names its own prop) does the checking. The pinned versions are read against the support
 * calendar when the stacks are built ({@link SupportChecks}).
 *
 * @param today the day the support calendar is read for: {@code @o11y-cdk/today}, else the real date
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
        AlertingSettings alerting,
        HostSettings host,
        FargateSettings fargate,
        EksSettings eks,
        boolean albDeletionProtection,
        boolean logsKmsKey,
        LocalDate today) {

    /** The layouts the app can build, each one stack: the EC2 host, ECS Fargate, EKS. */
    public static final List<String> LAYOUTS = List.of("ec2", "fargate", "eks");

    /** Another stack's ALB to add our rules to; null when the app creates its own. */
    public record ExistingAlb(String loadBalancerArn, String listenerArn, String securityGroupId, String dnsName,
                              String canonicalHostedZoneId) {
    }

    public static Settings from(App app) {
        Context c = new Context(app.getNode());
        LocalDate today = SupportChecks.today(c);
        List<String> layouts = c.list("layouts");
        for (String l : layouts) {
            if (!LAYOUTS.contains(l)) {
                throw Context.badEntry("layouts", l, "layouts are " + LAYOUTS);
            }
        }
        if (layouts.isEmpty()) {
            throw c.bad("layouts", "name at least one of " + LAYOUTS);
        }
        String region = region(c);
        String account = c.optional("account");
        if (account != null && !account.matches("\\d{12}")) {
            throw c.bad("account", "must be 12 digits, or empty");
        }
        List<String> azs = availabilityZones(c, region);
        String domain = dnsName(c, "domainName", c.string("domainName"));
        String zoneId = c.string("hostedZoneId");
        if (!zoneId.matches("Z[A-Z0-9]{1,31}")) {
            throw c.bad("hostedZoneId", "a Route 53 zone id starts with Z, then upper-case letters and digits");
        }
        String zoneName = c.optional("hostedZoneName") != null ? dnsName(c, "hostedZoneName", c.optional("hostedZoneName")) : domain;
        if (!domain.equals(zoneName) && !domain.endsWith("." + zoneName)) {
            throw c.bad("hostedZoneName", "domainName " + domain + " is not inside it");
        }
        String certArn = c.optional("certificateArn");
        if (certArn != null && !certArn.matches("arn:aws[a-z-]*:acm:[a-z0-9-]+:\\d{12}:certificate/[0-9a-f-]+")) {
            throw c.bad("certificateArn", "not an ACM certificate ARN");
        }
        if (certArn != null && !certArn.split(":")[3].equals(region)) {
            throw c.bad("certificateArn", "an ALB needs a certificate of its own region " + region);
        }
        List<String> allowedCidrs = cidrs(c, "allowedCidrs");
        List<String> prometheusCidrs = cidrs(c, "prometheusAllowedCidrs");
        String alarmTopicArn = c.optional("alarmTopicArn");
        if (alarmTopicArn != null && !alarmTopicArn.matches("arn:aws[a-z-]*:sns:" + region + ":\\d{12}:[A-Za-z0-9_-]{1,256}")) {
            throw c.bad("alarmTopicArn", "not an SNS topic ARN in " + region);
        }
        String vpcId = c.optional("vpcId");
        List<String> pub = subnets(c, "vpcPublicSubnetIds", vpcId);
        List<String> priv = subnets(c, "vpcPrivateSubnetIds", vpcId);
        if (vpcId != null) {
            if (!vpcId.matches("vpc-[0-9a-f]{8,17}")) {
                throw c.bad("vpcId", "not a VPC id such as vpc-0123abcd");
            }
            if (pub.size() != azs.size() || priv.size() != azs.size()) {
                throw c.bad("vpcId", "an existing VPC needs availabilityZones, "
                        + "vpcPublicSubnetIds and vpcPrivateSubnetIds of equal length (got " + azs.size() + ", "
                        + pub.size() + ", " + priv.size() + ")");
            }
        }
        List<Integer> existing = c.integers("existingRulePriorities", MonitoringAlb.MIN_PRIORITY, MonitoringAlb.MAX_PRIORITY);
        int grafanaPriority = priority(c, "grafanaPriority", existing, null);
        // Only the ec2 layout routes prometheus.<domain>, on the same listener as Grafana.
        int prometheusPriority = layouts.contains("ec2") ? priority(c, "prometheusPriority", existing, grafanaPriority)
                : c.integer("prometheusPriority", MonitoringAlb.MIN_PRIORITY, MonitoringAlb.MAX_PRIORITY);
        ExistingAlb alb = existingAlb(c, region, layouts, grafanaPriority);
        String instanceType = instanceType(c);
        Release.Arch arch = new InstanceType(instanceType).getArchitecture() == InstanceArchitecture.ARM_64
                ? Release.Arch.ARM64 : Release.Arch.AMD64;
        boolean host = layouts.contains("ec2");
        AlertingSettings alerting = AlertingSettings.from(c, host ? arch : null);
        FargateSettings fargate = FargateSettings.from(c);
        if (layouts.contains("eks")) {
            // The eks layout finds a service by its Kubernetes Service name, stricter than an ECS one.
            for (dev.o11ycdk.core.ScrapeTarget t : fargate.services()) {
                if (!t.name().matches("[a-z]([-a-z0-9]{0,61}[a-z0-9])?")) {
                    throw Context.badEntry("services", t.name(), "the eks layout scrapes a service by its Kubernetes Service name: "
                            + "lower-case letters, digits and '-', at most 63, starting with a letter");
                }
            }
        }
        HostSettings hostSettings = HostSettings.from(c);
        EksSettings eksSettings = EksSettings.from(c, today);
        checkPrefixes(layouts, fargate.ssmParameterPrefix(), hostSettings.ssmParameterPrefix(), eksSettings.ssmParameterPrefix());
        return new Settings(layouts, region, account, azs, domain, zoneId, zoneName, certArn, allowedCidrs,
                prometheusCidrs, alarmTopicArn, vpcId, pub, priv, grafanaPriority, prometheusPriority, existing,
                alb, instanceType, c.integer("retentionDays", 1, PrometheusSizing.MAX_RETENTION_DAYS), scrapeInterval(c),
                release(c, Release.prometheus(), host ? arch : null),
                release(c, Release.nodeExporter(), host ? arch : null),
                release(c, Release.grafana(), host ? arch : null),
                alerting,
                hostSettings,
                fargate,
                eksSettings,
                c.bool("albDeletionProtection"),
                c.bool("logsKmsKey"),
                today);
    }

    private static String region(Context c) {
        String region = c.string("region");
        if (!region.matches("[a-z]{2}(-[a-z]+)+-\\d")) {
            throw c.bad("region", "not an AWS region such as ap-northeast-2");
        }
        if (RegionInfo.getRegions().stream().noneMatch(r -> r.getName().equals(region))) {
            throw c.bad("region", "not a region aws-cdk-lib knows (e.g. ap-northeast-2, us-east-1)");
        }
        return region;
    }

    private static List<String> availabilityZones(Context c, String region) {
        List<String> azs = c.list("availabilityZones");
        for (String az : azs) {
            if (!az.matches(java.util.regex.Pattern.quote(region) + "[a-z]")) {
                throw Context.badEntry("availabilityZones", az, "not a zone of region " + region + " (e.g. " + region + "a)");
            }
            if (azs.indexOf(az) != azs.lastIndexOf(az)) {
                throw Context.badEntry("availabilityZones", az, "appears more than once");
            }
        }
        if (azs.size() < 2) {
            // Given explicitly so synth never looks them up; an ALB needs subnets in two zones.
            throw c.bad("availabilityZones", "name at least 2 zones of " + region + " (an ALB spans two), e.g. [\""
                    + region + "a\", \"" + region + "c\"]");
        }
        return azs;
    }

    /** A lowercase DNS name (what is given is lowercased first: DNS ignores case). */
    static String dnsName(Context c, String key, String given) {
        String name = given.toLowerCase(java.util.Locale.ROOT);
        if (name.length() > 200 || !name.matches("([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}")) {
            throw c.bad(key, "not a DNS name such as o11y.example.com");
        }
        return name;
    }

    private static List<String> cidrs(Context c, String key) {
        List<String> cidrs = c.list(key);
        cidrs.forEach(cidr -> Context.checkEntry(key, cidr, () -> Check.ipv4Cidr(key, cidr)));
        return cidrs;
    }

    private static List<String> subnets(Context c, String key, String vpcId) {
        List<String> ids = c.list(key);
        if (vpcId == null && !ids.isEmpty()) {
            throw c.bad(key, "subnets of an existing VPC: set vpcId too, or leave " + key + " empty");
        }
        for (String id : ids) {
            if (!id.matches("subnet-[0-9a-f]{8,17}")) {
                throw Context.badEntry(key, id, "not a subnet id such as subnet-0123abcd");
            }
        }
        return ids;
    }

    /** A listener rule priority: in the ALB's range, free, and before the existing rules (the seed's /api/* lesson). */
    private static int priority(Context c, String key, List<Integer> existing, Integer grafana) {
        int p = c.integer(key, MonitoringAlb.MIN_PRIORITY, MonitoringAlb.MAX_PRIORITY);
        int first = existing.stream().mapToInt(Integer::intValue).min().orElse(Integer.MAX_VALUE);
        String pick = first == MonitoringAlb.MIN_PRIORITY ? "no priority is free before existing rule 1"
                : "pick " + MonitoringAlb.MIN_PRIORITY + "-" + (first == Integer.MAX_VALUE ? MonitoringAlb.MAX_PRIORITY : first - 1);
        if (grafana != null && p == grafana) {
            throw Context.bad(key, p, "collides with grafanaPriority: the ec2 layout puts both rules on one listener, one rule a priority");
        }
        if (existing.contains(p)) {
            throw Context.bad(key, p, "collides with an existing rule (existingRulePriorities " + existing + "); " + pick);
        }
        if (p > first) {
            throw Context.bad(key, p, "comes after existing rule " + first + " (e.g. /api/*), which would capture this host's "
                    + "requests; " + pick);
        }
        return p;
    }

    /** The layouts publish parameters of the same names (security-group-id, cluster-name): each needs a prefix of its own. */
    private static void checkPrefixes(List<String> layouts, String fargate, String host, String eks) {
        java.util.Map<String, String> byKey = new java.util.LinkedHashMap<>();
        if (layouts.contains("fargate")) {
            byKey.put("ssmParameterPrefix", fargate);
        }
        if (layouts.contains("ec2")) {
            byKey.put("hostSsmParameterPrefix", host);
        }
        if (layouts.contains("eks")) {
            byKey.put("eksSsmParameterPrefix", eks);
        }
        java.util.Map<String, String> seen = new java.util.LinkedHashMap<>();
        byKey.forEach((key, prefix) -> {
            String other = seen.putIfAbsent(prefix, key);
            if (other != null) {
                throw Context.bad(key, prefix, "is " + other + " too; each layout publishes its parameters under a prefix of its own");
            }
        });
    }

    private static ExistingAlb existingAlb(Context c, String region, List<String> layouts, int grafanaPriority) {
        List<String> keys = List.of("albListenerArn", "albArn", "albSecurityGroupId", "albDnsName", "albCanonicalHostedZoneId");
        List<String> set = keys.stream().filter(k -> c.optional(k) != null).toList();
        if (set.isEmpty()) {
            return null;
        }
        for (String k : keys) {
            if (c.optional(k) == null) {
                throw c.bad(k, set.get(0) + " is set, and an existing ALB needs all five of " + String.join(", ", keys));
            }
        }
        ExistingAlb alb = new ExistingAlb(c.optional("albArn"), c.optional("albListenerArn"), c.optional("albSecurityGroupId"),
                c.optional("albDnsName"), c.optional("albCanonicalHostedZoneId"));
        String arnPrefix = "arn:aws[a-z-]*:elasticloadbalancing:" + region + ":\\d{12}:";
        if (!alb.loadBalancerArn().matches(arnPrefix + "loadbalancer/app/[A-Za-z0-9-]+/[0-9a-f]+")) {
            throw c.bad("albArn", "not an ALB ARN in " + region);
        }
        if (!alb.listenerArn().matches(arnPrefix + "listener/app/[A-Za-z0-9-]+/[0-9a-f]+/[0-9a-f]+")) {
            throw c.bad("albListenerArn", "not an ALB listener ARN in " + region);
        }
        String lb = alb.loadBalancerArn().replace(":loadbalancer/", ":listener/") + "/";
        if (!alb.listenerArn().startsWith(lb)) {
            throw c.bad("albListenerArn", "not a listener of albArn " + alb.loadBalancerArn());
        }
        if (!alb.securityGroupId().matches("sg-[0-9a-f]{8,17}")) {
            throw c.bad("albSecurityGroupId", "not a security group id such as sg-0123abcd");
        }
        if (!alb.dnsName().matches("(?i)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,}")) {
            throw c.bad("albDnsName", "not a DNS name such as chat-alb-123.ap-northeast-2.elb.amazonaws.com");
        }
        if (!alb.canonicalHostedZoneId().matches("Z[A-Z0-9]{1,31}")) {
            throw c.bad("albCanonicalHostedZoneId", "a Route 53 zone id starts with Z, then upper-case letters and digits");
        }
        if (layouts.size() > 1) {
            throw c.bad("albListenerArn", "layouts " + layouts + " would each add grafana.<domainName> at grafanaPriority "
                    + grafanaPriority + " to this one listener; name one layout in layouts");
        }
        return alb;
    }

    private static String instanceType(Context c) {
        String t = c.string("instanceType");
        if (!t.matches("[a-z][a-z0-9-]*\\.(nano|micro|small|medium|large|metal|[0-9]*xlarge)")) {
            throw c.bad("instanceType", "not an EC2 instance type such as t3.medium");
        }
        return t;
    }

    private static String scrapeInterval(Context c) {
        String s = c.string("scrapeInterval");
        PromDuration d = c.check("scrapeInterval", () -> PromDuration.parse("scrapeInterval", s).positive("scrapeInterval"));
        if (d.toMillis() > MAX_SCRAPE_INTERVAL_MS) {
            throw c.bad("scrapeInterval", "must be at most 2m: the alert rules' 5m windows need two samples each");
        }
        return s;
    }

    private static final long MAX_SCRAPE_INTERVAL_MS = 120_000;

    /**
     * The pinned release, or another version with its checksums; {@code arch} (the host's, null
     * without the ec2 layout) must have one.
     */
    static Release release(Context c, Release pinned, Release.Arch arch) {
        String name = pinned.name();
        String versionKey = name + "Version";
        String amdKey = name + "Sha256Amd64";
        String armKey = name + "Sha256Arm64";
        String version = c.string(versionKey);
        String amd = c.optional(amdKey);
        String arm = c.optional(armKey);
        c.check(versionKey, () -> new Release(name, version, pinned.urlTemplate(), null, null));
        c.check(amdKey, () -> new Release(name, version, pinned.urlTemplate(), amd, null));
        c.check(armKey, () -> new Release(name, version, pinned.urlTemplate(), null, arm));
        Release release = c.check(versionKey, () -> pinned.withVersion(version, amd, arm));
        String archKey = arch == Release.Arch.ARM64 ? armKey : amdKey;
        if (arch != null && (arch == Release.Arch.ARM64 ? release.sha256Arm64() : release.sha256Amd64()) == null) {
            throw c.bad(archKey, name + " " + version + " on instanceType " + c.string("instanceType") + " (" + arch.goArch()
                    + ") needs it; take it from the release's sha256sums.txt");
        }
        return release;
    }
}
