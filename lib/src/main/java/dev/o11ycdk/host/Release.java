package dev.o11ycdk.host;

import dev.o11ycdk.config.Check;
import dev.o11ycdk.core.Versions;
import java.util.regex.Pattern;

/**
 * A pinned upstream release tarball with its SHA-256 per CPU architecture. The bootstrap script
 * refuses to unpack a download whose digest differs.
 *
 * @param name        short name, also the install directory under /opt
 * @param version     exact version, e.g. 3.13.2
 * @param urlTemplate download URL with {version} and {arch} (amd64 or arm64) placeholders
 */
public record Release(String name, String version, String urlTemplate, String sha256Amd64, String sha256Arm64) {
    private static final Pattern VERSION = Pattern.compile("\\d+\\.\\d+\\.\\d+");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    public Release {
        Check.notBlank("release name", name);
        if (version == null || !VERSION.matcher(version).matches()) {
            throw Check.bad(name + "Version", version, "must be an exact version such as 1.2.3 (no ranges, no 'latest')");
        }
        checkSha(name + "Sha256Amd64", sha256Amd64);
        checkSha(name + "Sha256Arm64", sha256Arm64);
        Check.notBlank("release url", urlTemplate);
        if (!urlTemplate.startsWith("https://")) {
            throw Check.bad(name + " url", urlTemplate, "downloads must use https");
        }
    }

    private static void checkSha(String setting, String sha) {
        if (sha != null && !SHA256.matcher(sha).matches()) {
            throw Check.bad(setting, sha, "must be 64 lowercase hex digits (sha256sum output)");
        }
    }

    public String url(Arch arch) {
        return urlTemplate.replace("{version}", version).replace("{arch}", arch.goArch);
    }

    public String sha256(Arch arch) {
        String sha = arch == Arch.ARM64 ? sha256Arm64 : sha256Amd64;
        if (sha == null) {
            throw Check.bad(name + "Sha256" + (arch == Arch.ARM64 ? "Arm64" : "Amd64"), null,
                    "no checksum for " + name + " " + version + " on " + arch.goArch
                            + "; take it from the release's sha256sums.txt");
        }
        return sha;
    }

    /** Same release line, other version: both checksums must be given again. */
    public Release withVersion(String newVersion, String newSha256Amd64, String newSha256Arm64) {
        if (newVersion.equals(version) && newSha256Amd64 == null && newSha256Arm64 == null) {
            return this;
        }
        if (newSha256Amd64 == null && newSha256Arm64 == null) {
            throw Check.bad(name + "Version", newVersion,
                    "a version other than the pinned " + version + " needs its checksum (" + name + "Sha256Amd64 or "
                            + name + "Sha256Arm64)");
        }
        return new Release(name, newVersion, urlTemplate, newSha256Amd64, newSha256Arm64);
    }

    /** Target CPU architecture, as Go release archives name it. */
    public enum Arch {
        AMD64("amd64"), ARM64("arm64");

        private final String goArch;

        Arch(String goArch) {
            this.goArch = goArch;
        }

        public String goArch() {
            return goArch;
        }
    }

    // Each digest is upstream's sha256sums.txt (Grafana: dl.grafana.com's <tarball>.sha256) as two
    // independent public manifests that verify the same tarball copy it; README, "Pinned releases",
    // names them. A new pin needs both digests from two such places.

    /**
     * Prometheus 3.13.2, of the 3.13 long-term-support line (fixes until 2027-07-31). Digests as
     * tianon/dockerfiles {@code prometheus/versions.json} (6c7eff1) and
     * dbett4/hermes-enterprise-deployment-lab {@code scripts/prometheus_asset_pins.py} record them.
     */
    public static Release prometheus() {
        return new Release("prometheus", Versions.PROMETHEUS,
                "https://github.com/prometheus/prometheus/releases/download/v{version}/prometheus-{version}.linux-{arch}.tar.gz",
                "0e8c4d46101bd025ea8265e377d2caabc57f488fc1be1c367f37db69ea41be6f",
                "7cecb17a6f41d59814e1a0581a1f81f79051ad5973d1ecf39e23a9f747d6572a");
    }

    /**
     * node_exporter 1.12.1, the latest release. Digests as tianon/dockerfiles
     * {@code prometheus/node-exporter/versions.json} (267ac22) and enajx/nanoHPC
     * {@code src/nanohpc/deploy.py} (0700116) record them.
     */
    public static Release nodeExporter() {
        return new Release("nodeExporter", Versions.NODE_EXPORTER,
                "https://github.com/prometheus/node_exporter/releases/download/v{version}/node_exporter-{version}.linux-{arch}.tar.gz",
                "b51d8a76aa2a9156a55d501aca6276fae09e262259a5e4e831d2c2222f084e63",
                "ad35b605f9954b9f1ffddf5ba054bdc5a98d790b9eae5291e1eeb83f1ecbd0e7");
    }

    /**
     * Alertmanager 0.34.1, the latest release (the Fargate image tag and the EKS chart's image too).
     * Digests as pgsty/homebrew-infra {@code Formula/alertmanager.rb} (040c1b2) and enajx/nanoHPC
     * {@code src/nanohpc/deploy.py} record them.
     */
    public static Release alertmanager() {
        return new Release("alertmanager", Versions.ALERTMANAGER,
                "https://github.com/prometheus/alertmanager/releases/download/v{version}/alertmanager-{version}.linux-{arch}.tar.gz",
                "265b9d1e55ef0d5306a436018af6d2b686c2ce051f03d968f7464ecb1372a7e8",
                "d98d6cbaf52151c7e76e24355fec88b11cebcb9875d4cdd8b76ddce7a7e5535c");
    }

    /**
     * Grafana OSS 13.2.3 (13.2 has security fixes until 2027-05-18). Digests as enajx/nanoHPC
     * {@code src/nanohpc/deploy.py} (0700116) and yotamleo/Himmel
     * {@code scripts/observability/install-grafana.sh} (dbe17f2) record them; dl.grafana.com still serves
     * the tarball at its oss/release path.
     */
    public static Release grafana() {
        return new Release("grafana", Versions.GRAFANA,
                "https://dl.grafana.com/oss/release/grafana-{version}.linux-{arch}.tar.gz",
                "6107ad27016296aac38e0d7ffa8753ab540b5541ad27e94790f771289d733235",
                "a2a41b960ba4c25e83140484e48813730d3c81891a128439a2a9d2df6eb3840e");
    }
}
