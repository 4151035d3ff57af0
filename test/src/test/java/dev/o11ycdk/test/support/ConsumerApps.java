package dev.o11ycdk.test.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The service teams' own CDK apps under {@code test/consumer-app*}, one per layout, each a separate
 * Maven project that declares only o11y-cdk-lib, aws-cdk-lib and constructs. Each is built offline
 * against this build's library as the README's release command publishes it ({@link LocalRepository})
 * and synthesized in a JVM of its own with its own cdk.json, once per test run.
 */
public final class ConsumerApps {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Synthesized> DONE = new HashMap<>();

    /** A team's app: its folder under test/, its main class and the stack it synthesizes. */
    public enum App {
        FARGATE("consumer-app", "com.example.payments.PaymentsApp", "Payments"),
        HOST("consumer-app-host", "com.example.orders.OrdersApp", "Orders"),
        EKS("consumer-app-eks", "com.example.search.SearchApp", "Search");

        private final String folder;
        private final String mainClass;
        private final String stack;

        App(String folder, String mainClass, String stack) {
            this.folder = folder;
            this.mainClass = mainClass;
            this.stack = stack;
        }

        public Path dir() {
            return CdkJson.repoRoot().resolve("test").resolve(folder);
        }

        public String stack() {
            return stack;
        }

        /** The app's one source file, as the README shows it. */
        public Path source() {
            return dir().resolve("src/main/java/" + mainClass.replace('.', '/') + ".java");
        }
    }

    /** What a team's build and synth produced: its classpath and its cloud assembly. */
    public record Synthesized(String classpath, Path out) {
        public Path template() {
            return out.resolve(stackName() + ".template.json");
        }

        private String stackName() {
            return out.getFileName().toString().replace(".out", "");
        }

        @SuppressWarnings("unchecked")
        public Map<String, Object> templateJson() throws IOException {
            return JSON.readValue(template().toFile(), Map.class);
        }
    }

    private ConsumerApps() {
    }

    /** {@code app} built and synthesized (once per test run), failing with the build's or the synth's output. */
    public static synchronized Synthesized synth(App app) throws IOException, InterruptedException {
        Synthesized done = DONE.get(app.name());
        if (done != null) {
            return done;
        }
        String mvn = Tools.require("mvn", "install Maven");
        Path dir = Files.createTempDirectory("o11y-" + app.folder);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
        // The team's build: the library from the file repository the release command deployed to, the
        // rest from what the local repository holds; no network.
        Path release = LocalRepository.released();
        Path classpath = dir.resolve("classpath.txt");
        List<String> command = new ArrayList<>(List.of(mvn, "-q", "-B"));
        command.addAll(LocalRepository.teamBuild(dir, release));
        command.addAll(List.of("-f", app.dir().resolve("pom.xml").toString(), "compile", "dependency:build-classpath",
                "-Dmdep.outputFile=" + classpath));
        Tools.Result build = Tools.run(command, app.dir(), 300);
        if (build.exitCode() != 0) {
            throw new AssertionError("the team's build of " + app.folder + ":\n" + build.output());
        }
        String cp = Files.readString(classpath).strip();

        // The team's synth, in its own JVM with its own cdk.json.
        Path out = dir.resolve(app.stack + ".out");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", app.dir().resolve("target/classes") + java.io.File.pathSeparator + cp, app.mainClass)
                .directory(app.dir().toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("synth.log").toFile());
        @SuppressWarnings("unchecked")
        Map<String, Object> context = (Map<String, Object>) JSON.readValue(app.dir().resolve("cdk.json").toFile(), Map.class).get("context");
        pb.environment().put("CDK_OUTDIR", out.toString());
        pb.environment().put("CDK_CONTEXT_JSON", JSON.writeValueAsString(context));
        Process p = pb.start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the synth of " + app.folder + " took over 180 s");
        }
        if (p.exitValue() != 0) {
            throw new AssertionError("the synth of " + app.folder + ":\n" + Files.readString(dir.resolve("synth.log")));
        }
        done = new Synthesized(cp, out);
        DONE.put(app.name(), done);
        return done;
    }

    private static void delete(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | java.io.UncheckedIOException e) {
            // Best effort: a temporary directory.
        }
    }
}
