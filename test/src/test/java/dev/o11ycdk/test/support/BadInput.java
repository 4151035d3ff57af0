package dev.o11ycdk.test.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.o11ycdk.app.O11yApp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The assertion every bad-input case makes: synth stops with one line naming the setting and the value, and writes no template. */
public final class BadInput {
    private BadInput() {
    }

    /**
     * What the app prints for cdk.json's settings with {@code overrides} (strings as {@code -c}
     * gives them, JSON values as cdk.json holds them): the run of {@code main} short of printing.
     * A bad setting stops it before any construct is built, so this costs milliseconds, not a synth.
     */
    public static List<String> errors(Map<String, ?> overrides) {
        Path outdir;
        try {
            outdir = Files.createTempDirectory("o11y-cdk-bad-input");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> errors = O11yApp.synthesize(Synth.newApp(overrides, outdir)).errors();
        // Nothing half-made: no stack's template is written when a setting is bad.
        try (var files = Files.list(outdir)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".template.json")).toList())
                    .as("templates written despite %s", errors).isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return errors;
    }

    /** Exactly one line, {@code o11y-cdk: <message>}. */
    public static void assertRejected(Map<String, ?> overrides, String message) {
        assertThat(errors(overrides)).containsExactly("o11y-cdk: " + message);
    }
}
