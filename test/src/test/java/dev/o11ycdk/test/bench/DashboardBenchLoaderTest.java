package dev.o11ycdk.test.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.o11ycdk.test.support.EndToEnd;
import dev.o11ycdk.test.support.Synth;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboards benchmark cannot time empty queries: {@link FleetLoader} at five services, twenty
 * minutes of history, gives every panel query of every Fargate dashboard (as {@link DashboardBench}
 * asks it, with "All") a number at some step, through the layout's rendered relabelling and
 * recording rules; the benchmark's own run at that size is what is checked. Its timings are not.
 */
@EndToEnd
class DashboardBenchLoaderTest {
    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void everyPanelQueryOfTheBenchmarkHasDataAtFiveServices(@TempDir Path dir) throws Exception {
        Path rendered = dir.resolve("O11yFargate.rendered");
        for (Map.Entry<String, String> f : Synth.defaults().renderedFiles().get("O11yFargate").entrySet()) {
            Path p = rendered.resolve(f.getKey());
            Files.createDirectories(p.getParent());
            Files.writeString(p, f.getValue());
        }
        DashboardBench.Run run = DashboardBench.run(5, "after", rendered, rendered, "10m", 1, "");

        assertThat(run.dashboards()).extracting(DashboardBench.DashboardTime::title)
                .contains("Application Performance", "Service", "Infrastructure Overview", "ECS Cluster", "Cost Estimation");
        for (DashboardBench.DashboardTime d : run.dashboards()) {
            assertThat(d.queries()).as(d.title()).isGreaterThan(2);
            assertThat(d.emptyQueries()).as(d.title() + ": queries without data").isEmpty();
        }
        // Two targets a task (the app and its ecs_exporter sidecar), the app's 114 Micrometer series among them.
        assertThat(run.loaded().seriesPerService()).isGreaterThan(114);
        assertThat(run.headSeries()).isGreaterThan(5L * run.loaded().seriesPerService());
        assertThat(run.groups()).containsKey("dashboards-http");
        assertThat(List.copyOf(run.groups().values())).allMatch(t -> t >= 0);
    }
}
