package dev.o11ycdk.test;

import dev.o11ycdk.core.ComputeSize;
import dev.o11ycdk.core.PrometheusSizing;
import dev.o11ycdk.test.support.Synth;
import java.util.Map;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;

/** Prometheus' Fargate task follows the expected active series (bad sizing settings: {@link BadInputTest}). */
class FargateSizingTest {

    @Test
    void sizingFollowsTheExpectedActiveSeriesWithTheSeedAsTheFloor() {
        // The seed's 5 services (600 series) and anything up to 46,152 series (+ 3,000 of the platform's): 1 vCPU / 2 GB.
        assertThat(PrometheusSizing.forSeries("s", PrometheusSizing.expectedSeries(5), 256)).isEqualTo(new ComputeSize(1024, 2048));
        assertThat(PrometheusSizing.forSeries("s", 46_152, 256)).isEqualTo(new ComputeSize(1024, 2048));
        assertThat(PrometheusSizing.forSeries("s", 46_153, 256)).isEqualTo(new ComputeSize(1024, 3072));
        // 100,000 series: 1024 + 103,000 x 16 KiB + 256 = 2890 MiB -> 1 vCPU / 3 GB.
        assertThat(PrometheusSizing.forSeries("s", 100_000, 256)).isEqualTo(new ComputeSize(1024, 3072));
        // 1,000 services at 120 series each: 1 vCPU / 4 GB, not the seed's table extrapolated to 51 vCPU / 102 GB.
        assertThat(PrometheusSizing.forSeries("s", PrometheusSizing.expectedSeries(1000), 256)).isEqualTo(new ComputeSize(1024, 4096));
        // A million series: 4 vCPU (250k per vCPU) and 17 GB.
        assertThat(PrometheusSizing.forSeries("s", 1_000_000, 256)).isEqualTo(new ComputeSize(4096, 17408));
    }

    @Test
    void moreSeriesGiveALargerPrometheusTaskAndItsRulesKnowTheLimit() {
        var prometheus = Synth.build(Map.of("expectedActiveSeries", "300000")).fargate().getPrometheus();
        assertThat(prometheus.getSize()).isEqualTo(new ComputeSize(2048, 6144));
        assertThat(prometheus.getRules().alerts().stream().map(dev.o11ycdk.config.Rule::expr).toList())
                .contains("max by (instance) (process_resident_memory_bytes{job=\"prometheus\"}) / " + (6144L - 256) * 1024 * 1024 + " > 0.8",
                        // What 5,888 MiB holds by the sizing formula, not the setting: it also holds for explicit sizes.
                        "max by (instance) (prometheus_tsdb_head_series{job=\"prometheus\"}) > " + (5888L - 1024) * 64);
    }
}
