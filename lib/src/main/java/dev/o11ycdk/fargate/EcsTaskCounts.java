package dev.o11ycdk.fargate;

import dev.o11ycdk.config.Check;
import dev.o11ycdk.config.MetricNames;
import dev.o11ycdk.core.Suppressions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.IAlarmAction;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * ECS's desired and running task counts of every service in the discovered clusters, for
 * ServiceTasksGone, without Container Insights: a small function reads them from the ECS API
 * (ListServices, DescribeServices) every minute and publishes them to CloudWatch
 * ({@value MetricNames.CloudWatch#TASK_COUNTS_NAMESPACE}) only for a service that wants tasks and runs
 * none; the CloudWatch exporter reads them from there. While every service runs it publishes nothing,
 * so nothing is billed per service but the function's run time. Its handler is
 * {@code ecs_task_counts.py} next to this class, inline in the template.
 */
public class EcsTaskCounts extends Construct {
    /** The handler's source, as the template carries it. */
    public static final String HANDLER_SOURCE = source();
    /** How often it reads the counts: the CloudWatch period of what it publishes, and ServiceTasksGone's resolution. */
    public static final Duration INTERVAL = Duration.minutes(1);
    /** Its memory, in MiB (the estimate prices its run time at this size). */
    public static final int MEMORY_MIB = 128;

    private final Function function;

    public EcsTaskCounts(Construct scope, String id, EcsTaskCountsProps props) {
        super(scope, id);
        if (props.getClusterNames().isEmpty()) {
            throw Check.bad(id + ".clusterNames", "[]", "name at least one ECS cluster");
        }
        Stack stack = Stack.of(this);
        LogGroup logs = LogGroup.Builder.create(this, "Logs")
                .retention(RetentionDays.ONE_YEAR)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        this.function = Function.Builder.create(this, "Function")
                .runtime(Runtime.PYTHON_3_14)
                .handler("index.handler")
                .code(Code.fromInline(HANDLER_SOURCE))
                .memorySize(MEMORY_MIB)
                .timeout(Duration.seconds(50))
                // No reserved concurrency: it would fail the deploy in an account whose unreserved pool is at its minimum
                // (new accounts have 10); a run ends within its timeout, before the next minute's starts.
                .vpc(props.getVpc())
                .vpcSubnets(SubnetSelection.builder().subnetType(SubnetType.PRIVATE_WITH_EGRESS).build())
                .logGroup(logs)
                .environment(Map.of(
                        "CLUSTERS", String.join(",", props.getClusterNames()),
                        "NAMESPACE", MetricNames.CloudWatch.TASK_COUNTS_NAMESPACE))
                .description("o11y-cdk: desired and running ECS task counts of services without running tasks, for ServiceTasksGone")
                .build();
        function.addToRolePolicy(PolicyStatement.Builder.create()
                .actions(List.of("ecs:ListServices", "ecs:DescribeServices"))
                .resources(List.of("*"))
                .conditions(Map.of("ArnEquals", Map.of("ecs:cluster", props.getClusterNames().stream()
                        .map(name -> stack.formatArn(ArnComponents.builder().service("ecs").resource("cluster").resourceName(name).build()))
                        .toList())))
                .build());
        function.addToRolePolicy(PolicyStatement.Builder.create()
                .actions(List.of("cloudwatch:PutMetricData"))
                .resources(List.of("*"))
                .conditions(Map.of("StringEquals", Map.of("cloudwatch:namespace", MetricNames.CloudWatch.TASK_COUNTS_NAMESPACE)))
                .build());
        Rule.Builder.create(this, "Schedule")
                .schedule(Schedule.rate(INTERVAL))
                .targets(List.of(LambdaFunction.Builder.create(function).retryAttempts(0).build()))
                .build();
        Suppressions.suppress(function.getRole(), true,
                Suppressions.CdkNag.of("AwsSolutions-IAM4", "The AWS-managed Lambda basic-execution and VPC-access policies: "
                        + "its logs and its network interfaces.", "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
                        "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"),
                Suppressions.CdkNag.of("AwsSolutions-IAM5", "ecs:ListServices and DescribeServices are limited to the services of "
                        + "the discovered clusters by the ecs:cluster condition (ListServices has no resource-level permission; "
                        + "DescribeServices would need each service's name, which it does not know in advance), PutMetricData "
                        + "to its namespace by cloudwatch:namespace.", "Resource::*"));
    }

    private static String source() {
        try (InputStream in = EcsTaskCounts.class.getResourceAsStream("ecs_task_counts.py")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Its own health, as CloudWatch alarms on the function's AWS/Lambda metrics (free): while it fails or does not run,
     * ServiceTasksGone and every TasksBelowDesired alarm are silent, because a service without running tasks is one it
     * publishes. {@code <id>Failing}: 3 of the last 5 runs failed or were throttled (a missing permission, the ECS API
     * throttling, an unreachable endpoint). {@code <id>NotRunning}: no run for 10 minutes, and no data counts as such (the
     * schedule disabled, the function deleted).
     */
    public List<Alarm> addHealthAlarms(IAlarmAction action, String runbookBaseUrl) {
        Map<String, IMetric> failures = new LinkedHashMap<>();
        failures.put("errors", function.metricErrors(MetricOptions.builder().period(Duration.minutes(5)).statistic("Sum").build()));
        failures.put("throttles", function.metricThrottles(MetricOptions.builder().period(Duration.minutes(5)).statistic("Sum").build()));
        String runbook = " (runbook: " + runbookBaseUrl + "#cloudwatch-alarms)";
        List<Alarm> alarms = List.of(
                Alarm.Builder.create(this, "Failing")
                        .metric(MathExpression.Builder.create().expression("FILL(errors, 0) + FILL(throttles, 0)")
                                .usingMetrics(failures).period(Duration.minutes(5)).label("failed or throttled runs").build())
                        .threshold(3)
                        .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                        .evaluationPeriods(1)
                        .treatMissingData(TreatMissingData.NOT_BREACHING)
                        .alarmDescription("EcsTaskCounts: 3 of its last 5 runs failed or were throttled; ServiceTasksGone and the "
                                + "TasksBelowDesired alarms cannot fire meanwhile" + runbook)
                        .build(),
                Alarm.Builder.create(this, "NotRunning")
                        .metric(function.metricInvocations(MetricOptions.builder().period(Duration.minutes(10)).statistic("Sum").build()))
                        .threshold(1)
                        .comparisonOperator(ComparisonOperator.LESS_THAN_THRESHOLD)
                        .evaluationPeriods(1)
                        .treatMissingData(TreatMissingData.BREACHING)
                        .alarmDescription("EcsTaskCounts: no run for 10 minutes; ServiceTasksGone and the TasksBelowDesired alarms "
                                + "cannot fire meanwhile" + runbook)
                        .build());
        alarms.forEach(a -> {
            a.addAlarmAction(action);
            a.addOkAction(action);
        });
        return alarms;
    }

    public Function getFunction() {
        return function;
    }
}
