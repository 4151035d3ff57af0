package dev.o11ycdk.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.o11ycdk.app.Settings;
import dev.o11ycdk.app.SupportChecks;
import dev.o11ycdk.core.SupportCalendar;
import dev.o11ycdk.eks.KubePrometheusStackProps;
import dev.o11ycdk.fargate.AlertmanagerServiceProps;
import dev.o11ycdk.fargate.CloudWatchExporter;
import dev.o11ycdk.fargate.FargatePrometheusProps;
import dev.o11ycdk.fargate.GrafanaServiceProps;
import dev.o11ycdk.host.Release;
import dev.o11ycdk.test.support.BadInput;
import dev.o11ycdk.test.support.Synth;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.Stack;
import software.constructs.MetadataEntry;

/**
 * The app reads every pinned version against the support calendar on {@code @o11y-cdk/today}: a
 * pin past its end stops synth ({@link BadInputTest} has a row per setting), the rest warn. The
 * verdicts themselves: {@code core.SupportCalendarTest}.
 */
class SupportCalendarAppTest {
    static final SupportCalendar CALENDAR = SupportCalendar.standard();

    static Settings settings(Map<String, ?> overrides) {
        return Settings.from(Synth.newApp(overrides, null));
    }

    /** {@link BadInputTest#SUPPORTED_PINS} with {@code more} on top, as {@code -c} would give them. */
    static Map<String, String> supportedPinsAnd(Map<String, String> more) {
        Map<String, String> o = new HashMap<>();
        BadInputTest.SUPPORTED_PINS.forEach((k, v) -> o.put(k, String.valueOf(v)));
        o.putAll(more);
        return o;
    }

    static List<String> pinned(Map<String, ?> overrides) {
        return SupportChecks.inUse(settings(overrides)).stream().map(SupportChecks.Pin::name).toList();
    }

    @Test
    void everyDefaultPinOfCdkJsonAndOfTheLibraryIsAVersionTheCalendarKnows() {
        List<SupportChecks.Pin> pins = SupportChecks.inUse(settings(Map.of()));
        assertThat(pins).extracting(SupportChecks.Pin::name).containsExactly("prometheusVersion", "alertmanagerVersion",
                "grafanaVersion", "nodeExporterVersion", "cloudwatchExporterVersion", "adotCollectorVersion", "eksKubernetesVersion",
                "kubePrometheusStackVersion", "lokiVersion", "alloyVersion", "externalSecretsVersion", "NewCluster.ALB_CONTROLLER");
        for (SupportChecks.Pin p : pins) {
            assertThat(CALENDAR.component(p.component()).lineOf(p.version())).as(p.name() + " " + p.version()).isNotNull();
        }
        Map<String, String> library = Map.ofEntries(
                Map.entry("prometheus", tag(FargatePrometheusProps.DEFAULT_IMAGE)),
                Map.entry("adot-collector", tag(FargatePrometheusProps.DEFAULT_DISCOVERY_IMAGE)),
                Map.entry("alertmanager", tag(AlertmanagerServiceProps.DEFAULT_IMAGE)),
                Map.entry("grafana", tag(GrafanaServiceProps.DEFAULT_IMAGE)),
                Map.entry("cloudwatch-exporter", tag(CloudWatchExporter.DEFAULT_IMAGE)),
                Map.entry("kube-prometheus-stack", KubePrometheusStackProps.KUBE_PROMETHEUS_STACK_VERSION),
                Map.entry("loki-chart", KubePrometheusStackProps.LOKI_VERSION),
                Map.entry("alloy-chart", KubePrometheusStackProps.ALLOY_VERSION),
                Map.entry("external-secrets-chart", KubePrometheusStackProps.EXTERNAL_SECRETS_VERSION));
        library.forEach((component, version) -> assertThat(CALENDAR.component(component).lineOf(version))
                .as(component + " " + version).isNotNull());
        Map.of("prometheus", Release.prometheus(), "alertmanager", Release.alertmanager(), "grafana", Release.grafana(),
                "node_exporter", Release.nodeExporter()).forEach((component, release) ->
                assertThat(CALENDAR.component(component).lineOf(release.version())).as(component + " " + release.version()).isNotNull());
    }

    private static String tag(String image) {
        return image.substring(image.lastIndexOf(':') + 1);
    }

