package dev.o11ycdk.grafana;

import dev.o11ycdk.config.PromDuration;
import dev.o11ycdk.config.Rule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The recording rules the HTTP dashboards read: what they aggregate over Micrometer's
 * {@code http_server_requests_seconds_*} (Spring Boot's server requests), computed once per
 * evaluation instead of at every panel refresh. At 1,000 services a panel that ran
 * {@code histogram_quantile} over the raw bucket series read some 48,000 series per step; the
 * recorded ones are one series per service (twelve per service for the latency histogram).
 *
 * <p>Every layout adds the group to its rules ({@link #GROUP}). The names carry no window: it is
 * {@link #window} of the layout's scrape interval, so the same dashboards read every layout.
 * Later rules read earlier ones of the same evaluation (Prometheus evaluates a group's rules in order).
 */
public final class DashboardRules {
    /** The rule group's name in every layout's rule file. */
    public static final String GROUP = "dashboards-http";
    private static final String HTTP = "http_server_requests_seconds";
    /**
     * What every recorded series keeps of its targets' labels: the service with its env and team, so two services of one
     * name in two environments stay two, and a panel or route can still tell teams apart.
     */
    public static final String BY = "service, env, team";
    /** Requests per second, by service. */
    public static final String REQUESTS = "service:" + HTTP + "_count:rate";
    /** 5xx responses per second, by service; 0 (not absent) for a service that serves requests without errors. */
    public static final String ERRORS = "service:" + HTTP + "_count:rate_5xx";
    /** The share of responses that were 5xx (0 to 1), by service. */
    public static final String ERROR_RATIO = "service:" + HTTP + "_count:ratio_5xx";
    /** The latency histogram by service and le: requests per second at or under each bucket's bound. */
    public static final String LATENCY_BUCKETS = "service_le:" + HTTP + "_bucket:rate";
    /** Latency quantiles by service, one series per {@code quantile} label (0.5, 0.95, 0.99). */
    public static final String LATENCY = "service:" + HTTP + ":quantile";
    /** The 95th percentile latency by service and uri (the slowest-endpoints view). */
    public static final String ENDPOINT_LATENCY = "service_uri:" + HTTP + ":quantile";
    /** The quantiles recorded by service (as Prometheus writes float labels). */
    public static final List<String> QUANTILES = List.of("0.5", "0.95", "0.99");

    private DashboardRules() {
    }

    /**
     * The rate window: four scrape intervals, at least a minute, so every window holds at least three
     * samples when a scrape is late (Prometheus 3's windows are left-open), as Grafana's
     * {@code $__rate_interval} would.
     */
    public static PromDuration window(PromDuration scrapeInterval) {
        long seconds = Math.max(60, 4 * scrapeInterval.positive("scrapeInterval").toSeconds());
        return seconds % 60 == 0 ? PromDuration.parse("window", seconds / 60 + "m") : PromDuration.ofSeconds(seconds);
    }

    /** The group's rules for a Prometheus that scrapes every {@code scrapeInterval}. */
    public static List<Rule> http(PromDuration scrapeInterval) {
        String w = "[" + window(scrapeInterval) + "]";
        List<Rule> rules = new ArrayList<>();
        rules.add(Rule.record(REQUESTS, "sum by (" + BY + ") (rate(" + HTTP + "_count" + w + "))"));
        // "or ... * 0": a service without 5xx has a 0 series, so an error panel of a healthy fleet shows 0, not "No data".
        rules.add(Rule.record(ERRORS, "sum by (" + BY + ") (rate(" + HTTP + "_count{status=~\"5..\"}" + w + ")) or " + REQUESTS + " * 0"));
        rules.add(Rule.record(ERROR_RATIO, ERRORS + " / " + REQUESTS));
        rules.add(Rule.record(LATENCY_BUCKETS, "sum by (" + BY + ", le) (rate(" + HTTP + "_bucket" + w + "))"));
        for (String q : QUANTILES) {
            rules.add(Rule.record(LATENCY, "histogram_quantile(" + q + ", " + LATENCY_BUCKETS + ")", Map.of("quantile", q)));
        }
        rules.add(Rule.record(ENDPOINT_LATENCY, "histogram_quantile(0.95, sum by (" + BY + ", uri, le) (rate(" + HTTP + "_bucket" + w + ")))",
                Map.of("quantile", "0.95")));
        return rules;
    }
}
