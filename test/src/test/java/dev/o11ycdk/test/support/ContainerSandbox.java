package dev.o11ycdk.test.support;

import dev.o11ycdk.fargate.AlertmanagerServiceProps;
import dev.o11ycdk.fargate.CloudWatchExporter;
import dev.o11ycdk.fargate.FargatePrometheusProps;
import dev.o11ycdk.fargate.GrafanaServiceProps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs one container of a task definition as its image would on Fargate, without Docker: under
 * bubblewrap with a read-only root file system assembled from the image's model, the container's
 * uid and gid in a user namespace, its own network namespace (loopback only), the declared volumes
 * as writable temporary directories, the task definition's environment and secrets, and the
 * image's working directory. A harness (busybox, outside the image's paths) starts the entry point,
 * waits for readiness on 127.0.0.1 inside that namespace, runs the task definition's health check
 * and stops the process; or, for a stand-in, runs it to completion.
 */
public final class ContainerSandbox {
    /** Where the harness's busybox lives in the sandbox: no image has this path. */
    public static final String HARNESS_BUSYBOX = "/.o11y-test/busybox";
    private static final String DOCKER_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /**
     * What a test needs to know of an image, read from its Dockerfile at the pinned tag: the shell at
     * /bin/sh ({@code busybox}, {@code dash} or none), the image's ENV, WORKDIR, VOLUME directories
     * with their owners, ENTRYPOINT and CMD, and directories that exist in it.
     */
    public record Image(String shell, Map<String, String> env, String workdir, Map<String, Integer> volumes,
            List<String> entryPoint, List<String> cmd, List<String> dirs) {
    }

    /** The default images of the Fargate layout. */
    public static final Map<String, Image> IMAGES = Map.of(
            // prometheus/prometheus v3.13.2 Dockerfile: FROM quay.io/prometheus/busybox; WORKDIR /prometheus;
            // chown -R nobody:nobody /etc/prometheus /prometheus; USER nobody; VOLUME ["/prometheus"]; no consoles
            // (/usr/share/prometheus is gone since 3.0).
            FargatePrometheusProps.DEFAULT_IMAGE, new Image("busybox", Map.of("PATH", DOCKER_PATH), "/prometheus",
                    Map.of("/prometheus", 65534), List.of("/bin/prometheus"), List.of(), List.of("/etc/prometheus")),
            // prometheus/alertmanager v0.34 Dockerfile: busybox; mkdir /alertmanager, chown -R nobody:nobody;
            // USER nobody; VOLUME ["/alertmanager"]; WORKDIR /alertmanager.
            AlertmanagerServiceProps.DEFAULT_IMAGE, new Image("busybox", Map.of("PATH", DOCKER_PATH), "/alertmanager",
                    Map.of("/alertmanager", 65534), List.of("/bin/alertmanager"), List.of(), List.of("/etc/alertmanager")),
            // grafana/grafana (Alpine; unchanged from 10.4 to 13.2): ENV GF_PATHS_*, PATH=/usr/share/grafana/bin:$PATH,
            // WORKDIR $GF_PATHS_HOME, USER 472 (GF_UID), ENTRYPOINT ["/run.sh"]; no VOLUME.
            GrafanaServiceProps.DEFAULT_IMAGE, new Image("busybox", grafanaEnv(), "/usr/share/grafana", Map.of(), List.of("/run.sh"),
                    List.of(), List.of("/etc/grafana/provisioning", "/var/lib/grafana", "/var/log/grafana")),
            // prometheus/cloudwatch_exporter v0.18.0 Dockerfile: FROM eclipse-temurin:25-jre-noble (Ubuntu: /bin/sh is
            // dash, bash present; JAVA_HOME=/opt/java/openjdk on PATH); WORKDIR /; USER 65534; no VOLUME.
            CloudWatchExporter.DEFAULT_IMAGE, new Image("dash", Map.of("PATH", "/opt/java/openjdk/bin:" + DOCKER_PATH,
                    "JAVA_HOME", "/opt/java/openjdk"), "/", Map.of(), List.of("java", "-jar", "/cloudwatch_exporter.jar", "9106"),
                    List.of("/config/config.yml"), List.of("/config")),
            // aws-observability/aws-otel-collector cmd/awscollector/Dockerfile (v0.49, v0.50): FROM scratch (no shell);
            // ENV RUN_IN_CONTAINER=True, HOME=/home/aoc; USER aoc; ENTRYPOINT ["/awscollector"];
            // CMD ["--config=/etc/otel-config.yaml"].
            FargatePrometheusProps.DEFAULT_DISCOVERY_IMAGE, new Image("none", Map.of("RUN_IN_CONTAINER", "True",
                    "HOME", "/home/aoc", "PATH", DOCKER_PATH), "/", Map.of(), List.of("/awscollector"),
                    List.of("--config=/etc/otel-config.yaml"), List.of("/home/aoc", "/etc")));

