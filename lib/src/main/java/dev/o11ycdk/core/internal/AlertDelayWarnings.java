package dev.o11ycdk.core.internal;

import dev.o11ycdk.config.AlertDelay;
import java.util.List;
import software.amazon.awscdk.Annotations;
import software.constructs.IConstruct;

/** One synth warning per alert whose worst-case delay misses its declared goal, for every construct that runs rules. */
public final class AlertDelayWarnings {
    private AlertDelayWarnings() {
    }

    /** @param id the annotation id's prefix, e.g. {@code @o11y-cdk/host}; the alert's name is appended */
    public static void warnMissedGoals(IConstruct scope, String id, List<AlertDelay> delays) {
        for (AlertDelay d : delays) {
            if (!d.meetsGoal()) {
                Annotations.of(scope).addWarningV2(id + ":alertDelay:" + d.alert(), "Alert " + d.describe()
                        + ". Shorten its for, the intervals or group_wait, or relax the goal.");
            }
        }
    }
}
