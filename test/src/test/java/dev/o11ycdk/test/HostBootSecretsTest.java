package dev.o11ycdk.test;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.o11ycdk.host.ObservabilityInstance;
import dev.o11ycdk.test.support.EndToEnd;
import dev.o11ycdk.test.support.MotoServer;
import dev.o11ycdk.test.support.Synth;
import dev.o11ycdk.test.support.Tools;
import dev.o11ycdk.test.support.UserData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host's boot steps that read secrets, really run: the deployed user data's own
 * {@code fetch_secret} function and step lines, under bash with {@code set -euo pipefail}, against
 * moto_server on loopback standing in for Secrets Manager (the aws CLI pointed at it by
 * AWS_ENDPOINT_URL, fake credentials). Only the file's path and owner are swapped for the test's:
 * the step writes where this machine allows (as root, for the {@code daemon} user).
 */
@EndToEnd
class HostBootSecretsTest {
    /** moto's account: the stack's AWS::AccountId resolves to it, as CloudFormation would resolve it to yours. */
    private static final String ACCOUNT = "123456789012";
    private static final String REGION = "ap-northeast-2";
    private static final String SLACK_SECRET = "o11y/slack-webhook";
    private static final String DONE = "BOOT_GOES_ON";

    @TempDir
    static Path dir;
    private static MotoServer moto;
    private static Map<String, String> env;
    private static String aws;
    private static String bash;

    @BeforeAll
    static void startMoto() throws Exception {
        aws = Tools.require("aws", "pip install awscli");
        bash = Tools.require("bash", "apt-get install bash");
        moto = MotoServer.start(dir);
        env = moto.env();
    }

