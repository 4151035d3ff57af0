package dev.o11ycdk.test.core;

import dev.o11ycdk.core.LogsKey;
import dev.o11ycdk.test.support.FreshStack;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.logs.LogGroup;

/** {@link LogsKey} in a stack of its own. */
class LogsKeyTest {
    @Test
    void everyLogGroupOfTheStackIsEncryptedWithTheRetainedKeyEvenOneAddedLater() {
        FreshStack f = FreshStack.of("Logs");
        LogGroup.Builder.create(f.stack(), "Before").build();
        new LogsKey(f.stack(), "LogsKey");
        LogGroup.Builder.create(f.stack(), "After").build();
        Template t = f.template();
        Map<String, Object> keyArn = Map.of("Fn::GetAtt", List.of(Match.stringLikeRegexp("LogsKey.*"), "Arn"));
        t.resourcePropertiesCountIs("AWS::Logs::LogGroup", Match.objectLike(Map.of("KmsKeyId", keyArn)), 2);
        t.hasResource("AWS::KMS::Key", Match.objectLike(Map.of("DeletionPolicy", "Retain", "UpdateReplacePolicy", "Retain")));
        t.hasResourceProperties("AWS::KMS::Key", Match.objectLike(Map.of("KeyPolicy", Match.objectLike(Map.of("Statement",
                Match.arrayWith(List.of(
                        Match.objectLike(Map.of("Sid", "CloudWatchLogsOfThisAccountAndRegion",
                                "Principal", Map.of("Service", "logs.ap-northeast-2.amazonaws.com"))),
                        Match.objectLike(Map.of("Sid", "GrantsOnlyForAwsServices", "Effect", "Deny", "Action", "kms:CreateGrant")))))))));
    }
}
