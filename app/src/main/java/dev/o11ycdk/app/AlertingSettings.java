package dev.o11ycdk.app;

import dev.o11ycdk.config.PromDuration;
import java.util.List;

/**
 * Where alerts go beyond Slack, read with the other settings by {@link Settings#from}.
 *
 * @param heartbeatUrl   dead-man's switch that receives Watchdog every minute; null when not set
 * @param runbookBaseUrl base of every alert's runbook link ({@code <base>#<alert>})
 * @param alarmEmails    addresses subscribed to the stack's alarm topic (when it creates one)
 * @param serviceDownFor ServiceDown's {@code for}
 */
public record AlertingSettings(String heartbeatUrl, String runbookBaseUrl, List<String> alarmEmails, String serviceDownFor) {

    static AlertingSettings from(Context c) {
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
        return new AlertingSettings(heartbeat, runbooks, emails, downFor);
    }
}
