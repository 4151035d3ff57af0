package dev.o11ycdk.core;

import dev.o11ycdk.config.AlertmanagerConfig;
import java.util.List;
import org.immutables.value.Value;
import org.jetbrains.annotations.Nullable;
import software.amazon.awscdk.services.secretsmanager.ISecret;

/**
 * Where alerts go, the same props on every layout that runs an Alertmanager (the EC2 host, the
 * Fargate service, the EKS charts): the seed's routing, critical to one Slack channel and warning
 * to another, muted environments to nowhere, the always-firing Watchdog to a dead-man's switch.
 */
public interface AlertRoutingProps {
    /** The channel of {@code severity="critical"} alerts. */
    String DEFAULT_CRITICAL_CHANNEL = "#alerts-critical";
    /** The channel of {@code severity="warning"} alerts. */
    String DEFAULT_WARNING_CHANNEL = "#alerts-warning";

    /**
     * The Secrets Manager secret whose string is the Slack incoming-webhook URL. It reaches
     * Alertmanager as a file at start (the host: at every boot, through its role); it is never in the
     * template or a configuration file. Required.
     */
    ISecret getSlackWebhookSecret();

    /** @default #alerts-critical */
    @Value.Default
    default String getCriticalChannel() {
        return DEFAULT_CRITICAL_CHANNEL;
    }

    /** @default #alerts-warning */
    @Value.Default
    default String getWarningChannel() {
        return DEFAULT_WARNING_CHANNEL;
    }

    /** Environments ({@code env} label) whose alerts go to the null receiver (seed 004). @default [test] */
    @Value.Default
    default List<String> getMutedEnvironments() {
        return List.of("test");
    }

    /**
     * A dead-man's switch (Healthchecks.io, Cronitor, Dead Man's Snitch: any https URL that counts
     * requests) that receives the always-firing Watchdog every minute and pages when it stops.
     *
     * @default - none: Watchdog goes to a null receiver and nothing notices when alerting is down
     */
    @Nullable
    String getHeartbeatUrl();

    /**
     * A whole routing tree instead of the seed's; its Slack receivers must read the webhook file the
     * layout names (e.g. {@code ObservabilityInstance.SLACK_WEBHOOK_FILE}).
     *
     * @default - the seed's routing from the props above ({@code AlertmanagerConfig.seedDefaults})
     */
    @Nullable
    AlertmanagerConfig getAlertmanagerConfig();
}
