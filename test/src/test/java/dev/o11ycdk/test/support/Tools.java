package dev.o11ycdk.test.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * External validators (cfn-lint, promtool, amtool, shellcheck). Under CI=true a missing tool fails
 * the test; on a laptop without it the test is skipped and says why.
 */
public final class Tools {
    private Tools() {
    }

    public static boolean onCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Returns the tool's path, or fails (CI) / skips (elsewhere) when it is not installed. */
    public static String require(String tool, String installHint) {
        TagGuard.allow(tool);
        String path = find(tool);
        if (path == null) {
            String msg = tool + " is not on PATH (" + installHint + ")";
            if (onCi()) {
                fail("CI=true and " + msg + ": .ci/run must install it");
            }
            Assumptions.abort("skipped: " + msg);
        }
        return path;
    }

    public static String find(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }

    /**
     * {@code amtool config routes test}: the alert with {@code labels} (space-separated name=value)
     * reaches exactly {@code receiver} under the Alertmanager configuration {@code config}; fails
     * the test with amtool's output otherwise.
     */
    public static void assertRoute(Path config, String labels, String receiver) {
        String amtool = PrometheusTools.amtool();
        List<String> cmd = new ArrayList<>(List.of(amtool, "config", "routes", "test", "--config.file=" + config,
                "--verify.receivers=" + receiver));
        cmd.addAll(List.of(labels.split(" ")));
        Result r = run(cmd, config.getParent(), 60);
        List<String> routed = r.output().lines().filter(l -> !l.isBlank() && !l.startsWith("Warning")).toList();
        if (r.exitCode() != 0 || !routed.equals(List.of(receiver))) {
            fail("amtool routed {" + labels + "} to " + routed + ", not [" + receiver + "] (exit " + r.exitCode() + ")\n" + r.output());
        }
    }

    /** Runs a command with a time limit; returns exit code and combined output. */
    public static Result run(List<String> command, Path workDir, long timeoutSeconds) {
        return run(command, workDir, java.util.Map.of(), timeoutSeconds);
    }

    /** As {@link #run(List, Path, long)}, the environment changed by {@code env} (an empty value removes a variable). */
    public static Result run(List<String> command, Path workDir, java.util.Map<String, String> env, long timeoutSeconds) {
        TagGuard.allow(command.get(0));
        try {
            ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true);
            if (workDir != null) {
                pb.directory(workDir.toFile());
            }
            env.forEach((k, v) -> {
                if (v.isEmpty()) {
                    pb.environment().remove(k);
                } else {
                    pb.environment().put(k, v);
                }
            });
            Path out = Files.createTempFile("tool", ".log");
            pb.redirectOutput(out.toFile());
            Process p = pb.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s");
            }
            String output = Files.readString(out, StandardCharsets.UTF_8);
            Files.deleteIfExists(out);
            return new Result(p.exitValue(), output);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public record Result(int exitCode, String output) {
    }
}
