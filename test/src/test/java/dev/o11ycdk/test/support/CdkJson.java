package dev.o11ycdk.test.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The repository's cdk.json: feature flags and default settings, exactly as `cdk synth` sees them. */
public final class CdkJson {
    private static Map<String, Object> context;

    private CdkJson() {
    }

    public static Path repoRoot() {
        String prop = System.getProperty("o11y.repoRoot");
        Path root = prop != null ? Path.of(prop) : Path.of("..");
        return root.toAbsolutePath().normalize();
    }

    /** The version this build gives the library (the reactor's, handed over by surefire). */
    public static String projectVersion() {
        String v = System.getProperty("o11y.version");
        if (v == null || v.isBlank() || v.startsWith("${")) {
            throw new IllegalStateException("o11y.version is not set: run the tests through Maven (test/pom.xml sets it)");
        }
        return v;
    }

    @SuppressWarnings("unchecked")
    public static synchronized Map<String, Object> context() {
        if (context == null) {
            try {
                Map<String, Object> json = new ObjectMapper().readValue(
                        Files.readString(repoRoot().resolve("cdk.json")), Map.class);
                context = Map.copyOf((Map<String, Object>) json.get("context"));
            } catch (IOException e) {
                throw new IllegalStateException("cannot read cdk.json", e);
            }
        }
        return context;
    }

    /**
     * cdk.json's context with overrides on top: strings as {@code -c} gives them, or JSON values
     * (numbers, lists, objects, null) as an edited cdk.json would hold them.
     */
    public static Map<String, Object> contextWith(Map<String, ?> overrides) {
        Map<String, Object> ctx = new LinkedHashMap<>(context());
        ctx.putAll(overrides);
        return ctx;
    }
}
