package dev.o11ycdk.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.o11ycdk.test.support.PrometheusTools;
import dev.o11ycdk.test.support.Tools;
import dev.o11ycdk.test.support.UsesTools;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The tool-backed tests prove something about Prometheus 3 and Alertmanager 0.33 only when those are
 * the binaries they find: Debian stable's prometheus 2.42 and alertmanager 0.25 pass most of them
 * too. Under CI=true an older line fails here; elsewhere the test is skipped and says how to get the
 * right ones ({@link PrometheusTools#HINT}). A newer Alertmanager or node_exporter minor (a later sid
 * upload) passes: the platform pins newer ones still.
 */
@UsesTools
class ToolVersionsTest {
    private static final Pattern VERSION = Pattern.compile("^\\S+, version (\\d+)\\.(\\d+)\\.(\\d+)\\S* ", Pattern.MULTILINE);

    @ParameterizedTest(name = "{0} is {1}.{2} or a later {1}.x")
    @CsvSource({
        "prometheus, 3, 0",
        "promtool, 3, 0",
        "alertmanager, 0, 33",
        "amtool, 0, 33",
        "node_exporter, 1, 11"})
    void theToolOnPathIsOfTheLineTheTestsAreFor(String tool, int major, int minor) {
        String bin = Tools.require(tool, PrometheusTools.HINT);
        Tools.Result r = Tools.run(List.of(bin, "--version"), null, 30);
        int[] found = version(r.output());
        assertThat(found).as(bin + " --version\n" + r.output()).isNotNull();
        if (found[0] != major || found[1] < minor) {
            String msg = bin + " is " + found[0] + "." + found[1] + "." + found[2] + ", not " + major + "." + minor
                    + " or a later " + major + ".x: " + PrometheusTools.HINT;
            if (Tools.onCi()) {
                fail("CI=true and " + msg + " (.ci/run does)");
            }
            Assumptions.abort("skipped: " + msg);
        }
    }

    @Test
    void theVersionLineIsReadAsPrometheusPrintsIt() {
        assertThat(version("prometheus, version 3.5.3+ds1 (branch: debian/sid, revision: 3.5.3+ds1-6)\n  build user: x\n"))
                .containsExactly(3, 5, 3);
        assertThat(version("promtool, version 2.42.0+ds (branch: debian/sid, revision: 2.42.0+ds-5+deb12u1)")).containsExactly(2, 42, 0);
        assertThat(version("alertmanager, version 0.33.1 (branch: HEAD, revision: 2c8da51e)")).containsExactly(0, 33, 1);
        assertThat(version("no version here")).isNull();
    }

    private static int[] version(String output) {
        Matcher m = VERSION.matcher(output);
        return m.find() ? new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))} : null;
    }
}
