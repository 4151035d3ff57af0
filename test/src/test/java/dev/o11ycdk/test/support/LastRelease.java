package dev.o11ycdk.test.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The last release (lib/release-baseline.properties, which a release updates: see README, Releasing),
 * built once per test run from its commit: {@code git archive} into a temporary directory, then an
 * offline {@code mvn package} of its library and app with the local repository's dependencies. Its
 * app synthesizes in a child JVM on its own classpath, with its own cdk.json as the defaults, as
 * {@code cdk synth} ran it when it was released.
 */
public final class LastRelease {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MAIN = "dev.o11ycdk.app.O11yApp";
    private static LastRelease built;

    private final String version;
    private final String commit;
    private final Path source;
    private final Map<String, Object> context;
    private final Map<Map<String, String>, Map<String, Map<String, Object>>> synths = new HashMap<>();

    private LastRelease(String version, String commit, Path source, Map<String, Object> context) {
        this.version = version;
        this.commit = commit;
        this.source = source;
        this.context = context;
    }

    /** The recorded baseline, read without building anything: {@code version} and {@code commit}. */
    public static Properties baseline() {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(CdkJson.repoRoot().resolve("lib/release-baseline.properties"))) {
            p.load(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read lib/release-baseline.properties", e);
        }
        return p;
    }

    /** The release, built on first use; needs git and Maven (tag the test {@link UsesTools}). */
    public static synchronized LastRelease get() {
        if (built == null) {
            Properties p = baseline();
            built = build(p.getProperty("version"), p.getProperty("commit"));
        }
        return built;
    }

    @SuppressWarnings("unchecked")
    private static LastRelease build(String version, String commit) {
        String git = Tools.require("git", "install git");
        String mvn = Tools.require("mvn", "install Maven");
        Path root = CdkJson.repoRoot();
        Tools.Result has = Tools.run(List.of(git, "-C", root.toString(), "cat-file", "-e", commit + "^{commit}"), null, 60);
        if (has.exitCode() != 0) {
            throw new AssertionError("commit " + commit + " of release " + version + " is not in this clone's history "
                    + "(a shallow clone lacks it)");
        }
        try {
            Path dir = Files.createTempDirectory("o11y-last-release");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
            Path src = Files.createDirectories(dir.resolve("release-" + version));
            Path tar = dir.resolve("release.tar");
            Tools.Result archive = Tools.run(List.of(git, "-C", root.toString(), "archive", "--format=tar", "-o", tar.toString(), commit),
                    null, 120);
            check(archive, "git archive " + commit);
            check(Tools.run(List.of("tar", "-xf", tar.toString(), "-C", src.toString()), null, 120), "tar");
            Files.delete(tar);
            Matcher pom = Pattern.compile("<artifactId>o11y-cdk-parent</artifactId>\\s*<version>([^<]+)</version>")
                    .matcher(Files.readString(src.resolve("lib/pom.xml")));
            if (!pom.find() || !pom.group(1).equals(version)) {
                throw new AssertionError("lib/release-baseline.properties: commit " + commit + " does not build version " + version
                        + " (its lib/pom.xml names another parent version); a release records its own version and commit");
            }
            // lib and app: the app's classpath.txt then names this build's library jar, not one in ~/.m2.
            check(Tools.run(List.of(mvn, "-o", "-q", "-B", "-f", src.resolve("pom.xml").toString(), "-pl", "lib,app", "-am", "package",
                    "-DskipTests"), src, 900), "building release " + version);
            Map<String, Object> cdkJson = JSON.readValue(src.resolve("cdk.json").toFile(), Map.class);
            return new LastRelease(version, commit, src, Map.copyOf((Map<String, Object>) cdkJson.get("context")));
        } catch (IOException e) {
            throw new IllegalStateException("cannot build release " + version, e);
        }
    }

    private static void check(Tools.Result r, String what) {
        if (r.exitCode() != 0) {
            throw new AssertionError(what + " failed:\n" + r.output());
        }
    }

    public String version() {
        return version;
    }

    public String commit() {
        return commit;
    }

    public Path libJar() {
        return source.resolve("lib/target/o11y-cdk-lib-" + version + ".jar");
    }

    /** The release's cdk.json context: its defaults and feature flags. */
    public Map<String, Object> context() {
        return context;
    }

    /**
     * The release's templates for its cdk.json with {@code overrides} on top (strings as {@code -c}
     * gives them), by stack name; synthesized once per distinct overrides, the assembly removed once read.
     */
    public synchronized Map<String, Map<String, Object>> templates(Map<String, String> overrides) {
        Map<String, String> key = new TreeMap<>(overrides);
        Map<String, Map<String, Object>> cached = synths.get(key);
        if (cached == null) {
            cached = synthesize(key);
            synths.put(key, cached);
        }
        return cached;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Map<String, Object>> synthesize(Map<String, String> overrides) {
        Map<String, Object> ctx = new LinkedHashMap<>(context);
        ctx.putAll(overrides);
        Path out = null;
        try {
            out = Files.createTempDirectory("o11y-last-release-synth");
            String classpath = Files.readString(source.resolve("app/target/classpath.txt")).strip();
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String appJar = source.resolve("app/target/o11y-cdk-app-" + version + ".jar").toString();
            Tools.Result r = Tools.run(List.of(java, "-cp", appJar + File.pathSeparator + classpath, MAIN), source, Map.of("CDK_OUTDIR", out.toString(), "CDK_CONTEXT_JSON", JSON.writeValueAsString(ctx)), 600);
            check(r, "synthesizing release " + version + " with " + overrides);
            Map<String, Map<String, Object>> templates = new TreeMap<>();
            try (var files = Files.list(out)) {
                for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".template.json")).toList()) {
                    templates.put(f.getFileName().toString().replace(".template.json", ""), JSON.readValue(f.toFile(), Map.class));
                }
            }
            return templates;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } finally {
            if (out != null) {
                delete(out); // an assembly with the EKS stack holds 54 MB of staged layer zips
            }
        }
    }

    private static void delete(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | java.io.UncheckedIOException e) {
            // Best effort: a temporary directory.
        }
    }
}
