package dev.o11ycdk.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.o11ycdk.app.CostReport;
import dev.o11ycdk.app.Settings;
import dev.o11ycdk.cost.CostEstimate;
import dev.o11ycdk.cost.KubernetesUsage;
import dev.o11ycdk.cost.Prices;
import dev.o11ycdk.test.support.Synth;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The monthly estimate synth prints: what the template fixes at the region's prices, plus stated usage. */
class CostEstimateTest {
    private static final CostEstimate.Usage USAGE = new CostEstimate.Usage(1.1, 5, 0.5, 1, 9, 4_818_000);

    @Test
    void theFargateLayoutIsPricedFromItsTaskSizesAndCountsAtTheRegionsPrices() {
        Synth synth = Synth.defaults();
        Prices seoul = Prices.forRegion("ap-northeast-2").orElseThrow();
        CostEstimate e = CostEstimate.of("O11yFargate", synth.templateJson(synth.stacks().fargate()), seoul, USAGE);
        // Prometheus: 1 vCPU / 2 GB for 730 hours at Seoul's Fargate prices.
        assertThat(e.lines()).anySatisfy(l -> {
            assertThat(l.item()).startsWith("PrometheusService").contains("1 x 1.00 vCPU / 2.0 GB");
            assertThat(l.monthlyUsd()).isCloseTo((1 * 0.04656 + 2 * 0.00511) * 730, within(0.001));
        });
        Map<String, Double> byCategory = e.byCategory();
        assertThat(byCategory).containsKeys("Fargate", "EFS", "ALB", "NAT", "CloudWatch", "Secrets Manager", "KMS");
        // Four services: Prometheus 1/2, Grafana 0.5/1, Alertmanager and the exporter 0.25/0.5 each.
        assertThat(byCategory.get("Fargate")).isCloseTo(((1 + 0.5 + 0.25 + 0.25) * 0.04656 + (2 + 1 + 0.5 + 0.5) * 0.00511) * 730,
                within(0.01));
        assertThat(byCategory.get("NAT")).isCloseTo(0.059 * 730 + 5 * 0.059, within(0.001));
        assertThat(e.total()).isCloseTo(byCategory.values().stream().mapToDouble(Double::doubleValue).sum(), within(1e-9));
        assertThat(e.table()).contains("O11yFargate monthly estimate (ap-northeast-2 list prices, USD):", "total");
    }

    /**
     * grafanaDatabase = aurora adds Aurora Serverless v2 at its floor (min ACU x 730 h), its storage, a
     * second Grafana task, and the secret and key it brings; nothing else moves.
     */
    @Test
    void auroraForGrafanaIsPricedAtItsAcuFloorWithItsStorageAndASecondGrafanaTask() {
        Map<String, String> base = Map.of("layouts", "fargate");
        Map<String, String> aurora = Map.of("layouts", "fargate", "grafanaDatabase", "aurora");
        CostEstimate sqlite = fargateReport(base);
        CostEstimate withAurora = fargateReport(aurora);
        assertThat(sqlite.byCategory()).doesNotContainKey("Aurora");
        assertThat(withAurora.lines()).filteredOn(l -> l.category().equals("Aurora")).satisfiesExactly(
                l -> {
                    assertThat(l.item()).contains("Serverless v2, 0.5 ACU floor x 730 h");
                    assertThat(l.monthlyUsd()).isCloseTo(0.5 * 0.15 * 730, within(1e-9));
                },
                l -> {
                    assertThat(l.item()).contains("storage, 1 GB (assumed)");
                    assertThat(l.monthlyUsd()).isCloseTo(1 * 0.12, within(1e-9));
                });
        assertThat(withAurora.lines()).anySatisfy(l -> {
            assertThat(l.item()).startsWith("GrafanaService").contains("2 x 0.50 vCPU / 1.0 GB");
            assertThat(l.monthlyUsd()).isCloseTo(2 * (0.5 * 0.04656 + 1 * 0.00511) * 730, within(1e-9));
        });
        // The database's secret and its key.
        assertThat(withAurora.byCategory().get("Secrets Manager") - sqlite.byCategory().get("Secrets Manager")).isCloseTo(0.40, within(1e-9));
        assertThat(withAurora.byCategory().get("KMS") - sqlite.byCategory().get("KMS")).isCloseTo(1.00, within(1e-9));
        Map<String, Double> delta = new java.util.TreeMap<>();
        withAurora.byCategory().forEach((k, v) -> delta.put(k, v - sqlite.byCategory().getOrDefault(k, 0.0)));
        System.out.printf("grafanaDatabase aurora vs sqlite, O11yFargate, Seoul: %.2f -> %.2f USD a month (+%.2f): %s%n",
                sqlite.total(), withAurora.total(), withAurora.total() - sqlite.total(), delta);
        System.out.println(withAurora.table());
        // Higher floors cost in proportion.
        Map<String, String> two = new java.util.HashMap<>(aurora);
        two.put("grafanaDatabaseMinAcu", "2");
        two.put("grafanaDatabaseMaxAcu", "4");
        assertThat(fargateReport(two).byCategory().get("Aurora")).isCloseTo(2 * 0.15 * 730 + 0.12, within(1e-9));
    }

