package dev.o11ycdk.host;

import dev.o11ycdk.config.Check;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.services.ec2.CloudFormationInit;
import software.amazon.awscdk.services.ec2.ConfigSetProps;
import software.amazon.awscdk.services.ec2.InitCommand;
import software.amazon.awscdk.services.ec2.InitCommandOptions;
import software.amazon.awscdk.services.ec2.InitConfig;
import software.amazon.awscdk.services.ec2.InitElement;
import software.amazon.awscdk.services.ec2.InitFile;
import software.amazon.awscdk.services.ec2.InitFileOptions;

/**
 * The host's configuration and releases as CloudFormation metadata ({@code AWS::CloudFormation::Init}
 * on the instance), so a change to them is no change to the user data and no stop/start. cfn-init
 * runs the config set {@value #CONFIG_SET} at boot and cfn-hup on every change of the metadata: it
 * clears {@value #STAGED}, writes every file there under its path on the host (and the
 * {@code releases} list), then {@value #APPLY} checks the staged files with promtool and amtool,
 * installs what changed and reloads or restarts only the daemons whose files changed.
 */
public final class HostConfiguration {
    /** The config set cfn-init runs. */
    public static final String CONFIG_SET = "o11y";
    /** Where cfn-init stages the files, each under its path on the host. */
    public static final String STAGED = "/etc/o11y-cdk/staged";
    /** The script that checks and installs them. */
    public static final String APPLY = "/usr/local/sbin/o11y-apply";

    private record StagedFile(String content, String owner, String mode) {
    }

    private final Map<String, StagedFile> files = new LinkedHashMap<>();
    private final List<String> releases = new ArrayList<>();

    /** {@code content} to install at {@code path} (absolute, no spaces) with {@code owner} and {@code mode} (four octal digits). */
    public HostConfiguration file(String path, String content, String owner, String mode) {
        if (!path.matches("/[A-Za-z0-9_./-]+") || path.contains("..") || !mode.matches("0[0-7]{3}") || !owner.matches("[a-z_][a-z0-9_-]*")) {
            throw Check.bad("file " + path, mode, "paths are absolute without spaces or '..', modes four octal digits, owners plain names");
        }
        files.put(path, new StagedFile(content, owner, mode));
        return this;
    }

    public HostConfiguration unit(SystemdUnit unit) {
        return file(unit.getPath(), unit.render(), "root", "0644");
    }

    /** A release to unpack into {@code dest} (checksummed); a new one restarts {@code service}. */
    public HostConfiguration release(Release release, Release.Arch arch, String dest, String service) {
        releases.add(String.join(" ", release.name(), release.version(), release.url(arch), release.sha256(arch), dest, service));
        return this;
    }

    /** Every file, path on the host to content. */
    public Map<String, String> getFiles() {
        Map<String, String> out = new LinkedHashMap<>();
        files.forEach((path, f) -> out.put(path, f.content()));
        return out;
    }

    /** The {@code releases} list o11y-apply reads: name version url sha256 dest service, one per line. */
    public String getReleases() {
        return String.join("\n", releases) + "\n";
    }

    /**
     * The cfn-init configuration: the config set {@value #CONFIG_SET} of {@code clean} (the staged
     * folder emptied, so a file taken out of the app is gone), {@code stage} (every file, the
     * releases, o11y-apply itself and {@code extra}: cfn-hup's files, written in place; then
     * {@code afterStage}: cfn-hup started, so a first apply that fails still leaves the host
     * listening for the next change) and {@code apply}.
     */
    public CloudFormationInit toInit(List<InitElement> extra, List<InitElement> afterStage) {
        List<InitElement> stage = new ArrayList<>();
        files.forEach((path, f) -> stage.add(InitFile.fromString(STAGED + path, f.content(), options(f.owner(), f.mode()))));
        stage.add(InitFile.fromString(STAGED + "/releases", getReleases(), options("root", "0644")));
        stage.add(InitFile.fromString(APPLY, script("o11y-apply.sh"), options("root", "0755")));
        stage.addAll(extra);
        stage.addAll(afterStage);
        List<InitElement> apply = new ArrayList<>();
        apply.add(InitCommand.shellCommand(APPLY, InitCommandOptions.builder().key("10-apply").build()));
        return CloudFormationInit.fromConfigSets(ConfigSetProps.builder()
                .configSets(Map.of(CONFIG_SET, List.of("clean", "stage", "apply")))
                .configs(Map.of(
                        "clean", new InitConfig(List.of(InitCommand.shellCommand("rm -rf " + STAGED,
                                InitCommandOptions.builder().key("10-clean").build()))),
                        "stage", new InitConfig(stage),
                        "apply", new InitConfig(apply)))
                .build());
    }

    /** cfn-init writes modes as six octal digits. */
    static InitFileOptions options(String owner, String mode) {
        return InitFileOptions.builder().owner(owner).group(owner).mode("00" + mode).build();
    }

    private static final Map<String, String> SCRIPTS = new java.util.concurrent.ConcurrentHashMap<>();

    /** A script shipped with the library ({@code dev/o11ycdk/host/NAME}), read once. */
    static String script(String name) {
        return SCRIPTS.computeIfAbsent(name, HostConfiguration::read);
    }

    private static String read(String name) {
        try (InputStream in = HostConfiguration.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the library jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
