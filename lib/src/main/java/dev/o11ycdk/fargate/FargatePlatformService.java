package dev.o11ycdk.fargate;

import dev.o11ycdk.config.MetricNames;
import dev.o11ycdk.config.Rendering;
import dev.o11ycdk.core.internal.ReviewFiles;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.IAlarmAction;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.ec2.Connections;
import software.amazon.awscdk.services.ec2.ConnectionsProps;
import software.amazon.awscdk.services.ec2.IConnectable;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ecs.CfnTaskDefinition;
import software.amazon.awscdk.services.ecs.FargateService;
import software.amazon.awscdk.services.ecs.FargateTaskDefinition;
import software.amazon.awscdk.services.servicediscovery.INamespace;
import software.constructs.Construct;
import software.constructs.IValidation;

/**
 * What the platform's Fargate services expose alike: the service, its security group with the
 * service's default port, its Cloud Map name, the files it renders (written to
 * {@code cdk.out/<stack>.rendered/<name>/} on synth) and a synth-time check of ECS's 64 KiB
 * task-definition limit.
 */
public abstract class FargatePlatformService extends Construct implements IConnectable {
    /** ECS refuses a task definition larger than this (RegisterTaskDefinition, 64 KiB). */
    public static final int MAX_TASK_DEFINITION_BYTES = 64 * 1024;

    private FargateComponent component;
    private INamespace namespace;
    private String cloudMapName;
    private Connections connections;

    protected FargatePlatformService(Construct scope, String id) {
        super(scope, id);
    }

    /**
     * Called once by the subclass constructor after it built its component.
     *
     * @param sizeSetting the setting that makes this task definition grow, named in the 64 KiB error
     */
    final void init(FargateComponent builtComponent, INamespace ns, String name, int defaultPort, String sizeSetting) {
        this.component = builtComponent;
        this.namespace = ns;
        this.cloudMapName = name;
        this.connections = new Connections(ConnectionsProps.builder()
                .securityGroups(builtComponent.service.getConnections().getSecurityGroups())
                .defaultPort(Port.tcp(defaultPort))
                .build());
        ReviewFiles.register(this, this::getRenderedFiles);
        getNode().addValidation(new IValidation() {
            @Override
            public List<String> validate() {
                return checkTaskDefinitionSize(sizeSetting);
            }
        });
    }

    final FargateComponent component() {
        return component;
    }

