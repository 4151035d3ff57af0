package dev.o11ycdk.test.alb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.o11ycdk.alb.HostRoute;
import dev.o11ycdk.alb.HostRouteOptions;
import dev.o11ycdk.alb.MonitoringAlb;
import dev.o11ycdk.alb.MonitoringAlbProps;
import dev.o11ycdk.config.Check;
import dev.o11ycdk.core.PropsException;
import dev.o11ycdk.test.support.FreshStack;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.route53.HostedZone;
import software.amazon.awscdk.services.route53.HostedZoneAttributes;

/** {@link MonitoringAlb} in a stack of its own: a new ALB with one host route. */
class MonitoringAlbTest {
    private static MonitoringAlb alb(FreshStack f, List<Integer> existing) {
        return new MonitoringAlb(f.stack(), "Alb", MonitoringAlbProps.builder()
                .vpc(f.vpc())
                .domainName("o11y.example.com")
                .hostedZone(HostedZone.fromHostedZoneAttributes(f.stack(), "Zone", HostedZoneAttributes.builder()
                        .hostedZoneId("Z0000000000EXAMPLE").zoneName("o11y.example.com").build()))
                .allowedCidrs(List.of("203.0.113.0/24"))
                .existingRulePriorities(existing)
                .build());
    }

    private static HostRouteOptions.Builder grafana(int priority) {
        return HostRouteOptions.builder().subdomain("grafana").port(3000).healthCheckPath("/api/health").priority(priority);
    }

    @Test
    void aHostRouteIsARuleATargetGroupWithTheSeedsHealthCheckAnAliasAndAlarms() {
        FreshStack f = FreshStack.of("Alb");
        HostRoute route = alb(f, List.of()).addHostRoute("Grafana", grafana(5).build());
        assertThat(route.getUrl()).isEqualTo("https://grafana.o11y.example.com/");
        assertThat(route.getAlarms()).hasSize(3);
        Template t = f.template();
        t.hasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", Match.objectLike(Map.of("Port", 443, "Protocol", "HTTPS",
                "SslPolicy", "ELBSecurityPolicy-TLS13-1-2-2021-06")));
        t.hasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", Match.objectLike(Map.of("Port", 80,
                "DefaultActions", List.of(Match.objectLike(Map.of("Type", "redirect"))))));
        t.hasResourceProperties("AWS::ElasticLoadBalancingV2::ListenerRule", Match.objectLike(Map.of("Priority", 5,
                "Conditions", List.of(Map.of("Field", "host-header", "HostHeaderConfig", Map.of("Values", List.of("grafana.o11y.example.com")))))));
        t.hasResourceProperties("AWS::ElasticLoadBalancingV2::TargetGroup", Match.objectLike(Map.of("Port", 3000,
                "HealthCheckPath", "/api/health", "HealthyThresholdCount", 2, "UnhealthyThresholdCount", 2,
                "HealthCheckTimeoutSeconds", 5, "HealthCheckIntervalSeconds", 30)));
        t.hasResourceProperties("AWS::Route53::RecordSet", Match.objectLike(Map.of("Name", "grafana.o11y.example.com.", "Type", "A")));
        t.hasResourceProperties("AWS::EC2::SecurityGroup", Match.objectLike(Map.of("SecurityGroupIngress", Match.arrayWith(List.of(
                Match.objectLike(Map.of("CidrIp", "203.0.113.0/24", "FromPort", 443)))))));
        t.resourceCountIs("AWS::CloudWatch::Alarm", 3);
        t.hasResource("AWS::S3::Bucket", Match.objectLike(Map.of("DeletionPolicy", "Retain")));
    }

    @Test
    void aRouteAfterAnExistingPathRuleOrOnATakenPriorityFailsNamingIt() {
        MonitoringAlb alb = alb(FreshStack.of("Priorities"), List.of(10, 20));
        alb.addHostRoute("Grafana", grafana(5).build());
        assertThatThrownBy(() -> alb.addHostRoute("Prometheus", HostRouteOptions.builder().subdomain("prometheus").port(9090)
                .healthCheckPath("/-/ready").priority(5).build()))
                .isInstanceOf(Check.BadValue.class).hasMessageStartingWith("Prometheus.priority = 5: collides with route Grafana");
        assertThatThrownBy(() -> alb.addHostRoute("Late", HostRouteOptions.builder().subdomain("late").port(8080)
                .healthCheckPath("/").priority(11).build()))
                .hasMessageStartingWith("Late.priority = 11: comes after existing rule 10 (e.g. /api/*)");
    }

    @Test
    void aMissingRequiredPropIsNamed() {
        assertThatThrownBy(() -> MonitoringAlbProps.builder().domainName("o11y.example.com").build())
                .isInstanceOf(PropsException.class)
                .hasMessage("Cannot build MonitoringAlbProps, some of required attributes are not set [vpc]");
        assertThatThrownBy(() -> grafana(5).healthCheckPath(null))
                .isInstanceOf(PropsException.class).hasMessageStartingWith("healthCheckPath = null");
    }
}
