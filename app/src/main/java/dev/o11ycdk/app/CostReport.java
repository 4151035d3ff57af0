package dev.o11ycdk.app;

import dev.o11ycdk.config.PromDuration;
import dev.o11ycdk.core.ComputeSize;
import dev.o11ycdk.core.PrometheusSizing;
import dev.o11ycdk.fargate.EcsTaskCounts;
import dev.o11ycdk.cost.AmpUsage;
import dev.o11ycdk.cost.CloudWatchPolling;
import dev.o11ycdk.cost.CostEstimate;
import dev.o11ycdk.cost.KubernetesUsage;
import dev.o11ycdk.cost.Prices;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awscdk.cxapi.CloudAssembly;
import software.amazon.awscdk.cxapi.CloudFormationStackArtifact;

/**
 * Prints a monthly estimate of each stack on synth and writes it to
 * {@code cdk.out/<stack>.rendered/cost-estimate.txt}, from the templates and the settings.
 */
public final class CostReport {
    /** Assumed monthly NAT traffic per gateway: image pulls, Slack, AWS APIs. */
    static final double NAT_GB = 5;
    static final double LOGS_GB_PER_GROUP = 0.5;
    static final double ALB_LCU = 1;
    static final double GRAFANA_GB = 1;
    /**
     * Assumed monthly EKS control-plane logs (all five types): about 1 GB a day for a small cluster,
     * mostly the audit log of its controllers' lease renewals and watches.
     */
    static final double CONTROL_PLANE_LOGS_GB = 30;

    private CostReport() {
    }

    /** What each stack is estimated to cost; empty when prices.json has no entry for the region. */
    @SuppressWarnings("unchecked")
    public static Map<String, CostEstimate> estimate(CloudAssembly assembly, Settings s, O11yApp.Stacks stacks) {
        Map<String, CostEstimate> out = new LinkedHashMap<>();
        Optional<Prices> prices = Prices.forRegion(s.region());
        if (prices.isEmpty()) {
            return out;
        }
        for (CloudFormationStackArtifact a : assembly.getStacks()) {
            Map<String, Object> template = (Map<String, Object>) a.getTemplate();
            CostEstimate.Usage usage = stacks.fargate() != null && a.getStackName().equals(stacks.fargate().getStackName())
                    ? fargateUsage(s, stacks)
                    : new CostEstimate.Usage(0, NAT_GB, LOGS_GB_PER_GROUP, ALB_LCU, 0, 0);
            KubernetesUsage kubernetes = stacks.eks() != null && a.getStackName().equals(stacks.eks().getStackName())
                    ? kubernetesUsage(s.eks(), stacks.eks(), s.eks().today()) : null;
            CostEstimate e = CostEstimate.of(a.getStackName(), template, prices.get(), usage, kubernetes);
            if (stacks.fargate() != null && a.getStackName().equals(stacks.fargate().getStackName())) {
                e = e.withLines(CloudWatchPolling.taskCountLines(prices.get(), fargateServices(stacks),
                        stacks.fargate().getPrometheus().getDiscoveryConfig().getClusters().size(), EcsTaskCounts.MEMORY_MIB));
                if (s.fargate().remoteWrite() != null) {
                    // One copy whatever the replicas: AMP de-duplicates a pair and bills what it keeps.
                    e = e.withLines(AmpUsage.lines(prices.get(), stacks.fargate().getPrometheus().getExpectedActiveSeries(),
                            PromDuration.parse("scrapeInterval", s.scrapeInterval()).toSeconds(), s.fargate().ampRetentionDays()));
                }
            }
            out.put(a.getStackName(), e);
        }
        return out;
    }

    /** The EKS stack's volumes and controller ALBs (from its charts' values), and its version's support on {@code today}. */
    static KubernetesUsage kubernetesUsage(EksSettings e, EksStack stack, LocalDate today) {
        LocalDate standardEnds = e.standardSupportEnds();
        boolean extended = standardEnds != null && !today.isBefore(standardEnds);
        return KubernetesUsage.of(stack.getMonitoring().getValues(), extended, CONTROL_PLANE_LOGS_GB);
    }

