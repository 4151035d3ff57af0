package dev.o11ycdk.app;

import dev.o11ycdk.config.PromDuration;
import dev.o11ycdk.host.Release;
import java.util.List;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.constructs.Construct;

/**
 * Where alerts go, read with the other settings by {@link Settings#from}. Both layouts run
 * Alertmanager from these same settings: on the EC2 host as a systemd unit, on Fargate as a service.
 *
 * @param alertmanagerRelease the host's release (its version is also the Fargate image tag)
 * @param heartbeatUrl        dead-man's switch that receives Watchdog every minute; null when not set
 * @param runbookBaseUrl      base of every alert's runbook link ({@code <base>#<alert>})
 * @param alarmEmails         addresses subscribed to the stack's alarm topic (when it creates one)
 * @param serviceDownFor      ServiceDown's {@code for}
 */
public record AlertingSettings(
        String slackWebhookSecretName,
        String slackCriticalChannel,
        String slackWarningChannel,
        List<String> mutedEnvironments,
        Release alertmanagerRelease,
        String heartbeatUrl,
        String runbookBaseUrl,
        List<String> alarmEmails,
        String serviceDownFor) {

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
        String heartbeat = c.optional("heartbeatUrl");
        if (heartbeat != null && !heartbeat.matches("https://[A-Za-z0-9.-]+(:\\d+)?(/[^\\s\"'{}]*)?")) {
            throw new IllegalArgumentException("setting 'heartbeatUrl' = '" + heartbeat + "': must be an https URL such as "
                    + "https://hc-ping.com/<uuid>, or empty");
        }
        String runbooks = c.string("runbookBaseUrl");
        if (!runbooks.matches("https://[^\\s#\"'{}]+|[A-Za-z0-9_.][A-Za-z0-9_./-]*")) {
            throw new IllegalArgumentException("setting 'runbookBaseUrl' = '" + runbooks + "': must be an https URL or a path "
                    + "in the repository such as docs/runbooks.md, without '#'");
        }
        List<String> emails = c.list("alarmEmails");
        for (String e : emails) {
            if (!e.matches("[^@\\s,]+@[^@\\s,]+\\.[A-Za-z]{2,}")) {
                throw new IllegalArgumentException("setting 'alarmEmails' has '" + e + "': not an e-mail address");
            }
        }
        String downFor = c.string("serviceDownFor");
        try {
            PromDuration.parse("serviceDownFor", downFor);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("setting 'serviceDownFor' = '" + downFor + "': not a Prometheus duration such as 1m");
        }
        return new AlertingSettings(slack, c.string("slackCriticalChannel"), c.string("slackWarningChannel"),
                c.list("mutedEnvironments"), Settings.release(c, Release.alertmanager(), "alertmanager"),
                heartbeat, runbooks, emails, downFor);
    }

    /** The webhook secret, imported by name: nothing about it is created or read at synth. */
    ISecret slackWebhookSecret(Construct scope) {
        return Secret.fromSecretNameV2(scope, "SlackWebhook", slackWebhookSecretName);
    }
}