    /** The container definitions as ECS receives them (CloudFormation's form; tokens are their JSON). */
    public int getTaskDefinitionBytes() {
        CfnTaskDefinition cfn = (CfnTaskDefinition) component.taskDefinition.getNode().getDefaultChild();
        Object resolved = Stack.of(this).resolve(cfn.getContainerDefinitions());
        return Rendering.compactJson(resolved).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    @SuppressWarnings("unchecked")
    private List<String> checkTaskDefinitionSize(String sizeSetting) {
        int bytes = getTaskDefinitionBytes();
        if (bytes <= MAX_TASK_DEFINITION_BYTES) {
            return List.of();
        }
        // Name what takes the room: the largest environment values (rendered files, the sidecar's configuration).
        CfnTaskDefinition cfn = (CfnTaskDefinition) component.taskDefinition.getNode().getDefaultChild();
        List<Map.Entry<String, Integer>> sizes = new ArrayList<>();
        for (Object c : (List<Object>) Stack.of(this).resolve(cfn.getContainerDefinitions())) {
            // The L1's own form: camelCase keys (CloudFormation's PascalCase comes later).
            Map<String, Object> container = (Map<String, Object>) c;
            Object envs = container.getOrDefault("environment", container.getOrDefault("Environment", List.of()));
            for (Object e : (List<Object>) envs) {
                Map<String, Object> env = (Map<String, Object>) e;
                Object name = env.getOrDefault("name", env.get("Name"));
                Object value = env.getOrDefault("value", env.get("Value"));
                sizes.add(Map.entry(container.getOrDefault("name", container.get("Name")) + " " + name,
                        Rendering.compactJson(value).getBytes(java.nio.charset.StandardCharsets.UTF_8).length));
            }
        }
        sizes.sort((a, b) -> Integer.compare(b.getValue(), a.getValue()));
        List<String> largest = sizes.stream().limit(2).map(e -> e.getKey() + " " + e.getValue() + " bytes").toList();
        return List.of("o11y-cdk: setting '" + sizeSetting + "': the " + cloudMapName + " task definition is " + bytes
                + " bytes, over ECS's limit of " + MAX_TASK_DEFINITION_BYTES + " (largest: " + String.join(", ", largest) + ")");
    }

    /**
     * Every file this service's entrypoint writes, plus the entrypoint itself, under
     * {@code <cloud map name>/}: what reviewers read in cdk.out and what snapshots cover.
     */
    public Map<String, String> getRenderedFiles() {
        return renderedFiles(component, cloudMapName);
    }

    /** {@code c}'s files and entrypoint under {@code name}/, as reviewers read them. */
    final Map<String, String> renderedFiles(FargateComponent c, String name) {
        Map<String, String> out = new TreeMap<>();
        String root = c.files.root() == null ? "" : c.files.root() + "/";
        c.files.files().forEach((path, content) -> out.put(name + "/" + (path.startsWith(root) ? path.substring(root.length()) : path),
                ReviewFiles.text(this, content)));
        out.put(name + "/entrypoint.sh", "#!/bin/sh\n" + c.entrypointScript);
        return out;
    }

    /**
     * CloudWatch alarms on the service's own health, each sending {@code action} on ALARM and OK: no task
     * running while ECS wants some for 5 minutes (the counts {@link EcsTaskCounts} publishes for such a
     * service only, so no data means the service runs; a single-writer deploy's gap is about a minute),
     * and CPU above 80 % or memory above 90 % of the task's reservation for 15 minutes (ECS's own service
     * metrics). They do not depend on Prometheus, so they fire when it is the one down.
     *
     * @param runbookBaseUrl where the descriptions point ({@code <base>#cloudwatch-alarms})
     */
    public List<Alarm> addHealthAlarms(IAlarmAction action, String runbookBaseUrl) {
        return healthAlarms(this, component.service, cloudMapName, action, runbookBaseUrl);
    }

    /** The alarms of {@link #addHealthAlarms} on {@code service}, created in {@code scope}, named {@code name}. */
    final List<Alarm> healthAlarms(Construct in, FargateService service, String cloudMapName, IAlarmAction action,
                                   String runbookBaseUrl) {
        // Ordered maps throughout: Map.of iterates in a per-JVM random order, and the template must not.
        Map<String, String> dims = new LinkedHashMap<>();
        dims.put("ClusterName", service.getCluster().getClusterName());
        dims.put("ServiceName", service.getServiceName());
        Map<String, IMetric> counts = new LinkedHashMap<>();
        counts.put("desired", taskCount(MetricNames.CloudWatch.DESIRED_TASK_COUNT, dims));
        counts.put("running", taskCount(MetricNames.CloudWatch.RUNNING_TASK_COUNT, dims));
        MathExpression missing = MathExpression.Builder.create()
                .expression("desired - running")
                .label(cloudMapName + " tasks missing")
                .usingMetrics(counts)
                .period(Duration.minutes(1))
                .build();
        List<Alarm> alarms = List.of(
                alarm(in, "TasksBelowDesired", missing, 1, ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, 5,
                        cloudMapName + ": no task running while ECS wants some, for 5 minutes", TreatMissingData.NOT_BREACHING, runbookBaseUrl),
                alarm(in, "CpuHigh", service.metricCpuUtilization(MetricOptions.builder().period(Duration.minutes(5)).build()), 80,
                        ComparisonOperator.GREATER_THAN_THRESHOLD, 3, cloudMapName + ": CPU above 80% of the reservation for 15 minutes",
                        TreatMissingData.NOT_BREACHING, runbookBaseUrl),
                alarm(in, "MemoryHigh", service.metricMemoryUtilization(MetricOptions.builder().period(Duration.minutes(5)).build()), 90,
                        ComparisonOperator.GREATER_THAN_THRESHOLD, 3, cloudMapName + ": memory above 90% of the reservation for 15 minutes",
                        TreatMissingData.NOT_BREACHING, runbookBaseUrl));
        alarms.forEach(a -> {
            a.addAlarmAction(action);
            a.addOkAction(action);
        });
        return alarms;
    }

    private static Metric taskCount(String name, Map<String, String> dims) {
        return Metric.Builder.create().namespace(MetricNames.CloudWatch.TASK_COUNTS_NAMESPACE).metricName(name).dimensionsMap(dims)
                .statistic("Maximum").period(Duration.minutes(1)).build();
    }

    private static Alarm alarm(Construct scope, String id, IMetric metric, double threshold, ComparisonOperator op, int periods, String description,
                        TreatMissingData missing, String runbookBaseUrl) {
        return Alarm.Builder.create(scope, id)
                .metric(metric)
                .threshold(threshold)
                .comparisonOperator(op)
                .evaluationPeriods(periods)
                .datapointsToAlarm(periods)
                .treatMissingData(missing)
                .alarmDescription(description + " (runbook: " + runbookBaseUrl + "#cloudwatch-alarms)")
                .build();
    }

    /** {@code <name>.<namespace>}: every running task answers behind this DNS name. */
    public String getDnsName() {
        return cloudMapName + "." + namespace.getNamespaceName();
    }

    public FargateService getService() {
        return component.service;
    }

    public FargateTaskDefinition getTaskDefinition() {
        return component.taskDefinition;
    }

    /** The service's security group; {@code allowDefaultPortFrom} opens the service's own port. */
    @Override
    public Connections getConnections() {
        return connections;
    }
}
