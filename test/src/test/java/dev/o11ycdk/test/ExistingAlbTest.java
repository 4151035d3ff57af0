package dev.o11ycdk.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.o11ycdk.test.support.Synth;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** The seed's setup: our host rules added to the chat app's HTTPS listener (rules at 10 and 20). */
class ExistingAlbTest {
    static final String LISTENER = "arn:aws:elasticloadbalancing:ap-northeast-2:111122223333:listener/app/ktb-chat-alb/50dc6c495c0c9188/f2f7dc8efc522ab2";
    /** One layout on the chat app's listener: two would add the same host rules to it (and synth says so). */
    static final Map<String, String> SETTINGS = Map.of(
            "layouts", "ec2",
            "albListenerArn", LISTENER,
            "albArn", "arn:aws:elasticloadbalancing:ap-northeast-2:111122223333:loadbalancer/app/ktb-chat-alb/50dc6c495c0c9188",
            "albSecurityGroupId", "sg-0123456789abcdef0",
            "albDnsName", "ktb-chat-alb-8510.ap-northeast-2.elb.amazonaws.com",
            "albCanonicalHostedZoneId", "ZWKZPGTI48KDX",
            "existingRulePriorities", "10,20",
            "certificateArn", "arn:aws:acm:ap-northeast-2:111122223333:certificate/f3e3c113-8989-4f83-98d8-48213617ce72");
    private static Template template;

    @BeforeAll
    static void synth() {
        Synth synth = Synth.of(SETTINGS);
        template = synth.template(synth.stacks().ec2Host());
    }

    @Test
    void createsNoLoadBalancerListenerOrCertificateOfItsOwn() {
        template.resourceCountIs("AWS::ElasticLoadBalancingV2::LoadBalancer", 0);
        template.resourceCountIs("AWS::ElasticLoadBalancingV2::Listener", 0);
        template.resourceCountIs("AWS::CertificateManager::Certificate", 0);
    }

    @Test
    void hostRulesJoinTheExistingListenerAheadOfTheApiRule() {
        Map<String, Map<String, Object>> rules = template.findResources("AWS::ElasticLoadBalancingV2::ListenerRule",
                Map.of("Properties", Match.objectLike(Map.of("ListenerArn", LISTENER))));
        assertThat(rules).hasSize(2);
        for (Map<String, Object> r : rules.values()) {
            @SuppressWarnings("unchecked")
            int priority = (Integer) ((Map<String, Object>) r.get("Properties")).get("Priority");
            assertThat(priority).isLessThan(10);
        }
    }

    @Test
    void existingAlbSecurityGroupMayReachTheHost() {
        template.hasResourceProperties("AWS::EC2::SecurityGroupIngress", Map.of(
                "FromPort", 3000, "SourceSecurityGroupId", "sg-0123456789abcdef0"));
        template.hasResourceProperties("AWS::EC2::SecurityGroupIngress", Map.of(
                "FromPort", 9090, "SourceSecurityGroupId", "sg-0123456789abcdef0"));
    }

    @Test
    void aliasRecordsPointAtTheExistingLoadBalancer() {
        template.hasResourceProperties("AWS::Route53::RecordSet", Map.of("Name", "grafana.o11y.example.com.",
                "AliasTarget", Map.of("DNSName", "dualstack.ktb-chat-alb-8510.ap-northeast-2.elb.amazonaws.com",
                        "HostedZoneId", "ZWKZPGTI48KDX")));
    }
}
