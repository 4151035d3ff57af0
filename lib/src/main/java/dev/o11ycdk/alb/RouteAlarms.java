package dev.o11ycdk.alb;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jetbrains.annotations.Nullable;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.IAlarmAction;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationTargetGroup;
import software.constructs.Construct;

/**
 * Per route, three target-group alarms and the seed's verification list on one CloudWatch
 * dashboard. Created in the MonitoringAlb itself ({@code <route>Unhealthy}, {@code Dashboard}...),
 * so the construct ids stay those of the ALB's children.
 */
final class RouteAlarms {
    private final Construct scope;
    private final String loadBalancerFullName;
    private final @Nullable IAlarmAction action;
    private Dashboard dashboard;

    RouteAlarms(Construct scope, String loadBalancerFullName, @Nullable IAlarmAction action) {
        this.scope = scope;
        this.loadBalancerFullName = loadBalancerFullName;
        this.action = action;
    }

    /** The route's alarms, created with its dashboard widgets. */
    List<Alarm> add(String id, ApplicationTargetGroup tg) {
        List<Alarm> alarms = alarms(id, tg);
        verificationWidgets(id, tg);
        return alarms;
    }

    /**
     * The seed's verification list per route on one CloudWatch dashboard: RequestCount,
     * TargetResponseTime, HealthyHostCount and UnHealthyHostCount.
     */
    private void verificationWidgets(String id, ApplicationTargetGroup tg) {
        if (dashboard == null) {
            dashboard = Dashboard.Builder.create(scope, "Dashboard").build();
        }
        dashboard.addWidgets(
                GraphWidget.Builder.create().title(id + " requests")
                        .left(List.of(metric(tg, "RequestCount", "Sum"))).width(8).build(),
                GraphWidget.Builder.create().title(id + " response time (p95)")
                        .left(List.of(metric(tg, "TargetResponseTime", "p95"))).width(8).build(),
                GraphWidget.Builder.create().title(id + " targets")
                        .left(List.of(metric(tg, "HealthyHostCount", "Minimum"), metric(tg, "UnHealthyHostCount", "Maximum")))
                        .width(8).build());
    }

    private List<Alarm> alarms(String id, ApplicationTargetGroup tg) {
        List<Alarm> alarms = new ArrayList<>();
        alarms.add(alarm(id + "Unhealthy", tg, "UnHealthyHostCount", "Maximum", 0,
                ComparisonOperator.GREATER_THAN_THRESHOLD, 2, TreatMissingData.NOT_BREACHING,
                id + ": a target failed its health check for two minutes"));
        alarms.add(alarm(id + "NoHealthy", tg, "HealthyHostCount", "Minimum", 1,
                ComparisonOperator.LESS_THAN_THRESHOLD, 2, TreatMissingData.BREACHING,
                id + ": no healthy target, the service is down"));
        // Seed success criterion: responses under 2 s.
        alarms.add(alarm(id + "Slow", tg, "TargetResponseTime", "p95", 2,
                ComparisonOperator.GREATER_THAN_THRESHOLD, 5, TreatMissingData.NOT_BREACHING,
                id + ": p95 response time above 2 s for five minutes"));
        return alarms;
    }

    private Alarm alarm(String id, ApplicationTargetGroup tg, String metric, String statistic, double threshold,
                        ComparisonOperator op, int periods, TreatMissingData missing, String description) {
        Alarm alarm = Alarm.Builder.create(scope, id)
                .metric(metric(tg, metric, statistic))
                .threshold(threshold)
                .comparisonOperator(op)
                .evaluationPeriods(periods)
                .datapointsToAlarm(periods)
                .treatMissingData(missing)
                .alarmDescription(description)
                .build();
        if (action != null) {
            alarm.addAlarmAction(action);
            alarm.addOkAction(action);
        }
        return alarm;
    }

    /** An AWS/ApplicationELB metric of {@code tg}, one-minute period. */
    Metric metric(ApplicationTargetGroup tg, String metricName, String statistic) {
        return Metric.Builder.create()
                .namespace("AWS/ApplicationELB")
                .metricName(metricName)
                .dimensionsMap(new TreeMap<>(Map.of("LoadBalancer", loadBalancerFullName, "TargetGroup", tg.getTargetGroupFullName())))
                .statistic(statistic)
                .period(Duration.minutes(1))
                .build();
    }
}
