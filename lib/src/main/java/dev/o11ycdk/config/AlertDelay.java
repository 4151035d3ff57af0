package dev.o11ycdk.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The worst-case time from an outage to the first notification of an alert: the outage is seen at
 * the next scrape (scrape interval), picked up by the next rule evaluation (evaluation interval),
 * must hold for {@code for}, then Alertmanager waits {@code group_wait} before the first message.
 */
public record AlertDelay(String alert, PromDuration scrapeInterval, PromDuration evaluationInterval, PromDuration forDuration,
                         PromDuration groupWait, PromDuration goal) {

    public static AlertDelay of(Rule rule, PromDuration scrapeInterval, PromDuration evaluationInterval, PromDuration groupWait) {
        return new AlertDelay(rule.name(), scrapeInterval, evaluationInterval, rule.forDuration(), groupWait, rule.delayGoal());
    }

    public long worstCaseSeconds() {
        return scrapeInterval.toSeconds() + evaluationInterval.toSeconds() + forDuration.toSeconds() + groupWait.toSeconds();
    }

    /** True when no goal is declared or the worst case is within it. */
    public boolean meetsGoal() {
        return goal == null || worstCaseSeconds() <= goal.toSeconds();
    }

    public String describe() {
        return alert + ": " + human(scrapeInterval.toSeconds()) + " scrape + " + human(evaluationInterval.toSeconds())
                + " evaluation + " + human(forDuration.toSeconds()) + " for + " + human(groupWait.toSeconds()) + " group_wait = "
                + human(worstCaseSeconds()) + (goal == null ? "" : meetsGoal()
                ? " (goal " + human(goal.toSeconds()) + ": met)"
                : " (goal " + human(goal.toSeconds()) + ": MISSED by " + human(worstCaseSeconds() - goal.toSeconds()) + ")");
    }

    /** A table for synth output and the reviewable files. */
    public static String table(List<AlertDelay> delays) {
        return delays.stream().map(AlertDelay::describe).collect(Collectors.joining("\n", "", "\n"));
    }

    static String human(long seconds) {
        if (seconds == 0) {
            return "0s";
        }
        StringBuilder sb = new StringBuilder();
        if (seconds >= 3600) {
            sb.append(seconds / 3600).append('h');
        }
        if (seconds % 3600 >= 60) {
            sb.append(seconds % 3600 / 60).append('m');
        }
        if (seconds % 60 > 0) {
            sb.append(seconds % 60).append('s');
        }
        return sb.toString();
    }
}
