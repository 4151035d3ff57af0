package dev.o11ycdk.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.o11ycdk.core.SupportCalendar;
import dev.o11ycdk.test.support.BadInput;
import dev.o11ycdk.test.support.CdkJson;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every setting's bad values, as a person meets them: {@code cdk synth} stops with exactly one line,
 * {@code o11y-cdk: setting '<cdk.json key>' = <value as given>: <why>} (or {@code has <entry>} for
 * one entry of a list), before any template is written (seed 004: a port out of range and a bad
 * config only surfaced after deploy). Values are given as an edited cdk.json holds them (JSON:
 * numbers, lists, objects, null) or as {@code -c key=value} gives them (a string).
 *
 * <p>Every non-{@code @aws-cdk} key of cdk.json's context needs at least one row: a setting added
 * without one fails {@link #everySettingInCdkJsonHasABadValueRow}. A row is one line:
 * {@code bad("key", value, "setting 'key' = ...: why")}, with {@code .with("other", value)} where
 * the bad value needs another setting to show.
 */
class BadInputTest {
    static final String SHA = "a".repeat(64);
    static final String ALB_ARN = "arn:aws:elasticloadbalancing:ap-northeast-2:111122223333:loadbalancer/app/ktb-chat-alb/50dc6c495c0c9188";
    static final Map<String, Object> EXISTING_ALB = Map.of("layouts", "ec2", "albListenerArn", ExistingAlbTest.LISTENER,
            "albArn", ALB_ARN, "albSecurityGroupId", "sg-0123456789abcdef0",
            "albDnsName", "ktb-chat-alb-8510.ap-northeast-2.elb.amazonaws.com", "albCanonicalHostedZoneId", "ZWKZPGTI48KDX");
    static final Map<String, Object> EXISTING_VPC = Map.of("vpcId", "vpc-0123456789abcdef0",
            "vpcPublicSubnetIds", List.of("subnet-0123456789abcdef0", "subnet-0123456789abcdef1"),
            "vpcPrivateSubnetIds", List.of("subnet-0123456789abcdef2", "subnet-0123456789abcdef3"));
    static final String OAUTH = "{\"name\":\"Cognito\",\"clientId\":\"abc\",\"clientSecretName\":\"o11y/oauth\","
            + "\"authUrl\":\"https://a.example.com\",\"tokenUrl\":\"https://t.example.com\",\"apiUrl\":\"https://u.example.com\"";

    /**
     * Every pinned version on the support calendar's recommended one (the host's checksums stand-ins:
     * synth downloads nothing), so a row about one pin past its end fails for that pin alone.
     */
    static final Map<String, Object> SUPPORTED_PINS = supportedPins();

    static Map<String, Object> supportedPins() {
        SupportCalendar calendar = SupportCalendar.standard();
        Map<String, Object> pins = new HashMap<>();
        Map.of("prometheusVersion", "prometheus", "alertmanagerVersion", "alertmanager", "grafanaVersion", "grafana",
                "nodeExporterVersion", "node_exporter", "cloudwatchExporterVersion", "cloudwatch-exporter",
                "adotCollectorVersion", "adot-collector", "kubePrometheusStackVersion", "kube-prometheus-stack",
                "lokiVersion", "loki-chart", "alloyVersion", "alloy-chart", "externalSecretsVersion", "external-secrets-chart")
                .forEach((setting, component) -> pins.put(setting, calendar.recommended(component)));
        pins.put("eksKubernetesVersion", calendar.recommended("eks-kubernetes"));
        for (String release : List.of("prometheus", "alertmanager", "grafana", "nodeExporter")) {
            pins.put(release + "Sha256Amd64", SHA);
            pins.put(release + "Sha256Arm64", SHA);
        }
        return Map.copyOf(pins);
    }

    /** The eks layout on a cluster that exists: its AWS Load Balancer Controller is not the app's to check. */
    static final Map<String, Object> EKS_ONLY = Map.of("layouts", "eks", "eksClusterName", "team-cluster");

    /** 41 distinct /32 blocks, one more than EKS takes, as -c gives them. */
    static final String FORTY_ONE_CIDRS = java.util.stream.IntStream.rangeClosed(1, 41).mapToObj(i -> "198.51.100." + i + "/32")
            .collect(Collectors.joining(","));

    static final List<Row> ROWS = List.of(
            bad("layouts", List.of("ec2", "gke"), "setting 'layouts' has 'gke': layouts are [ec2, fargate, eks]"),
            bad("layouts", "EKS", "setting 'layouts' has 'EKS': layouts are [ec2, fargate, eks]"),
            bad("layouts", List.of(), "setting 'layouts' = []: name at least one of [ec2, fargate, eks]"),
            bad("layouts", Map.of("ec2", true), "setting 'layouts' = {\"ec2\":true}: must be a list such as [\"a\", \"b\"] (with -c: a,b)"),
            bad("region", "ap-northest-2", "setting 'region' = 'ap-northest-2': not a region aws-cdk-lib knows (e.g. ap-northeast-2, us-east-1)"),
            bad("region", "Seoul", "setting 'region' = 'Seoul': not an AWS region such as ap-northeast-2"),
            bad("region", null, "setting 'region' = null: must be set: add it to the context of cdk.json or pass -c region=..."),
            bad("account", "1234", "setting 'account' = '1234': must be 12 digits, or empty"),
            bad("account", List.of("111122223333"), "setting 'account' = [\"111122223333\"]: must be a string"),
            bad("availabilityZones", List.of(), "setting 'availabilityZones' = []: name at least 2 zones of ap-northeast-2 (an ALB spans two), "
                    + "e.g. [\"ap-northeast-2a\", \"ap-northeast-2c\"]"),
            bad("availabilityZones", "ap-northeast-2a", "setting 'availabilityZones' = 'ap-northeast-2a': name at least 2 zones of "
                    + "ap-northeast-2 (an ALB spans two), e.g. [\"ap-northeast-2a\", \"ap-northeast-2c\"]"),
            bad("availabilityZones", "us-east-1a,us-east-1b", "setting 'availabilityZones' has 'us-east-1a': not a zone of region "
                    + "ap-northeast-2 (e.g. ap-northeast-2a)"),
            bad("availabilityZones", List.of("ap-northeast-2a", "ap-northeast-2a"), "setting 'availabilityZones' has 'ap-northeast-2a': "
                    + "appears more than once"),
            bad("availabilityZones", List.of("ap-northeast-2a", ""), "setting 'availabilityZones' has '': an empty entry; remove it "
                    + "(or the extra comma)"),
            bad("domainName", "o11y_host.example.com", "setting 'domainName' = 'o11y_host.example.com': not a DNS name such as "
                    + "o11y.example.com").with("hostedZoneName", "example.com"),
            bad("domainName", "localhost", "setting 'domainName' = 'localhost': not a DNS name such as o11y.example.com"),
            bad("hostedZoneId", "zone-1", "setting 'hostedZoneId' = 'zone-1': a Route 53 zone id starts with Z, then upper-case letters "
                    + "and digits"),
            bad("hostedZoneName", "other.org", "setting 'hostedZoneName' = 'other.org': domainName o11y.example.com is not inside it"),
            bad("hostedZoneName", "example..com", "setting 'hostedZoneName' = 'example..com': not a DNS name such as o11y.example.com"),
            bad("certificateArn", "arn:aws:acm:us-east-1:111122223333:certificate/f3e3c113-8989-4f83-98d8-48213617ce72",
                    "setting 'certificateArn' = 'arn:aws:acm:us-east-1:111122223333:certificate/f3e3c113-8989-4f83-98d8-48213617ce72': "
                            + "an ALB needs a certificate of its own region ap-northeast-2"),
            bad("certificateArn", "my-cert", "setting 'certificateArn' = 'my-cert': not an ACM certificate ARN"),
            bad("allowedCidrs", "203.0.113.0/33", "setting 'allowedCidrs' has '203.0.113.0/33': must be an IPv4 CIDR block such as "
                    + "203.0.113.0/24"),
            bad("allowedCidrs", "203.0.113.0/24,,198.51.100.0/24", "setting 'allowedCidrs' has '': an empty entry; remove it (or the extra comma)"),
            bad("prometheusAllowedCidrs", "office", "setting 'prometheusAllowedCidrs' has 'office': must be an IPv4 CIDR block such as "
                    + "203.0.113.0/24"),
            bad("prometheusAllowedCidrs", List.of(Map.of("cidr", "10.0.0.0/8")), "setting 'prometheusAllowedCidrs' has "
                    + "{\"cidr\":\"10.0.0.0/8\"}: must be a string"),
            bad("alarmTopicArn", "arn:aws:sns:us-east-1:111122223333:alarms", "setting 'alarmTopicArn' = "
                    + "'arn:aws:sns:us-east-1:111122223333:alarms': not an SNS topic ARN in ap-northeast-2"),
            bad("vpcId", "vpc-0123456789abcdef0", "setting 'vpcId' = 'vpc-0123456789abcdef0': an existing VPC needs availabilityZones, "
                    + "vpcPublicSubnetIds and vpcPrivateSubnetIds of equal length (got 2, 0, 0)"),
            bad("vpcId", "default", "setting 'vpcId' = 'default': not a VPC id such as vpc-0123abcd").with(EXISTING_VPC),
            bad("vpcPublicSubnetIds", List.of("subnet-0123456789abcdef0", "subnet-0123456789abcdef1"), "setting 'vpcPublicSubnetIds' = "
                    + "[\"subnet-0123456789abcdef0\",\"subnet-0123456789abcdef1\"]: subnets of an existing VPC: set vpcId too, or leave "
                    + "vpcPublicSubnetIds empty"),
            bad("vpcPublicSubnetIds", "public-a,public-c", "setting 'vpcPublicSubnetIds' has 'public-a': not a subnet id such as "
                    + "subnet-0123abcd").with(EXISTING_VPC),
            bad("vpcId", "vpc-0123456789abcdef0", "setting 'vpcId' = 'vpc-0123456789abcdef0': an existing VPC needs availabilityZones, "
                    + "vpcPublicSubnetIds and vpcPrivateSubnetIds of equal length (got 2, 2, 1)").with(EXISTING_VPC)
                    .with("vpcPrivateSubnetIds", List.of("subnet-0123456789abcdef2")),
            bad("vpcPrivateSubnetIds", "subnet-0123456789abcdef2,", "setting 'vpcPrivateSubnetIds' has '': an empty entry; remove it "
                    + "(or the extra comma)").with(EXISTING_VPC),
            bad("grafanaPriority", 0, "setting 'grafanaPriority' = 0: must be in 1..50000"),
            bad("grafanaPriority", "five", "setting 'grafanaPriority' = 'five': must be a whole number in 1..50000"),
            bad("grafanaPriority", "99999999999", "setting 'grafanaPriority' = 99999999999: must be in 1..50000"),
            bad("grafanaPriority", 5.5, "setting 'grafanaPriority' = 5.5: must be a whole number in 1..50000"),
            bad("grafanaPriority", 12, "setting 'grafanaPriority' = 12: comes after existing rule 10 (e.g. /api/*), which would capture "
                    + "this host's requests; pick 1-9").with("existingRulePriorities", List.of(10, 20)),
            bad("grafanaPriority", 5, "setting 'grafanaPriority' = 5: collides with an existing rule (existingRulePriorities [5, 10]); "
                    + "pick 1-4").with("existingRulePriorities", "5,10"),
            bad("prometheusPriority", 5, "setting 'prometheusPriority' = 5: collides with grafanaPriority: the ec2 layout puts both rules "
                    + "on one listener, one rule a priority"),
            bad("prometheusPriority", "50001", "setting 'prometheusPriority' = 50001: must be in 1..50000"),
            bad("existingRulePriorities", List.of(10, 0), "setting 'existingRulePriorities' has 0: must be in 1..50000"),
            bad("existingRulePriorities", "10,api", "setting 'existingRulePriorities' has 'api': must be a whole number in 1..50000"),
            bad("grafanaPriority", 5, "setting 'grafanaPriority' = 5: comes after existing rule 1 (e.g. /api/*), which would capture "
                    + "this host's requests; no priority is free before existing rule 1").with("existingRulePriorities", List.of(1)),
            bad("albArn", "", "setting 'albArn' = '': albListenerArn is set, and an existing ALB needs all five of albListenerArn, "
                    + "albArn, albSecurityGroupId, albDnsName, albCanonicalHostedZoneId").with("albListenerArn", ExistingAlbTest.LISTENER),
            bad("albListenerArn", ExistingAlbTest.LISTENER, "setting 'albListenerArn' = '" + ExistingAlbTest.LISTENER + "': layouts "
                    + "[ec2, fargate] would each add grafana.<domainName> at grafanaPriority 5 to this one listener; name one layout in "
                    + "layouts").with(EXISTING_ALB).with("layouts", List.of("ec2", "fargate")),
            bad("albListenerArn", ExistingAlbTest.LISTENER.replace("50dc6c495c0c9188", "0123456789abcdef"), "setting 'albListenerArn' = '"
                    + ExistingAlbTest.LISTENER.replace("50dc6c495c0c9188", "0123456789abcdef") + "': not a listener of albArn " + ALB_ARN)
                    .with(EXISTING_ALB),
            bad("albListenerArn", "", "setting 'albListenerArn' = '': albArn is set, and an existing ALB needs all five of "
                    + "albListenerArn, albArn, albSecurityGroupId, albDnsName, albCanonicalHostedZoneId").with("albArn", ALB_ARN),
            bad("albArn", "ktb-chat-alb", "setting 'albArn' = 'ktb-chat-alb': not an ALB ARN in ap-northeast-2").with(EXISTING_ALB),
            bad("albSecurityGroupId", "chat-alb-sg", "setting 'albSecurityGroupId' = 'chat-alb-sg': not a security group id such as "
                    + "sg-0123abcd").with(EXISTING_ALB),
            bad("albDnsName", "ktb chat alb", "setting 'albDnsName' = 'ktb chat alb': not a DNS name such as "
                    + "chat-alb-123.ap-northeast-2.elb.amazonaws.com").with(EXISTING_ALB),
            bad("albCanonicalHostedZoneId", "zwkzpgti48kdx", "setting 'albCanonicalHostedZoneId' = 'zwkzpgti48kdx': a Route 53 zone id "
                    + "starts with Z, then upper-case letters and digits").with(EXISTING_ALB),
            bad("instanceType", "t3.mediun", "setting 'instanceType' = 't3.mediun': not an EC2 instance type such as t3.medium"),
            bad("hostAmiId", "al2023-ami-2023.9", "setting 'hostAmiId' = 'al2023-ami-2023.9': not an AMI id such as ami-0123456789abcdef0"),
            bad("hostAmiId", "ami-0123", "setting 'hostAmiId' = 'ami-0123': not an AMI id such as ami-0123456789abcdef0"),
            bad("hostAmiReleased", "20.11.2026", "setting 'hostAmiReleased' = '20.11.2026': must be a date such as 2026-11-20 (the "
                    + "AMI's CreationDate)").with("hostAmiId", "ami-0123456789abcdef0"),
            bad("hostAmiReleased", "2026-11-20", "setting 'hostAmiReleased' = '2026-11-20': dates the AMI of hostAmiId, which is not set"),
            bad("hostAmiMaxAgeDays", 0, "setting 'hostAmiMaxAgeDays' = 0: must be in 1..3650"),
            bad("hostSsmParameterPrefix", "o11y/host", "setting 'hostSsmParameterPrefix' = 'o11y/host': must be an SSM path such as "
                    + "/o11y-cdk/host"),
            bad("hostSsmParameterPrefix", "/ssm/o11y", "setting 'hostSsmParameterPrefix' = '/ssm/o11y': SSM reserves names beginning "
                    + "with aws or ssm"),
            bad("hostSsmParameterPrefix", "/o11y-cdk/platform", "setting 'hostSsmParameterPrefix' = '/o11y-cdk/platform': is "
                    + "ssmParameterPrefix too; each layout publishes its parameters under a prefix of its own"),
            bad("hostTerminationProtection", "on", "setting 'hostTerminationProtection' = 'on': must be true or false"),
            bad("retentionDays", 0, "setting 'retentionDays' = 0: must be in 1..3650"),
            bad("retentionDays", "-1", "setting 'retentionDays' = -1: must be in 1..3650"),
            bad("retentionDays", 3651, "setting 'retentionDays' = 3651: must be in 1..3650"),
            bad("scrapeInterval", "15sec", "setting 'scrapeInterval' = '15sec': is not a Prometheus duration; use units y w d h m s ms, "
                    + "largest first, e.g. 15s, 1m, 2h30m"),
            bad("scrapeInterval", "0", "setting 'scrapeInterval' = '0': must be greater than zero"),
            bad("scrapeInterval", 15, "setting 'scrapeInterval' = 15: is not a Prometheus duration; use units y w d h m s ms, largest "
                    + "first, e.g. 15s, 1m, 2h30m"),
            bad("scrapeInterval", "5m", "setting 'scrapeInterval' = '5m': must be at most 2m: the alert rules' 5m windows need two "
                    + "samples each"),
            bad("prometheusVersion", "2.53.0", "setting 'prometheusVersion' = '2.53.0': a version other than the pinned 3.13.2 needs its "
                    + "checksum (prometheusSha256Amd64 or prometheusSha256Arm64)"),
            bad("prometheusVersion", "latest", "setting 'prometheusVersion' = 'latest': must be an exact version such as 1.2.3 (no ranges, "
                    + "no 'latest')"),
            bad("prometheusSha256Amd64", "abc", "setting 'prometheusSha256Amd64' = 'abc': must be 64 lowercase hex digits (sha256sum output)")
                    .with("prometheusVersion", "2.53.0"),
            bad("prometheusSha256Amd64", "", "setting 'prometheusSha256Amd64' = '': prometheus 2.53.0 on instanceType t3.medium (amd64) "
                    + "needs it; take it from the release's sha256sums.txt").with("prometheusVersion", "2.53.0")
                    .with("prometheusSha256Arm64", SHA),
            bad("prometheusSha256Arm64", "", "setting 'prometheusSha256Arm64' = '': prometheus 2.53.0 on instanceType t4g.medium (arm64) "
                    + "needs it; take it from the release's sha256sums.txt").with("prometheusVersion", "2.53.0")
                    .with("prometheusSha256Amd64", SHA).with("instanceType", "t4g.medium"),
            bad("nodeExporterVersion", "1.8", "setting 'nodeExporterVersion' = '1.8': must be an exact version such as 1.2.3 (no ranges, no "
                    + "'latest')"),
            bad("nodeExporterSha256Amd64", "ABC", "setting 'nodeExporterSha256Amd64' = 'ABC': must be 64 lowercase hex digits (sha256sum "
                    + "output)").with("nodeExporterVersion", "1.8.2"),
            bad("nodeExporterSha256Arm64", SHA.toUpperCase(), "setting 'nodeExporterSha256Arm64' = '" + SHA.toUpperCase() + "': must be 64 "
                    + "lowercase hex digits (sha256sum output)").with("nodeExporterVersion", "1.8.2"),
            bad("grafanaVersion", "10.x", "setting 'grafanaVersion' = '10.x': must be an exact version such as 1.2.3 (no ranges, no 'latest')")
                    .with("grafanaSha256Amd64", SHA),
            bad("grafanaSha256Amd64", "a".repeat(56), "setting 'grafanaSha256Amd64' = '" + "a".repeat(56) + "': must be 64 lowercase hex "
                    + "digits (sha256sum output)").with("grafanaVersion", "11.0.0"),
            bad("grafanaSha256Arm64", "sha256:" + SHA, "setting 'grafanaSha256Arm64' = 'sha256:" + SHA + "': must be 64 "
                    + "lowercase hex digits (sha256sum output)").with("grafanaVersion", "11.0.0"),
            bad("environment", "Prod", "setting 'environment' = 'Prod': use lowercase letters, digits and '-'"),
            bad("environment", true, "setting 'environment' = true: must be a string"),
            bad("services", "api-1:8080", "setting 'services' = 'api-1:8080': must be a JSON list such as [{\"name\": \"api\", \"port\": "
                    + "8080, \"path\": \"/metrics\"}]"),
            bad("services", Map.of("api-1", 8080), "setting 'services' = {\"api-1\":8080}: must be a JSON "
                    + "list such as [{\"name\": \"api\", \"port\": 8080, \"path\": \"/metrics\"}]"),
            bad("services", "[{\"name\":\"Api1Service\",\"port\":8080}]", "setting 'services' has 'Api1Service': the eks layout "
                    + "scrapes a service by its Kubernetes Service name: lower-case letters, digits and '-', at most 63, starting with "
                    + "a letter"),
            bad("services", List.of("api-1"), "setting 'services' has 'api-1': each service is an object {\"name\", \"port\", \"path\", \"env\"}"),
            bad("services", "[{\"name\":\"api-1\",\"port\":70000}]", "setting 'services' has {\"name\":\"api-1\",\"port\":70000}: port must "
                    + "be a TCP port in 1..65535"),
            bad("services", "[{\"name\":\"api-1\",\"port\":\"http\"}]", "setting 'services' has {\"name\":\"api-1\",\"port\":\"http\"}: port "
                    + "must be a TCP port in 1..65535"),
            bad("services", "[{\"name\":\"api.1\",\"port\":8080}]", "setting 'services' has {\"name\":\"api.1\",\"port\":8080}: name must be "
                    + "an ECS service name (letters, digits, '-' and '_')"),
            bad("services", "[{\"port\":8080}]", "setting 'services' has {\"port\":8080}: name must be an ECS service name (letters, "
                    + "digits, '-' and '_')"),
            bad("services", "[{\"name\":\"api-1\",\"port\":8080},{\"name\":\"api-1\",\"port\":8081}]", "setting 'services' has "
                    + "{\"name\":\"api-1\",\"port\":8081}: name appears more than once"),
            bad("services", "[{\"name\":\"prometheus\",\"port\":9090}]", "setting 'services' has {\"name\":\"prometheus\",\"port\":9090}: "
                    + "name is one of the platform's own jobs [prometheus, grafana, alertmanager, cloudwatch, cloudwatch-exporter, ec2, "
                    + "node, ecs]"),
            bad("services", "[{\"name\":\"api-1\",\"port\":8080,\"path\":\"metrics\"}]", "setting 'services' has "
                    + "{\"name\":\"api-1\",\"port\":8080,\"path\":\"metrics\"}: path must be an absolute URL path such as /metrics (no ?query)"),
            bad("services", "[{\"name\":\"api-1\",\"port\":8080,\"metricsPath\":\"/m\"}]", "setting 'services' has "
                    + "{\"name\":\"api-1\",\"port\":8080,\"metricsPath\":\"/m\"}: unknown field 'metricsPath'; a service has [name, port, "
                    + "path, env]"),
            bad("services", "[{\"name\":\"api-1\",\"port\":8080,\"env\":\"\"}]", "setting 'services' has "
                    + "{\"name\":\"api-1\",\"port\":8080,\"env\":\"\"}: env must be lowercase letters, digits and '-'"),
            bad("cloudMapNamespace", "o11y..local", "setting 'cloudMapNamespace' = 'o11y..local': must be a DNS name such as o11y.local"),
            bad("clusterName", "o11y platform", "setting 'clusterName' = 'o11y platform': an ECS cluster name has 1-255 letters, digits, '-' "
                    + "and '_'"),
            bad("ssmParameterPrefix", "o11y", "setting 'ssmParameterPrefix' = 'o11y': must be an SSM path such as /o11y-cdk/platform"),
            bad("ssmParameterPrefix", "/aws/o11y", "setting 'ssmParameterPrefix' = '/aws/o11y': SSM reserves names beginning with aws or ssm"),
            bad("ssmParameterPrefix", "/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o", "setting 'ssmParameterPrefix' = '/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o': "
                    + "must have at most 14 levels and 900 characters"),
            bad("discoveryClusters", "team a", "setting 'discoveryClusters' has 'team a': an ECS cluster name has 1-255 letters, digits, '-' "
                    + "and '_'"),
            bad("discoveryClusters", List.of("team-a", "team-a"), "setting 'discoveryClusters' has 'team-a': appears more than once"),
            bad("discoveryClusters", List.of("o11y"), "setting 'discoveryClusters' has 'o11y': is the platform's own cluster (clusterName), "
                    + "always discovered").with("clusterName", "o11y"),
            bad("discoveryInterval", "30", "setting 'discoveryInterval' = '30': is not a Prometheus duration; use units y w d h m s ms, "
                    + "largest first, e.g. 15s, 1m, 2h30m"),
            bad("discoveryInterval", "1s", "setting 'discoveryInterval' = '1s': must be in 10s..10m: each interval lists every discovered "
                    + "cluster's tasks through the account's shared ECS API budget, and a new task waits up to one interval"),
            bad("expectedServices", "0", "setting 'expectedServices' = 0: must be 'auto' or a whole number of at least 1"),
            bad("expectedServices", 100_000, "setting 'expectedServices' = 100000: needs 49152 CPU units / 188827 MiB, more than the "
                    + "largest Fargate task (16 vCPU / 120 GB); shard Prometheus or send to Amazon Managed Service for Prometheus"),
            bad("expectedActiveSeries", "lots", "setting 'expectedActiveSeries' = 'lots': must be 'auto' or a whole number of at least 1"),
            bad("expectedActiveSeries", 9_000_000, "setting 'expectedActiveSeries' = 9000000: needs 36864 CPU units / 141952 MiB, more "
                    + "than the largest Fargate task (16 vCPU / 120 GB); shard Prometheus or send to Amazon Managed Service for Prometheus"),
            bad("prometheusCpu", 1536, "setting 'prometheusCpu' = 1536: Fargate CPU must be one of 256, 512, 1024, 2048, 4096, 8192, 16384")
                    .with("prometheusMemoryMiB", 3072),
            bad("prometheusCpu", 2048, "setting 'prometheusCpu' = 2048: give prometheusMemoryMiB as a number too, or set both to 'auto'"),
            bad("prometheusMemoryMiB", 1024, "setting 'prometheusMemoryMiB' = 1024: is not a Fargate size for cpu 1024; valid: 2048..8192 "
                    + "in steps of 1024").with("prometheusCpu", 1024),
            bad("prometheusMemoryMiB", "1024", "setting 'prometheusMemoryMiB' = 1024: leaves Prometheus 768 MiB next to the 256 MiB "
                    + "discovery sidecar; the sizing formula needs 1071 MiB for Prometheus itself and the platform's own series")
                    .with("prometheusCpu", "512"),
            bad("prometheusDesiredCount", 2, "setting 'prometheusDesiredCount' = 2: must be 1: Prometheus' TSDB on EFS has exactly one "
                    + "writer; scale out with remoteWrite to Amazon Managed Service for Prometheus instead"),
            bad("prometheusReplicas", 3, "setting 'prometheusReplicas' = 3: must be in 1..2"),
            bad("prometheusReplicas", "two", "setting 'prometheusReplicas' = 'two': must be a whole number in 1..2"),
            bad("ampRetentionDays", 0, "setting 'ampRetentionDays' = 0: must be in 1..1095"),
            bad("ampRetentionDays", 2000, "setting 'ampRetentionDays' = 2000: must be in 1..1095"),
            bad("ampLocalRetentionDays", 0, "setting 'ampLocalRetentionDays' = 0: must be in 1..3650"),
            bad("slackWebhookSecretName", "", "setting 'slackWebhookSecretName' = '': name the Secrets Manager secret that holds the Slack "
                    + "webhook URL (it is never put in the template)"),
            bad("slackWebhookSecretName", "o11y slack", "setting 'slackWebhookSecretName' = 'o11y slack': a Secrets Manager secret name has "
                    + "1-512 letters, digits and / _ + = . @ -"),
            bad("grafanaAdminSecretName", "grafana admin", "setting 'grafanaAdminSecretName' = 'grafana admin': a Secrets Manager secret "
                    + "name has 1-512 letters, digits and / _ + = . @ -"),
            bad("slackCriticalChannel", "alerts-critical", "setting 'slackCriticalChannel' = 'alerts-critical': a Slack channel looks like "
                    + "#alerts-critical"),
            bad("slackWarningChannel", "#Alerts Warning", "setting 'slackWarningChannel' = '#Alerts Warning': a Slack channel looks like "
                    + "#alerts-critical"),
            bad("mutedEnvironments", List.of("test", ""), "setting 'mutedEnvironments' has '': an empty entry; remove it (or the extra comma)"),
            bad("mutedEnvironments", "test,,prod", "setting 'mutedEnvironments' has '': an empty entry; remove it (or the extra comma)"),
            bad("mutedEnvironments", List.of("Test"), "setting 'mutedEnvironments' has 'Test': an env label value: lowercase letters, digits "
                    + "and '-'"),
            bad("mutedEnvironments", Map.of("test", true), "setting 'mutedEnvironments' = {\"test\":true}: must be a list such as [\"a\", "
                    + "\"b\"] (with -c: a,b)"),
            bad("remoteWrite", "https://example.com/write", "setting 'remoteWrite' = 'https://example.com/write': give 'create' or an AMP "
                    + "workspace ARN (arn:aws:aps:<region>:<account>:workspace/ws-...)"),
            bad("alertmanagerVersion", "latest", "setting 'alertmanagerVersion' = 'latest': must be an exact version such as 1.2.3 (no ranges, "
                    + "no 'latest')"),
            bad("alertmanagerVersion", "0.28.1", "setting 'alertmanagerVersion' = '0.28.1': a version other than the pinned 0.34.1 needs its "
                    + "checksum (alertmanagerSha256Amd64 or alertmanagerSha256Arm64)"),
            bad("alertmanagerSha256Amd64", "ABC", "setting 'alertmanagerSha256Amd64' = 'ABC': must be 64 lowercase hex digits (sha256sum output)")
                    .with("alertmanagerVersion", "0.28.1"),
            bad("alertmanagerSha256Arm64", "", "setting 'alertmanagerSha256Arm64' = '': alertmanager 0.28.1 on instanceType t4g.medium (arm64) "
                    + "needs it; take it from the release's sha256sums.txt").with("alertmanagerVersion", "0.28.1")
                    .with("alertmanagerSha256Amd64", SHA).with("instanceType", "t4g.medium"),
            bad("albDeletionProtection", "yes", "setting 'albDeletionProtection' = 'yes': must be true or false"),
            bad("eksInstallEbsCsiDriver", "no", "setting 'eksInstallEbsCsiDriver' = 'no': must be true or false"),
            bad("logsKmsKey", List.of(true), "setting 'logsKmsKey' = [true]: must be true or false"),
            bad("containerInsights", "yes", "setting 'containerInsights' = 'yes': must be true or false"),
            bad("grafanaDatabase", "postgres", "setting 'grafanaDatabase' = 'postgres': must be one of [sqlite, aurora] (sqlite: one task "
                    + "on EFS; aurora: two tasks on Aurora PostgreSQL Serverless v2)"),
            bad("grafanaDatabase", "", "setting 'grafanaDatabase' = '': must be one of [sqlite, aurora] (sqlite: one task on EFS; "
                    + "aurora: two tasks on Aurora PostgreSQL Serverless v2)"),
            bad("grafanaDatabaseMinAcu", 0.25, "setting 'grafanaDatabaseMinAcu' = 0.25: must be a number of ACUs in 0.5..256 in steps "
                    + "of 0.5"),
            bad("grafanaDatabaseMinAcu", "half", "setting 'grafanaDatabaseMinAcu' = 'half': must be a number of ACUs in 0.5..256 in "
                    + "steps of 0.5"),
            bad("grafanaDatabaseMaxAcu", "1.3", "setting 'grafanaDatabaseMaxAcu' = '1.3': must be a number of ACUs in 1..256 in steps "
                    + "of 0.5"),
            bad("grafanaDatabaseMaxAcu", 512, "setting 'grafanaDatabaseMaxAcu' = 512: must be a number of ACUs in 1..256 in steps of 0.5"),
            bad("grafanaDatabaseMaxAcu", 2, "setting 'grafanaDatabaseMaxAcu' = 2: must be at least grafanaDatabaseMinAcu (4)")
                    .with("grafanaDatabase", "aurora").with("grafanaDatabaseMinAcu", 4),
            bad("heartbeatUrl", "http://hc-ping.com/abc", "setting 'heartbeatUrl' = 'http://hc-ping.com/abc': must be an https URL such as "
                    + "https://hc-ping.com/<uuid>"),
            bad("heartbeatUrl", "http://127.0.0.1:9/ping", "setting 'heartbeatUrl' = 'http://127.0.0.1:9/ping': must be an https URL such as "
                    + "https://hc-ping.com/<uuid>, or empty"),
            bad("heartbeatUrl", "hc-ping.com/abc", "setting 'heartbeatUrl' = 'hc-ping.com/abc': must be an https URL such as "
                    + "https://hc-ping.com/<uuid>"),
            bad("runbookBaseUrl", "https://wiki.example.com/runbooks#top", "setting 'runbookBaseUrl' = 'https://wiki.example.com/runbooks#top': "
                    + "must be an https URL or a path in the repository such as docs/runbooks.md, without '#'"),
            bad("runbookBaseUrl", "", "setting 'runbookBaseUrl' = '': must be an https URL or a path in the repository such as "
                    + "docs/runbooks.md, without '#'"),
            bad("alarmEmails", List.of("oncall@example.com", "oncall"), "setting 'alarmEmails' has 'oncall': not an e-mail address"),
            bad("alarmEmails", "oncall@example.com,,ops@example.com", "setting 'alarmEmails' has '': an empty entry; remove it (or the extra comma)"),
            bad("serviceDownFor", "2 minutes", "setting 'serviceDownFor' = '2 minutes': is not a Prometheus duration; use units y w d h m s ms, "
                    + "largest first, e.g. 15s, 1m, 2h30m"),
            bad("cloudwatchExporterVersion", 0.15, "setting 'cloudwatchExporterVersion' = 0.15: must be an exact version such as 1.2.3"),
            bad("adotCollectorVersion", "v0.49.0", "setting 'adotCollectorVersion' = 'v0.49.0': must be an exact version such as 1.2.3"),
            bad("eksClusterName", "o11y platform", "setting 'eksClusterName' = 'o11y platform': an EKS cluster name has 1-100 letters, "
                    + "digits, '-' and '_', starting with a letter or digit"),
            bad("eksClusterName", "-o11y", "setting 'eksClusterName' = '-o11y': an EKS cluster name has 1-100 letters, digits, '-' and "
                    + "'_', starting with a letter or digit"),
            bad("eksClusterSecurityGroupId", "0123abcd", "setting 'eksClusterSecurityGroupId' = '0123abcd': not a security group "
                    + "id such as sg-0123abcd").with("eksClusterName", "team-cluster"),
            bad("eksClusterSecurityGroupId", "sg-0123abcd", "setting 'eksClusterSecurityGroupId' = 'sg-0123abcd': the security "
                    + "group of an existing cluster: set eksClusterName too, or leave it empty (a new cluster's group is the "
                    + "stack's own)"),
            bad("eksKubernetesVersion", "1.28", "setting 'eksKubernetesVersion' = '1.28': not a Kubernetes version of EKS this build knows "
                    + "(1.29, 1.30, 1.31, 1.32, 1.33, 1.34, 1.35, 1.36)"),
            bad("eksKubernetesVersion", 1.3, "setting 'eksKubernetesVersion' = 1.3: write the version as a string, \"1.35\" (a JSON "
                    + "number loses trailing zeros: 1.30 reads as 1.3)"),
            bad("eksKubernetesVersion", "v1.35", "setting 'eksKubernetesVersion' = 'v1.35': must be a Kubernetes minor version such as "
                    + "1.35 (no 'v', no patch)"),
            bad("eksKubernetesVersion", "1.35.2", "setting 'eksKubernetesVersion' = '1.35.2': must be a Kubernetes minor version such as "
                    + "1.35 (no 'v', no patch)"),
            bad("eksKubernetesVersion", "1.29", "setting 'eksKubernetesVersion' = '1.29': EKS support of 1.29 ended on 2026-03-23 "
                    + "(extended support included) and EKS creates no such cluster; use 1.35 (standard support until 2027-03-27)")
                    .with(SUPPORTED_PINS).with(EKS_ONLY).with("@o11y-cdk/today", "2026-11-21"),
            bad("@o11y-cdk/today", "2026-13-01", "setting '@o11y-cdk/today' = '2026-13-01': a date such as 2026-11-21"),
            // A pin past its support end (SupportCalendarAppTest: the warnings); the other pins supported on that day.
            bad("prometheusVersion", "2.51.1", "setting 'prometheusVersion' = '2.51.1': Prometheus 2.51 left support on 2024-04-30; "
                    + "move to 3.13.2").with(SUPPORTED_PINS).with("@o11y-cdk/today", "2024-05-01"),
            bad("grafanaVersion", "10.4.2", "setting 'grafanaVersion' = '10.4.2': Grafana 10.4 left security support on 2025-06-05; "
                    + "move to 13.2.3").with(SUPPORTED_PINS).with("@o11y-cdk/today", "2025-06-06").with("layouts", "fargate"),
            bad("alertmanagerVersion", "0.27.0", "setting 'alertmanagerVersion' = '0.27.0': Alertmanager 0.27 left support on "
                    + "2025-01-15, when 0.28.0 came out (only the newest release gets fixes); move to 0.34.1").with(SUPPORTED_PINS)
                    .with("@o11y-cdk/today", "2025-01-16"),
            bad("nodeExporterVersion", "1.7.0", "setting 'nodeExporterVersion' = '1.7.0': node_exporter 1.7 left support on 2024-04-24, "
                    + "when 1.8.0 came out (only the newest release gets fixes); move to 1.12.1").with(SUPPORTED_PINS)
                    .with("@o11y-cdk/today", "2024-04-24").with("layouts", "ec2"),
            bad("cloudwatchExporterVersion", "0.15.5", "setting 'cloudwatchExporterVersion' = '0.15.5': cloudwatch_exporter 0.15 left "
                    + "support on 2024-08-18, when 0.16.0 came out (only the newest release gets fixes); move to 0.18.0")
                    .with(SUPPORTED_PINS).with("@o11y-cdk/today", "2024-08-19").with("layouts", "fargate"),
            bad("adotCollectorVersion", "0.49.0", "setting 'adotCollectorVersion' = '0.49.0': the ADOT collector 0.49 left support on "
                    + "2026-10-02, when 0.50.0 came out (only the newest release gets fixes); move to 0.50.0").with(SUPPORTED_PINS)
                    .with("@o11y-cdk/today", "2026-12-04").with("layouts", "fargate"),
            bad("kubePrometheusStackVersion", "88.5.3", "setting 'kubePrometheusStackVersion' = '88.5.3': the kube-prometheus-stack "
                    + "chart 88 left support on 2026-09-03, when 89.0.0 came out (only the newest release gets fixes); move to 92.3.0")
                    .with(SUPPORTED_PINS).with(EKS_ONLY).with("@o11y-cdk/today", "2026-12-04"),
            bad("lokiVersion", "6.29.0", "setting 'lokiVersion' = '6.29.0': the loki chart 6 left support on 2026-03-21, when 7.0.0 "
                    + "(grafana-community) came out (only the newest release gets fixes); move to 18.13.8").with(SUPPORTED_PINS)
                    .with(EKS_ONLY).with("@o11y-cdk/today", "2026-12-04"),
            bad("alloyVersion", "0.12.5", "setting 'alloyVersion' = '0.12.5': the alloy chart 0.12 left support on 2025-04-09, when "
                    + "1.0.0 came out (only the newest release gets fixes); move to 1.13.0").with(SUPPORTED_PINS).with(EKS_ONLY)
                    .with("@o11y-cdk/today", "2025-04-10"),
            bad("externalSecretsVersion", "2.0.0", "setting 'externalSecretsVersion' = '2.0.0': the external-secrets chart 2.0 left "
                    + "support on 2026-03-06, when 2.1.0 came out (only the newest release gets fixes); move to 2.12.0")
                    .with(SUPPORTED_PINS).with(EKS_ONLY).with("@o11y-cdk/today", "2026-03-06"),
            bad("eksKubectlLayerVersion", "1.33", "setting 'eksKubectlLayerVersion' = '1.33': "
                    + "software.amazon.awscdk:cdk-lambda-layer-kubectl-v33 is not on the app's classpath; add it to app/pom.xml (this "
                    + "build has 1.32)"),
            bad("eksKubectlLayerVersion", "v32", "setting 'eksKubectlLayerVersion' = 'v32': must be a Kubernetes minor version such as "
                    + "1.32 (no 'v', no patch)"),
            bad("eksNodeInstanceType", "t3.lage", "setting 'eksNodeInstanceType' = 't3.lage': not an EC2 instance type such as t3.large"),
            bad("eksNodeInstanceType", "large", "setting 'eksNodeInstanceType' = 'large': not an EC2 instance type such as t3.large"),
            bad("eksNodeMinSize", 0, "setting 'eksNodeMinSize' = 0: must be in 1..450"),
            bad("eksNodeMinSize", 3, "setting 'eksNodeMinSize' = 3: is above eksNodeDesiredSize 2; a node group needs eksNodeMinSize <= "
                    + "eksNodeDesiredSize <= eksNodeMaxSize"),
            bad("eksNodeDesiredSize", "two", "setting 'eksNodeDesiredSize' = 'two': must be a whole number in 1..450"),
            bad("eksNodeDesiredSize", 451, "setting 'eksNodeDesiredSize' = 451: must be in 1..450"),
            bad("eksNodeMaxSize", 1, "setting 'eksNodeMaxSize' = 1: is below eksNodeDesiredSize 2; a node group needs eksNodeMinSize <= "
                    + "eksNodeDesiredSize <= eksNodeMaxSize"),
            bad("eksNodeMaxSize", 2.5, "setting 'eksNodeMaxSize' = 2.5: must be a whole number in 1..450"),
            bad("eksPublicEndpointCidrs", "203.0.113.0/33", "setting 'eksPublicEndpointCidrs' has '203.0.113.0/33': must be an IPv4 CIDR "
                    + "block such as 203.0.113.0/24"),
            bad("eksPublicEndpointCidrs", List.of("203.0.113.0/24", "0.0.0.0/0"), "setting 'eksPublicEndpointCidrs' has '0.0.0.0/0': "
                    + "opens the Kubernetes API to the internet; name your office or VPN ranges, or leave the list empty for a private "
                    + "endpoint"),
            bad("eksPublicEndpointCidrs", "203.0.113.0/24,", "setting 'eksPublicEndpointCidrs' has '': an empty entry; remove it (or the "
                    + "extra comma)"),
            bad("eksPublicEndpointCidrs", List.of("203.0.113.0/24", "203.0.113.0/24"), "setting 'eksPublicEndpointCidrs' has "
                    + "'203.0.113.0/24': appears more than once"),
            bad("eksPublicEndpointCidrs", FORTY_ONE_CIDRS, "setting 'eksPublicEndpointCidrs' = " + ("'" + FORTY_ONE_CIDRS).substring(0, 100)
                    + "...: has 41 blocks; EKS takes at most 40"),
            bad("eksPublicEndpointCidrs", List.of("203.0.113.0/24"), "setting 'eksPublicEndpointCidrs' = [\"203.0.113.0/24\"]: applies to "
                    + "the cluster this app creates; eksClusterName 'team-cluster' is an existing cluster whose endpoint is set where it "
                    + "was made: leave eksPublicEndpointCidrs empty").with("eksClusterName", "team-cluster"),
            bad("eksLogRetentionDays", 0, "setting 'eksLogRetentionDays' = 0: must be in 1..3650"),
            bad("eksLogRetentionDays", "7d", "setting 'eksLogRetentionDays' = '7d': must be a whole number in 1..3650"),
            bad("eksLogGiBPerDay", 0, "setting 'eksLogGiBPerDay' = 0: must be in 1..10000"),
            bad("eksSsmParameterPrefix", "/o11y cdk/eks", "setting 'eksSsmParameterPrefix' = '/o11y cdk/eks': must be an SSM path such as "
                    + "/o11y-cdk/eks"),
            bad("eksSsmParameterPrefix", "/o11y-cdk/host", "setting 'eksSsmParameterPrefix' = '/o11y-cdk/host': is "
                    + "hostSsmParameterPrefix too; each layout publishes its parameters under a prefix of its own"),
            bad("eksLogGiBPerDay", 5000, "setting 'eksLogGiBPerDay' = 5000: needs a 42000 GiB volume for 7 days of logs; "
                    + "above the 16 TiB gp3 limit"),
            bad("kubePrometheusStackVersion", "88.x", "setting 'kubePrometheusStackVersion' = '88.x': pin an exact chart version such as "
                    + "92.3.0 (no 'v', no ranges, no 'latest')"),
            bad("lokiVersion", "latest", "setting 'lokiVersion' = 'latest': pin an exact chart version such as 18.13.8 (no 'v', no ranges, "
                    + "no 'latest')"),
            bad("alloyVersion", "v0.12.5", "setting 'alloyVersion' = 'v0.12.5': pin an exact chart version such as 1.13.0 (no 'v', no "
                    + "ranges, no 'latest')"),
            bad("externalSecretsVersion", "~2.0.0", "setting 'externalSecretsVersion' = '~2.0.0': pin an exact chart version such as 2.12.0 "
                    + "(no 'v', no ranges, no 'latest')"),
            bad("grafanaOAuth", "Cognito", "setting 'grafanaOAuth' = 'Cognito': must be a JSON object such as {\"name\": \"...\"}"),
            bad("grafanaOAuth", List.of(), "setting 'grafanaOAuth' = []: must be a JSON object such as {\"name\": \"...\"}"),
            bad("grafanaOAuth", "{\"name\":\"Cognito\",\"clientId\":\"abc\"}", "setting 'grafanaOAuth' = "
                    + "'{\"name\":\"Cognito\",\"clientId\":\"abc\"}': needs 'clientSecretName' (the Secrets Manager secret holding the client "
                    + "secret)"),
            bad("grafanaOAuth", OAUTH.replace("https://a.", "http://a.") + "}", "setting 'grafanaOAuth' = '"
                    + (OAUTH.replace("https://a.", "http://a.") + "}").substring(0, 99) + "...: authUrl 'http://a.example.com' must be an "
                    + "https:// URL"),
            bad("grafanaOAuth", OAUTH + ",\"scope\":\"openid\"}", "setting 'grafanaOAuth' = '" + OAUTH.substring(0, 99) + "...: unknown "
                    + "field 'scope'; fields are [name, clientId, clientSecretName, authUrl, tokenUrl, apiUrl, scopes, roleAttributePath]"));

    static Stream<Row> rows() {
        return ROWS.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void aBadValueStopsSynthWithOneLineNamingTheSettingAndTheValue(Row row) {
        assertThat(row.line()).as("the line names the setting the row is for").startsWith("setting '" + row.setting() + "' ")
                .doesNotContain("\n");
        BadInput.assertRejected(row.overrides(), row.line());
    }

    @Test
    void everySettingInCdkJsonHasABadValueRow() {
        Set<String> covered = ROWS.stream().map(Row::setting).collect(Collectors.toSet());
        Set<String> settings = CdkJson.context().keySet().stream().filter(k -> !k.startsWith("@aws-cdk"))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(settings).as("settings in cdk.json").hasSizeGreaterThan(50);
        assertThat(settings.stream().filter(k -> !covered.contains(k)).toList())
                .as("cdk.json settings without a row in BadInputTest.ROWS: add bad(\"key\", value, \"setting 'key' = ...\")").isEmpty();
    }

    /** The setting a row is about, what cdk.json (or -c) is given, and the line synth prints after {@code o11y-cdk: }. */
    record Row(String setting, Map<String, Object> overrides, String line) {
        Row with(String key, Object value) {
            Map<String, Object> o = new HashMap<>(overrides);
            o.put(key, value);
            return new Row(setting, o, line);
        }

        Row with(Map<String, Object> more) {
            Map<String, Object> o = new HashMap<>(more);
            o.putAll(overrides);
            return new Row(setting, o, line);
        }

        @Override
        public String toString() {
            return setting + " = " + overrides.get(setting) + (overrides.size() > 1 ? " with " + Arrays.toString(
                    overrides.keySet().stream().filter(k -> !k.equals(setting)).sorted().toArray()) : "");
        }
    }

    /** A row: {@code setting} given {@code value} (null: absent) makes synth print exactly {@code o11y-cdk: <line>}. */
    static Row bad(String setting, Object value, String line) {
        Map<String, Object> o = new HashMap<>();
        o.put(setting, value);
        return new Row(setting, o, line);
    }
}
