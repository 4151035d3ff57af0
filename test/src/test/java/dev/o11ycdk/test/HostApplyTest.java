package dev.o11ycdk.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.o11ycdk.config.Rule;
import dev.o11ycdk.config.RuleGroups;
import dev.o11ycdk.host.HostConfiguration;
import dev.o11ycdk.host.ObservabilityInstance;
import dev.o11ycdk.test.support.PrometheusTools;
import dev.o11ycdk.test.support.PromtoolRuleTests;
import dev.o11ycdk.test.support.Synth;
import dev.o11ycdk.test.support.Tools;
import dev.o11ycdk.test.support.UsesTools;
import dev.o11ycdk.test.support.UserData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a configuration change reaches the running host, really run: the metadata cfn-init would
 * write (taken from the synthesized template, the {@code o11y-apply} it carries included) is laid out
 * under a folder ({@code O11Y_ROOT}), and o11y-apply checks it with the real promtool and amtool (those
 * of this build, PrometheusTools) before it installs anything. The releases are tarballs of this
 * machine (file:// URLs, their own SHA-256) whose promtool and amtool call the real ones; systemd is a
 * stand-in {@code systemctl} that records what it is asked (there is no systemd here). Grafana re-reads
 * its dashboard folder itself, which cannot run here (no Grafana binary).
 */
@UsesTools
class HostApplyTest {
    private static Map<String, String> defaults;
    private static Map<String, String> serviceDownFor2m;

    @TempDir
    Path dir;
    private Path root;
    private Path log;
    private Path bin;

    @BeforeAll
    static void synth() {
        defaults = UserData.initFiles(Synth.defaults().templateJson(Synth.defaults().stacks().ec2Host()), Map.of());
        Synth other = Synth.of(Map.of("serviceDownFor", "2m"));
        serviceDownFor2m = UserData.initFiles(other.templateJson(other.stacks().ec2Host()), Map.of());
    }

    @BeforeEach
    void host() throws Exception {
        root = dir.resolve("host");
        bin = dir.resolve("bin");
        log = dir.resolve("systemctl.log");
        Files.createDirectories(bin);
        write(bin.resolve("systemctl"), "#!/bin/sh\necho \"$*\" >> '" + log + "'\n", "rwxr-xr-x");
        stage(defaults);
    }

    @Test
    void theFirstApplyInstallsEveryFileAndReleaseThenStartsEachServiceAndTheNextChangesNothing() throws Exception {
        Result first = apply();
        assertThat(first.exit()).as(first.output()).isZero();
        for (Map.Entry<String, String> f : staged(defaults).entrySet()) {
            if (!f.getKey().equals("/releases")) {
                assertThat(root.resolve(f.getKey().substring(1))).as(f.getKey()).hasContent(f.getValue());
            }
        }
        for (String r : releases(defaults)) {
            String[] f = r.split(" ");
            assertThat(root.resolve(f[4].substring(1) + "/.o11y-version")).hasContent(f[1] + "\n");
        }
        assertThat(calls()).containsExactly("daemon-reload", "enable prometheus", "restart prometheus", "enable node_exporter",
                "restart node_exporter", "enable grafana", "restart grafana", "enable alertmanager", "restart alertmanager");

        Files.deleteIfExists(log);
        Result again = apply();
        assertThat(again.exit()).as(again.output()).isZero();
        assertThat(again.output()).doesNotContain("installed", "restarted", "reloaded");
        assertThat(calls()).isEmpty();
    }

    @Test
    void aDashboardChangeReachesGrafanasFolderWithoutARestartAndARuleChangeOnlyReloadsPrometheus() throws Exception {
        assertThat(apply().exit()).isZero();
        Files.deleteIfExists(log);
        String dashboard = HostConfiguration.STAGED + "/etc/grafana/dashboards/o11y-node.json";
        Map<String, String> cosmetic = new java.util.LinkedHashMap<>(defaults);
        cosmetic.put(dashboard, defaults.get(dashboard).replace("\"title\" : \"Node Exporter\"", "\"title\" : \"Node Exporter (fleet)\""));
        assertThat(cosmetic.get(dashboard)).isNotEqualTo(defaults.get(dashboard));
        stage(cosmetic);
        Result r = apply();
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(root.resolve("etc/grafana/dashboards/o11y-node.json")).hasContent(cosmetic.get(dashboard));
        assertThat(r.output()).contains("installed /etc/grafana/dashboards/o11y-node.json");
        assertThat(calls()).isEmpty();

        // serviceDownFor from 1m to 2m changes the rules file only: Prometheus reloads (SIGHUP), nothing restarts.
        assertThat(staged(serviceDownFor2m).entrySet().stream().filter(e -> !e.getValue().equals(staged(defaults).get(e.getKey())))
                .map(Map.Entry::getKey)).containsExactly("/etc/prometheus/rules/o11y.yml");
        stage(serviceDownFor2m);
        Result rules = apply();
        assertThat(rules.exit()).as(rules.output()).isZero();
        assertThat(calls()).containsExactly("reload-or-restart prometheus");
    }

    @Test
    void aBrokenRuleOrRouteFailsItsCheckAndLeavesTheRunningConfigurationAsItIs() throws Exception {
        assertThat(apply().exit()).isZero();
        String liveRules = Files.readString(root.resolve("etc/prometheus/rules/o11y.yml"));
        String liveRoutes = Files.readString(root.resolve("etc/alertmanager/alertmanager.yml"));
        Files.deleteIfExists(log);

        String rules = HostConfiguration.STAGED + "/etc/prometheus/rules/o11y.yml";
        String routes = HostConfiguration.STAGED + "/etc/alertmanager/alertmanager.yml";
        Map<String, String> broken = new java.util.LinkedHashMap<>(serviceDownFor2m);
        broken.put(rules, serviceDownFor2m.get(rules).replaceFirst("expr: ", "expr: sum(rate(up[5m]) by ("));
        broken.put(routes, defaults.get(routes).replaceFirst("receiver: ", "receiver: nobody-"));
        stage(broken);
        Result r = apply();
        assertThat(r.exit()).as(r.output()).isEqualTo(1);
        assertThat(r.output()).contains("etc/prometheus/prometheus.yml failed its check; the running configuration stays",
                "etc/alertmanager/alertmanager.yml failed its check; the running configuration stays").doesNotContain("installed");
        assertThat(root.resolve("etc/prometheus/rules/o11y.yml")).hasContent(liveRules);
        assertThat(root.resolve("etc/alertmanager/alertmanager.yml")).hasContent(liveRoutes);
        assertThat(calls()).isEmpty();
    }

    @Test
    void aNewReleaseIsCheckedWithItsOwnToolsAndRestartsOnlyItsServiceWhileABadDownloadChangesNothing() throws Exception {
        assertThat(apply().exit()).isZero();
        Files.deleteIfExists(log);
        String releases = HostConfiguration.STAGED + "/releases";
        String[] prometheus = releases(defaults).get(0).split(" ");
        assertThat(prometheus[0]).isEqualTo("prometheus");

        // A digest that is not the tarball's: nothing unpacked, nothing restarted.
        Map<String, String> bad = new java.util.LinkedHashMap<>(defaults);
        bad.put(releases, staged(defaults).get("/releases").replace(prometheus[1] + " ", "3.13.9 "));
        stage(bad);
        Path tarball = tarball("prometheus", "3.13.9", List.of("promtool"));
        Files.writeString(root.resolve("etc/o11y-cdk/staged/releases"), localReleases(bad.get(releases)).replace(sha(tarball), "0".repeat(64)));
        Result wrong = apply();
        assertThat(wrong.exit()).isNotZero();
        assertThat(wrong.output()).contains("prometheus 3.13.9: the download's SHA-256 is not " + "0".repeat(64) + "; nothing installed");
        assertThat(root.resolve("opt/prometheus/.o11y-version")).hasContent(prometheus[1] + "\n");
        assertThat(calls()).isEmpty();

        stage(bad);
        Result bumped = apply();
        assertThat(bumped.exit()).as(bumped.output()).isZero();
        assertThat(bumped.output()).contains("installed prometheus 3.13.9");
        assertThat(root.resolve("opt/prometheus/.o11y-version")).hasContent("3.13.9\n");
        assertThat(root.resolve("opt/prometheus.new")).doesNotExist();
        assertThat(calls()).containsExactly("enable prometheus", "restart prometheus");
    }

    @Test
    void aDashboardTakenOutOfTheAppLeavesGrafanasFolder() throws Exception {
        assertThat(apply().exit()).isZero();
        Files.writeString(root.resolve("etc/grafana/dashboards/retired.json"), "{}");
        Result r = apply();
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("removed /etc/grafana/dashboards/retired.json");
        assertThat(root.resolve("etc/grafana/dashboards/retired.json")).doesNotExist();
        assertThat(root.resolve("etc/grafana/dashboards/o11y-node.json")).exists();
    }

    @Test
    void aMatcherOnlyTheClassicParserReadsIsRefusedAsTheStrictAlertmanagerWouldRefuseIt() throws Exception {
        assertThat(apply().exit()).isZero();
        String liveRoutes = Files.readString(root.resolve("etc/alertmanager/alertmanager.yml"));
        Files.deleteIfExists(log);
        String routes = HostConfiguration.STAGED + "/etc/alertmanager/alertmanager.yml";
        Map<String, String> classic = new java.util.LinkedHashMap<>(defaults);
        // Unquoted with a space: the classic parser reads it, UTF-8 strict mode (the unit's flag) does not.
        classic.put(routes, defaults.get(routes).replaceFirst("(?m)^(\\s+)- env=\"?test\"?$", "$1- 'team=core platform'"));
        assertThat(classic.get(routes)).contains("'team=core platform'");
        stage(classic);
        Result r = apply();
        assertThat(r.exit()).as(r.output()).isEqualTo(1);
        assertThat(r.output()).contains("etc/alertmanager/alertmanager.yml failed its check");
        assertThat(root.resolve("etc/alertmanager/alertmanager.yml")).hasContent(liveRoutes);
        assertThat(calls()).isEmpty();
        // The unit checks with the same flag the script does.
        String unit = staged(defaults).get("/etc/systemd/system/alertmanager.service");
        String feature = unit.lines().filter(l -> l.startsWith("ExecStartPre=")).findFirst().orElseThrow()
                .replaceAll(".*(--enable-feature=\\S+).*", "$1");
        assertThat(defaults.get(HostConfiguration.APPLY)).contains("\"$(tool /opt/alertmanager amtool)\" " + feature + " check-config");
    }

    @Test
    void aRestartThatFailsIsOwedAndTheNextRunDoesItEvenWithNothingChanged() throws Exception {
        assertThat(apply().exit()).isZero();
        Files.deleteIfExists(log);
        stage(serviceDownFor2m);
        // systemd refuses the reload once (a unit that fails to come back, a reboot half-way).
        Path fail = dir.resolve("fail-once");
        Files.writeString(fail, "reload-or-restart prometheus");
        write(bin.resolve("systemctl"), "#!/bin/sh\necho \"$*\" >> '" + log + "'\nif [ -f '" + fail + "' ] && [ \"$*\" = \"$(cat '"
                + fail + "')\" ]; then rm -f '" + fail + "'; exit 1; fi\n", "rwxr-xr-x");
        Result cut = apply();
        assertThat(cut.exit()).isNotZero();
        assertThat(root.resolve("var/lib/o11y-cdk/pending")).hasContent("reload prometheus");
        assertThat(root.resolve("etc/prometheus/rules/o11y.yml")).hasContent(staged(serviceDownFor2m).get("/etc/prometheus/rules/o11y.yml"));
        Files.deleteIfExists(log);
        Result next = apply();
        assertThat(next.exit()).as(next.output()).isZero();
        assertThat(next.output()).doesNotContain("installed");
        assertThat(calls()).containsExactly("reload-or-restart prometheus");
        assertThat(root.resolve("var/lib/o11y-cdk/pending")).doesNotExist();
    }

    @Test
    void eachRunIsReportedThroughNodeExportersTextfileCollectorAndTheHostAlertsOnAFailedOne(@TempDir Path rules) throws Exception {
        Map<String, String> broken = new java.util.LinkedHashMap<>(defaults);
        String routes = HostConfiguration.STAGED + "/etc/alertmanager/alertmanager.yml";
        broken.put(routes, defaults.get(routes).replaceFirst("receiver: ", "receiver: nobody-"));
        stage(broken);
        assertThat(apply().exit()).isEqualTo(1);
        // The real node_exporter reads what the script wrote.
        Path textfile = root.resolve(ObservabilityInstance.TEXTFILE_DIR.substring(1));
        assertThat(nodeExporterMetrics(textfile)).contains(ObservabilityInstance.HOST_CONFIG_APPLIED + " 0\n")
                .containsPattern("o11y_host_config_apply_timestamp_seconds \\d\\.\\d+e\\+09\n");
        stage(defaults);
        assertThat(apply().exit()).isZero();
        assertThat(nodeExporterMetrics(textfile)).contains(ObservabilityInstance.HOST_CONFIG_APPLIED + " 1\n");

        // The host's own rule on that series: fires on a failed run, quiet on a good one.
        RuleGroups hostRules = ObservabilityInstance.defaultRules("docs/runbooks.md").toRuleGroups();
        Files.writeString(rules.resolve("rules.yml"), hostRules.map(Rule::withSummaryOnly).toYaml());
        String series = ObservabilityInstance.HOST_CONFIG_APPLIED + "{instance=\"10.0.1.5:9100\",job=\"node\"}";
        PromtoolRuleTests cases = new PromtoolRuleTests()
                .fires("HostConfigurationNotApplied", List.of(PromtoolRuleTests.series(series, "1 1 0 0 0")), "3m",
                        Map.of("instance", "10.0.1.5:9100", "severity", "warning"),
                        "The o11y host runs an older configuration than the stack holds")
                .silent("HostConfigurationNotApplied", List.of(PromtoolRuleTests.series(series, "0 0 1 1 1")), "4m");
        Files.writeString(rules.resolve("tests.yml"), cases.toYaml("rules.yml"));
        Tools.Result r = Tools.run(List.of(PrometheusTools.promtool(), "test", "rules", "tests.yml"), rules, 120);
        assertThat(r.exitCode()).as(r.output()).isZero();
    }

    private String nodeExporterMetrics(Path textfile) throws Exception {
        int port = dev.o11ycdk.test.support.LocalProcess.freePort();
        try (var exporter = dev.o11ycdk.test.support.LocalProcess.start("node_exporter", List.of(PrometheusTools.nodeExporter(),
                "--web.listen-address=127.0.0.1:" + port, "--collector.disable-defaults", "--collector.textfile",
                "--collector.textfile.directory=" + textfile), dir, Map.of())) {
            String url = "http://127.0.0.1:" + port + "/metrics";
            assertThat(dev.o11ycdk.test.support.LocalProcess.await(java.time.Duration.ofSeconds(20),
                    () -> dev.o11ycdk.test.support.LocalProcess.get(url) != null)).as(exporter.log()).isTrue();
            return dev.o11ycdk.test.support.LocalProcess.get(url);
        }
    }

    // ---------------------------------------------------------------------------------------------

    /** The files cfn-init writes: the staged tree cleaned first, as the config set's clean step does. */
    private void stage(Map<String, String> init) throws IOException {
        Path staged = root.resolve(HostConfiguration.STAGED.substring(1));
        if (Files.exists(staged)) {
            try (var walk = Files.walk(staged)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        for (Map.Entry<String, String> f : init.entrySet()) {
            if (f.getKey().startsWith(HostConfiguration.STAGED + "/") || f.getKey().equals(HostConfiguration.APPLY)) {
                write(root.resolve(f.getKey().substring(1)), f.getValue(), "rw-r--r--");
            }
        }
        Path releases = staged.resolve("releases");
        Files.writeString(releases, localReleases(Files.readString(releases)));
    }

    /** Each release line pointed at a local tarball of the same name and version, with that tarball's digest. */
    private String localReleases(String releases) throws IOException {
        StringBuilder out = new StringBuilder();
        for (String line : releases.strip().lines().toList()) {
            String[] f = line.split(" ");
            List<String> tools = switch (f[0]) {
                case "prometheus" -> List.of("promtool");
                case "alertmanager" -> List.of("amtool");
                default -> List.of();
            };
            Path tarball = tarball(f[0], f[1], tools);
            out.append(String.join(" ", f[0], f[1], tarball.toUri().toString(), sha(tarball), f[4], f[5])).append('\n');
        }
        return out.toString();
    }

    /** NAME-VERSION.tar.gz with one top folder, as upstream packs them; its promtool/amtool call this build's. */
    private Path tarball(String name, String version, List<String> tools) throws IOException {
        Path tarball = dir.resolve(name + "-" + version + ".tar.gz");
        if (Files.exists(tarball)) {
            return tarball;
        }
        Path top = dir.resolve("src/" + name + "-" + version);
        Files.createDirectories(top);
        Files.writeString(top.resolve("VERSION"), version + "\n");
        for (String t : tools) {
            String real = t.equals("promtool") ? PrometheusTools.promtool() : PrometheusTools.amtool();
            write(top.resolve(t), "#!/bin/sh\nexec '" + real + "' \"$@\"\n", "rwxr-xr-x");
        }
        Tools.Result r = Tools.run(List.of("tar", "-czf", tarball.toString(), "-C", top.getParent().toString(), top.getFileName().toString()),
                dir, 60);
        assertThat(r.exitCode()).as(r.output()).isZero();
        return tarball;
    }

    private Result apply() {
        Tools.Result r = Tools.run(List.of("bash", root.resolve(HostConfiguration.APPLY.substring(1)).toString()), dir,
                Map.of("O11Y_ROOT", root.toString(), "PATH", bin + ":" + System.getenv("PATH")), 120);
        return new Result(r.exitCode(), r.output());
    }

    private List<String> calls() throws IOException {
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    private static Map<String, String> staged(Map<String, String> init) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        init.forEach((path, content) -> {
            if (path.startsWith(HostConfiguration.STAGED + "/")) {
                out.put(path.substring(HostConfiguration.STAGED.length()), content);
            }
        });
        return out;
    }

    private static List<String> releases(Map<String, String> init) {
        return new ArrayList<>(staged(init).get("/releases").strip().lines().toList());
    }

    private static String sha(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void write(Path file, String content, String mode) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
    }

    record Result(int exit, String output) {
    }
}