    @Test
    void onlyThePinsOfTheLayoutsInUseAreRead() {
        assertThat(pinned(Map.of("layouts", "fargate"))).containsExactly("prometheusVersion", "alertmanagerVersion", "grafanaVersion",
                "cloudwatchExporterVersion", "adotCollectorVersion");
        assertThat(pinned(Map.of("layouts", "ec2"))).containsExactly("prometheusVersion", "alertmanagerVersion", "grafanaVersion",
                "nodeExporterVersion");
        // The chart's images run the same versions as the other layouts.
        assertThat(pinned(Map.of("layouts", "eks"))).containsExactly("prometheusVersion", "alertmanagerVersion", "grafanaVersion",
                "nodeExporterVersion", "eksKubernetesVersion", "kubePrometheusStackVersion",
                "lokiVersion", "alloyVersion", "externalSecretsVersion", "NewCluster.ALB_CONTROLLER");
        // A cluster the app does not create keeps its owner's controller.
        assertThat(pinned(BadInputTest.EKS_ONLY)).doesNotContain("NewCluster.ALB_CONTROLLER");
        // Past their ends but not deployed: no complaint.
        Map<String, String> o = supportedPinsAnd(Map.of("layouts", "fargate", "nodeExporterVersion", "1.7.0",
                "kubePrometheusStackVersion", "88.5.3", "@o11y-cdk/today", "2026-12-04"));
        assertThat(warnings(Synth.build(o).fargate())).isNotEmpty().noneMatch(w -> w.contains("nodeExporterVersion")
                || w.contains("kubePrometheusStackVersion"));
    }

    @Test
    void aPinEndingSoonWithStaleDataOrUnknownWarnsOnTheStackThatRunsIt() {
        // 60 days before Grafana 13.2's end; Alertmanager 0.35 is not in the calendar.
        Map<String, String> o = supportedPinsAnd(Map.of("layouts", "fargate", "@o11y-cdk/today", "2027-03-19",
                "alertmanagerVersion", "0.35.0"));
        List<String> warnings = warnings(Synth.build(o).fargate()).stream().filter(w -> w.contains("[ack: @o11y-cdk/support:")).toList();
        assertThat(warnings).containsExactlyInAnyOrder(
                "setting 'alertmanagerVersion' = '0.35.0': the support calendar does not know Alertmanager 0.35.0: check its support "
                        + "yourself (https://github.com/prometheus/alertmanager/releases) and add it to support-calendar.json; the calendar "
                        + "recommends 0.34.1 [ack: @o11y-cdk/support:alertmanager]",
                "setting 'grafanaVersion' = '13.2.3': Grafana 13.2 leaves security support on 2027-05-18, in 60 days; the calendar "
                        + "names no newer version yet: check https://grafana.com/docs/grafana/latest/upgrade-guide/when-to-upgrade/ and "
                        + "update support-calendar.json [ack: @o11y-cdk/support:grafana]",
                "setting 'cloudwatchExporterVersion' = '0.18.0': cloudwatch_exporter fixes only its newest release, and the calendar's "
                        + "entry for 0.18 was due for review on 2026-12-28: its data may be stale (a newer release would end 0.18's "
                        + "support); check https://github.com/prometheus/cloudwatch_exporter/releases and update support-calendar.json "
                        + "[ack: @o11y-cdk/support:cloudwatch-exporter]",
                "setting 'adotCollectorVersion' = '0.50.0': the ADOT collector fixes only its newest release, and the calendar's entry "
                        + "for 0.50 was due for review on 2026-12-01: its data may be stale (a newer release would end 0.50's support); "
                        + "check https://github.com/aws-observability/aws-otel-collector/releases and update support-calendar.json "
                        + "[ack: @o11y-cdk/support:adot-collector]");
    }

    @Test
    void eksInExtendedSupportWarnsOfItsPriceAndTheChartsOfStaleData() {
        Map<String, String> o = supportedPinsAnd(Map.of("layouts", "eks", "eksClusterName", "team-cluster",
                "eksKubernetesVersion", "1.34", "@o11y-cdk/today", "2026-12-04"));
        List<String> warnings = warnings(Synth.build(o).eks());
        assertThat(warnings).contains("eksKubernetesVersion 1.34 left EKS standard support on 2026-12-02: the control plane costs $0.60 "
                + "an hour in extended support instead of $0.10 (six times); upgrade the cluster [ack: @o11y-cdk/eks:extendedSupport]");
        assertThat(warnings.stream().filter(w -> w.contains("[ack: @o11y-cdk/support:")).map(w -> w.replaceFirst(":.*", "")))
                .containsExactlyInAnyOrder("setting 'alertmanagerVersion' = '0.34.1'", "setting 'nodeExporterVersion' = '1.12.1'",
                        "setting 'kubePrometheusStackVersion' = '92.3.0'", "setting 'lokiVersion' = '18.13.8'",
                        "setting 'alloyVersion' = '1.13.0'", "setting 'externalSecretsVersion' = '2.12.0'");
    }

