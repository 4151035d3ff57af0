package dev.o11ycdk.core.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Stage;
import software.constructs.Construct;
import software.constructs.IValidation;

/**
 * Writes a construct's rendered configuration files next to its stack's template, in
 * {@code <outdir>/<stack artifact id>.rendered/}, so reviewers see them in pull requests and tools
 * can check them, in whatever app uses the library. The files are written when the app synthesizes
 * (during its validation pass, after every construct is in place), like cdk-nag's reports.
 */
public final class ReviewFiles {
    private ReviewFiles() {
    }

    public static void register(Construct construct, Supplier<Map<String, String>> files) {
        construct.getNode().addValidation(new IValidation() {
            @Override
            public List<String> validate() {
                write(construct, files.get());
                return List.of();
            }
        });
    }

    /** What a reviewer sees for a value CloudFormation fills in at deploy time. */
    public static final String DEPLOY_TIME = "<deploy-time value>";

    /**
     * {@code content} as a file for review: literal text as it is, each deploy-time value (a
     * reference CloudFormation resolves) shown as {@value #DEPLOY_TIME} in its place.
     */
    public static String text(Construct scope, String content) {
        return text(Stack.of(scope).resolve(content));
    }

    private static String text(Object resolved) {
        if (resolved instanceof String s) {
            return s;
        }
        if (resolved instanceof Map<?, ?> m && m.size() == 1 && m.get("Fn::Join") instanceof List<?> join && join.size() == 2
                && join.get(1) instanceof List<?> parts) {
            StringBuilder b = new StringBuilder();
            String delimiter = String.valueOf(join.get(0));
            for (int i = 0; i < parts.size(); i++) {
                b.append(i == 0 ? "" : delimiter).append(text(parts.get(i)));
            }
            return b.toString();
        }
        return DEPLOY_TIME;
    }

    public static Path directory(Construct construct) {
        String outdir = Stage.of(construct) != null ? Stage.of(construct).getOutdir() : null;
        return outdir == null ? null : Path.of(outdir).resolve(Stack.of(construct).getArtifactId() + ".rendered");
    }

    private static void write(Construct construct, Map<String, String> files) {
        Path dir = directory(construct);
        if (dir == null) {
            return;
        }
        files.forEach((rel, content) -> {
            Path file = dir.resolve(rel).normalize();
            if (!file.startsWith(dir)) {
                throw new IllegalStateException("rendered file " + rel + " would land outside " + dir);
            }
            try {
                Files.createDirectories(file.getParent());
                Files.writeString(file, content);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file, e);
            }
        });
    }
}
