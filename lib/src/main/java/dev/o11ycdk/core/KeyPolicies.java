package dev.o11ycdk.core;

import dev.o11ycdk.config.Rendering;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.services.iam.AnyPrincipal;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.kms.IKey;

/** Key-policy statements the platform's customer-managed KMS keys share. */
public final class KeyPolicies {
    private KeyPolicies() {
    }

    /**
     * Denies {@code kms:CreateGrant} on the key unless the grant is for an AWS resource or the caller is
     * an AWS service (AWS Control Tower CT.KMS.PR.3): services that use the key through grants keep
     * working, nobody else can hand out its use.
     */
    public static void grantsOnlyForAwsServices(IKey key) {
        key.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("GrantsOnlyForAwsServices")
                .effect(Effect.DENY)
                .principals(List.of(new AnyPrincipal()))
                .actions(List.of("kms:CreateGrant"))
                .resources(List.of("*"))
                .conditions(Map.of("BoolIfExists", Rendering.ordered("kms:GrantIsForAWSResource", "false", "aws:PrincipalIsAWSService", "false")))
                .build());
    }
}