    /** The ECS services the estimate counts: the expected ones (from the series Prometheus is sized for) and the platform's own four. */
    static int fargateServices(O11yApp.Stacks stacks) {
        return PrometheusSizing.servicesFor(stacks.fargate().getPrometheus().getExpectedActiveSeries()) + 4;
    }

    private static CostEstimate.Usage fargateUsage(Settings s, O11yApp.Stacks stacks) {
        long series = stacks.fargate().getPrometheus().getExpectedActiveSeries();
        long samplesPerDay = 86_400 / Math.max(1, PromDuration.parse("scrapeInterval", s.scrapeInterval()).toSeconds());
        // Each replica keeps its own TSDB; with AMP as the store, only the short local retention.
        int localDays = s.fargate().remoteWrite() != null ? s.fargate().ampLocalRetentionDays() : s.retentionDays();
        double tsdbGb = stacks.fargate().getPrometheus().getReplicas() * series * samplesPerDay * localDays
                * PrometheusSizing.BYTES_PER_SAMPLE / 1e9;
        double efsGb = Math.ceil((tsdbGb + GRAFANA_GB) * 10) / 10;
        int services = fargateServices(stacks);
        // The platform's ALB: its target groups are what the exporter's tag-limited rule lists.
        long requests = CloudWatchPolling.requestsPerMonth(stacks.fargate().getExporter().getConfig(), services,
                targetGroups(stacks.fargate()));
        return new CostEstimate.Usage(efsGb, NAT_GB, LOGS_GB_PER_GROUP, ALB_LCU, s.fargate().containerInsights() ? services : 0, requests);
    }

    /** Target groups in the Fargate stack's template (on its own ALB, which carries the exporter's tag). */
    private static int targetGroups(FargateStack stack) {
        return (int) stack.getNode().findAll().stream()
                .filter(c -> c instanceof software.amazon.awscdk.services.elasticloadbalancingv2.CfnTargetGroup).count();
    }

    static void print(CloudAssembly assembly, Settings s, O11yApp.Stacks stacks) {
        Map<String, CostEstimate> estimates = estimate(assembly, s, stacks);
        if (estimates.isEmpty()) {
            System.err.println("o11y-cdk: no price data for region " + s.region() + " in prices.json (regions: "
                    + Prices.regions() + "); no cost estimate");
            return;
        }
        for (Map.Entry<String, CostEstimate> e : estimates.entrySet()) {
            String table = e.getValue().table();
            System.err.print(table);
            Path file = Path.of(assembly.getDirectory()).resolve(e.getKey() + ".rendered").resolve("cost-estimate.txt");
            try {
                Files.createDirectories(file.getParent());
                Files.writeString(file, table + assumptions());
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
    }

    static String assumptions() {
        return "Assumptions: NAT " + NAT_GB + " GB/month per gateway, " + LOGS_GB_PER_GROUP + " GB logs/month per log group, "
                + ALB_LCU + " LCU per ALB, TSDB " + PrometheusSizing.BYTES_PER_SAMPLE + " bytes/sample (per replica; "
                + "the local retention only with AMP) + " + GRAFANA_GB + " GB Grafana on EFS, "
                + "Container Insights ~11 metrics per ECS service (only with containerInsights), the CloudWatch exporter's API calls "
                + "every 60 s, " + (int) (CloudWatchPolling.GONE_SHARE * 100) + "% of ECS services with all tasks gone in the last two "
                + "weeks, EcsTaskCounts " + CloudWatchPolling.SECONDS_PER_RUN + " s a run + " + CloudWatchPolling.SECONDS_PER_ECS_CALL
                + " s an ECS call, "
                + CONTROL_PLANE_LOGS_GB + " GB EKS control-plane logs/month; with AMP: " + AmpUsage.BYTES_PER_SAMPLE
                + " bytes a stored sample, each sample read " + AmpUsage.READS_PER_SAMPLE + " times by queries, one copy of a pair billed; "
                + "EKS nodes at their desired count; "
                + "on-demand list prices, no free tier, no inter-AZ transfer.\n";
    }
}
