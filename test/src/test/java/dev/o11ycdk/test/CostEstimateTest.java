package dev.o11ycdk.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.o11ycdk.cost.CostEstimate;
import dev.o11ycdk.cost.Prices;
import dev.o11ycdk.test.support.Synth;
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
