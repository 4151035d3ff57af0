package dev.o11ycdk.app;

import dev.o11ycdk.host.Release;
import java.util.List;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.constructs.Construct;

/**
 * Alertmanager's settings, read with the others by {@link Settings#from}. Both layouts run
 * Alertmanager from these same settings: on the EC2 host as a systemd unit, on Fargate as a service.
 *
 * @param alertmanagerRelease the host's release (its version is also the Fargate image tag)
 */
public record AlertingSettings(
        String slackWebhookSecretName,
        String slackCriticalChannel,
        String slackWarningChannel,
        List<String> mutedEnvironments,
        Release alertmanagerRelease) {

    static AlertingSettings from(Context c) {
        String slack = c.optional("slackWebhookSecretName");
        if (slack == null) {
            throw new IllegalArgumentException("setting 'slackWebhookSecretName' is empty: name the Secrets Manager secret that "
                    + "holds the Slack webhook URL (it is never put in the template)");
        }
        String version = c.string("alertmanagerVersion");
        if (!version.matches("\\d+\\.\\d+\\.\\d+")) {
            throw new IllegalArgumentException("setting 'alertmanagerVersion' = '" + version + "': must be an exact version like 0.27.0");
        }
        return new AlertingSettings(slack, c.string("slackCriticalChannel"), c.string("slackWarningChannel"),
                c.list("mutedEnvironments"), Settings.release(c, Release.alertmanager(), "alertmanager"));
    }

    /** The webhook secret, imported by name: nothing about it is created or read at synth. */
    ISecret slackWebhookSecret(Construct scope) {
        return Secret.fromSecretNameV2(scope, "SlackWebhook", slackWebhookSecretName);
    }
}
