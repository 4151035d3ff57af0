package dev.o11ycdk.test;

import static dev.o11ycdk.test.support.PromtoolRuleTests.series;
import static org.assertj.core.api.Assertions.assertThat;

import dev.o11ycdk.config.PromDuration;
import dev.o11ycdk.config.Rule;
import dev.o11ycdk.config.RuleGroups;
import dev.o11ycdk.grafana.DashboardRules;
import dev.o11ycdk.test.support.PrometheusTools;
import dev.o11ycdk.test.support.PromtoolRuleTests;
import dev.o11ycdk.test.support.PromtoolRuleTests.Series;
import dev.o11ycdk.test.support.Synth;
import dev.o11ycdk.test.support.Tools;
import dev.o11ycdk.test.support.UsesTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboards' recording rules ({@link DashboardRules}) under {@code promtool test rules}, on
 * series shaped as Spring Boot's Micrometer writes {@code http_server_requests_seconds} (its
 * error/exception/method/outcome/status/uri labels, cumulative {@code le} buckets) with the labels the
 * platform's relabelling adds, scraped every 15 s as the layouts do. Every layout renders the group.
 */
class DashboardRulesTest {
    private static final String TARGET = "env=\"prod\",instance=\"10.0.1.5:8080\",job=\"api-1\",service=\"api-1\"";
    private static final String OK = "error=\"none\",exception=\"none\",method=\"GET\",outcome=\"SUCCESS\",status=\"200\",uri=\"/orders\"";
    private static final String FAILED = "error=\"none\",exception=\"IllegalStateException\",method=\"POST\",outcome=\"SERVER_ERROR\","
            + "status=\"500\",uri=\"/orders\"";
    private static final String OTHER = "env=\"prod\",instance=\"10.0.1.9:8080\",job=\"api-2\",service=\"api-2\"";

    /**
     * api-1: 0.6 requests/s answered 200 (0.4/s within 100 ms, all within 500 ms) and 0.2/s answered 500
     * after more than 500 ms; api-2: 0.6/s, all 200 within 100 ms. Each increment is per 15 s.
     */
    private static List<Series> traffic() {
        List<Series> s = new ArrayList<>();
        s.addAll(histogram(TARGET + "," + OK, 6, 9, 9));
        s.addAll(histogram(TARGET + "," + FAILED, 0, 0, 3));
        s.addAll(histogram(OTHER + "," + OK, 9, 9, 9));
        return s;
    }

    /** Buckets le 0.1, 0.5 and +Inf growing by these counts per sample, and _count as +Inf. */
    private static List<Series> histogram(String labels, int le01, int le05, int inf) {
        String b = "http_server_requests_seconds_bucket{" + labels + ",le=\"";
        return List.of(series(b + "0.1\"}", "0+" + le01 + "x40"), series(b + "0.5\"}", "0+" + le05 + "x40"),
                series(b + "+Inf\"}", "0+" + inf + "x40"), series("http_server_requests_seconds_count{" + labels + "}", "0+" + inf + "x40"));
    }

    /** In thousandths, rounded: the rates' extrapolation leaves 0.7999999999999999 where 0.8 is meant. */
    private static String milli(String expr) {
        return "round(" + expr + " * 1000)";
    }

    static PromtoolRuleTests cases() {
        PromtoolRuleTests t = new PromtoolRuleTests("15s");
        List<Series> in = traffic();
        String api1 = "{env=\"prod\",service=\"api-1\"}";
        String api2 = "{env=\"prod\",service=\"api-2\"}";
        t.records(DashboardRules.REQUESTS, milli(DashboardRules.REQUESTS), in, "5m", Map.of(api1, 800.0, api2, 600.0));
        // api-2 never answered 5xx: a 0 series, not none.
        t.records(DashboardRules.ERRORS, milli(DashboardRules.ERRORS), in, "5m", Map.of(api1, 200.0, api2, 0.0));
        t.records(DashboardRules.ERROR_RATIO, milli(DashboardRules.ERROR_RATIO), in, "5m", Map.of(api1, 250.0, api2, 0.0));
        t.records(DashboardRules.LATENCY_BUCKETS, milli(DashboardRules.LATENCY_BUCKETS + api1), in, "5m", Map.of(
                "{le=\"0.1\",env=\"prod\",service=\"api-1\"}", 400.0, "{le=\"0.5\",env=\"prod\",service=\"api-1\"}", 600.0, "{le=\"+Inf\",env=\"prod\",service=\"api-1\"}", 800.0));
        // api-1's p50: rank 0.4 of 0.8/s ends the first bucket (0.1 s); p95 and p99 fall in +Inf: the highest finite
        // bound, 0.5 s. api-2's requests all took under 0.1 s: interpolated within that bucket.
        t.records(DashboardRules.LATENCY, milli(DashboardRules.LATENCY), in, "5m", Map.of(
                "{quantile=\"0.5\",env=\"prod\",service=\"api-1\"}", 100.0,
                "{quantile=\"0.95\",env=\"prod\",service=\"api-1\"}", 500.0,
                "{quantile=\"0.99\",env=\"prod\",service=\"api-1\"}", 500.0,
                "{quantile=\"0.5\",env=\"prod\",service=\"api-2\"}", 50.0,
                "{quantile=\"0.95\",env=\"prod\",service=\"api-2\"}", 95.0,
                "{quantile=\"0.99\",env=\"prod\",service=\"api-2\"}", 99.0));
        t.records(DashboardRules.ENDPOINT_LATENCY, milli(DashboardRules.ENDPOINT_LATENCY), in, "5m", Map.of(
                "{quantile=\"0.95\",env=\"prod\",service=\"api-1\",uri=\"/orders\"}", 500.0,
                "{quantile=\"0.95\",env=\"prod\",service=\"api-2\",uri=\"/orders\"}", 95.0));
        return t;
    }