    private static CostEstimate fargateReport(Map<String, String> settings) {
        Synth synth = Synth.of(settings);
        return CostReport.estimate(synth.assembly(), Settings.from(synth.app()), synth.stacks()).get("O11yFargate");
    }

    @Test
    void theHostLayoutIsPricedFromItsInstanceTypeAndVolume() {
        Synth synth = Synth.defaults();
        CostEstimate e = CostEstimate.of("O11yEc2Host", synth.templateJson(synth.stacks().ec2Host()),
                Prices.forRegion("ap-northeast-2").orElseThrow(), new CostEstimate.Usage(0, 5, 0.5, 1, 0, 0));
        assertThat(e.byCategory().get("EC2")).isCloseTo(0.052 * 730 + synth.stacks().ec2Host().getHost().getVolumeSizeGiB() * 0.0912,
                within(0.001));
        assertThat(e.byCategory()).doesNotContainKeys("Fargate", "EFS");
        // Every customer-managed key of the template (logsKmsKey's among them) at $1 a month.
        long keys = synth.template(synth.stacks().ec2Host()).findResources("AWS::KMS::Key").size();
        assertThat(keys).isPositive();
        assertThat(e.byCategory().get("KMS")).isEqualTo(keys * 1.00);
        assertThat(e.lines()).anySatisfy(l -> assertThat(l.item()).startsWith(keys + " customer-managed key"));
    }

