package dev.o11ycdk.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.o11ycdk.host.ObservabilityInstance;
import dev.o11ycdk.test.support.EndToEnd;
import dev.o11ycdk.test.support.MotoServer;
import dev.o11ycdk.test.support.Tools;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host's data-volume step, really run: the script the user data ships
 * ({@link ObservabilityInstance#DATA_VOLUME_SCRIPT}), under bash in a mount namespace of its own
 * ({@code unshare -m}), against a loop device standing in for the EBS volume (real blkid, mkfs.ext4,
 * mount) and moto_server on loopback standing in for EC2's volume API (describe-volumes,
 * attach-volume). {@code O11Y_ROOT} puts the host's paths (/etc/fstab, /var/lib, /dev/disk/by-id)
 * in a folder. What cannot run here: a real NVMe device appearing after attach-volume (the test links
 * the loop device where Nitro would show it) and systemd mounting fstab at the next boot.
 */
@EndToEnd
@Timeout(300)
class HostDataVolumeTest {
    private static final String REGION = "ap-northeast-2";
    private static final String SCRIPT = script();

    @TempDir
    static Path dir;
    private static MotoServer moto;
    private static Map<String, String> awsEnv;
    private static String aws;
    private static String ami;

    private Path root;
    private Path systemctlLog;
    private Path image;
    private String loop;
    private String volume;

    @BeforeAll
    static void startMoto() throws Exception {
        aws = Tools.require("aws", "pip install awscli");
        for (String t : List.of("unshare", "losetup", "blkid", "mkfs.ext4", "mkswap", "mountpoint")) {
            Tools.require(t, "apt-get install util-linux e2fsprogs");
        }
        moto = MotoServer.start(dir);
        awsEnv = moto.env();
        ami = aws("ec2", "describe-images", "--query", "Images[0].ImageId");
    }

    @AfterAll
    static void stopMoto() throws InterruptedException {
        if (moto != null) {
            moto.close();
        }
    }

    @BeforeEach
    void blankVolumeAndHost() throws Exception {
        root = Files.createTempDirectory(dir, "host");
        // No systemd here: a stand-in systemctl records what the script asks of it.
        Path bin = Files.createDirectories(root.resolveSibling(root.getFileName() + "-bin"));
        systemctlLog = bin.resolve("systemctl.log");
        Files.writeString(bin.resolve("systemctl"), "#!/bin/sh\necho \"$*\" >> '" + systemctlLog + "'\n");
        bin.resolve("systemctl").toFile().setExecutable(true);
        image = Files.createTempFile(dir, "volume", ".img");
        run(List.of("truncate", "-s", "64M", image.toString()), Map.of()).ok();
        loop = run(List.of("losetup", "--find", "--show", image.toString()), Map.of()).ok().strip();
        volume = aws("ec2", "create-volume", "--size", "1", "--availability-zone", REGION + "a", "--query", "VolumeId");
        // Where a Nitro instance shows the volume once attached.
        Path byId = root.resolve("dev/disk/by-id");
        Files.createDirectories(byId);
        Files.createDirectories(root.resolve("etc"));
        Files.createSymbolicLink(byId.resolve("nvme-Amazon_Elastic_Block_Store_" + volume.replace("-", "")), Path.of(loop));
    }

    @AfterEach
    void detachLoop() {
        if (loop != null) {
            run(List.of("losetup", "-d", loop), Map.of());
        }
    }

    @Test
    void aBlankVolumeIsFormattedOnceTakesOverTheRootVolumesDataAndIsMountedAgainAsItIsAtTheNextBoot() throws Exception {
        // A host of o11y-cdk 0.1 kept its TSDB on the root volume.
        Path tsdb = root.resolve("var/lib/prometheus/01HZBLOCK");
        Files.createDirectories(tsdb);
        Files.writeString(tsdb.resolve("meta.json"), "{\"ulid\":\"01HZBLOCK\"}");
        String instance = instance();

        Result first = dataVolume(instance, Map.of(), "cat " + root.resolve("var/lib/prometheus/01HZBLOCK/meta.json")
                + " && mountpoint -q " + root.resolve("var/lib/grafana") + " && echo GRAFANA_MOUNTED");
        assertThat(first.exit()).as(first.output()).isZero();
        assertThat(first.output()).contains("is blank: creating an ext4 file system labelled o11y-data",
                "moving " + root.resolve("var/lib/prometheus") + " onto the data volume", "{\"ulid\":\"01HZBLOCK\"}", "GRAFANA_MOUNTED");
        // 0.1 had started its services from the root volume: stopped before anything is copied.
        assertThat(Files.readAllLines(systemctlLog)).containsExactly("stop prometheus grafana alertmanager");
        // No blocks reserved for root: the TSDB's size limit counts on the whole volume.
        assertThat(run(List.of("tune2fs", "-l", loop), Map.of()).ok()).containsPattern("Reserved block count: +0\n");
        assertThat(attachedTo()).isEqualTo(instance);
        assertThat(blkid("TYPE")).isEqualTo("ext4");
        assertThat(blkid("LABEL")).isEqualTo("o11y-data");
        String uuid = blkid("UUID");
        // The root volume's copy is gone; the data is on the volume (outside the namespace nothing is mounted).
        assertThat(Files.list(root.resolve("var/lib/prometheus")).toList()).isEmpty();
        List<String> fstab = Files.readAllLines(root.resolve("etc/fstab"));
        assertThat(fstab).containsExactly(
                "UUID=" + uuid + " /var/lib/o11y ext4 defaults,nofail,x-systemd.device-timeout=300 0 2",
                "/var/lib/o11y/prometheus /var/lib/prometheus none bind,nofail,x-systemd.requires-mounts-for=/var/lib/o11y 0 0",
                "/var/lib/o11y/grafana /var/lib/grafana none bind,nofail,x-systemd.requires-mounts-for=/var/lib/o11y 0 0",
                "/var/lib/o11y/alertmanager /var/lib/alertmanager none bind,nofail,x-systemd.requires-mounts-for=/var/lib/o11y 0 0");

        // The next boot: the same volume, attached already, holding a file system: mounted, never formatted.
        Result again = dataVolume(instance, Map.of(), "cat " + root.resolve("var/lib/prometheus/01HZBLOCK/meta.json"));
        assertThat(again.exit()).as(again.output()).isZero();
        assertThat(again.output()).doesNotContain("blank", "moving").contains("{\"ulid\":\"01HZBLOCK\"}");
        assertThat(blkid("UUID")).isEqualTo(uuid);
        assertThat(Files.readAllLines(root.resolve("etc/fstab"))).isEqualTo(fstab);
        assertThat(Files.readAllLines(systemctlLog)).hasSize(1);

        // More retention: CloudFormation makes the volume larger, the next boot grows the file system into it.
        long before = Long.parseLong(dataVolume(instance, Map.of(), "df -Pk " + root.resolve("var/lib/o11y")
                + " | awk 'NR == 2 {print $2}' >&2").output().lines().reduce((a, b) -> b).orElseThrow().strip());
        run(List.of("truncate", "-s", "128M", image.toString()), Map.of()).ok();
        run(List.of("losetup", "--set-capacity", loop), Map.of()).ok();
        Result grown = dataVolume(instance, Map.of(), "df -Pk " + root.resolve("var/lib/o11y") + " | awk 'NR == 2 {print $2}' >&2");
        assertThat(grown.exit()).as(grown.output()).isZero();
        long after = Long.parseLong(grown.output().lines().reduce((a, b) -> b).orElseThrow().strip());
        assertThat(after).isGreaterThan(before * 19 / 10);
        assertThat(blkid("UUID")).isEqualTo(uuid);
    }

    @Test
    void aMoveCutShortIsStartedOverNotNestedAndFilesOfAnotherInstancesUsersGetTheirFoldersUser() throws Exception {
        // The first boot formatted the volume and died while copying (a reboot, a full disk).
        run(List.of("mkfs.ext4", "-q", "-m", "0", "-L", "o11y-data", loop), Map.of()).ok();
        Path mnt = Files.createDirectories(dir.resolve("mnt-" + volume));
        run(List.of("unshare", "--mount", "--propagation", "private", "bash", "-c", "mount \"$0\" \"$1\" && mkdir -p \"$1/prometheus.moving/01HZBLOCK\" "
                + "&& echo partial > \"$1/prometheus.moving/01HZBLOCK/chunks\" && mkdir -p \"$1/grafana\" && echo db > \"$1/grafana/grafana.db\" "
                + "&& chown -R 4242:4242 \"$1/grafana\"", loop, mnt.toString()), Map.of()).ok();
        Path tsdb = root.resolve("var/lib/prometheus/01HZBLOCK");
        Files.createDirectories(tsdb);
        Files.writeString(tsdb.resolve("chunks"), "whole");
        Result r = dataVolume(instance(), Map.of(), "find " + root.resolve("var/lib/prometheus") + " -type f | sort >&2 && cat "
                + root.resolve("var/lib/prometheus/01HZBLOCK/chunks") + " && stat -c '%U' " + root.resolve("var/lib/grafana/grafana.db"));
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains(root.resolve("var/lib/prometheus/01HZBLOCK/chunks").toString(), "whole",
                "giving " + root.resolve("var/lib/grafana") + " to daemon").doesNotContain("prometheus/prometheus", "partial", "blank");
        assertThat(r.output().strip()).endsWith("daemon");
    }

    @Test
    void dataThatDoesNotFitStaysOnTheRootVolumeWithItsServicesStartedAgain() throws Exception {
        Path tsdb = root.resolve("var/lib/prometheus/01HZBLOCK");
        Files.createDirectories(tsdb);
        run(List.of("truncate", "-s", "100M", tsdb.resolve("chunks").toString()), Map.of()).ok();
        run(List.of("dd", "if=/dev/urandom", "of=" + tsdb.resolve("chunks"), "bs=1M", "count=80", "conv=notrunc"), Map.of()).ok();
        Result r = dataVolume(instance(), Map.of(), "true");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.output()).contains("the data volume has", "KiB free: the data stays on the root volume, where the services start again");
        assertThat(Files.size(tsdb.resolve("chunks"))).isEqualTo(100L << 20);
        assertThat(Files.readAllLines(systemctlLog)).containsExactly("stop prometheus grafana alertmanager",
                "start prometheus grafana alertmanager");
    }

    @Test
    void aNewInstanceWaitsUntilTheOneItReplacesLetsTheVolumeGoThenTakesItWithItsData() throws Exception {
        String old = instance();
        assertThat(dataVolume(old, Map.of(), "echo silence > " + root.resolve("var/lib/alertmanager/nflog")).exit()).isZero();
        String uuid = blkid("UUID");
        // A new AMI: CloudFormation starts the new instance while the old one still holds the volume.
        Path next = Files.createTempDirectory(dir, "next");
        Files.createDirectories(next.resolve("dev/disk/by-id"));
        Files.createDirectories(next.resolve("etc"));
        Files.createSymbolicLink(next.resolve("dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_" + volume.replace("-", "")), Path.of(loop));
        root = next;
        String replacement = instance();
        CompletableFuture<Result> waiting = CompletableFuture.supplyAsync(() -> dataVolume(replacement,
                Map.of("O11Y_ATTACH_POLL_SECONDS", "1"), "cat " + next.resolve("var/lib/alertmanager/nflog")));
        Thread.sleep(4000);
        assertThat(waiting).isNotDone();
        assertThat(attachedTo()).isEqualTo(old);
        // ... then terminates the old one, which releases it.
        aws("ec2", "detach-volume", "--volume-id", volume, "--instance-id", old);
        Result took = waiting.get();
        assertThat(took.exit()).as(took.output()).isZero();
        assertThat(took.output()).contains("attached to " + old + ": waiting for it to be released",
                "attaching " + volume + " to " + replacement, "silence").doesNotContain("blank");
        assertThat(attachedTo()).isEqualTo(replacement);
        assertThat(blkid("UUID")).isEqualTo(uuid);
    }

    @Test
    void aVolumeThatNeverComesFreeStopsTheBootWithTheServicesDown() {
        String holder = instance();
        aws("ec2", "attach-volume", "--volume-id", volume, "--instance-id", holder, "--device", "/dev/sdf");
        Result r = dataVolume(instance(), Map.of("O11Y_ATTACH_POLL_SECONDS", "1", "O11Y_ATTACH_TIMEOUT_SECONDS", "2"), "true");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.output()).contains("is not attached to i-", "after 2 s: the services stay down until it is");
        assertThat(blkid("TYPE")).isEmpty();
        assertThat(root.resolve("etc/fstab")).doesNotExist();
    }

    @Test
    void aVolumeHoldingAnythingButExt4IsRefusedAndLeftAsItIs() {
        run(List.of("mkswap", "-L", "not-ours", loop), Map.of()).ok();
        Result r = dataVolume(instance(), Map.of(), "true");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.output()).contains("holds swap, not the ext4 file system of an o11y-cdk host: refusing to touch it")
                .doesNotContain("creating");
        assertThat(blkid("TYPE")).isEqualTo("swap");
        assertThat(blkid("LABEL")).isEqualTo("not-ours");
    }

    // ---------------------------------------------------------------------------------------------

    /** The script, then {@code check} in the same mount namespace (its mounts vanish with it). */
    private Result dataVolume(String instance, Map<String, String> more, String check) {
        Map<String, String> env = new LinkedHashMap<>(awsEnv);
        env.put("O11Y_ROOT", root.toString());
        env.put("PATH", systemctlLog.getParent() + ":" + System.getenv("PATH"));
        // This machine has none of the service users: daemon stands in for each.
        env.put("O11Y_DATA_OWNERS", "prometheus:daemon grafana:daemon alertmanager:daemon");
        env.putAll(more);
        Path script = dir.resolve("o11y-data-volume");
        try {
            if (!Files.exists(script)) {
                Files.writeString(script, SCRIPT);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return run(List.of("unshare", "--mount", "--propagation", "private", "bash", "-c",
                "bash \"$0\" \"$1\" \"$2\" \"$3\" && " + check, script.toString(), REGION, volume, instance), env);
    }

    private String instance() {
        return aws("ec2", "run-instances", "--image-id", ami, "--count", "1", "--placement", "AvailabilityZone=" + REGION + "a",
                "--query", "Instances[0].InstanceId");
    }

    private String attachedTo() {
        return aws("ec2", "describe-volumes", "--volume-ids", volume, "--query", "Volumes[0].Attachments[0].InstanceId");
    }

    private String blkid(String tag) {
        return run(List.of("blkid", "-p", "-o", "value", "-s", tag, loop), Map.of()).output().strip();
    }

    private static String aws(String... args) {
        List<String> cmd = new ArrayList<>(List.of(aws, "--region", REGION, "--output", "text"));
        cmd.addAll(List.of(args));
        return run(cmd, awsEnv).ok().strip();
    }

    record Result(int exit, String output) {
        String ok() {
            assertThat(exit).as(output).isZero();
            return output;
        }
    }

    private static Result run(List<String> command, Map<String, String> env) {
        Tools.Result r = Tools.run(command, dir, env, 120);
        return new Result(r.exitCode(), r.output());
    }

    private static String script() {
        try (InputStream in = ObservabilityInstance.class.getResourceAsStream("o11y-data-volume.sh")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