    private static RuleGroups group(String scrapeInterval) {
        return new RuleGroups().group(DashboardRules.GROUP, DashboardRules.http(PromDuration.parse("scrapeInterval", scrapeInterval)));
    }

    @UsesTools
    @Test
    void theRecordedRatesRatiosAndQuantilesAreWhatMicrometersSeriesGive(@TempDir Path dir) throws IOException {
        String promtool = PrometheusTools.promtool();
        Files.writeString(dir.resolve("rules.yml"), group("15s").toYaml());
        Files.writeString(dir.resolve("tests.yml"), cases().toYaml("rules.yml"));
        Tools.Result r = Tools.run(List.of(promtool, "test", "rules", "tests.yml"), dir, 120);
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS");
    }

    @UsesTools
    @Test
    void aWrongExpectationFailsThePromtoolTest(@TempDir Path dir) throws IOException {
        String promtool = PrometheusTools.promtool();
        Files.writeString(dir.resolve("rules.yml"), group("15s").toYaml());
        PromtoolRuleTests wrong = new PromtoolRuleTests("15s").records(DashboardRules.ERROR_RATIO, milli(DashboardRules.ERROR_RATIO),
                traffic(), "5m", Map.of("{env=\"prod\",service=\"api-1\"}", 200.0, "{env=\"prod\",service=\"api-2\"}", 0.0));
        Files.writeString(dir.resolve("tests.yml"), wrong.toYaml("rules.yml"));
        Tools.Result r = Tools.run(List.of(promtool, "test", "rules", "tests.yml"), dir, 120);
        assertThat(r.exitCode()).as(r.output()).isNotZero();
        assertThat(r.output()).contains("got: {env=\"prod\", service=\"api-1\"} 2.5E+02");
    }

    @Test
    void everyRecordedSeriesOfTheGroupHasACase() {
        Set<String> recorded = group("15s").groups().get(DashboardRules.GROUP).stream().map(Rule::name).collect(Collectors.toSet());
        assertThat(cases().recordedCases()).containsExactlyInAnyOrderElementsOf(recorded);
    }

    @Test
    void theWindowIsFourScrapesAndAtLeastAMinute() {
        assertThat(DashboardRules.window(PromDuration.parse("i", "15s"))).hasToString("1m");
        assertThat(DashboardRules.window(PromDuration.parse("i", "5s"))).hasToString("1m");
        assertThat(DashboardRules.window(PromDuration.parse("i", "30s"))).hasToString("2m");
        assertThat(DashboardRules.window(PromDuration.parse("i", "1m"))).hasToString("4m");
        assertThat(DashboardRules.window(PromDuration.parse("i", "20s"))).hasToString("80s");
        assertThat(group("1m").groups().get(DashboardRules.GROUP).get(0).expr()).contains("[4m]");
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyLayoutRendersTheGroupWithItsOwnScrapeInterval() {
        Map<String, Map<String, String>> rendered = Synth.defaults().renderedFiles();
        Map<String, String> ruleFiles = Map.of("O11yEc2Host", "etc/prometheus/rules/o11y.yml", "O11yFargate", "prometheus/rules/o11y.yml",
                "O11yEks", "kubernetes/rules.yml");
        String expected = group("15s").toYaml();
        ruleFiles.forEach((stack, path) -> {
            String rules = rendered.get(stack).get(path);
            assertThat(rules).as(stack).contains("name: " + DashboardRules.GROUP);
            // The group as rendered alone, rule for rule (the layouts scrape every 15 s by default).
            String group = expected.substring(expected.indexOf("  - name: "));
            assertThat(rules).as(stack).contains(group);
        });
        // A layout scraping every minute windows over four minutes.
        assertThat(Synth.of(Map.of("scrapeInterval", "1m")).renderedFiles().get("O11yFargate").get("prometheus/rules/o11y.yml"))
                .contains("rate(http_server_requests_seconds_count[4m])");
    }
}
