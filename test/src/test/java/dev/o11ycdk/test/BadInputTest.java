package dev.o11ycdk.test;


import dev.o11ycdk.test.support.BadInput;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad settings fail at synth with a message that names the setting and the bad value (seed 004:
 * a port out of range and a bad config only surfaced after deploy).
 */
class BadInputTest {

    static Stream<Arguments> badSettings() {
        return Stream.of(
                Arguments.of("two rules on one priority", Map.of("grafanaPriority", "6"),
                        "Prometheus.priority = 6: collides with route Grafana"),
                Arguments.of("priority below the ALB range", Map.of("grafanaPriority", "0"),
                        "Grafana.priority = 0: must be in 1..50000"),
                Arguments.of("priority above the ALB range", Map.of("prometheusPriority", "50001"),
                        "Prometheus.priority = 50001: must be in 1..50000"),
                Arguments.of("host rule behind the chat app's /api/* rule",
                        Map.of("existingRulePriorities", "10,20", "grafanaPriority", "12"),
                        "Grafana.priority = 12: comes after existing rule 10"),
                Arguments.of("host rule on an existing rule's priority", Map.of("existingRulePriorities", "5,10"),
                        "Grafana.priority = 5: collides with an existing rule (existingRulePriorities); free priorities include [1, 2, 3]"),
                Arguments.of("priority that is not a number", Map.of("grafanaPriority", "five"),
                        "setting 'grafanaPriority' = 'five': must be a whole number"),
                Arguments.of("duration with a wrong unit", Map.of("scrapeInterval", "15sec"),
                        "scrapeInterval = '15sec': is not a Prometheus duration"),
                Arguments.of("new version without its checksum", Map.of("prometheusVersion", "2.53.0"),
                        "prometheusVersion = '2.53.0': a version other than the pinned 2.51.1 needs its checksum"),
                Arguments.of("version range", Map.of("grafanaVersion", "10.x", "grafanaSha256Amd64", "a".repeat(64)),
                        "grafanaVersion = '10.x': must be an exact version"),
                Arguments.of("checksum that is not sha256", Map.of("nodeExporterVersion", "1.8.2", "nodeExporterSha256Amd64", "abc"),
                        "nodeExporterSha256Amd64 = 'abc': must be 64 lowercase hex digits"),
                Arguments.of("CIDR with a /33 mask", Map.of("allowedCidrs", "203.0.113.0/33"),
                        "allowedCidrs = '203.0.113.0/33': must be an IPv4 CIDR block"),
                Arguments.of("domain with an underscore", Map.of("domainName", "o11y_host.example.com", "hostedZoneName", "example.com"),
                        "domainName = 'o11y_host.example.com': must be a lowercase DNS name"),
                Arguments.of("hosted zone id that is not one", Map.of("hostedZoneId", "zone-1"),
                        "setting 'hostedZoneId' = 'zone-1'"),
                Arguments.of("domain outside the hosted zone", Map.of("hostedZoneName", "other.org"),
                        "setting 'hostedZoneName' = 'other.org': domainName o11y.example.com is not inside it"),
                Arguments.of("zone of another region", Map.of("availabilityZones", "us-east-1a,us-east-1b"),
                        "setting 'availabilityZones' has 'us-east-1a': not a zone of region ap-northeast-2"),
                Arguments.of("zero retention", Map.of("retentionDays", "0"),
                        "retentionDays = 0: must be in 1..3650"),
                Arguments.of("half an existing ALB", Map.of("albListenerArn",
                        "arn:aws:elasticloadbalancing:ap-northeast-2:111122223333:listener/app/chat/50dc6c495c0c9188/f2f7dc8efc522ab2"),
                        "setting 'albArn' is empty"),
                Arguments.of("existing VPC without subnets", Map.of("vpcId", "vpc-0123456789abcdef0"),
                        "setting 'vpcId' = 'vpc-0123456789abcdef0': an existing VPC needs availabilityZones, vpcPublicSubnetIds"),
                Arguments.of("account that is not 12 digits", Map.of("account", "1234"),
                        "setting 'account' = '1234': must be 12 digits"),
                Arguments.of("mistyped instance type", Map.of("instanceType", "t3.mediun"),
                        "setting 'instanceType' = 't3.mediun': not an EC2 instance type"),
                Arguments.of("certificate of another region", Map.of("certificateArn",
                        "arn:aws:acm:us-east-1:111122223333:certificate/f3e3c113-8989-4f83-98d8-48213617ce72"),
                        "an ALB needs a certificate of its own region ap-northeast-2"),
                Arguments.of("existing ALB security group that is not one", Map.of(
                        "albListenerArn", ExistingAlbTest.LISTENER,
                        "albArn", "arn:aws:elasticloadbalancing:ap-northeast-2:111122223333:loadbalancer/app/ktb-chat-alb/50dc6c495c0c9188",
                        "albSecurityGroupId", "chat-alb-sg", "albDnsName", "x.elb.amazonaws.com", "albCanonicalHostedZoneId", "ZWKZPGTI48KDX"),
                        "setting 'albSecurityGroupId' = 'chat-alb-sg'"),
                Arguments.of("alarm topic of another region", Map.of("alarmTopicArn", "arn:aws:sns:us-east-1:111122223333:alarms"),
                        "setting 'alarmTopicArn' = 'arn:aws:sns:us-east-1:111122223333:alarms': not an SNS topic ARN in ap-northeast-2"),
                Arguments.of("Prometheus source CIDR that is not one", Map.of("prometheusAllowedCidrs", "office"),
                        "Prometheus.sourceCidrs = 'office': must be an IPv4 CIDR block"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSettings")
    void failsAtSynthNamingTheSettingAndValue(String what, Map<String, String> overrides, String message) {
        BadInput.assertRejected(overrides, message);
    }
}
