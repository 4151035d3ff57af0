package dev.o11ycdk.test;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.o11ycdk.grafana.DashboardRules;
import dev.o11ycdk.grafana.Dashboards;
import dev.o11ycdk.test.support.EndToEnd;
import dev.o11ycdk.test.support.GrafanaQueries;
import dev.o11ycdk.test.support.GrafanaQueries.Selection;
import dev.o11ycdk.test.support.LocalProcess;
import dev.o11ycdk.test.support.PrometheusTools;
import dev.o11ycdk.test.support.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fleet panel's "top 10" draws ten lines over the whole range it shows, as a browser opening the
 * dashboard would see it: a real Prometheus (Debian's 3.5.3) on an hour of backfilled data
 * ({@code promtool tsdb create-blocks-from openmetrics}) of 15 services that each lead the fleet for
 * four minutes in turn, asked the Application Performance dashboard's "Busiest" panel as Grafana asks
 * it ({@link GrafanaQueries}: the range it opens on, its step). A {@code topk} per step would draw
 * every one of the 15; the panel draws the 10 with the highest peaks, and the per-step form is asked
 * too so the test can fail.
 */
@EndToEnd
class TopPanelsOverRangeTest {
    private static final int SERVICES = 15;
    private static final String BUSIEST = "Busiest: top 10 services by requests per second";

    @Test
    void aTopTenPanelDrawsTheTenServicesWithTheHighestPeaksOverItsRangeNotTheLeadersOfEachStep(@TempDir Path dir) throws Exception {
        long now = System.currentTimeMillis() / 1000;
        StringBuilder om = new StringBuilder("# TYPE " + DashboardRules.REQUESTS + " gauge\n");
        // Service i serves 0.1 x i requests a second, and 100 + i during its own four minutes of the last hour.
        for (int i = 0; i < SERVICES; i++) {
            for (long t = now - 3600; t <= now; t += 15) {
                int slot = (int) ((t - (now - 3600)) / 240);
                double value = slot == i ? 100 + i : 0.1 * i;
                om.append(DashboardRules.REQUESTS).append("{env=\"prod\",service=\"svc-").append(i).append("\",team=\"t\"} ")
                        .append(value).append(' ').append(t).append('\n');
            }
        }
        om.append("# EOF\n");
        Files.writeString(dir.resolve("data.om"), om.toString());
        Tools.Result blocks = Tools.run(List.of(PrometheusTools.promtool(), "tsdb", "create-blocks-from", "openmetrics", "data.om",
                dir.resolve("data").toString()), dir, 120);
        assertThat(blocks.exitCode()).as(blocks.output()).isZero();
        Files.writeString(dir.resolve("prometheus.yml"), "global:\n  scrape_interval: 15s\n");
        int port = LocalProcess.freePort();
        LocalProcess prometheus = LocalProcess.start("prometheus", List.of(PrometheusTools.prometheus(),
                "--config.file=" + dir.resolve("prometheus.yml"), "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port), dir, Map.of());
        try {
            assertThat(LocalProcess.await(Duration.ofSeconds(30), () -> LocalProcess.get("http://127.0.0.1:" + port + "/-/ready") != null))
                    .as("prometheus ready\n" + prometheus.log()).isTrue();
            GrafanaQueries.Api api = new GrafanaQueries.Api(port);
            GrafanaQueries.Dashboard apm = GrafanaQueries.parse(Dashboards.applicationPerformance().toJson());
            Map<String, List<String>> options = new LinkedHashMap<>();
            Map<String, Selection> selected = GrafanaQueries.resolve(api, apm, Map.of(), now, options);
            assertThat(options.get("service")).hasSize(SERVICES);
            GrafanaQueries.RangeQuery busiest = GrafanaQueries.queries(apm, selected, options, now, Duration.ofSeconds(15)).stream()
                    .filter(q -> q.panel().equals(BUSIEST)).findFirst().orElseThrow();

            Set<String> drawn = services(api.queryRange(busiest));
            assertThat(drawn).as(busiest.query()).containsExactlyInAnyOrderElementsOf(
                    IntStream.range(SERVICES - 10, SERVICES).mapToObj(i -> "svc-" + i).toList());

            // The same panel ranked at each step: the leader of every four minutes is drawn, 15 lines.
            String perStep = "sort_desc(topk(10, " + DashboardRules.REQUESTS + "{service=~\".*\"}))";
            Set<String> perStepDrawn = services(api.queryRange(new GrafanaQueries.RangeQuery(BUSIEST, perStep,
                    busiest.start(), busiest.end(), busiest.step())));
            assertThat(perStepDrawn).hasSize(SERVICES);
        } finally {
            prometheus.stop();
        }
    }

    private static Set<String> services(JsonNode result) {
        Set<String> out = new TreeSet<>();
        result.forEach(series -> out.add(series.path("metric").path("service").asText()));
        return out;
    }
}