    @AfterAll
    static void stopMoto() throws InterruptedException {
        if (moto != null) {
            moto.close();
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void slackWebhookStepWritesAPrivateFileAndNeverStopsTheBoot() throws Exception {
        Path webhook = Files.createDirectories(dir.resolve("slack")).resolve("slack_webhook_url");
        String owner = owner();
        String script = deployedScript(Map.of());
        assertThat(script).contains("readonly SLACK_WEBHOOK_SECRET='arn:aws:secretsmanager:" + REGION + ":" + ACCOUNT
                + ":secret:" + SLACK_SECRET + "'\n");
        Path harness = harness(script, "SLACK_WEBHOOK_SECRET", ObservabilityInstance.SLACK_STEP,
                " " + ObservabilityInstance.SLACK_WEBHOOK_FILE + " alertmanager ", " " + webhook + " " + owner + " ");

        // No secret yet (or no route to Secrets Manager): a warning, no file, and the boot goes on.
        Tools.Result missing = Tools.run(List.of(bash, harness.toString()), dir, env, 60);
        assertThat(missing.exitCode()).as(missing.output()).isZero();
        assertThat(missing.output()).contains("o11y-cdk: cannot read the Slack webhook secret", DONE);
        assertThat(webhook).doesNotExist();

        // The secret the operator created: a 0600 file of the owner holding exactly the URL.
        String url = "https://hooks.slack.com/services/T0000/B0000/first";
        awsCli("create-secret", "--name", SLACK_SECRET, "--secret-string", valueFile(url));
        Tools.Result first = Tools.run(List.of(bash, harness.toString()), dir, env, 60);
        assertThat(first.exitCode()).as(first.output()).isZero();
        assertThat(first.output()).contains(DONE).doesNotContain("cannot read", url);
        assertPrivateFile(webhook, owner, url);

        // Rotated: the next boot writes the new value.
        String rotated = "https://hooks.slack.com/services/T0000/B0000/rotated";
        awsCli("put-secret-value", "--secret-id", SLACK_SECRET, "--secret-string", valueFile(rotated));
        assertThat(Tools.run(List.of(bash, harness.toString()), dir, env, 60).exitCode()).isZero();
        assertPrivateFile(webhook, owner, rotated);

        // Unreadable again: the last good file stays as it was, and the boot goes on.
        awsCli("delete-secret", "--secret-id", SLACK_SECRET, "--force-delete-without-recovery");
        Tools.Result gone = Tools.run(List.of(bash, harness.toString()), dir, env, 60);
        assertThat(gone.exitCode()).as(gone.output()).isZero();
        assertThat(gone.output()).contains("o11y-cdk: cannot read the Slack webhook secret", DONE);
        assertPrivateFile(webhook, owner, rotated);
        try (Stream<Path> files = Files.list(webhook.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).as("no temporary file left").containsExactly("slack_webhook_url");
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void grafanaPasswordStepUsesTheSameFunctionButStopsTheBootWhenItCannotRead() throws Exception {
        Path password = Files.createDirectories(dir.resolve("grafana")).resolve("admin_password");
        String owner = owner();
        String secretArn = new ObjectMapper().readTree(awsCli("create-secret", "--name", "grafana-admin",
                "--secret-string", valueFile("s3cr3t-admin"))).path("ARN").asText();
        // The generated secret's Ref resolves to its full ARN, as CloudFormation resolves it.
        String logicalId = Synth.defaults().template(Synth.defaults().stacks().ec2Host())
                .findResources("AWS::SecretsManager::Secret").keySet().iterator().next();
        String grafanaStep = "Grafana admin password from Secrets Manager, readable by grafana only; without it Grafana cannot start";
        Path harness = harness(deployedScript(Map.of(logicalId, secretArn)), "GRAFANA_ADMIN_SECRET", grafanaStep,
                " /etc/grafana/admin_password grafana", " " + password + " " + owner);
        Tools.Result ok = Tools.run(List.of(bash, harness.toString()), dir, env, 60);
        assertThat(ok.exitCode()).as(ok.output()).isZero();
        assertPrivateFile(password, owner, "s3cr3t-admin");

        awsCli("delete-secret", "--secret-id", secretArn, "--force-delete-without-recovery");
        Tools.Result gone = Tools.run(List.of(bash, harness.toString()), dir, env, 60);
        assertThat(gone.exitCode()).as("set -e stops the boot: Grafana would not start without it\n" + gone.output()).isNotZero();
        assertThat(gone.output()).doesNotContain(DONE);
        assertPrivateFile(password, owner, "s3cr3t-admin");
    }

    /** The shell part of the instance's user data as deployed to moto's account. */
    private static String deployedScript(Map<String, String> moreRefs) {
        Map<String, String> refs = new LinkedHashMap<>(Map.of("AWS::AccountId", ACCOUNT, "AWS::Partition", "aws", "AWS::Region", REGION));
        refs.putAll(moreRefs);
        Synth synth = Synth.defaults();
        return UserData.part(UserData.of(synth.templateJson(synth.stacks().ec2Host()), refs), "text/x-shellscript");
    }

    /**
     * The script's own pieces, verbatim: its shell options, the fetch_secret function, the REGION and
     * secret variables and the step line after {@code stepComment}, with the file's path and owner
     * replaced ({@code from} must be in the step); then a line that shows the boot went on.
     */
    private static Path harness(String script, String secretVar, String stepComment, String from, String to) throws IOException {
        List<String> lines = script.lines().toList();
        List<String> out = new ArrayList<>(List.of("#!/bin/bash", "set -euo pipefail", "umask 022"));
        assertThat(lines).contains("set -euo pipefail", "umask 022");
        int fn = lines.indexOf("fetch_secret() {");
        assertThat(fn).as("fetch_secret in the user data").isNotNegative();
        out.addAll(lines.subList(fn, fn + lines.subList(fn, lines.size()).indexOf("}") + 1));
        for (String var : List.of("REGION", secretVar)) {
            out.add(lines.stream().filter(l -> l.startsWith("readonly " + var + "=")).findFirst().orElseThrow());
        }
        int comment = lines.indexOf("# " + stepComment);
        assertThat(comment).as("step '" + stepComment + "' in the user data").isNotNegative();
        String step = lines.get(comment + 1);
        assertThat(step).startsWith("fetch_secret ").contains(from);
        out.add(step.replace(from, to));
        out.add("echo " + DONE);
        Path file = dir.resolve("harness-" + secretVar + ".sh");
        Files.writeString(file, String.join("\n", out) + "\n");
        return file;
    }

    private static void assertPrivateFile(Path file, String owner, String content) throws IOException {
        assertThat(Files.readString(file)).isEqualTo(content);
        PosixFileAttributes a = Files.readAttributes(file, PosixFileAttributes.class);
        assertThat(PosixFilePermissions.toString(a.permissions())).isEqualTo("rw-------");
        assertThat(a.owner().getName()).isEqualTo(owner);
        assertThat(a.group().getName()).isEqualTo(owner);
    }

    /** As root, another user than the test's own (Debian's {@code daemon}, user and group); else the test's user. */
    private static String owner() {
        return "root".equals(System.getProperty("user.name")) ? "daemon" : System.getProperty("user.name");
    }

    /** A value handed to the CLI by file: aws CLI v1 would fetch an https:// parameter value as a URL. */
    private static String valueFile(String value) throws IOException {
        Path f = Files.createTempFile(dir, "value", ".txt");
        Files.writeString(f, value);
        return "file://" + f;
    }

    private static String awsCli(String... args) {
        List<String> cmd = new ArrayList<>(List.of(aws, "secretsmanager"));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--region", REGION, "--output", "json"));
        Tools.Result r = Tools.run(cmd, dir, env, 60);
        assertThat(r.exitCode()).as(String.join(" ", cmd) + "\n" + r.output()).isZero();
        return r.output();
    }
}
