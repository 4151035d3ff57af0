package dev.o11ycdk.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.o11ycdk.test.support.ContainerSandbox;
import dev.o11ycdk.test.support.EndToEnd;
import dev.o11ycdk.test.support.PrometheusTools;
import dev.o11ycdk.test.support.Synth;
import dev.o11ycdk.test.support.TaskContainers;
import dev.o11ycdk.test.support.TaskContainers.Container;
import dev.o11ycdk.test.support.TaskContainers.Mount;
import dev.o11ycdk.test.support.Tools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every container of the default Fargate synth, run as its task definition says — entry point,
 * command, environment, secrets, user, mounts and health check all read from the synthesized
 * template — on a read-only root file system under bubblewrap (see {@link ContainerSandbox}), with
 * only its declared volumes writable.
 *
 * <p>Prometheus and Alertmanager run the real binaries (Debian sid's prometheus 3 and alertmanager 0.33,
 * see {@link PrometheusTools}, at the images' /bin paths): each must become ready on 127.0.0.1 and pass
 * its own health check, having read the files its entrypoint wrote. Grafana, the CloudWatch
 * exporter and the ADOT collector cannot be had here: a stand-in at the image's path checks what the
 * real process needs (its files readable by its uid, its directories writable) and exits 0. Then
 * the negative: without its volumes, each container that writes fails on the read-only root.
 */
@EndToEnd
class FargateContainerRunTest {
    private static final String SLACK_WEBHOOK = "http://127.0.0.1:9/o11y-test-hook";
    private static final String ADMIN_PASSWORD = "o11y-test-admin-password";
    private static Map<String, Container> containers;

    @BeforeAll
    static void synth() {
        Synth synth = Synth.defaults();
        containers = TaskContainers.of(synth.templateJson(synth.stacks().fargate()));
    }

    @Test
    void theTestKnowsEveryContainerAndItsImage() {
        assertThat(containers.keySet()).containsExactlyInAnyOrder("prometheus", "ecs-discovery", "grafana", "alertmanager",
                "cloudwatch-exporter");
        containers.values().forEach(c -> assertThat(ContainerSandbox.IMAGES).as(c.name()).containsKey(c.image()));
    }

    @Test
    void everyWritableMountIsOneTheContainersUserMayWrite() {
        for (Container c : containers.values()) {
            ContainerSandbox.Image image = ContainerSandbox.IMAGES.get(c.image());
            assertThat(c.readonlyRootFilesystem()).as(c.name()).isTrue();
            assertThat(c.uid()).as(c.name()).isPositive();
            for (Mount m : c.mounts()) {
                if (m.readOnly()) {
                    continue;
                }
                if (m.taskLocal()) {
                    // Fargate: root-owned 0755 unless the image declares this path a VOLUME its user owns.
                    assertThat(image.volumes()).as(c.name() + " task-local volume at " + m.containerPath()
                            + " must be a VOLUME of " + c.image() + " owned by uid " + c.uid()).containsEntry(m.containerPath(), c.uid());
                } else {
                    assertThat(m.efsUid()).as(c.name() + " EFS access point user at " + m.containerPath()).isEqualTo(c.uid());
                }
            }
        }
    }

    @Test
    void everyPathThePrometheusCommandNamesIsOnOneOfItsVolumes() {
        // Prometheus 3's images no longer carry console_libraries/ and consoles/ (3.0 removed the examples):
        // a flag naming what only an image provides breaks with the image; what Prometheus reads is on its volumes.
        Container c = containers.get("prometheus");
        Matcher exec = Pattern.compile("exec '/bin/prometheus'((?: '[^']*')+)").matcher(String.join("\n", c.command()));
        assertThat(exec.find()).as(String.join("\n", c.command())).isTrue();
        List<String> flags = matches(exec.group(1), "'([^']*)'");
        assertThat(flags).contains("--storage.tsdb.path=/prometheus").noneMatch(f -> f.startsWith("--web.console."));
        List<String> paths = flags.stream().filter(f -> f.contains("=/")).map(f -> f.substring(f.indexOf('=') + 1)).toList();
        assertThat(paths).isNotEmpty().allSatisfy(p -> assertThat(c.mounts()).as(p + " on a volume")
                .anyMatch(m -> p.equals(m.containerPath()) || p.startsWith(m.containerPath() + "/")));
    }

    @Test
    void prometheusRunsTheRealBinaryWritesItsConfigOnTheTsdbVolumeAndBecomesReady(@TempDir Path dir) throws IOException {
        ContainerSandbox.require();
        Container c = containers.get("prometheus");
        Path tsdb = dir.resolve("tsdb");
        Tools.Result r = box("prometheus", dir).run(true, true, "/-/ready", "/api/v1/rules /api/v1/status/runtimeinfo");
        assertThat(r.output()).as(r.output()).contains("o11y-test: ready", "o11y-test: health 0", "o11y-test: stopped 0");
        // The files the entrypoint wrote are the ones the task definition carries, and Prometheus loaded them.
        String config = c.environment().get("O11Y_FILE_0");
        String rules = c.environment().get("O11Y_FILE_1");
        assertThat(Files.readString(tsdb.resolve("o11y/prometheus.yml"))).isEqualTo(config + "\n");
        assertThat(Files.readString(tsdb.resolve("o11y/rules/o11y.yml"))).isEqualTo(rules + "\n");
        List<String> groups = matches(rules, "(?m)^  - name: (\\S+)$");
        assertThat(groups).contains("prometheus-capacity", "ecs-discovery");
        String probe = probe(r.output(), "/api/v1/rules");
        groups.forEach(g -> assertThat(probe).as("rule group " + g + " loaded").contains("\"name\":\"" + g + "\""));
        assertThat(tsdb.resolve("wal")).isDirectory();
        // Retention as the command's flag, which Prometheus 3 still reads (the configuration-file form needs 3.8).
        assertThat(c.command().get(0)).contains("'--storage.tsdb.retention.time=15d'");
        assertThat(probe(r.output(), "/api/v1/status/runtimeinfo")).contains("\"storageRetention\":\"15d\"");
    }

    @Test
    void alertmanagerRunsTheRealBinaryOnItsTaskLocalVolumeWithTheWebhookIn0600(@TempDir Path dir) throws IOException {
        ContainerSandbox.require();
        Container c = containers.get("alertmanager");
        Path data = dir.resolve("alertmanager-data");
        Tools.Result r = box("alertmanager", dir).run(true, true, "/-/ready", "/api/v2/status");
        assertThat(r.output()).as(r.output()).contains("o11y-test: ready", "o11y-test: health 0", "o11y-test: stopped 0");
        assertThat(Files.readString(data.resolve("o11y/alertmanager.yml"))).isEqualTo(c.environment().get("O11Y_FILE_0") + "\n");
        Path hook = data.resolve("o11y/secrets/slack_webhook_url");
        assertThat(Files.readString(hook)).isEqualTo(SLACK_WEBHOOK);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(hook))).isEqualTo("rw-------");
        // It runs the configuration it was given: every receiver, the webhook read from the file.
        String probe = probe(r.output(), "/api/v2/status");
        List<String> receivers = matches(c.environment().get("O11Y_FILE_0"), "(?m)^  - name: \"?([\\w-]+)\"?$");
        assertThat(receivers).contains("slack-critical", "slack-warning");
        // The status API shows the loaded configuration as JSON: newlines and quotes escaped.
        assertThat(matches(probe, "\\\\n- name: (?:\\\\\")?([\\w-]+)")).containsExactlyElementsOf(receivers);
        assertThat(probe).contains("api_url_file: /alertmanager/o11y/secrets/slack_webhook_url");
        // Its notification log and silences land on the same volume.
        assertThat(data.resolve("nflog")).exists();
    }

    @Test
    void grafanaStandInFindsItsProvisioningAndWritableDataOnEfs(@TempDir Path dir) throws IOException {
        ContainerSandbox.require();
        Container c = containers.get("grafana");
        ContainerSandbox box = box("grafana", dir);
        // A dashboard an earlier revision provisioned: the persistent volume must not keep serving it.
        Path data = dir.resolve("grafana-data");
        Path stale = Files.createDirectories(data.resolve("o11y/dashboards")).resolve("removed-since.json");
        Files.writeString(stale, "{}");
        Tools.Result r = box.run(true, false, null, null);
        assertThat(r.output()).as(r.output()).contains("o11y-standin: ok", "o11y-test: exit 0");
        long dashboards = Pattern.compile("/dashboards/[^/']+\\.json'").matcher(c.command().get(0)).results().count();
        assertThat(dashboards).isPositive();
        assertThat(r.output()).contains("o11y-standin: dashboards " + dashboards);
        assertThat(stale).doesNotExist();
        assertThat(Files.readString(data.resolve("o11y/provisioning/datasources/o11y.yaml"))).isEqualTo(c.environment().get("O11Y_FILE_0") + "\n");
        assertThat(data.resolve("o11y/tmp")).isDirectory();
        assertThat(data.resolve("grafana.db")).exists();
    }

    /**
     * grafanaDatabase = aurora: two tasks share Grafana's EFS access point. Both write the same
     * provisioning and dashboards at one path (Grafana keys provisioned dashboards by path in the
     * database they share), and each keeps what it writes as it runs in a directory named by its host
     * name, which the other's start leaves as it is.
     */
    @Test
    void grafanaOnAuroraWritesProvisioningAtOnePathAndEachTasksOwnFilesInItsOwnDirectory(@TempDir Path dir) throws IOException {
        ContainerSandbox.require();
        Synth aurora = Synth.of(Map.of("layouts", "fargate", "grafanaDatabase", "aurora"));
        Container c = TaskContainers.of(aurora.templateJson(aurora.stacks().fargate())).get("grafana");
        Path data = Files.createDirectories(dir.resolve("grafana-data"));
        Path staleDashboard = Files.createDirectories(data.resolve("o11y/dashboards")).resolve("removed-since.json");
        Files.writeString(staleDashboard, "{}");
        Path othersFile = Files.createDirectories(data.resolve("tasks/ip-10-0-3-9")).resolve("grafana.db");
        Files.writeString(othersFile, "a running task's file");
        long dashboards = Pattern.compile("/dashboards/[^/']+\\.json'").matcher(c.command().get(0)).results().count();
        assertThat(dashboards).isPositive();
        for (String host : List.of("ip-10-0-1-5", "ip-10-0-2-7")) {
            ContainerSandbox box = new ContainerSandbox(c, ContainerSandbox.IMAGES.get(c.image())).hostname(host)
                    .bind("/run.sh", standIn(dir, "run.sh", GRAFANA_STAND_IN)).secret("GF_SECURITY_ADMIN_PASSWORD", ADMIN_PASSWORD)
                    .secret("GF_DATABASE_USER", "grafana").secret("GF_DATABASE_PASSWORD", "o11y-test-db-password");
            c.mounts().forEach(m -> box.volume(m.volume(), data));
            Tools.Result r = box.run(true, false, null, null);
            assertThat(r.output()).as(r.output()).contains("o11y-standin: ok", "o11y-standin: dashboards " + dashboards, "o11y-test: exit 0");
            assertThat(data.resolve("tasks/" + host + "/tmp")).isDirectory();
            assertThat(data.resolve("tasks/" + host + "/plugins")).isDirectory();
        }
        assertThat(staleDashboard).as("a dashboard taken out of the app does not linger").doesNotExist();
        assertThat(othersFile).as("a task's start leaves another task's own directory as it is").hasContent("a running task's file");
        assertThat(Files.readString(data.resolve("o11y/provisioning/datasources/o11y.yaml"))).isEqualTo(c.environment().get("O11Y_FILE_0") + "\n");
    }

    @Test
    void cloudWatchExporterStandInReadsItsConfigurationOnStandardInputWithNoWritableMount(@TempDir Path dir) throws IOException {
        ContainerSandbox.require();
        Container c = containers.get("cloudwatch-exporter");
        assertThat(c.mounts()).isEmpty();
        Tools.Result r = box("cloudwatch-exporter", dir).run(true, false, null, null);
        assertThat(r.output()).as(r.output()).contains("o11y-standin: ok", "o11y-test: exit 0");
        String read = r.output().lines().filter(l -> l.startsWith("o11y-standin: config "))
                .map(l -> l.substring("o11y-standin: config ".length())).reduce("", (a, b) -> a + b + "\n");
        assertThat(read).isEqualTo(c.environment().get("O11Y_FILE_0") + "\n");
    }

    @Test
    void discoverySidecarStandInWritesItsResultFilesOnTheDiscoveryVolume(@TempDir Path dir) throws IOException {
        ContainerSandbox.require();
        Tools.Result r = box("ecs-discovery", dir).run(true, false, null, null);
        assertThat(r.output()).as(r.output()).contains("o11y-standin: ok", "o11y-test: exit 0");
        Path platform = dir.resolve("discovery/ecs-platform.yaml");
        assertThat(platform).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(platform))).isEqualTo("rw-------");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "prometheus, Read-only file system",
        "alertmanager, Read-only file system",
        "grafana, Read-only file system",
        "ecs-discovery, o11y-standin: FAIL cannot write /o11y/discovery/"})
    void withoutItsVolumeTheSameContainerFailsOnTheReadOnlyRoot(String name, String failure, @TempDir Path dir) throws IOException {
        ContainerSandbox.require();
        ContainerSandbox box = box(name, dir);
        assertThat(containers.get(name).mounts().stream().filter(box::writable)).as(name + " has a writable volume to take away").isNotEmpty();
        Tools.Result r = box.run(false, false, null, null);
        assertThat(r.output()).as(r.output()).contains(failure).containsPattern("o11y-test: exit [1-9]")
                .doesNotContain("o11y-standin: ok");
    }

    /**
     * The sandbox for one container: the real binary or a stand-in at the image's path, the secrets
     * ECS would fetch, an empty directory under {@code dir} for each volume (named as the volume).
     */
    private static ContainerSandbox box(String name, Path dir) throws IOException {
        Container c = containers.get(name);
        ContainerSandbox box = new ContainerSandbox(c, ContainerSandbox.IMAGES.get(c.image()));
        switch (name) {
            // Debian's builds read their web assets (and Alertmanager its notification templates) from
            // /usr/share/prometheus, which the upstream images embed: each gets its own package's there.
            case "prometheus" -> box.bind("/bin/prometheus", Path.of(PrometheusTools.prometheus()))
                    .bind("/usr/share/prometheus", PrometheusTools.share(PrometheusTools.prometheus()));
            case "alertmanager" -> box.bind("/bin/alertmanager", Path.of(PrometheusTools.alertmanager()))
                    .bind("/usr/share/prometheus", PrometheusTools.share(PrometheusTools.alertmanager()))
                    .secret("SLACK_WEBHOOK_URL", SLACK_WEBHOOK);
            case "grafana" -> box.bind("/run.sh", standIn(dir, "run.sh", GRAFANA_STAND_IN))
                    .secret("GF_SECURITY_ADMIN_PASSWORD", ADMIN_PASSWORD);
            case "cloudwatch-exporter" -> box.bind("/opt/java/openjdk/bin/java", standIn(dir, "java", EXPORTER_STAND_IN))
                    .bind("/cloudwatch_exporter.jar", Files.writeString(dir.resolve("cloudwatch_exporter.jar"), "stand-in jar\n"));
            case "ecs-discovery" -> box.bind("/awscollector", standIn(dir, "awscollector", COLLECTOR_STAND_IN));
            default -> throw new AssertionError(name);
        }
        for (Mount m : c.mounts()) {
            box.volume(m.volume(), Files.createDirectories(dir.resolve(m.volume())));
        }
        return box;
    }

    private static String probe(String output, String path) {
        return output.lines().filter(l -> l.startsWith("o11y-test: probe " + path + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no probe of " + path + " in\n" + output));
    }

    private static List<String> matches(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        List<String> found = new java.util.ArrayList<>();
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    private static Path standIn(Path dir, String name, String script) throws IOException {
        Path p = dir.resolve("stand-in-" + name);
        Files.writeString(p, script, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("r-xr-xr-x"));
        return p;
    }

    /**
     * grafana/grafana's /run.sh and the server it starts: running as 472, it needs GF_PATHS_DATA
     * writable (the SQLite database), the plugins directory, every provisioning file and each
     * provider's dashboards readable, TMPDIR writable, the admin password in its environment.
     */
    private static final String GRAFANA_STAND_IN = """
            #!/bin/sh
            fail() { echo "o11y-standin: FAIL $*"; exit 1; }
            [ "$(id -u)" = 472 ] || fail "uid $(id -u)"
            [ -w "$GF_PATHS_DATA" ] || fail "GF_PATHS_DATA=$GF_PATHS_DATA is not writable"
            touch "$GF_PATHS_DATA/grafana.db" || fail "cannot create the database"
            mkdir -p "$GF_PATHS_PLUGINS" || fail "cannot create GF_PATHS_PLUGINS=$GF_PATHS_PLUGINS"
            [ -n "${GF_SECURITY_ADMIN_PASSWORD:-}" ] || fail "no admin password"
            n=0
            for f in "$GF_PATHS_PROVISIONING"/datasources/*.yaml "$GF_PATHS_PROVISIONING"/dashboards/*.yaml; do
              [ -r "$f" ] || fail "cannot read $f"
              n=$((n+1))
            done
            [ "$n" -ge 2 ] || fail "provisioning files missing in $GF_PATHS_PROVISIONING"
            for d in $(sed -n 's/^ *path: *//p' "$GF_PATHS_PROVISIONING"/dashboards/*.yaml); do
              # Grafana expands $VAR in provisioning files.
              case "$d" in '$'*) v="$d"; eval "d=\\"$d\\""; [ -n "$d" ] || fail "path $v: not in the environment";; esac
              c=0
              for j in "$d"/*.json; do [ -r "$j" ] || fail "cannot read $j"; c=$((c+1)); done
              echo "o11y-standin: dashboards $c"
            done
            touch "$TMPDIR/o11y-probe" || fail "TMPDIR=$TMPDIR is not writable"
            if touch /o11y-probe 2>/dev/null; then fail "the root file system is writable"; fi
            echo "o11y-standin: ok"
            """;

    /**
     * The JVM running cloudwatch_exporter.jar PORT CONFIG: the jar readable, the configuration read
     * once from its path (printed for the test to compare), no configuration left in the environment.
     * Runs under the image's dash: builtins only.
     */
    private static final String EXPORTER_STAND_IN = """
            #!/bin/sh
            fail() { echo "o11y-standin: FAIL $*"; exit 1; }
            uid=
            while read -r k v rest; do [ "$k" = Uid: ] && uid=$v; done < /proc/self/status
            [ "$uid" = 65534 ] || fail "uid $uid"
            [ "$1 $2 $3" = "-jar /cloudwatch_exporter.jar 9106" ] || fail "arguments $*"
            [ -r "$2" ] || fail "cannot read $2"
            [ -z "${O11Y_FILE_0+x}" ] || fail "the configuration is still in the environment"
            while IFS= read -r line; do echo "o11y-standin: config $line"; done < "$4" || fail "cannot read $4"
            echo "o11y-standin: ok"
            """;

    /**
     * The ADOT collector (a scratch image: the stand-in brings the harness's busybox): its
     * configuration in AOT_CONFIG_CONTENT, each ecs_observer result file written 0600 as the real one
     * writes it.
     */
    private static final String COLLECTOR_STAND_IN = """
            #!%s sh
            B=%s
            fail() { echo "o11y-standin: FAIL $*"; exit 1; }
            [ "$($B id -u)" = 65534 ] || fail "uid"
            [ "$1" = "--config=/etc/otel-config.yaml" ] || fail "arguments $*"
            files=$(echo "${AOT_CONFIG_CONTENT:-}" | $B sed -n 's/^ *result_file: *//p')
            [ -n "$files" ] || fail "no ecs_observer result_file in AOT_CONFIG_CONTENT"
            for f in $files; do
              (umask 077; echo "[]" > "$f") || fail "cannot write $f"
            done
            echo "o11y-standin: ok"
            """.formatted(ContainerSandbox.HARNESS_BUSYBOX, ContainerSandbox.HARNESS_BUSYBOX);
}
