package dev.o11ycdk.host;

import dev.o11ycdk.config.Check;
import dev.o11ycdk.config.Shell;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders the instance's bash bootstrap, its user data: system users, the data volume, secrets,
 * then cfn-init, which brings the configuration and releases ({@link HostConfiguration}). It runs on
 * every boot, so every step is idempotent; it holds nothing a configuration change touches, so such
 * a change never alters the user data (which would stop and start the host).
 */
public final class HostBootstrapScript {
    private static final String EOF_MARK = "O11Y_CDK_EOF";
    /** The shell function that writes a secret to a file; tests call it by this name. */
    public static final String FETCH_SECRET = "fetch_secret";

    private final List<String> lines = new ArrayList<>();
    private final Map<String, String> files = new LinkedHashMap<>();

    public HostBootstrapScript() {
        lines.add("#!/bin/bash");
        lines.add("# o11y-cdk host bootstrap: users, the data volume, secrets, then cfn-init for the configuration.");
        lines.add("# Idempotent; cloud-init runs it on every boot.");
        lines.add("set -euo pipefail");
        lines.add("umask 022");
        lines.add("");
        lines.add("# write_file PATH OWNER MODE < base64(gzip(content)): EC2 caps user data at 16 KB, so files travel compressed.");
        lines.add("write_file() {");
        lines.add("  local path=\"$1\" owner=\"$2\" mode=\"$3\"");
        lines.add("  base64 -d | gunzip > \"${path}\"");
        lines.add("  chown \"${owner}:${owner}\" \"${path}\"");
        lines.add("  chmod \"${mode}\" \"${path}\"");
        lines.add("}");
        lines.add("");
        lines.add("# fetch_secret REGION SECRET_ID PATH OWNER: a Secrets Manager secret's string into a 0600 file of OWNER.");
        lines.add("# Every failure returns 1 (also where errexit is off, as in 'fetch_secret ... || warn') and leaves PATH");
        lines.add("# as it was: a failed call never writes an empty secret over a good one.");
        lines.add(FETCH_SECRET + "() {");
        lines.add("  local region=\"$1\" secret_id=\"$2\" path=\"$3\" owner=\"$4\" value tmp");
        lines.add("  value=\"$(aws secretsmanager get-secret-value --region \"${region}\" --secret-id \"${secret_id}\" \\");
        lines.add("    --query SecretString --output text)\" || return 1");
        lines.add("  [ -n \"${value}\" ] || return 1");
        lines.add("  tmp=\"$(mktemp \"${path}.XXXXXX\")\" || return 1");
        // printf is a builtin: the value never shows in a process list.
        lines.add("  if ! printf '%s' \"${value}\" > \"${tmp}\" || ! chown \"${owner}:${owner}\" \"${tmp}\" || ! chmod 0600 \"${tmp}\" \\");
        lines.add("      || ! mv -f \"${tmp}\" \"${path}\"; then");
        lines.add("    rm -f \"${tmp}\"");
        lines.add("    return 1");
        lines.add("  fi");
        lines.add("}");
        lines.add("");
    }

    /**
     * Creates a system user with no login shell and no home, as seed 002 does for prometheus, with a
     * fixed user and group id, so files on a volume that moves to another instance
     * (another AMI, which may number its system users otherwise) keep their owner. A user that
     * exists already keeps its id.
     */
    public HostBootstrapScript systemUser(String user, int id) {
        requireSafeWord("user", user);
        Check.range(user + " id", id, 1000, 59999);
        lines.add("getent group " + user + " >/dev/null 2>&1 || groupadd --system --gid " + id + " " + user);
        lines.add("id -u " + user + " >/dev/null 2>&1 || useradd --system --uid " + id + " --gid " + user
                + " --no-create-home --shell /sbin/nologin " + user);
        return this;
    }

    public HostBootstrapScript directory(String path, String owner, String mode) {
        requireSafeWord("owner", owner);
        lines.add("install -d -o " + owner + " -g " + owner + " -m " + mode + " " + path);
        return this;
    }

    /** Writes {@code content} verbatim (quoted heredoc: no shell expansion). */
    public HostBootstrapScript file(String path, String content, String owner, String mode) {
        if (content.lines().anyMatch(EOF_MARK::equals)) {
            throw Check.bad("file " + path, EOF_MARK, "content must not contain the heredoc delimiter line");
        }
        requireSafeWord("owner", owner);
        if (!path.matches("/[A-Za-z0-9_./-]+") || !mode.matches("0[0-7]{3}")) {
            throw Check.bad("file " + path, mode, "paths are absolute without spaces, modes four octal digits");
        }
        files.put(path, content);
        lines.add("write_file " + path + " " + owner + " " + mode + " <<'" + EOF_MARK + "'");
        lines.add(gzipBase64(content));
        lines.add(EOF_MARK);
        return this;
    }

    public HostBootstrapScript unit(SystemdUnit unit) {
        return file(unit.getPath(), unit.render(), "root", "0644");
    }

    /**
     * Writes the string of the secret {@code secretIdVar} names (a readonly variable of the script)
     * to {@code path}, 0600, owned by {@code owner}. A {@code required} secret stops the script when
     * it cannot be read; an optional one prints {@code warning} to stderr and the script goes on.
     */
    public HostBootstrapScript secretFile(String regionVar, String secretIdVar, String path, String owner, boolean required,
                                          String warning) {
        requireSafeWord("owner", owner);
        if (!regionVar.matches("[A-Z_]+") || !secretIdVar.matches("[A-Z_]+") || !path.matches("/[A-Za-z0-9_./-]+")) {
            throw Check.bad("secret file " + path, secretIdVar, "variables are upper-case names, paths absolute without spaces");
        }
        String call = FETCH_SECRET + " \"${" + regionVar + "}\" \"${" + secretIdVar + "}\" " + path + " " + owner;
        lines.add(required ? call : call + " || echo " + Shell.quote("o11y-cdk: " + warning) + " >&2");
        return this;
    }

    /** A raw, reviewed command line. */
    public HostBootstrapScript command(String line) {
        lines.add(line);
        return this;
    }

    public HostBootstrapScript comment(String text) {
        lines.add("");
        lines.add("# " + text);
        return this;
    }

    /** Files written by the script, path to content, for review and validation. */
    public Map<String, String> getFiles() {
        return Map.copyOf(files);
    }

    public String render() {
        return String.join("\n", lines) + "\n";
    }

    /** gzip then base64 (76-column lines); deterministic: Java's gzip header carries no timestamp. */
    static String gzipBase64(String content) {
        try {
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(bytes)) {
                gz.write(content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            return java.util.Base64.getMimeEncoder(76, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                    .encodeToString(bytes.toByteArray());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void requireSafeWord(String what, String value) {
        if (value == null || !value.matches("[a-z_][a-z0-9_-]*")) {
            throw Check.bad(what, value, "must be a plain lowercase name");
        }
    }
}
