package dev.o11ycdk.alb;

import java.util.List;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationListenerRule;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationTargetGroup;

/** What {@link MonitoringAlb#addHostRoute} created for one host name. */
public final class HostRoute {
    private final String id;
    private final String hostName;
    private final int priority;
    private final ApplicationTargetGroup targetGroup;
    private final ApplicationListenerRule rule;
    private final List<Alarm> alarms;

    HostRoute(String id, String hostName, int priority, ApplicationTargetGroup targetGroup, ApplicationListenerRule rule,
              List<Alarm> alarms) {
        this.id = id;
        this.hostName = hostName;
        this.priority = priority;
        this.targetGroup = targetGroup;
        this.rule = rule;
        this.alarms = List.copyOf(alarms);
    }

    /** The id given to {@link MonitoringAlb#addHostRoute}, e.g. Grafana. */
    public String getId() {
        return id;
    }

    public String getHostName() {
        return hostName;
    }

    public String getUrl() {
        return "https://" + hostName + "/";
    }

    public int getPriority() {
        return priority;
    }

    public ApplicationTargetGroup getTargetGroup() {
        return targetGroup;
    }

    public ApplicationListenerRule getRule() {
        return rule;
    }

    public List<Alarm> getAlarms() {
        return alarms;
    }
}
