package dev.o11ycdk.cost;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A monthly estimate of what a synthesized stack costs to run: what the template fixes (Fargate
 * task sizes and counts, load balancers, NAT gateways, instances and volumes, alarms, dashboards,
 * log groups, secrets, KMS keys) at the region's list prices, plus what depends on use, from stated
 * {@link Usage} assumptions (EFS and backup storage, NAT data, log volume, Container Insights and
 * CloudWatch API calls). On-demand, no free tier, no data transfer between AZs.
 */
public final class CostEstimate {
    public static final int HOURS_PER_MONTH = dev.o11ycdk.cost.FargatePricing.HOURS_PER_MONTH;

    /** One line of the estimate. */
    public record Line(String category, String item, double monthlyUsd) {
    }

    /**
     * What the template cannot say.
     *
     * @param efsGb                     data on EFS (TSDB, Grafana), also what AWS Backup keeps warm
     * @param natGb                     data through the NAT gateways per month (image pulls, Slack, AWS APIs)
     * @param logsGbPerGroup            log ingestion per log group per month
     * @param albLcu                    average load balancer capacity units
     * @param containerInsightsServices ECS services whose Container Insights metrics are collected (0: none)
     * @param cloudWatchApiRequests     CloudWatch API requests per month (the exporter's calls)
     */
    public record Usage(double efsGb, double natGb, double logsGbPerGroup, double albLcu, int containerInsightsServices,
                        long cloudWatchApiRequests) {
    }

    private final String stack;
    private final Prices prices;
    private final List<Line> lines = new ArrayList<>();

    private CostEstimate(String stack, Prices prices) {
        this.stack = stack;
        this.prices = prices;
    }

    /** The estimate of one stack's template (its JSON as a map). */
    @SuppressWarnings("unchecked")
    public static CostEstimate of(String stackName, Map<String, Object> template, Prices prices, Usage usage) {
        return of(stackName, template, prices, usage, null);
    }

