package dev.o11ycdk.test.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The library as a team gets it: released by the README's release command into a file repository
 * ({@link #released}), and a team's Maven build that resolves it from there and everything else from
 * what the user's local repository already holds ({@link #teamBuild}). Nothing is written to the
 * user's repository but what Maven records about its own downloads, and a library installed there by
 * an older build can never stand in for this one.
 */
public final class LocalRepository {
    private static final List<String> OURS = List.of("dev", "o11ycdk");
    private static Path released;

    private LocalRepository() {
    }

    /**
     * {@code mvn -B -Prelease deploy -pl lib -am -DaltDeploymentRepository=release::file:<repo>}, the
     * README's release command, on a copy of this checkout's POMs and library sources (the build under
     * test keeps its own lib/target); once per test run. Returns the file repository.
     */
    public static synchronized Path released() throws IOException {
        if (released != null) {
            return released;
        }
        String mvn = Tools.require("mvn", "install Maven");
        Path dir = Files.createTempDirectory("o11y-release");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
        Path root = CdkJson.repoRoot();
        Path copy = Files.createDirectories(dir.resolve("checkout"));
        for (String pom : List.of("pom.xml", "lib/pom.xml", "app/pom.xml", "test/pom.xml")) {
            Files.createDirectories(copy.resolve(pom).getParent());
            Files.copy(root.resolve(pom), copy.resolve(pom), StandardCopyOption.REPLACE_EXISTING);
        }
        copyTree(root.resolve("lib/src"), copy.resolve("lib/src"));
        Path repo = dir.resolve("repository");
        Tools.Result deploy = Tools.run(List.of(mvn, "-B", "-q", "-Prelease", "deploy", "-pl", "lib", "-am", "-DskipTests",
                "-DaltDeploymentRepository=release::" + repo.toUri()), copy, 900);
        if (deploy.exitCode() != 0) {
            throw new AssertionError("the release command failed:\n" + deploy.output());
        }
        released = repo;
        return repo;
    }

    /**
     * {@code mvn} arguments for a team's build that resolves the library (and its parent POM) from
     * {@code release} and every other artifact from the user's local repository: a local repository
     * under {@code dir} that links the user's, entry by entry, without {@code dev/o11ycdk}, and a
     * settings file whose one mirror is the release repository, named {@code central} so that what the
     * user's repository downloaded from Maven Central still counts as resolved. No request leaves the machine.
     */
    public static List<String> teamBuild(Path dir, Path release) throws IOException {
        Path user = Path.of(System.getProperty("user.home"), ".m2", "repository");
        Path root = Files.createDirectories(dir.resolve("repository"));
        Path at = root;
        Path from = user;
        for (String part : OURS) {
            link(from, at, part);
            at = Files.createDirectories(at.resolve(part));
            from = from.resolve(part);
        }
        Path settings = dir.resolve("settings.xml");
        Files.writeString(settings, "<settings><mirrors><mirror><id>central</id><mirrorOf>*</mirrorOf><url>" + release.toUri()
                + "</url></mirror></mirrors></settings>\n");
        return List.of("-s", settings.toString(), "-Dmaven.repo.local=" + root);
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

    private static void copyTree(Path from, Path to) throws IOException {
        try (var walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
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
