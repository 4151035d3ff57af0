package dev.o11ycdk.test.core;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.o11ycdk.config.Check;
import dev.o11ycdk.core.AlarmTopic;
import dev.o11ycdk.core.AlarmTopicProps;
import dev.o11ycdk.test.support.FreshStack;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** {@link AlarmTopic} in a stack of its own. */
class AlarmTopicTest {
    @Test
    void cloudWatchPublishesToATopicEncryptedWithAKeyItMayUse() {
        FreshStack f = FreshStack.of("Alarms");
        new AlarmTopic(f.stack(), "Topic", AlarmTopicProps.builder().emails(List.of("oncall@example.com")).build());
        Template t = f.template();
        t.hasResourceProperties("AWS::SNS::Topic", Match.objectLike(Map.of(
                "KmsMasterKeyId", Map.of("Fn::GetAtt", List.of(Match.stringLikeRegexp("TopicKey.*"), "Arn")))));
        t.hasResourceProperties("AWS::KMS::Key", Match.objectLike(Map.of("EnableKeyRotation", true,
                "KeyPolicy", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Sid", "CloudWatchAlarmsPublish", "Principal", Map.of("Service", "cloudwatch.amazonaws.com"),
                        "Action", List.of("kms:Decrypt", "kms:GenerateDataKey*"))))))))));
        t.hasResourceProperties("AWS::SNS::TopicPolicy", Match.objectLike(Map.of("PolicyDocument", Match.objectLike(Map.of(
                "Statement", Match.arrayWith(List.of(Match.objectLike(Map.of("Sid", "CloudWatchAlarmsPublish",
                        "Action", "sns:Publish", "Condition", Match.objectLike(Map.of("ArnLike", Match.anyValue())))))))))));
        t.hasResourceProperties("AWS::SNS::Subscription", Map.of("Protocol", "email", "Endpoint", "oncall@example.com",
                "TopicArn", Match.anyValue()));
    }

    @Test
    void noEmailsMeansNoSubscription() {
        FreshStack f = FreshStack.of("Quiet");
        new AlarmTopic(f.stack(), "Topic", AlarmTopicProps.builder().build());
        f.template().resourceCountIs("AWS::SNS::Subscription", 0);
    }

    @Test
    void aBadAddressFailsNamingIt() {
        FreshStack f = FreshStack.of("Bad");
        assertThatThrownBy(() -> new AlarmTopic(f.stack(), "Topic", AlarmTopicProps.builder().emails(List.of("oncall")).build()))
                .isInstanceOf(Check.BadValue.class).hasMessage("alarm e-mail = 'oncall': not an e-mail address");
    }
}