    /**
     * The estimate of an EKS stack's template, plus what its cluster runs outside the template
     * ({@code kubernetes}: volumes, the controller's ALBs, control-plane logs; null for none).
     */
    @SuppressWarnings("unchecked")
    public static CostEstimate of(String stackName, Map<String, Object> template, Prices prices, Usage usage,
                                  KubernetesUsage kubernetes) {
        CostEstimate e = new CostEstimate(stackName, prices);
        Map<String, Object> resources = (Map<String, Object>) template.getOrDefault("Resources", Map.of());
        int alarms = 0;
        int dashboards = 0;
        int logGroups = 0;
        int secrets = 0;
        int keys = 0;
        int logTypes = 0;
        boolean efs = false;
        boolean backup = false;
        for (Map.Entry<String, Object> r : resources.entrySet()) {
            Map<String, Object> res = (Map<String, Object>) r.getValue();
            Map<String, Object> props = (Map<String, Object>) res.getOrDefault("Properties", Map.of());
            switch (String.valueOf(res.get("Type"))) {
                case "AWS::ECS::Service" -> e.fargateService(r.getKey(), props, resources);
                case "AWS::ElasticLoadBalancingV2::LoadBalancer" -> {
                    if (!"network".equals(props.get("Type")) && !"gateway".equals(props.get("Type"))) {
                        e.add("ALB", r.getKey() + " (" + usage.albLcu() + " LCU)",
                                (prices.get("albHour") + usage.albLcu() * prices.get("albLcuHour")) * HOURS_PER_MONTH);
                    }
                }
                case "AWS::EC2::NatGateway" -> e.add("NAT", r.getKey() + " (" + usage.natGb() + " GB)",
                        prices.get("natHour") * HOURS_PER_MONTH + usage.natGb() * prices.get("natGb"));
                case "AWS::EC2::Instance" -> e.instance(r.getKey(), props);
                case "AWS::EKS::Cluster" -> logTypes += e.cluster(r.getKey(), props, kubernetes != null && kubernetes.extendedSupport());
                case "AWS::EKS::Nodegroup" -> e.nodegroup(r.getKey(), props);
                case "AWS::RDS::DBCluster" -> e.aurora(r.getKey(), props);
                case "AWS::EFS::FileSystem" -> efs = true;
                case "AWS::Backup::BackupPlan" -> backup = true;
                // Billed per metric an alarm reads: a metric-math alarm over two metrics costs two.
                case "AWS::CloudWatch::Alarm" -> alarms += props.get("Metrics") instanceof List<?> m
                        ? (int) m.stream().filter(x -> x instanceof Map<?, ?> mm && mm.containsKey("MetricStat")).count() : 1;
                case "AWS::CloudWatch::Dashboard" -> dashboards++;
                case "AWS::Logs::LogGroup" -> logGroups++;
                case "AWS::SecretsManager::Secret" -> secrets++;
                case "AWS::KMS::Key" -> keys++;
                default -> { }
            }
        }
        if (efs) {
            e.add("EFS", usage.efsGb() + " GB Standard", usage.efsGb() * prices.get("efsStandardGbMonth"));
            if (backup) {
                e.add("EFS", "AWS Backup, " + usage.efsGb() + " GB warm", usage.efsGb() * prices.get("backupEfsGbMonth"));
            }
        }
        e.add("CloudWatch", alarms + " alarm metrics", alarms * prices.get("cloudWatchAlarmMonth"));
        e.add("CloudWatch", dashboards + " dashboards", dashboards * prices.get("cloudWatchDashboardMonth"));
        e.add("CloudWatch", logGroups + " log groups x " + usage.logsGbPerGroup() + " GB",
                logGroups * usage.logsGbPerGroup() * prices.get("cloudWatchLogsIngestGb"));
        if (kubernetes != null) {
            e.kubernetes(kubernetes, logTypes, usage);
        }
        if (usage.containerInsightsServices() > 0) {
            // ECS Container Insights: ~11 metrics per service plus ~10 per cluster, billed as custom metrics.
            int metrics = 11 * usage.containerInsightsServices() + 10;
            e.add("CloudWatch", "Container Insights, " + metrics + " metrics", metrics * prices.get("cloudWatchMetricMonth"));
        }
        if (usage.cloudWatchApiRequests() > 0) {
            e.add("CloudWatch", String.format(Locale.ROOT, "API, %.2fM requests", usage.cloudWatchApiRequests() / 1e6),
                    usage.cloudWatchApiRequests() / 1000.0 * prices.get("cloudWatchApiPerThousand"));
        }
        if (secrets > 0) {
            e.add("Secrets Manager", secrets + " secrets", secrets * prices.get("secretMonth"));
        }
        if (keys > 0) {
            // Requests ($0.03 per 10,000 beyond 20,000 free a month) and rotated key material (+$1 a month after
            // each of the first two yearly rotations) are left out.
            e.add("KMS", keys + (keys == 1 ? " customer-managed key" : " customer-managed keys"), keys * prices.get("kmsKeyMonth"));
        }
        return e;
    }

    /** The control plane, per cluster hour; returns how many log types it sends to CloudWatch. */
    @SuppressWarnings("unchecked")
    private int cluster(String id, Map<String, Object> props, boolean extended) {
        String version = String.valueOf(props.getOrDefault("Version", "default version"));
        add("EKS", id + " control plane (Kubernetes " + version + (extended ? ", extended support" : ", standard support") + ")",
                prices.get(extended ? "eksClusterExtendedHour" : "eksClusterHour") * HOURS_PER_MONTH);
        Object logging = props.get("Logging") instanceof Map<?, ?> l && l.get("ClusterLogging") instanceof Map<?, ?> c
                ? c.get("EnabledTypes") : null;
        return logging instanceof List<?> types ? types.size() : 0;
    }

