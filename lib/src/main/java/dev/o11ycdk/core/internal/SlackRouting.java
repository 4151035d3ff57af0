package dev.o11ycdk.core.internal;

import dev.o11ycdk.config.AlertmanagerConfig;
import dev.o11ycdk.config.Check;
import java.util.List;
import software.amazon.awscdk.services.secretsmanager.ISecret;

/**
 * The one code path from the Slack settings to an Alertmanager routing tree, shared by the Fargate
 * service, the EC2 host and the EKS charts, so every layout routes alike.
 */
public final class SlackRouting {
    public static final String DEFAULT_CRITICAL_CHANNEL = "#alerts-critical";
    public static final String DEFAULT_WARNING_CHANNEL = "#alerts-warning";
    public static final List<String> DEFAULT_MUTED_ENVIRONMENTS = List.of("test");

    private SlackRouting() {
    }

    public static ISecret requireWebhookSecret(ISecret secret) {
        if (secret == null) {
            throw Check.bad("slackWebhookSecretName", null, "Alertmanager needs the Secrets Manager secret holding the Slack webhook URL");
        }
        return secret;
    }

    /**
     * {@code custom} when given, else the seed's routing with its Slack receivers reading {@code webhookUrlFile}
     * and Watchdog sent to {@code heartbeatUrl} (null: nowhere).
     */
    public static AlertmanagerConfig config(AlertmanagerConfig custom, String webhookUrlFile, String criticalChannel, String warningChannel,
                                     List<String> mutedEnvironments, String heartbeatUrl) {
        mutedEnvironments.forEach(e -> Check.notBlank("mutedEnvironments", e));
        return custom != null ? custom
                : AlertmanagerConfig.seedDefaults(webhookUrlFile, criticalChannel, warningChannel, mutedEnvironments, heartbeatUrl);
    }
}
