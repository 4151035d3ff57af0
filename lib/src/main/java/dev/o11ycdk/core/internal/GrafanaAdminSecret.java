package dev.o11ycdk.core.internal;

import dev.o11ycdk.core.Suppressions;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.constructs.Construct;

/** Grafana's admin password on every layout: the secret the user gives, or a generated one. */
public final class GrafanaAdminSecret {
    private GrafanaAdminSecret() {
    }

    /**
     * {@code given} when set, else a new secret {@code id} in {@code scope}: 32 letters and digits (no
     * punctuation, which Grafana's environment and the External Secrets template would have to escape).
     */
    public static ISecret orGenerate(Construct scope, String id, ISecret given, String description) {
        if (given != null) {
            return given;
        }
        Secret secret = Secret.Builder.create(scope, id)
                .description(description)
                .generateSecretString(SecretStringGenerator.builder().excludePunctuation(true).passwordLength(32).build())
                .build();
        Suppressions.suppress(secret, false, Suppressions.CdkNag.of("AwsSolutions-SMG4", "Grafana copies the admin password "
                + "into its database on first start; rotating the secret would not change the login. Rotate in Grafana, then "
                + "update the secret."));
        return secret;
    }
}