    @Test
    void theEksLayoutIsPricedFromItsClusterNodesAndWhatItsChartsClaimOutsideTheTemplate() {
        Synth synth = Synth.defaults();
        var eks = synth.stacks().eks();
        Map<String, CostEstimate> report = CostReport.estimate(synth.assembly(), Settings.from(synth.app()), synth.stacks());
        CostEstimate e = report.get("O11yEks");
        // The default version, 1.35, is in standard support until 2027-03-27; after it the same line doubles as the warning.
        boolean extended = !LocalDate.now().isBefore(LocalDate.of(2027, 3, 27));
        assertThat(e.lines()).filteredOn(l -> l.category().equals("EKS")).singleElement().satisfies(l -> {
            assertThat(l.item()).contains("control plane (Kubernetes 1.35, " + (extended ? "extended" : "standard") + " support)");
            assertThat(l.monthlyUsd()).isCloseTo((extended ? 0.60 : 0.10) * 730, within(1e-9));
        });
        // The managed node group at its desired size: 2 x t3.large (Seoul $0.104/h) and 20 GiB roots.
        assertThat(e.lines()).anySatisfy(l -> {
            assertThat(l.item()).endsWith("(2 x t3.large, managed node group)");
            assertThat(l.monthlyUsd()).isCloseTo(2 * 0.104 * 730, within(1e-9));
        });
        assertThat(e.byCategory().get("EC2")).isCloseTo(2 * 0.104 * 730 + 2 * 20 * 0.0912, within(1e-9));
        // The construct's volumes, each a line: Prometheus from retention x series, Loki from eksLogRetentionDays x eksLogGiBPerDay.
        int prometheus = eks.getMonitoring().getPrometheusVolumeGiB();
        int loki = eks.getMonitoring().getLokiVolumeGiB();
        assertThat(loki).isEqualTo(17); // 7 days x 2 GiB x 1.2
        assertThat(e.lines()).filteredOn(l -> l.category().equals("EBS")).extracting(CostEstimate.Line::item).containsExactlyInAnyOrder(
                "alertmanager volume, 2 GiB gp3 (claimed through the EBS CSI driver; not in the template)",
                "prometheus volume, " + prometheus + " GiB gp3 (claimed through the EBS CSI driver; not in the template)",
                "grafana volume, 10 GiB gp3 (claimed through the EBS CSI driver; not in the template)",
                "loki volume, 17 GiB gp3 (claimed through the EBS CSI driver; not in the template)");
        assertThat(e.byCategory().get("EBS")).isCloseTo((prometheus + loki + 2 + 10) * 0.0912, within(1e-9));
        // Grafana's internet-facing and Prometheus' internal ALB come from the controller, not the template.
        assertThat(synth.template(eks).findResources("AWS::ElasticLoadBalancingV2::LoadBalancer")).isEmpty();
        assertThat(e.lines()).filteredOn(l -> l.category().equals("ALB")).singleElement().satisfies(l -> {
            assertThat(l.item()).startsWith("2 made by the AWS Load Balancer Controller (ingress groups o11y-grafana, o11y-prometheus; "
                    + "not in the template)");
            assertThat(l.monthlyUsd()).isCloseTo(2 * (0.0225 + 0.008) * 730, within(1e-9));
        });
        assertThat(e.byCategory().get("NAT")).isCloseTo(0.059 * 730 + 5 * 0.059, within(1e-9));
        long keys = synth.template(eks).findResources("AWS::KMS::Key").size();
        assertThat(keys).as("the cluster's secrets key and the logs key").isEqualTo(2);
        assertThat(e.byCategory().get("KMS")).isEqualTo(keys * 1.00);
        assertThat(e.byCategory().get("Secrets Manager")).isEqualTo(
                synth.template(eks).findResources("AWS::SecretsManager::Secret").size() * 0.40);
        assertThat(e.lines()).anySatisfy(l -> {
            assertThat(l.item()).startsWith("EKS control-plane logs, 5 types, 30.0 GB");
            assertThat(l.monthlyUsd()).isCloseTo(30 * 0.76, within(1e-9));
        });
        assertThat(e.total()).isGreaterThan(300).isLessThan(500);
        assertThat(e.table()).contains("O11yEks monthly estimate", "EKS", "EBS", "total");
    }

    @Test
    void aVersionInExtendedSupportCostsSixTimesTheControlPlane() {
        Synth synth = Synth.defaults();
        var eks = synth.stacks().eks();
        Prices seoul = Prices.forRegion("ap-northeast-2").orElseThrow();
        CostEstimate.Usage usage = new CostEstimate.Usage(0, 5, 0.5, 1, 0, 0);
        double standard = CostEstimate.of("e", synth.templateJson(eks), seoul, usage,
                KubernetesUsage.of(eks.getMonitoring().getValues(), false, 30)).byCategory().get("EKS");
        double extended = CostEstimate.of("e", synth.templateJson(eks), seoul, usage,
                KubernetesUsage.of(eks.getMonitoring().getValues(), true, 30)).byCategory().get("EKS");
        assertThat(standard).isCloseTo(73.0, within(1e-9));
        assertThat(extended).isCloseTo(6 * standard, within(1e-9));
    }

    @Test
    void anotherRegionHasItsOwnPricesAndAnUnknownOneNone() {
        Synth synth = Synth.defaults();
        double seoul = CostEstimate.of("f", synth.templateJson(synth.stacks().fargate()), Prices.forRegion("ap-northeast-2").orElseThrow(), USAGE).total();
        double virginia = CostEstimate.of("f", synth.templateJson(synth.stacks().fargate()), Prices.forRegion("us-east-1").orElseThrow(), USAGE).total();
        assertThat(virginia).isLessThan(seoul);
        assertThat(Prices.forRegion("xx-nowhere-1")).isEmpty();
        assertThat(Prices.regions()).contains("ap-northeast-2", "us-east-1", "eu-west-1");
        // The Cost Estimation dashboard takes its Fargate prices from the same data.
        assertThat(Prices.forRegion("us-east-1").orElseThrow().fargate().vcpuHour()).isEqualTo(0.04048);
    }
}