    /** A managed node group at its desired size: instances and their root volumes (EKS's default 20 GiB, priced as gp3). */
    @SuppressWarnings("unchecked")
    private void nodegroup(String id, Map<String, Object> props) {
        Map<String, Object> scaling = (Map<String, Object>) props.getOrDefault("ScalingConfig", Map.of());
        int nodes = scaling.get("DesiredSize") instanceof Number n ? n.intValue()
                : scaling.get("MinSize") instanceof Number n ? n.intValue() : 1;
        List<Object> types = (List<Object>) props.getOrDefault("InstanceTypes", List.of("t3.medium"));
        String type = String.valueOf(types.get(0));
        int disk = props.get("DiskSize") instanceof Number d ? d.intValue() : EKS_DEFAULT_DISK_GIB;
        add("EC2", id + " (" + nodes + " x " + type + ", managed node group)", nodes * prices.ec2Hour(type).orElse(Double.NaN) * HOURS_PER_MONTH);
        add("EC2", id + " root volumes (" + nodes + " x " + disk + " GiB)", nodes * disk * prices.get("ebsGp3GbMonth"));
    }

    /**
     * What Grafana's database holds (users, dashboard versions, annotations, alert state): a few
     * megabytes, stated as 1 GB. Backups up to the cluster's size are free.
     */
    public static final double AURORA_GB = 1;

