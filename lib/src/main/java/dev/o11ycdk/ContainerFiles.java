package dev.o11ycdk;

import dev.o11ycdk.config.Check;
import dev.o11ycdk.host.HostBootstrapScript;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Delivers rendered configuration files to a stock container image without building one: each file
 * travels in an environment variable of the task definition (so a change is a new revision that
 * {@code cdk deploy} rolls out) and a small {@code /bin/sh} entrypoint writes it before exec'ing the
 * real process. Secrets arrive through ECS {@code secrets} and are written to mode-0600 files.
 */
final class ContainerFiles {
    private final Map<String, String> files = new LinkedHashMap<>();
    private final Map<String, String> secretFiles = new LinkedHashMap<>();

    ContainerFiles file(String path, String content) {
        Check.urlPath("container file", path);
        files.put(path, content);
        return this;
    }

    /** Writes the value of the ECS secret exposed as {@code envName} to {@code path}, then unsets it. */
    ContainerFiles secretFile(String envName, String path) {
        secretFiles.put(envName, Check.urlPath("container secret file", path));
        return this;
    }

    Map<String, String> files() {
        return Map.copyOf(files);
    }

    /** Environment variables carrying the file contents. */
    Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        int i = 0;
        for (String content : files.values()) {
            env.put(varName(i++), content);
        }
        return env;
    }

    /**
     * The {@code sh -c} script: write every file, then exec {@code command}. Variables are written
     * {@code $NAME}, never with braces, which CloudFormation validation reads as an embedded parameter.
     */
    String entrypointScript(List<String> command) {
        List<String> lines = new ArrayList<>();
        lines.add("set -eu");
        List<String> dirs = new ArrayList<>();
        files.keySet().forEach(p -> addDir(dirs, p));
        secretFiles.values().forEach(p -> addDir(dirs, p));
        if (!dirs.isEmpty()) {
            lines.add("mkdir -p " + String.join(" ", dirs.stream().map(HostBootstrapScript::shellQuote).toList()));
        }
        int i = 0;
        List<String> unset = new ArrayList<>();
        for (String path : files.keySet()) {
            String v = varName(i++);
            lines.add("printf '%s\\n' \"$" + v + "\" > " + HostBootstrapScript.shellQuote(path));
            unset.add(v);
        }
        for (Map.Entry<String, String> s : secretFiles.entrySet()) {
            lines.add("(umask 077; printf '%s' \"$" + s.getKey() + "\" > " + HostBootstrapScript.shellQuote(s.getValue()) + ")");
            unset.add(s.getKey());
        }
        if (!unset.isEmpty()) {
            lines.add("unset " + String.join(" ", unset));
        }
        lines.add("exec " + String.join(" ", command.stream().map(HostBootstrapScript::shellQuote).toList()));
        return String.join("\n", lines) + "\n";
    }

    private static void addDir(List<String> dirs, String path) {
        String dir = path.substring(0, path.lastIndexOf('/'));
        if (!dir.isEmpty() && !dirs.contains(dir)) {
            dirs.add(dir);
        }
    }

    private static String varName(int i) {
        return "O11Y_FILE_" + i;
    }
}
