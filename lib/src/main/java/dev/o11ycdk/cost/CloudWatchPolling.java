package dev.o11ycdk.cost;

import dev.o11ycdk.config.CloudWatchExporterConfig;
import dev.o11ycdk.config.MetricNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the Fargate layout's CloudWatch signals cost per month, per service: the CloudWatch exporter's
 * API requests (it asks at every scrape, each 60 s: one ListMetrics per metric rule, then one
 * GetMetricStatistics per dimension set it lists, all statistics in one request; tag:GetResources is
 * free), and the task counts EcsTaskCounts publishes for services whose tasks are all gone (its run
 * time, and custom metrics and PutMetricData while a service is listed).
 */
public final class CloudWatchPolling {
    /** The cloudwatch job's scrapes in a month (every 60 s). */
    public static final long SCRAPES_PER_MONTH = (long) CostEstimate.HOURS_PER_MONTH * 60;
    /**
     * The assumed share of services that had all their tasks gone in the last two weeks, so CloudWatch
     * still lists their task counts (at least one service): 1 in 50.
     */
    public static final double GONE_SHARE = 0.02;
    /** ListMetrics returns up to 500 metrics a page. */
    static final int LIST_PAGE = 500;
    /** EcsTaskCounts' runs in a month (every minute). */
    public static final long RUNS_PER_MONTH = (long) CostEstimate.HOURS_PER_MONTH * 60;
    /** Assumed time of one ECS API call from the function (ListServices takes 100 services a page, DescribeServices 10). */
    public static final double SECONDS_PER_ECS_CALL = 0.05;
    /** Assumed fixed time of one run (start, two clients, one PutMetricData). */
    public static final double SECONDS_PER_RUN = 0.3;

    private CloudWatchPolling() {
    }

    /** Services whose task counts CloudWatch lists: {@link #GONE_SHARE} of them, at least one. */
    public static int listedServices(int services) {
        return services < 1 ? 0 : Math.max(1, (int) Math.ceil(services * GONE_SHARE));
    }

    /**
     * The exporter's requests at one scrape of {@code config}: per rule one ListMetrics (a page per 500
     * metrics) and one GetMetricStatistics per dimension set: the listed task counts for the platform's
     * namespace, {@code taggedTargetGroups} for a rule limited by tag, {@code services} for any other
     * (one per ECS service, as a rule by ClusterName and ServiceName asks).
     */
    public static long requestsPerScrape(CloudWatchExporterConfig config, int services, int taggedTargetGroups) {
        long requests = 0;
        for (Map<String, Object> rule : config.metrics()) {
            long sets = MetricNames.CloudWatch.TASK_COUNTS_NAMESPACE.equals(rule.get("aws_namespace")) ? listedServices(services)
                    : rule.containsKey("aws_tag_select") ? taggedTargetGroups : services;
            requests += Math.max(1, (sets + LIST_PAGE - 1) / LIST_PAGE) + sets;
        }
        return requests;
    }

    /** {@link #requestsPerScrape} over a month. */
    public static long requestsPerMonth(CloudWatchExporterConfig config, int services, int taggedTargetGroups) {
        return requestsPerScrape(config, services, taggedTargetGroups) * SCRAPES_PER_MONTH;
    }

    /** The ECS API calls of one EcsTaskCounts run over {@code services} services in {@code clusters} clusters. */
    public static long ecsCallsPerRun(int services, int clusters) {
        return Math.max(clusters, (services + 99) / 100) + (services + 9) / 10;
    }

    /** EcsTaskCounts' lines: its run time and requests, and the custom metrics and PutMetricData of the listed services. */
    public static List<CostEstimate.Line> taskCountLines(Prices p, int services, int clusters, int memoryMiB) {
        List<CostEstimate.Line> lines = new ArrayList<>();
        long calls = ecsCallsPerRun(services, clusters);
        double seconds = SECONDS_PER_RUN + calls * SECONDS_PER_ECS_CALL;
        double gbSeconds = RUNS_PER_MONTH * seconds * memoryMiB / 1024.0;
        lines.add(new CostEstimate.Line("Lambda", String.format(Locale.ROOT, "EcsTaskCounts, %d runs x %.2f s at %d MiB (%d ECS calls a run)",
                RUNS_PER_MONTH, seconds, memoryMiB, calls), gbSeconds * p.get("lambdaGbSecond") + RUNS_PER_MONTH / 1e6 * p.get("lambdaRequestMillion")));
        int listed = listedServices(services);
        if (listed > 0) {
            lines.add(new CostEstimate.Line("CloudWatch", listed + " services' task counts (2 custom metrics each, " + (int) (GONE_SHARE * 100)
                    + "% of services had their tasks gone in the last two weeks)", listed * 2 * p.get("cloudWatchMetricMonth")));
            lines.add(new CostEstimate.Line("CloudWatch", String.format(Locale.ROOT, "PutMetricData, %.2fM requests (a run with a service gone)",
                    RUNS_PER_MONTH / 1e6), RUNS_PER_MONTH / 1000.0 * p.get("cloudWatchApiPerThousand")));
        }
        return lines;
    }
}
