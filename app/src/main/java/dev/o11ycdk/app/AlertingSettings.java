package dev.o11ycdk.app;

import dev.o11ycdk.config.AlertmanagerConfig;
import dev.o11ycdk.config.PromDuration;
import dev.o11ycdk.core.AlarmTopic;
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

    /** @param hostArch the EC2 host's architecture, whose Alertmanager checksum must be known; null without the ec2 layout */
    static AlertingSettings from(Context c, Release.Arch hostArch) {
        String slack = c.optional("slackWebhookSecretName");
        if (slack == null) {
            throw c.bad("slackWebhookSecretName", "name the Secrets Manager secret that holds the Slack webhook URL "
                    + "(it is never put in the template)");
        }
        FargateSettings.secretName(c, "slackWebhookSecretName", slack);
        for (String k : List.of("slackCriticalChannel", "slackWarningChannel")) {
            String channel = c.string(k);
            c.check(k, () -> AlertmanagerConfig.Receiver.slack("x", "/x", channel));
        }
        List<String> muted = c.list("mutedEnvironments");
        for (String m : muted) {
            if (!m.matches(FargateSettings.ENV)) {
                throw Context.badEntry("mutedEnvironments", m, "an env label value: lowercase letters, digits and '-'");
            }
        }
        String heartbeat = c.optional("heartbeatUrl");
        if (heartbeat != null) {
            c.check("heartbeatUrl", () -> AlertmanagerConfig.Receiver.webhook("heartbeat", heartbeat));
            if (!heartbeat.startsWith("https://")) {
                throw c.bad("heartbeatUrl", "must be an https URL such as https://hc-ping.com/<uuid>, or empty");
            }
        }
        String runbooks = c.string("runbookBaseUrl");
        if (!runbooks.matches("https://[^\\s#\"'{}]+|[A-Za-z0-9_.][A-Za-z0-9_./-]*")) {
            throw c.bad("runbookBaseUrl", "must be an https URL or a path in the repository such as docs/runbooks.md, without '#'");
        }
        List<String> emails = c.list("alarmEmails");
        emails.forEach(e -> Context.checkEntry("alarmEmails", e, () -> AlarmTopic.email(e)));
        String downFor = c.string("serviceDownFor");
        c.check("serviceDownFor", () -> PromDuration.parse("serviceDownFor", downFor));
        return new AlertingSettings(slack, c.string("slackCriticalChannel"), c.string("slackWarningChannel"), muted,
                alertmanagerRelease(c, hostArch), heartbeat, runbooks, emails, downFor);
    }

    /** On the host a verified download; without the ec2 layout only the image tag, which needs no checksum. */
    private static Release alertmanagerRelease(Context c, Release.Arch hostArch) {
        if (hostArch != null) {
            return Settings.release(c, Release.alertmanager(), hostArch);
        }
        Release pinned = Release.alertmanager();
        String version = c.string("alertmanagerVersion");
        return c.check("alertmanagerVersion", () -> version.equals(pinned.version()) ? pinned
                : new Release(pinned.name(), version, pinned.urlTemplate(), c.optional("alertmanagerSha256Amd64"),
                        c.optional("alertmanagerSha256Arm64")));
    }

    /** The webhook secret, imported by name: nothing about it is created or read at synth. */
    ISecret slackWebhookSecret(Construct scope) {
        return Secret.fromSecretNameV2(scope, "SlackWebhook", slackWebhookSecretName);
    }
}
