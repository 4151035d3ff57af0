package dev.o11ycdk.core;

import dev.o11ycdk.config.Check;
import dev.o11ycdk.config.ScrapeJob;
import dev.o11ycdk.core.internal.PropsStyle;
import org.immutables.value.Value;
import org.jetbrains.annotations.Nullable;

/**
 * How Prometheus scrapes a service that opts in from its own app: the {@code service} (and
 * {@code job}) label, the port and path it serves metrics on, and the {@code env} and {@code team}
 * labels its series carry.
 */
@Value.Immutable
@PropsStyle
public abstract class ScrapeOptions {
    public static Builder builder() {
        return new Builder();
    }

    /** The {@code service} (and {@code job}) label of every task's series. Required. */
    public abstract String getName();

    /** The container port Prometheus scrapes; the container must map it. Required. */
    public abstract int getPort();

    /**
     * Where the container answers in Prometheus text format (seed 004: a JSON health endpoint left
     * the target DOWN), e.g. /actuator/prometheus. @default /metrics
     */
    @Value.Default
    public String getMetricsPath() {
        return "/metrics";
    }

    /**
     * The {@code env} label ({@code test} is muted in Alertmanager).
     *
     * @default - none on the container; Prometheus gives the platform's environment
     */
    @Nullable
    public abstract String getEnv();

    /** The {@code team} label on every series and on ServiceTasksGone, for Alertmanager routes per team. @default - none */
    @Nullable
    public abstract String getTeam();

    /** The container that serves the metrics. @default - the task definition's default (first essential) container */
    @Nullable
    public abstract String getContainerName();

    /**
     * Whether the service may also query Prometheus on 9090: a rule on Prometheus' security group per
     * service, which counts against its quota (60 inbound rules by default). @default false
     */
    @Value.Default
    public boolean isAllowQueries() {
        return false;
    }

    /**
     * Whether {@code scrape(service, ...)} adds the ecs_exporter sidecar to the task definition
     * (prometheus-community/ecs_exporter on port 9779, not essential, 32 MiB reserved from the task): the
     * task's CPU and memory against its reservation and its network, read from the ECS task metadata
     * endpoint, for HighCPUUsage and the dashboards, without CloudWatch. Leave 32 MiB of the task's memory
     * unreserved by the other containers. A service passed as a security group gets no sidecar: add
     * {@code EcsExporterSidecar.containerOptions} to its task definition yourself. @default true
     */
    @Value.Default
    public boolean isTaskMetrics() {
        return true;
    }

    @Value.Check
    protected void check() {
        if (!getName().matches("[A-Za-z0-9][A-Za-z0-9_-]{0,254}")) {
            throw Check.bad("scrape name", getName(), "must be letters, digits, '-' and '_' (it becomes the service and job label)");
        }
        if (ScrapeJob.PLATFORM_JOBS.contains(getName())) {
            throw Check.bad("scrape name", getName(), "is one of the platform's own jobs " + ScrapeJob.PLATFORM_JOBS);
        }
        Check.port("scrape '" + getName() + "' port", getPort());
        Check.urlPath("scrape '" + getName() + "' metricsPath", getMetricsPath());
        if (getEnv() != null) {
            Check.notBlank("scrape '" + getName() + "' env", getEnv());
        }
    }

    public static final class Builder extends ImmutableScrapeOptions.Builder {
    }
}