    /** grafanaDatabase = aurora pins the library's Aurora PostgreSQL engine; past its end (2030-02-28, unverified) synth stops. */
    @Test
    void theAuroraEngineOfGrafanasDatabaseIsReadAgainstTheCalendarWhenAuroraIsOn() {
        assertThat(pinned(supportedPinsAnd(Map.of("layouts", "fargate")))).doesNotContain("GrafanaDatabase.ENGINE_VERSION");
        Map<String, String> o = supportedPinsAnd(Map.of("layouts", "fargate", "grafanaDatabase", "aurora"));
        SupportChecks.Pin engine = SupportChecks.inUse(settings(o)).stream().filter(p -> p.name().equals("GrafanaDatabase.ENGINE_VERSION"))
                .findFirst().orElseThrow();
        assertThat(engine.version()).isEqualTo("17.9");
        SupportCalendar.Line line = CALENDAR.component("aurora-postgresql").lineOf(engine.version());
        assertThat(line.line()).isEqualTo("17");
        LocalDate after = line.ends().plusDays(1);
        o.put("@o11y-cdk/today", after.toString());
        // Other pins (Prometheus 3.13, Grafana 13.2) end before it and are lines of their own.
        assertThat(BadInput.errors(o)).contains("o11y-cdk: constant 'GrafanaDatabase.ENGINE_VERSION' = '17.9' "
                + "(lib/src/main/java/dev/o11ycdk/fargate/GrafanaDatabase.java, not a setting): "
                + CALENDAR.verdict("aurora-postgresql", "17.9", after).message());
    }

    @Test
    void theAlbControllerConstantIsReadAgainstTheCalendarAndNamedAsTheConstant() {
        Map<String, String> o = supportedPinsAnd(Map.of("layouts", "eks"));
        SupportChecks.Pin alb = SupportChecks.inUse(settings(o)).stream().filter(p -> !p.setting()).findFirst().orElseThrow();
        assertThat(alb.name()).isEqualTo("NewCluster.ALB_CONTROLLER");
        SupportCalendar.Line line = CALENDAR.component(alb.component()).lineOf(alb.version());
        String subject = "constant 'NewCluster.ALB_CONTROLLER' = '" + alb.version() + "' (app/src/main/java/dev/o11ycdk/app/"
                + "NewCluster.java, not a setting): ";
        if (line.ends() != null) {
            LocalDate after = line.ends().plusDays(1);
            o.put("@o11y-cdk/today", after.toString());
            assertThat(BadInput.errors(o)).containsExactly("o11y-cdk: " + subject + CALENDAR.verdict(alb.component(), alb.version(),
                    after).message());
        } else {
            o.put("@o11y-cdk/today", line.reviewBy().plusDays(1).toString());
            assertThat(warnings(Synth.build(o).eks())).anyMatch(w -> w.startsWith(subject)
                    && w.endsWith("[ack: @o11y-cdk/support:aws-load-balancer-controller]"));
        }
    }

    @Test
    void everyPinPastItsEndIsNamedOnALineOfItsOwn() {
        Map<String, Object> o = new HashMap<>(BadInputTest.SUPPORTED_PINS);
        o.putAll(Map.of("layouts", "fargate", "@o11y-cdk/today", "2026-12-04", "cloudwatchExporterVersion", "0.15.5",
                "adotCollectorVersion", "0.49.0"));
        assertThat(BadInput.errors(o)).containsExactly(
                "o11y-cdk: setting 'cloudwatchExporterVersion' = '0.15.5': cloudwatch_exporter 0.15 left support on 2024-08-18, when "
                        + "0.16.0 came out (only the newest release gets fixes); move to 0.18.0",
                "o11y-cdk: setting 'adotCollectorVersion' = '0.49.0': the ADOT collector 0.49 left support on 2026-10-02, when 0.50.0 "
                        + "came out (only the newest release gets fixes); move to 0.50.0");
    }

    /** The warnings a stack's constructs carry (without synthesizing: the app's checks add them when it builds). */
    static List<String> warnings(Stack stack) {
        return stack.getNode().findAll().stream().flatMap(c -> c.getNode().getMetadata().stream())
                .filter(m -> m.getType().equals("aws:cdk:warning")).map(MetadataEntry::getData).map(String::valueOf).toList();
    }

}
