package dev.o11ycdk.host;

import dev.o11ycdk.config.Check;
import java.util.regex.Pattern;

/**
 * A pinned upstream release tarball with its SHA-256 per CPU architecture. The bootstrap script
 * refuses to unpack a download whose digest differs.
 *
 * @param name        short name, also the install directory under /opt
 * @param version     exact version, e.g. 2.51.1
 * @param urlTemplate download URL with {version} and {arch} (amd64 or arm64) placeholders
 */
public record Release(String name, String version, String urlTemplate, String sha256Amd64, String sha256Arm64) {
    private static final Pattern VERSION = Pattern.compile("\\d+\\.\\d+\\.\\d+");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    public Release {
        Check.notBlank("release name", name);
        if (version == null || !VERSION.matcher(version).matches()) {
            throw Check.bad(name + "Version", version, "must be an exact version like 2.51.1 (no ranges, no 'latest')");
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

    // Digests cross-checked against zulip/zulip puppet/zulip/manifests/common.pp, which verifies
    // the same upstream tarballs on every Zulip deploy.

    /** Prometheus 2.51.1. */
    public static Release prometheus() {
        return new Release("prometheus", "2.51.1",
                "https://github.com/prometheus/prometheus/releases/download/v{version}/prometheus-{version}.linux-{arch}.tar.gz",
                "1f933ea7515e3a6e60374ee0bfdb62bc4701c7b12c1dbafe1865c327c6e0e7d2",
                "f281f674f2e7fb726a6066585197780f63bce8455a1773ec498b5be0c8732eb5");
    }

    /** node_exporter 1.7.0. */
    public static Release nodeExporter() {
        return new Release("nodeExporter", "1.7.0",
                "https://github.com/prometheus/node_exporter/releases/download/v{version}/node_exporter-{version}.linux-{arch}.tar.gz",
                "a550cd5c05f760b7934a2d0afad66d2e92e681482f5f57a917465b1fba3b02a6",
                "e386c7b53bc130eaf5e74da28efc6b444857b77df8070537be52678aefd34d96");
    }

    /**
     * Alertmanager 0.27.0 (the Fargate layout's image tag too). Zulip pins no Alertmanager; these
     * digests agree in two independent manifests that verify the same upstream tarballs:
     * openstack/kolla {@code kolla/common/sources.py} (both architectures) and boxcutter/oci
     * {@code prometheus/alertmanager/docker-bake.hcl} (both), amd64 also in a batou deployment.
     */
    public static Release alertmanager() {
        return new Release("alertmanager", "0.27.0",
                "https://github.com/prometheus/alertmanager/releases/download/v{version}/alertmanager-{version}.linux-{arch}.tar.gz",
                "23c3f5a3c73de91dbaec419f3c492bef636deb02680808e5d842e6553aa16074",
                "a754304b682cec61f4bd5cfc029b451a30134554b3a2f21a9c487e12814ff8f3");
    }

    /** Grafana OSS 10.4.2. */
    public static Release grafana() {
        return new Release("grafana", "10.4.2",
                "https://dl.grafana.com/oss/release/grafana-{version}.linux-{arch}.tar.gz",
                "b12b55d4ea266fa298395c82d5f8372f544b386efab28e9d96ebc887aef37560",
                "9ccd91189b540a1e8cde5028136609aa8ad4dd7332e670cb431d1e3fa28d90a4");
    }
}
