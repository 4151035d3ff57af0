package dev.o11ycdk.test.support;

import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The prometheus-operator's API schema for ServiceMonitor and PodMonitor: npm's
 * {@code @kubernetes-models/prometheus-operator}, pinned, installed globally by .ci/run. It ships the
 * operator's {@code monitoring.coreos.com} types as JSON-schema validators generated from the operator's
 * Go API (the source its CRDs are generated from: field types, required fields, enums such as a
 * relabeling's action), run here by node ({@code resources/prometheus-operator/validate.mjs}). No
 * registry ships the CRD YAML of the kube-prometheus-stack chart itself. Unknown fields are not
 * rejected (the API server's structural schema would prune them). Under CI=true a missing or different
 * package fails the test; elsewhere it is skipped and says why.
 */
public final class OperatorSchema {
    public static final String PACKAGE = "@kubernetes-models/prometheus-operator";
    public static final String VERSION = "6.0.0";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String node;
    private final Path pkg;

    private OperatorSchema(String node, Path pkg) {
        this.node = node;
        this.pkg = pkg;
    }

    /** What the validator said of one object. */
    public record Verdict(String kind, String name, boolean valid, List<String> errors) {
    }

    /** The installed package, or a CI failure / local skip naming what is missing. */
    public static OperatorSchema require() throws IOException {
        String hint = "npm install -g " + PACKAGE + "@" + VERSION;
        String npm = Tools.require("npm", "install Node.js");
        String node = Tools.require("node", "install Node.js");
        Tools.Result root = Tools.run(List.of(npm, "root", "-g"), null, 60);
        Path pkg = Path.of(root.output().lines().filter(l -> l.startsWith("/")).reduce((a, b) -> b).orElse("/nonexistent"))
                .resolve(PACKAGE);
        if (!Files.isRegularFile(pkg.resolve("package.json"))) {
            missing(PACKAGE + " is not installed under `npm root -g` (" + hint + ")");
        }
        String version = JSON.readTree(pkg.resolve("package.json").toFile()).path("version").asText();
        if (!VERSION.equals(version)) {
            missing(PACKAGE + " is " + version + ", the tests pin " + VERSION + " (" + hint + ")");
        }
        return new OperatorSchema(node, pkg);
    }

    private static void missing(String msg) {
        if (Tools.onCi()) {
            fail("CI=true and " + msg + ": .ci/run must install it");
        }
        Assumptions.abort("skipped: " + msg);
    }

    /** Each object's verdict, in order. */
    public List<Verdict> validate(List<Map<String, Object>> objects) throws IOException, InterruptedException {
        Path script = CdkJson.repoRoot().resolve("test/src/test/resources/prometheus-operator/validate.mjs");
        Process p = new ProcessBuilder(node, script.toString(), pkg.toString()).redirectErrorStream(true).start();
        p.getOutputStream().write(JSON.writeValueAsBytes(objects));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("the schema validator failed:\n" + out);
        }
        List<Verdict> verdicts = new ArrayList<>();
        for (String line : out.lines().toList()) {
            JsonNode n = JSON.readTree(line);
            List<String> errors = new ArrayList<>();
            n.path("errors").forEach(e -> errors.add(e.asText()));
            verdicts.add(new Verdict(n.path("kind").asText(), n.path("name").asText(), n.path("valid").asBoolean(), errors));
        }
        if (verdicts.size() != objects.size()) {
            throw new AssertionError("the schema validator answered " + verdicts.size() + " of " + objects.size() + " objects:\n" + out);
        }
        return verdicts;
    }
}
