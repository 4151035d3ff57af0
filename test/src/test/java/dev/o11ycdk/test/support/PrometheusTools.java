package dev.o11ycdk.test.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The Prometheus project's binaries as the suite runs them, by their upstream names: Debian sid's
 * prometheus and promtool 3.5.3, alertmanager and amtool 0.33.1 and node_exporter 1.11.1, which
 * {@code .ci/sid-binaries} unpacks into a folder of their own and {@code .ci/run} puts first on PATH
 * ({@code ToolVersionsTest} checks the lines). Debian stable's packages (2.42, 0.25) are not used.
 */
public final class PrometheusTools {
    /** How a developer gets the same tools as CI. */
    public static final String HINT = "PATH=\"$(bash .ci/sid-binaries):$PATH\" puts Debian sid's first";
    /** Where Debian's builds read their web assets and Alertmanager's notification templates: compiled in. */
    private static final Path DEBIAN_SHARE = Path.of("/usr/share/prometheus");

    private PrometheusTools() {
    }

    public static String prometheus() {
        return Tools.require("prometheus", HINT);
    }

    public static String promtool() {
        return Tools.require("promtool", HINT);
    }

    public static String alertmanager() {
        return Tools.require("alertmanager", HINT);
    }

    public static String amtool() {
        return Tools.require("amtool", HINT);
    }

    public static String nodeExporter() {
        return Tools.require("node_exporter", HINT);
    }

    /**
     * The {@code usr/share/prometheus} of the package {@code binary} came from, beside its {@code usr/bin}
     * (for the sid folder, its unpacked tree; for an installed package, /usr/share/prometheus).
     */
    public static Path share(String binary) {
        try {
            return Path.of(binary).toRealPath().getParent().getParent().resolve("share/prometheus");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The command that runs {@link #alertmanager()} with {@code args} on its own package's notification
     * templates. Debian's build reads them from /usr/share/prometheus/alertmanager, a path compiled in:
     * unpacked elsewhere, it would read the machine's (Debian stable's 0.25 templates lack
     * {@code slack.default.color}, which 0.33's Slack defaults name, and the message goes out without
     * its channel) or, with none installed, refuse its configuration. So it runs in a bubblewrap mount
     * namespace that shows its own templates there and the rest of the file system as it is, on the
     * machine's network. An upstream build embeds its templates and runs as it is.
     */
    public static List<String> alertmanagerCommand(List<String> args) {
        String bin = alertmanager();
        Path share = share(bin);
        List<String> cmd = new ArrayList<>();
        if (!share.equals(DEBIAN_SHARE) && Files.isRegularFile(share.resolve("alertmanager/default.tmpl"))) {
            cmd.addAll(List.of(Tools.require("bwrap", "apt-get install bubblewrap"), "--die-with-parent", "--bind", "/", "/",
                    "--tmpfs", "/usr/share", "--ro-bind", share.toString(), DEBIAN_SHARE.toString(),
                    "--ro-bind-try", "/usr/share/zoneinfo", "/usr/share/zoneinfo",
                    "--ro-bind-try", "/usr/share/ca-certificates", "/usr/share/ca-certificates", "--"));
        }
        cmd.add(bin);
        cmd.addAll(args);
        return cmd;
    }
}
