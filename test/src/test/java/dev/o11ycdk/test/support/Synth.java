package dev.o11ycdk.test.support;

import dev.o11ycdk.app.O11yApp;
import dev.o11ycdk.app.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.cxapi.CloudAssembly;

/**
 * Synthesizes the app once per distinct configuration for the whole test run: every test class
 * that reads the default configuration shares one synth.
 */
public final class Synth {
    private static final Map<Map<String, String>, Synth> CACHE = new HashMap<>();

    private final App app;
    private final O11yApp.Stacks stacks;
    private final Path outdir;
    private final CloudAssembly assembly;
    private final Map<String, Template> templates = new HashMap<>();

    private Synth(Map<String, String> overrides) {
        try {
            this.outdir = Files.createTempDirectory("o11y-cdk-synth");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        // Removed when the test JVM exits: with the EKS stack each assembly holds 54 MB of staged layer zips.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(outdir)));
        this.app = newApp(overrides, outdir);
        this.stacks = O11yApp.build(app, Settings.from(app));
        this.assembly = app.synth();
    }

    private static void delete(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | java.io.UncheckedIOException e) {
            // Best effort: the directory is a temporary one.
        }
    }

    /** The default configuration from cdk.json. */
    public static Synth defaults() {
        return of(Map.of());
    }

    public static synchronized Synth of(Map<String, String> overrides) {
        return CACHE.computeIfAbsent(new TreeMap<>(overrides), Synth::new);
    }

    /** A fresh App with cdk.json's flags and settings plus overrides, for tests that expect a failure. */
    public static App newApp(Map<String, ?> overrides, Path outdir) {
        App.Builder b = App.Builder.create().context(CdkJson.contextWith(overrides));
        if (outdir != null) {
            b.outdir(outdir.toString());
        }
        return b.build();
    }

    /** Builds the stacks for {@code overrides} without synthesizing; throws what the app would throw. */
    public static O11yApp.Stacks build(Map<String, String> overrides) {
        App app = newApp(overrides, null);
        return O11yApp.build(app, Settings.from(app));
    }

    public O11yApp.Stacks stacks() {
        return stacks;
    }

    public synchronized Template template(Stack stack) {
        return templates.computeIfAbsent(stack.getStackName(), n -> Template.fromJSON(templateJson(stack)));
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> templateJson(Stack stack) {
        return (Map<String, Object>) assembly.getStackByName(stack.getStackName()).getTemplate();
    }

    public Path templateFile(Stack stack) {
        return outdir.resolve(stack.getStackName() + ".template.json");
    }

    public List<Path> templateFiles() {
        try (var files = Files.list(outdir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".template.json")).sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What the constructs wrote to {@code <outdir>/<stack>.rendered/} on synth: relative path to content, per stack. */
    public Map<String, Map<String, String>> renderedFiles() {
        Map<String, Map<String, String>> all = new TreeMap<>();
        try (var dirs = Files.list(outdir)) {
            for (Path dir : dirs.filter(p -> p.getFileName().toString().endsWith(".rendered")).sorted().toList()) {
                Map<String, String> files = new TreeMap<>();
                try (var walk = Files.walk(dir)) {
                    for (Path f : walk.filter(Files::isRegularFile).toList()) {
                        files.put(dir.relativize(f).toString(), Files.readString(f));
                    }
                }
                all.put(dir.getFileName().toString().replaceFirst("\\.rendered$", ""), files);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return all;
    }

    /** The synthesized assembly, as {@code main} hands it to the cost report. */
    public CloudAssembly assembly() {
        return assembly;
    }

    public Path outdir() {
        return outdir;
    }

    public App app() {
        return app;
    }
}