    private static Map<String, String> grafanaEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "/usr/share/grafana/bin:" + DOCKER_PATH);
        env.put("GF_PATHS_CONFIG", "/etc/grafana/grafana.ini");
        env.put("GF_PATHS_DATA", "/var/lib/grafana");
        env.put("GF_PATHS_HOME", "/usr/share/grafana");
        env.put("GF_PATHS_LOGS", "/var/log/grafana");
        env.put("GF_PATHS_PLUGINS", "/var/lib/grafana/plugins");
        env.put("GF_PATHS_PROVISIONING", "/etc/grafana/provisioning");
        return env;
    }

    /**
     * Starts the command in the background, waits (60 s at most) until {@code http://127.0.0.1:PORT/READY}
     * answers, runs the health check through the image's /bin/sh, prints each probe URL's body
     * ({@code o11y-test: probe PATH BODY}), stops the process with SIGTERM. Or ("run") runs the command to its end. Every verdict is a line
     * starting {@code o11y-test:}.
     */
    private static final String HARNESS = """
            B=%s
            mode=$1
            shift
            if [ "$mode" = run ]; then
              shift
              "$@"
              echo "o11y-test: exit $?"
              exit 0
            fi
            port=$1; ready=$2; probe=$3; health=$4
            shift 5
            "$@" &
            pid=$!
            i=0
            while ! $B wget -q -O /dev/null "http://127.0.0.1:$port$ready" 2>/dev/null; do
              if ! kill -0 "$pid" 2>/dev/null; then wait "$pid"; echo "o11y-test: exit $?"; exit 0; fi
              i=$((i+1))
              if [ "$i" -ge 240 ]; then echo "o11y-test: not ready"; kill -9 "$pid"; exit 0; fi
              $B sleep 0.25
            done
            echo "o11y-test: ready"
            /bin/sh -c "$health"
            echo "o11y-test: health $?"
            for p in $probe; do
              echo "o11y-test: probe $p $($B wget -q -O - "http://127.0.0.1:$port$p" | $B tr -d '\\n')"
            done
            kill "$pid"
            wait "$pid"
            echo "o11y-test: stopped $?"
            """.formatted(HARNESS_BUSYBOX);

    private final TaskContainers.Container container;
    private final Image image;
    private final Map<String, Path> binds = new LinkedHashMap<>();
    private final Map<String, String> secrets = new LinkedHashMap<>();
    private final Map<String, Path> volumes = new LinkedHashMap<>();
    private String hostname;

    public ContainerSandbox(TaskContainers.Container container, Image image) {
        this.container = container;
        this.image = image;
    }

    /** Fails under CI=true, skips elsewhere, when bwrap or busybox is missing or cannot create namespaces here. */
    public static void require() {
        String bwrap = Tools.require("bwrap", "apt-get install bubblewrap");
        String busybox = Tools.require("busybox", "apt-get install busybox");
        List<String> probe = new ArrayList<>(List.of(bwrap, "--unshare-all", "--uid", "65534", "--gid", "65534"));
        probe.addAll(libraries());
        probe.addAll(List.of("--ro-bind", busybox, "/busybox", "--proc", "/proc", "--dev", "/dev", "--remount-ro", "/", "/busybox", "true"));
        Tools.Result r = Tools.run(probe, null, 30);
        if (r.exitCode() != 0) {
            String msg = "bwrap cannot create its namespaces on this machine: " + r.output().strip();
            if (Tools.onCi()) {
                fail("CI=true and " + msg);
            }
            Assumptions.abort("skipped: " + msg);
        }
    }

    /** A host file or directory at {@code imagePath}, read-only: the image's binary, or a stand-in for it. */
    public ContainerSandbox bind(String imagePath, Path host) {
        binds.put(imagePath, host);
        return this;
    }

    /** The task's host name (on Fargate its private IP's DNS name). @default the container's name */
    public ContainerSandbox hostname(String name) {
        this.hostname = name;
        return this;
    }

    /** The value ECS would fetch for the secret {@code name}. */
    public ContainerSandbox secret(String name, String value) {
        secrets.put(name, value);
        return this;
    }

    /** The host directory standing for the volume {@code volume}. */
    public ContainerSandbox volume(String volume, Path host) {
        volumes.put(volume, host);
        return this;
    }

    /**
     * Whether Fargate lets the container's user write this mount: an EFS access point acts as its
     * POSIX user; a task-local volume is root's (0755) unless the image declares a VOLUME at that
     * path owned by the user (bind-mounts.html).
     */
    public boolean writable(TaskContainers.Mount m) {
        if (m.readOnly()) {
            return false;
        }
        return !m.taskLocal() || Integer.valueOf(container.uid()).equals(image.volumes().get(m.containerPath()));
    }

    /** The environment ECS gives the process: the image's ENV, the task definition's, then the secrets. */
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("HOME", "/");
        env.putAll(image.env());
        env.putAll(container.environment());
        for (String s : container.secrets()) {
            String v = secrets.get(s);
            if (v == null) {
                throw new AssertionError(container.name() + " has the secret " + s + " the test gives no value");
            }
            env.put(s, v);
        }
        return env;
    }

    /** The process ECS starts: entry point and command from the task definition, the image's where it has none. */
    public List<String> process() {
        List<String> p = new ArrayList<>(container.entryPoint() != null ? container.entryPoint() : image.entryPoint());
        p.addAll(container.command() != null ? container.command() : image.cmd());
        return p;
    }

    /**
     * Runs the container; {@code withMounts} false leaves out every read-write mount (the process then
     * meets only the read-only root). {@code serve} waits for readiness and the health check, then
     * prints {@code probePaths} (space-separated); otherwise the process runs to its end.
     */
    public Tools.Result run(boolean withMounts, boolean serve, String readyPath, String probePaths) throws IOException {
        String bwrap = Tools.require("bwrap", "apt-get install bubblewrap");
        String busybox = Tools.require("busybox", "apt-get install busybox");
        List<String> cmd = new ArrayList<>(List.of(bwrap, "--die-with-parent", "--unshare-all", "--uid", String.valueOf(container.uid()),
                "--gid", String.valueOf(container.gid()), "--hostname", hostname != null ? hostname : container.name(),
                "--proc", "/proc", "--dev", "/dev", "--dir", "/tmp", "--dir", "/etc"));
        cmd.addAll(libraries());
        cmd.addAll(List.of("--ro-bind", busybox, HARNESS_BUSYBOX));
        switch (image.shell()) {
            case "busybox" -> {
                cmd.addAll(List.of("--ro-bind", busybox, "/bin/busybox"));
                for (String applet : applets(busybox)) {
                    cmd.addAll(List.of("--symlink", "busybox", "/bin/" + applet));
                }
            }
            case "dash" -> {
                cmd.addAll(List.of("--ro-bind", Tools.require("dash", "apt-get install dash"), "/bin/sh"));
                cmd.addAll(List.of("--ro-bind", Tools.require("bash", "apt-get install bash"), "/bin/bash"));
            }
            case "none" -> {
            }
            default -> throw new AssertionError(image.shell());
        }
        for (String d : image.dirs()) {
            cmd.addAll(List.of("--dir", d));
        }
        cmd.addAll(List.of("--dir", image.workdir()));
        image.volumes().keySet().forEach(v -> cmd.addAll(List.of("--dir", v)));
        binds.forEach((path, host) -> cmd.addAll(List.of("--ro-bind", host.toString(), path)));
        for (TaskContainers.Mount m : container.mounts()) {
            Path host = volumes.get(m.volume());
            if (host == null) {
                throw new AssertionError(container.name() + " mounts " + m.volume() + ", which the test gives no directory");
            }
            if (writable(m)) {
                if (withMounts) {
                    cmd.addAll(List.of("--bind", host.toString(), m.containerPath()));
                }
            } else {
                // Read-only here, as the mount says or as Fargate's root-owned volume is for a non-root user.
                cmd.addAll(List.of("--ro-bind", host.toString(), m.containerPath()));
            }
        }
        cmd.addAll(List.of("--chdir", image.workdir(), "--clearenv"));
        environment().forEach((k, v) -> cmd.addAll(List.of("--setenv", k, v)));
        cmd.addAll(List.of("--remount-ro", "/", "--", HARNESS_BUSYBOX, "sh", "-c", HARNESS, "harness"));
        if (serve) {
            cmd.addAll(List.of("serve", String.valueOf(container.port()), readyPath, probePaths, healthShell(), "--"));
        } else {
            cmd.addAll(List.of("run", "--"));
        }
        cmd.addAll(process());
        return Tools.run(cmd, null, 120);
    }

    /** The task definition's health check as a /bin/sh command line (CMD-SHELL as is). */
    private String healthShell() {
        List<String> hc = container.healthCheck();
        if (hc == null || hc.isEmpty()) {
            throw new AssertionError(container.name() + " has no health check");
        }
        if (hc.get(0).equals("CMD-SHELL")) {
            return hc.get(1);
        }
        return String.join(" ", hc.subList(1, hc.size()).stream().map(a -> "'" + a.replace("'", "'\\''") + "'").toList());
    }

    /** Shared libraries for the host-built binaries (busybox, dash, Debian's prometheus); no host executable is on PATH. */
    private static List<String> libraries() {
        List<String> args = new ArrayList<>();
        for (String lib : List.of("/usr/lib", "/usr/lib64", "/lib", "/lib64")) {
            Path p = Path.of(lib);
            if (Files.isSymbolicLink(p)) {
                try {
                    args.addAll(List.of("--symlink", Files.readSymbolicLink(p).toString(), lib));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            } else if (Files.isDirectory(p)) {
                args.addAll(List.of("--ro-bind", lib, lib));
            }
        }
        return args;
    }

    private static List<String> applets(String busybox) {
        Tools.Result r = Tools.run(List.of(busybox, "--list"), null, 30);
        return r.output().lines().map(String::strip).filter(a -> !a.isEmpty() && !a.equals("busybox")).toList();
    }
}