    /**
     * Aurora Serverless v2 at its floor all month (ServerlessV2ScalingConfiguration.MinCapacity ACU x
     * 730 h: Grafana keeps connections open, so it never pauses) plus storage, Aurora Standard. The
     * prices are prices.json's auroraServerlessV2AcuHour and auroraStorageGbMonth
     * (https://aws.amazon.com/rds/aurora/pricing/, see prices.json's _sources and the README on
     * which are assumptions); I/O requests ($0.20 per million in us-east-1) are left out for a
     * database this small.
     */
    @SuppressWarnings("unchecked")
    private void aurora(String id, Map<String, Object> props) {
        Map<String, Object> scaling = (Map<String, Object>) props.getOrDefault("ServerlessV2ScalingConfiguration", Map.of());
        if (!(scaling.get("MinCapacity") instanceof Number min)) {
            return; // provisioned instances are not priced here
        }
        add("Aurora", String.format(Locale.ROOT, "%s Serverless v2, %s ACU floor x %d h", id, trim(min.doubleValue()), HOURS_PER_MONTH),
                min.doubleValue() * prices.get("auroraServerlessV2AcuHour") * HOURS_PER_MONTH);
        add("Aurora", id + " storage, " + trim(AURORA_GB) + " GB (assumed)", AURORA_GB * prices.get("auroraStorageGbMonth"));
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    /** EKS's root volume size for a Linux managed node group without a launch template. */
    static final int EKS_DEFAULT_DISK_GIB = 20;

    private void kubernetes(KubernetesUsage k, int logTypes, Usage usage) {
        k.volumesGiB().forEach((owner, gib) -> add("EBS", owner + " volume, " + gib + " GiB gp3 (claimed through the EBS CSI "
                + "driver; not in the template)", gib * prices.get("ebsGp3GbMonth")));
        if (!k.controllerAlbs().isEmpty()) {
            add("ALB", k.controllerAlbs().size() + " made by the AWS Load Balancer Controller (ingress groups "
                    + String.join(", ", k.controllerAlbs()) + "; not in the template), " + usage.albLcu() + " LCU each",
                    k.controllerAlbs().size() * (prices.get("albHour") + usage.albLcu() * prices.get("albLcuHour")) * HOURS_PER_MONTH);
        }
        if (logTypes > 0) {
            add("CloudWatch", "EKS control-plane logs, " + logTypes + " types, " + k.controlPlaneLogsGb() + " GB ingested into "
                    + "/aws/eks/<cluster>/cluster)", k.controlPlaneLogsGb() * prices.get("cloudWatchLogsIngestGb"));
        }
    }

    @SuppressWarnings("unchecked")
    private void fargateService(String id, Map<String, Object> props, Map<String, Object> resources) {
        Object td = props.get("TaskDefinition");
        if (!(td instanceof Map<?, ?> ref) || !(ref.get("Ref") instanceof String tdId)
                || !(resources.get(tdId) instanceof Map<?, ?> tdRes)) {
            return;
        }
        Map<String, Object> tdProps = (Map<String, Object>) ((Map<String, Object>) tdRes).getOrDefault("Properties", Map.of());
        if (!String.valueOf(tdProps.get("RequiresCompatibilities")).contains("FARGATE")) {
            return;
        }
        int count = props.get("DesiredCount") instanceof Number n ? n.intValue() : 1;
        double vcpu = Double.parseDouble(String.valueOf(tdProps.get("Cpu"))) / 1024;
        double gb = Double.parseDouble(String.valueOf(tdProps.get("Memory"))) / 1024;
        add("Fargate", id + String.format(Locale.ROOT, " (%d x %.2f vCPU / %.1f GB)", count, vcpu, gb),
                count * (vcpu * prices.get("fargateVcpuHour") + gb * prices.get("fargateGbHour")) * HOURS_PER_MONTH);
    }

    @SuppressWarnings("unchecked")
    private void instance(String id, Map<String, Object> props) {
        String type = String.valueOf(props.get("InstanceType"));
        add("EC2", id + " (" + type + ")", prices.ec2Hour(type).orElse(Double.NaN) * HOURS_PER_MONTH);
        for (Object bdm : (List<Object>) props.getOrDefault("BlockDeviceMappings", List.of())) {
            Object ebs = ((Map<String, Object>) bdm).get("Ebs");
            if (ebs instanceof Map<?, ?> m && m.get("VolumeSize") instanceof Number size) {
                add("EC2", id + " " + size + " GB gp3", size.doubleValue() * prices.get("ebsGp3GbMonth"));
            }
        }
    }

    private void add(String category, String item, double usd) {
        lines.add(new Line(category, item, usd));
    }

    /** This estimate with {@code more} lines (what the template does not show, e.g. {@link CloudWatchPolling#taskCountLines}). */
    public CostEstimate withLines(List<Line> more) {
        CostEstimate e = new CostEstimate(stack, prices);
        e.lines.addAll(lines);
        e.lines.addAll(more);
        return e;
    }

    public List<Line> lines() {
        return List.copyOf(lines);
    }

    /** The monthly total; NaN when a line has no price (an EC2 type prices.json does not list). */
    public double total() {
        return lines.stream().mapToDouble(Line::monthlyUsd).sum();
    }

    /** Total per category (Fargate, EFS, ALB, NAT, EC2, EKS, EBS, Aurora, CloudWatch, Secrets Manager, KMS). */
    public Map<String, Double> byCategory() {
        Map<String, Double> out = new java.util.LinkedHashMap<>();
        lines.forEach(l -> out.merge(l.category(), l.monthlyUsd(), Double::sum));
        return out;
    }

    /** A table for synth output and {@code cost-estimate.txt}. */
    public String table() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%s monthly estimate (%s list prices, USD):%n", stack, prices.region()));
        for (Map.Entry<String, Double> c : byCategory().entrySet()) {
            sb.append(String.format(Locale.ROOT, "  %-16s %9.2f%n", c.getKey(), c.getValue()));
            lines.stream().filter(l -> l.category().equals(c.getKey())).forEach(l ->
                    sb.append(String.format(Locale.ROOT, "      %9.2f  %s%n", l.monthlyUsd(), l.item())));
        }
        sb.append(String.format(Locale.ROOT, "  %-16s %9.2f%n", "total", total()));
        return sb.toString();
    }
}
