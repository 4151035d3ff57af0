package dev.o11ycdk.app;

import dev.o11ycdk.core.AlarmTopic;
import dev.o11ycdk.core.AlarmTopicProps;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.services.cloudwatch.IAlarmAction;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.sns.ITopic;
import software.amazon.awscdk.services.sns.Topic;
import software.constructs.Construct;

/** The stack's CloudWatch alarm action: the topic named by alarmTopicArn, else a topic of its own. */
final class Alarms {
    private Alarms() {
    }

    static IAlarmAction action(Construct stack, Settings s) {
        ITopic topic;
        if (s.alarmTopicArn() != null) {
            topic = Topic.fromTopicArn(stack, "AlarmTopic", s.alarmTopicArn());
        } else {
            topic = new AlarmTopic(stack, "Alarms", AlarmTopicProps.builder().emails(s.alerting().alarmEmails()).build()).getTopic();
        }
        CfnOutput.Builder.create(stack, "AlarmTopicArn").value(topic.getTopicArn())
                .description("CloudWatch alarms of this stack; subscribe your pager or chat integration").build();
        return new SnsAction(topic);
    }
}
