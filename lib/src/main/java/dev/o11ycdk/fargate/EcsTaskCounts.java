package dev.o11ycdk.fargate;

import dev.o11ycdk.config.Check;
import dev.o11ycdk.config.MetricNames;
import dev.o11ycdk.core.Suppressions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.ArnComponents;
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
                // One run at a time: a run never overlaps the next minute's.
                .reservedConcurrentExecutions(1)
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
                Suppressions.CdkNag.of("AwsSolutions-IAM5", "ecs:ListServices and DescribeServices are limited to the discovered "
                        + "clusters by the ecs:cluster condition, PutMetricData to its namespace by cloudwatch:namespace; neither "
                        + "supports resource-level permissions.", "Resource::*"));
    }

    private static String source() {
        try (InputStream in = EcsTaskCounts.class.getResourceAsStream("ecs_task_counts.py")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Function getFunction() {
        return function;
    }
}
