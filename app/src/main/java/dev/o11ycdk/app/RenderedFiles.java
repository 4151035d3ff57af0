package dev.o11ycdk.app;

import dev.o11ycdk.FargatePlatformService;
import dev.o11ycdk.config.AlertDelay;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes every rendered configuration file next to its stack's template, in
 * {@code cdk.out/<StackName>.rendered/}, so reviewers see them in pull requests and tools can
 * check them.
 */
public final class RenderedFiles {
    private RenderedFiles() {
    }

    /** Relative path to content, per stack name. */
    public static Map<String, Map<String, String>> collect(O11yApp.Stacks stacks) {
        Map<String, Map<String, String>> all = new TreeMap<>();
        all.put(stacks.ec2Host().getStackName(), new TreeMap<>(stacks.ec2Host().getHost().getReviewFiles()));
        Map<String, String> fargate = new TreeMap<>();
        FargateStack f = stacks.fargate();
        for (FargatePlatformService s : List.of(f.getPrometheus(), f.getGrafana(), f.getAlertmanager(), f.getExporter())) {
            fargate.putAll(s.getRenderedFiles());
        }
        fargate.put("prometheus/alert-delays.txt", AlertDelay.table(f.getPrometheus().getAlertDelays()));
        all.put(f.getStackName(), fargate);
        return all;
    }

    public static void write(Path outdir, O11yApp.Stacks stacks) {
        collect(stacks).forEach((stack, files) -> files.forEach((rel, content) -> {
            Path file = outdir.resolve(stack + ".rendered").resolve(rel);
            try {
                Files.createDirectories(file.getParent());
                Files.writeString(file, content);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file, e);
            }
        }));
    }
}
