package dev.o11ycdk.test;

import au.com.origin.snapshots.Expect;
import au.com.origin.snapshots.junit5.SnapshotExtension;
import dev.o11ycdk.test.support.Snapshots;
import dev.o11ycdk.test.support.Synth;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One normalised snapshot per stack, plus the rendered files reviewers read. Update deliberately
 * with {@code mvn test -DupdateSnapshot=SnapshotTest} (see README); CI never writes snapshots.
 */
@ExtendWith(SnapshotExtension.class)
class SnapshotTest {
    private Expect expect;

    @Test
    void ec2HostStackTemplate() {
        Synth synth = Synth.defaults();
        expect.toMatchSnapshot(Snapshots.normalisedTemplate(synth.templateJson(synth.stacks().ec2Host())));
    }

    @Test
    void fargateStackTemplate() {
        Synth synth = Synth.defaults();
        expect.toMatchSnapshot(Snapshots.normalisedTemplate(synth.templateJson(synth.stacks().fargate())));
    }

    @Test
    void fargateRenderedConfigs() {
        var f = Synth.defaults().stacks().fargate();
        expect.scenario("prometheus.yml").toMatchSnapshot(f.getPrometheus().getPrometheusConfig().toYaml());
        expect.scenario("rules.yml").toMatchSnapshot(f.getPrometheus().getRules().toYaml());
        expect.scenario("alertmanager.yml").toMatchSnapshot(f.getAlertmanager().getConfig().toYaml());
        expect.scenario("cloudwatch.yml").toMatchSnapshot(f.getExporter().getConfig().toYaml());
        expect.scenario("grafana-datasources.yaml").toMatchSnapshot(f.getGrafana().getDatasourcesYaml());
    }

    @Test
    void ec2HostBootstrapScript() {
        expect.toMatchSnapshot(Synth.defaults().stacks().ec2Host().getHost().getBootstrapScript()
                .replaceAll("\\$\\{Token\\[[A-Za-z0-9.]+\\]\\}", "<token>"));
    }
}
