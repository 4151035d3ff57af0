package dev.o11ycdk.core.internal;

import dev.o11ycdk.config.AlertmanagerConfig;
import dev.o11ycdk.config.Check;
import dev.o11ycdk.core.AlertRoutingProps;

/** The one code path from {@link AlertRoutingProps} to an Alertmanager routing tree, so every layout routes alike. */
public final class AlertRouting {
    private AlertRouting() {
    }

    /**
     * The props' own tree when given, else the seed's routing with its Slack receivers reading
     * {@code webhookUrlFile} and Watchdog sent to the heartbeat URL (none: nowhere).
     */
    public static AlertmanagerConfig config(AlertRoutingProps props, String webhookUrlFile) {
        props.getMutedEnvironments().forEach(e -> Check.notBlank("mutedEnvironments", e));
        return props.getAlertmanagerConfig() != null ? props.getAlertmanagerConfig()
                : AlertmanagerConfig.seedDefaults(webhookUrlFile, props.getCriticalChannel(), props.getWarningChannel(),
                        props.getMutedEnvironments(), props.getHeartbeatUrl());
    }
}
