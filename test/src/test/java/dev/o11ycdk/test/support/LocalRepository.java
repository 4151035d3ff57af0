package dev.o11ycdk.test.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * A Maven local repository for a build apart from this reactor (the consumer app): the user's own
 * repository, linked entry by entry, with {@code dev/o11ycdk} replaced by this build's library and
 * parent POM, as {@code mvn install} would put them there. Nothing is written to the user's
 * repository, and a library installed there by an older build cannot stand in for this one.
 */
public final class LocalRepository {
    private static final List<String> OURS = List.of("dev", "o11ycdk");

    private LocalRepository() {
    }

    /** Builds it under {@code dir} and returns its root, for {@code -Dmaven.repo.local}. */
    public static Path withThisBuild(Path dir) throws IOException {
        Path user = Path.of(System.getProperty("user.home"), ".m2", "repository");
        Path root = dir.resolve("repository");
        Path at = root;
        Path from = user;
        Files.createDirectories(root);
        for (String part : OURS) {
            link(from, at, part);
            at = at.resolve(part);
            from = from.resolve(part);
            Files.createDirectories(at);
        }
        Path repoRoot = CdkJson.repoRoot();
        Path lib = Files.createDirectories(at.resolve("o11y-cdk-lib/0.1.0"));
        Path built = repoRoot.resolve("lib/target/o11y-cdk-lib-0.1.0.jar");
        if (!Files.exists(built)) {
            throw new IllegalStateException(built + " is missing: run the README's test command (it packages the library first)");
        }
        Files.copy(built, lib.resolve("o11y-cdk-lib-0.1.0.jar"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(repoRoot.resolve("lib/pom.xml"), lib.resolve("o11y-cdk-lib-0.1.0.pom"), StandardCopyOption.REPLACE_EXISTING);
        Path parent = Files.createDirectories(at.resolve("o11y-cdk-parent/0.1.0"));
        Files.copy(repoRoot.resolve("pom.xml"), parent.resolve("o11y-cdk-parent-0.1.0.pom"), StandardCopyOption.REPLACE_EXISTING);
        return root;
    }

    /** Links every entry of {@code from} into {@code to} but {@code except}. */
    private static void link(Path from, Path to, String except) throws IOException {
        if (!Files.isDirectory(from)) {
            return;
        }
        try (var entries = Files.list(from)) {
            for (Path e : entries.toList()) {
                if (!e.getFileName().toString().equals(except)) {
                    Files.createSymbolicLink(to.resolve(e.getFileName().toString()), e);
                }
            }
        }
    }
}
