package dev.o11ycdk.core;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.AspectOptions;
import software.amazon.awscdk.AspectPriority;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.IAspect;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.logs.CfnLogGroup;
import software.constructs.Construct;
import software.constructs.IConstruct;

/**
 * One customer-managed KMS key for every CloudWatch Logs log group of its stack (AWS Control Tower
 * CT.CLOUDWATCH.PR.3): the platform's container logs, VPC flow logs, custom-resource logs, and any log
 * group added later, through an aspect that sets {@code KmsKeyId} where none is set. Yearly rotation;
 * retained on stack deletion like the log groups it encrypts (they cannot be read without it). The key
 * policy lets CloudWatch Logs use it for this account's log groups in this region only, as the
 * CloudWatch Logs guide's policy does, beside the account's own administration of the key, and lets
 * no one create grants on it but for AWS resources.
 *
 * <pre>{@code
 * new LogsKey(stack, "LogsKey");
 * }</pre>
 */
public class LogsKey extends Construct {
    /** What CloudWatch Logs may do with the key. */
    static final List<String> LOGS_ACTIONS = List.of("kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*");

    private final Key key;

    public LogsKey(Construct scope, String id) {
        super(scope, id);
        Stack stack = Stack.of(this);
        this.key = Key.Builder.create(this, "Resource")
                .description("o11y-cdk: CloudWatch Logs of " + stack.getStackName())
                .enableKeyRotation(true)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        String logGroups = stack.formatArn(ArnComponents.builder()
                .service("logs").resource("log-group").resourceName("*").arnFormat(ArnFormat.COLON_RESOURCE_NAME).build());
        key.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("CloudWatchLogsOfThisAccountAndRegion")
                .principals(List.of(new ServicePrincipal("logs." + stack.getRegion() + ".amazonaws.com")))
                .actions(LOGS_ACTIONS)
                .resources(List.of("*"))
                .conditions(Map.of("ArnLike", Map.of("kms:EncryptionContext:aws:logs:arn", logGroups)))
                .build());
        KeyPolicies.grantsOnlyForAwsServices(key);
        Aspects.of(stack).add(new EncryptLogGroups(stack, key), AspectOptions.builder().priority(AspectPriority.MUTATING).build());
    }

    public IKey getKey() {
        return key;
    }

    /** Sets the key on every log group of the stack that has none. */
    private static final class EncryptLogGroups implements IAspect {
        private final Stack stack;
        private final Key key;

        EncryptLogGroups(Stack stack, Key key) {
            this.stack = stack;
            this.key = key;
        }

        @Override
        public void visit(IConstruct node) {
            if (node instanceof CfnLogGroup group && group.getKmsKeyId() == null && Stack.of(group) == stack) {
                group.setKmsKeyId(key.getKeyArn());
            }
        }
    }
}
