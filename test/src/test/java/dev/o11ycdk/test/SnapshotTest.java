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

    /** The new cluster and the Helm releases: each release's values are one JSON string, rendered in insertion order. */
    @Test
    void eksStackTemplate() {
        Synth synth = Synth.defaults();
        expect.toMatchSnapshot(Snapshots.normalisedTemplate(synth.templateJson(synth.stacks().eks())));
    }

    /** Every file in cdk.out/<stack>.rendered/, as reviewers see it. */
    @Test
    void renderedFilesOfEveryStack() {
        Synth.defaults().renderedFiles().forEach((stack, files) -> files.forEach((path, content) ->
                expect.scenario(stack + "/" + path).toMatchSnapshot(content)));
    }
}
