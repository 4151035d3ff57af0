package dev.o11ycdk.core;

import dev.o11ycdk.config.AlertRules;
import dev.o11ycdk.config.RuleGroups;
import org.immutables.value.Value;
import org.jetbrains.annotations.Nullable;
import software.amazon.awscdk.Duration;

/** What every layout's Prometheus takes alike: how often it scrapes, how long it keeps, which rules it runs. */
public interface PrometheusBasicsProps {
    /** @default 15s (seed 001) */
    @Value.Default
    default String getScrapeInterval() {
        return "15s";
    }

    /** TSDB retention, 1 to 3650 days; it also sizes the layout's volume. @default 15 days */
    @Value.Default
    default Duration getRetention() {
        return Duration.days(15);
    }

    /** Base URL of the platform's runbooks, which every alert links to. @default AlertRules.DEFAULT_RUNBOOKS */
    @Value.Default
    default String getRunbookBaseUrl() {
        return AlertRules.DEFAULT_RUNBOOKS;
    }

    /**
     * The alert and recording rules; every layout adds the dashboards' recording rules
     * ({@code DashboardRules.GROUP}) to them. @default - the layout's {@code defaultRules(runbookBaseUrl)}
     */
    @Nullable
    RuleGroups getRules();
}
