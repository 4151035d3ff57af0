package dev.o11ycdk.core;

import dev.o11ycdk.config.Check;
import dev.o11ycdk.config.Rendering;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.sns.ITopic;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.constructs.Construct;

/**
 * Where the platform's CloudWatch alarms go: an SNS topic encrypted with a customer-managed KMS key
 * (CloudWatch cannot publish to a topic under the AWS-managed {@code alias/aws/sns} key, so the key's
 * policy lets {@code cloudwatch.amazonaws.com} use it), TLS-only, with optional e-mail subscriptions.
 * These alarms do not pass through Prometheus or Alertmanager, so they still arrive when those are down.
 */
public class AlarmTopic extends Construct {
    private static final String EMAIL = "[^@\\s,]+@[^@\\s,]+\\.[A-Za-z]{2,}";

    private final Topic topic;
    private final Key key;

    public AlarmTopic(Construct scope, String id, AlarmTopicProps props) {
        super(scope, id);
        props.getEmails().forEach(AlarmTopic::email);
        this.key = Key.Builder.create(this, "Key")
                .description("o11y-cdk: encrypts the CloudWatch alarm topic")
                .enableKeyRotation(true)
                .pendingWindow(Duration.days(7))
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        // CloudWatch encrypts what it publishes with the topic's key (AWS docs: "Encrypting Amazon SNS topics
        // used by CloudWatch alarms").
        key.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("CloudWatchAlarmsPublish")
                .effect(Effect.ALLOW)
                .principals(List.of(new ServicePrincipal("cloudwatch.amazonaws.com")))
                .actions(List.of("kms:Decrypt", "kms:GenerateDataKey*"))
                .resources(List.of("*"))
                .build());
        KeyPolicies.grantsOnlyForAwsServices(key);
        this.topic = Topic.Builder.create(this, "Resource")
                .displayName("o11y-cdk alarms")
                .masterKey(key)
                .enforceSsl(true)
                .build();
        // enforceSsl writes a topic policy, which replaces SNS's default one: CloudWatch alarms of this account
        // must be allowed to publish explicitly.
        topic.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("CloudWatchAlarmsPublish")
                .effect(Effect.ALLOW)
                .principals(List.of(new ServicePrincipal("cloudwatch.amazonaws.com")))
                .actions(List.of("sns:Publish"))
                .resources(List.of(topic.getTopicArn()))
                .conditions(Rendering.ordered(
                        "StringEquals", Map.of("aws:SourceAccount", Stack.of(this).getAccount()),
                        "ArnLike", Map.of("aws:SourceArn", "arn:" + Stack.of(this).getPartition() + ":cloudwatch:"
                                + Stack.of(this).getRegion() + ":" + Stack.of(this).getAccount() + ":alarm:*")))
                .build());
        props.getEmails().forEach(e -> topic.addSubscription(new EmailSubscription(e)));
    }

    /** {@code address} when it looks like an e-mail address (what an SNS e-mail subscription takes). */
    public static String email(String address) {
        if (address == null || !address.matches(EMAIL)) {
            throw Check.bad("alarm e-mail", address, "not an e-mail address");
        }
        return address;
    }

    public ITopic getTopic() {
        return topic;
    }

    public Key getKey() {
        return key;
    }
}
