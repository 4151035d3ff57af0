package dev.o11ycdk.config;

import java.util.Locale;

/**
 * The one place the metric names the platform's rules and dashboards read are written, each under the
 * component that emits it. Rules, dashboards and the tests' input series all take their names from
 * here; the tests check every name a rule or panel reads against what the real emitter produced.
 */
public final class MetricNames {
    private MetricNames() {
    }

    /**
     * The series name prom/cloudwatch-exporter gives a CloudWatch metric: its namespace lower-cased with
     * every other character than a letter or digit as {@code _}, the metric in snake case, the
     * statistic lower-cased ({@code AWS/ECS} CPUUtilization Average is {@code aws_ecs_cpuutilization_average},
     * {@code ECS/ContainerInsights} RunningTaskCount Average is {@code ecs_containerinsights_running_task_count_average}:
     * Container Insights' carry no {@code aws_}).
     */
    public static String cloudWatch(String namespace, String metric, String statistic) {
        return safe(namespace) + "_" + snake(metric) + "_" + safe(statistic);
    }

    private static String safe(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_");
    }

    /** The exporter's toSnakeCase: an upper-case letter after a lower-case one starts a new word. */
    private static String snake(String s) {
        return safe(s.replaceAll("([a-z0-9])([A-Z])", "$1_$2"));
    }

    /** What the CloudWatch exporter reads (prometheus/cloudwatch_exporter, the {@code cloudwatch} job). */
    public static final class CloudWatch {
        private CloudWatch() {
        }

        /** The platform's own namespace for ECS task counts, published by {@code EcsTaskCounts}. */
        public static final String TASK_COUNTS_NAMESPACE = "O11y/ECS";
        public static final String DESIRED_TASK_COUNT = "DesiredTaskCount";
        public static final String RUNNING_TASK_COUNT = "RunningTaskCount";
        /** ECS's desired task count of a service whose tasks are all gone (published only then). */
        public static final String DESIRED_TASKS = cloudWatch(TASK_COUNTS_NAMESPACE, DESIRED_TASK_COUNT, "Maximum");
        /** Its running task count (published only when none runs while some are desired). */
        public static final String RUNNING_TASKS = cloudWatch(TASK_COUNTS_NAMESPACE, RUNNING_TASK_COUNT, "Maximum");
        public static final String ALB_NAMESPACE = "AWS/ApplicationELB";
        /** ALB target response time by load balancer and target group. */
        public static final String ALB_TARGET_RESPONSE_TIME_AVERAGE = cloudWatch(ALB_NAMESPACE, "TargetResponseTime", "Average");
        public static final String ALB_TARGET_RESPONSE_TIME_MAXIMUM = cloudWatch(ALB_NAMESPACE, "TargetResponseTime", "Maximum");
    }

    /**
     * What prometheus-community/ecs_exporter (the sidecar {@code scrape(...)} adds to a team's task)
     * reads from the ECS task metadata endpoint v4: one target per task, CPU per container as seconds,
     * memory per container as bytes, the task's reservation, network per interface.
     */
    public static final class EcsExporter {
        private EcsExporter() {
        }

        public static final String CONTAINER_CPU_SECONDS = "ecs_container_cpu_usage_seconds_total";
        public static final String CONTAINER_MEMORY_BYTES = "ecs_container_memory_usage_bytes";
        public static final String TASK_CPU_LIMIT_VCPUS = "ecs_task_cpu_limit_vcpus";
        public static final String TASK_MEMORY_LIMIT_BYTES = "ecs_task_memory_limit_bytes";
        public static final String NETWORK_RECEIVE_BYTES = "ecs_network_receive_bytes_total";
        public static final String NETWORK_TRANSMIT_BYTES = "ecs_network_transmit_bytes_total";
        /** One series per task (desired and known status, family, revision, task ARN). */
        public static final String TASK_INFO = "ecs_task_metadata_info";
    }

    /** Recorded by the platform's rules ({@link AlertRules}). */
    public static final class Recorded {
        private Recorded() {
        }

        /** Per task: CPU used as a percentage of the task's reservation. */
        public static final String ECS_CPU_UTILIZATION = "ecs_cpu_utilization";
        /** Per task: memory used as a percentage of the task's reservation. */
        public static final String ECS_MEMORY_UTILIZATION = "ecs_memory_utilization";
        /** ECS services whose desired task count is above zero while none runs. */
        public static final String TASKS_GONE = "o11y_ecs_service_tasks_gone";
        /** The service, env and team labels of each discovered ECS service, by cluster and ECS name. */
        public static final String SERVICE_INFO = "o11y_service_info";
    }
}
