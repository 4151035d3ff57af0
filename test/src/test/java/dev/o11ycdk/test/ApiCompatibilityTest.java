package dev.o11ycdk.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.o11ycdk.test.support.CdkJson;
import dev.o11ycdk.test.support.LastRelease;
import dev.o11ycdk.test.support.UsesTools;
import japicmp.cmp.JApiCmpArchive;
import japicmp.cmp.JarArchiveComparator;
import japicmp.cmp.JarArchiveComparatorOptions;
import japicmp.model.AccessModifier;
import japicmp.model.JApiClass;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The library's API against its last release (lib/release-baseline.properties): japicmp compares the
 * release's jar, built from its commit by {@link LastRelease}, with this build's. A change that breaks
 * source or binary compatibility must be announced in CHANGELOG.md under this build's version, and
 * only a version that may break (a new major; a new minor before 1.0) may carry one.
 */
@UsesTools
class ApiCompatibilityTest {
    private static final Path ROOT = CdkJson.repoRoot();
    private static final Pattern FQN = Pattern.compile("dev\\.o11ycdk\\.[A-Za-z0-9_.$]*[A-Za-z0-9_$]");
    private static List<JApiClass> changes;
    private static String baselineVersion;
    private static String version;

    @BeforeAll
    static void compare() throws Exception {
        LastRelease release = LastRelease.get();
        baselineVersion = release.version();
        version = projectVersion();
        File oldJar = release.libJar().toFile();
        assertThat(oldJar).as("release %s's library, built from commit %s", baselineVersion, release.commit()).exists();
        File newJar = ROOT.resolve("lib/target/o11y-cdk-lib-" + version + ".jar").toFile();
        assertThat(newJar).as("this build's library (the README's test command packages it first)").exists();

        JarArchiveComparatorOptions options = new JarArchiveComparatorOptions();
        options.setAccessModifier(AccessModifier.PROTECTED);
        // aws-cdk-lib, constructs and Jackson, which the API's signatures name, from this test's own classpath.
        options.setClassPathMode(JarArchiveComparatorOptions.ClassPathMode.ONE_COMMON_CLASSPATH);
        for (String entry : System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")).split(File.pathSeparator)) {
            if (entry.endsWith(".jar") && !entry.contains("o11y-cdk")) {
                options.getClassPathEntries().add(entry);
            }
        }
        changes = new JarArchiveComparator(options).compare(new JApiCmpArchive(oldJar, baselineVersion), new JApiCmpArchive(newJar, version));
    }

    private static String projectVersion() throws IOException {
        Matcher m = Pattern.compile("<artifactId>o11y-cdk-parent</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(Files.readString(ROOT.resolve("lib/pom.xml")));
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    /** Classes whose old API this build does not keep, by their name in the release. */
    static Set<String> incompatible(List<JApiClass> classes) {
        Set<String> out = new TreeSet<>();
        for (JApiClass c : classes) {
            if (!c.isBinaryCompatible() || !c.isSourceCompatible()) {
                out.add(c.getFullyQualifiedName());
            }
        }
        return out;
    }

    /** The fully qualified names CHANGELOG.md's section for {@code v} mentions. */
    static Set<String> announced(String changelog, String v) {
        Matcher section = Pattern.compile("(?ms)^## " + Pattern.quote(v) + "\\b.*?(?=^## |\\z)").matcher(changelog);
        Set<String> names = new LinkedHashSet<>();
        if (section.find()) {
            Matcher m = FQN.matcher(section.group());
            while (m.find()) {
                names.add(m.group());
            }
        }
        return names;
    }

    /**
     * Whether the changelog speaks of {@code className}: by its name, by one of its members
     * ({@code Foo.bar}, {@code Foo#bar}), or through its outer class (a props Builder moves with its props).
     */
    static boolean isAnnounced(String className, Set<String> announced) {
        String outer = className.replaceFirst("\\$.*", "");
        return announced.stream().anyMatch(a -> a.equals(outer) || a.startsWith(outer + ".") || a.startsWith(outer + "#"));
    }

    /** Whether {@code next} may break {@code last}'s API: a new major, or before 1.0 a new minor. */
    static boolean mayBreak(String last, String next) {
        int[] a = parse(last);
        int[] b = parse(next);
        return a[0] == 0 ? b[0] > 0 || b[1] > a[1] : b[0] > a[0];
    }

    private static int[] parse(String v) {
        String[] p = v.split("[.-]");
        return new int[] {Integer.parseInt(p[0]), Integer.parseInt(p[1])};
    }

    @Test
    void everyIncompatibleChangeSinceTheLastReleaseIsAnnouncedInTheChangelog() throws IOException {
        Set<String> broken = incompatible(changes);
        Set<String> announced = announced(Files.readString(ROOT.resolve("CHANGELOG.md")), version);
        if (!broken.isEmpty()) {
            assertThat(mayBreak(baselineVersion, version)).as("version %s may not break %s's API, yet these classes do: %s",
                    version, baselineVersion, broken).isTrue();
        }
        List<String> missing = broken.stream().filter(c -> !isAnnounced(c, announced)).toList();
        assertThat(missing).as("incompatible with %s but not in CHANGELOG.md's %s section", baselineVersion, version).isEmpty();
    }

    @Test
    void theComparisonIsLive() {
        // 0.2.0 moved the constructs out of the root package: japicmp must see the old class go.
        assertThat(incompatible(changes)).contains("dev.o11ycdk.FargatePrometheus", "dev.o11ycdk.Nag");
        assertThat(mayBreak("0.1.0", "0.1.1")).isFalse();
        assertThat(mayBreak("1.4.0", "1.5.0")).isFalse();
        assertThat(mayBreak("1.4.0", "2.0.0")).isTrue();
        assertThat(isAnnounced("dev.o11ycdk.core.Ports$Inner", Set.of("dev.o11ycdk.core.Ports"))).isTrue();
        assertThat(isAnnounced("dev.o11ycdk.config.Shell", Set.of("dev.o11ycdk.config.Shell.quote"))).isTrue();
        assertThat(isAnnounced("dev.o11ycdk.config.ShellScript", Set.of("dev.o11ycdk.config.Shell"))).isFalse();
        assertThat(announced("## 9.9.9\n- `dev.o11ycdk.core.Ports` moved\n## 9.9.8\n- `dev.o11ycdk.Other`\n", "9.9.9"))
                .containsExactly("dev.o11ycdk.core.Ports");
    }
}
