package dev.o11ycdk.fargate;

import dev.o11ycdk.config.Check;
import dev.o11ycdk.config.Shell;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Delivers rendered configuration files to a stock container image without building one: each file
 * travels in an environment variable of the task definition (so a change is a new revision that
 * {@code cdk deploy} rolls out) and a small {@code /bin/sh} entrypoint writes it before exec'ing the
 * real process. Secrets arrive through ECS {@code secrets} and are written to mode-0600 files.
 *
 * <p>The container's root file system is read-only, so the files go under one {@link #root}
 * directory on a volume the container's user may write (the owning construct picks it and
 * {@link FargateComponent} checks it is inside a read-write mount). The entrypoint empties the root
 * and writes every file afresh at each start: a file this revision no longer renders (a dashboard
 * taken out) does not survive on a persistent volume. A process that reads its one file once may
 * take it on standard input instead ({@link #stdin}) and needs no writable directory at all.
 */
final class ContainerFiles {
    /** Where a process finds the content given to {@link #stdin}. */
    static final String STDIN = "/dev/stdin";
    private static final String STDIN_DELIMITER = "O11Y_STDIN";

    private String root;
    private final Map<String, String> files = new LinkedHashMap<>();
    private final Map<String, String> secretFiles = new LinkedHashMap<>();
    private final List<String> dirs = new ArrayList<>();
    private String stdinName;
    private String stdinContent;
    private String taskBase;
    private final Map<String, String> taskExports = new LinkedHashMap<>();
    private final Map<String, String> exports = new LinkedHashMap<>();

    /** The directory every file goes under, emptied at each start. It must not be a volume's own root. */
    ContainerFiles root(String dir) {
        Check.urlPath("container files root", dir);
        if (dir.endsWith("/") || dir.indexOf('/', 1) < 0) {
            throw new IllegalArgumentException("container files root = \"" + dir + "\": must be a subdirectory such as /data/o11y, "
                    + "as the entrypoint empties it at each start");
        }
        this.root = dir;
        return this;
    }

    String root() {
        return root;
    }

    /**
     * Besides the root, whose files every task writes alike, a directory of each task's own,
     * {@code <base>/<hostname>} (on Fargate the task's private IP name, unique among running tasks),
     * for what the process writes as it runs, so tasks sharing one volume never write each other's;
     * {@code envName} is exported as it ({@code subdir} empty) or as its {@code subdir}. A new task
     * leaves its predecessor's directory behind.
     */
    ContainerFiles taskDirectory(String base, String envName, String subdir) {
        Check.urlPath("container task directory", base);
        if (taskBase != null && !taskBase.equals(base)) {
            throw new IllegalArgumentException("one task directory base a container: " + taskBase + ", not also " + base);
        }
        this.taskBase = base;
        taskExports.put(envName, subdir);
        return this;
    }

    /** Exports {@code envName} as {@code path} (under the root) before the process starts. */
    ContainerFiles export(String envName, String path) {
        exports.put(envName, path.equals(root) ? path : underRoot("container export", path));
        return this;
    }

    ContainerFiles file(String path, String content) {
        files.put(underRoot("container file", path), content);
        return this;
    }

    /** Writes the value of the ECS secret exposed as {@code envName} to {@code path}, then unsets it. */
    ContainerFiles secretFile(String envName, String path) {
        secretFiles.put(envName, underRoot("container secret file", path));
        return this;
    }

    /** An empty directory the process may write in (for instance its TMPDIR). */
    ContainerFiles dir(String path) {
        dirs.add(underRoot("container directory", path));
        return this;
    }

    /**
     * Hands {@code content} to the process on standard input ({@link #STDIN}) through a here-document:
     * no file is written. For a process that reads its one file once, at start; {@code name} is
     * what reviewers see in {@code cdk.out}.
     */
    ContainerFiles stdin(String name, String content) {
        this.stdinName = name;
        this.stdinContent = content;
        return this;
    }

    private String underRoot(String what, String path) {
        Check.urlPath(what, path);
        if (root == null || !path.startsWith(root + "/")) {
            throw new IllegalArgumentException(what + " = \"" + path + "\": must be under the container files root " + root);
        }
        return path;
    }

    /** Every file the entrypoint writes (by absolute path), and the standard input under its name. */
    Map<String, String> files() {
        Map<String, String> all = new LinkedHashMap<>(files);
        if (stdinContent != null) {
            all.put(stdinName, stdinContent);
        }
        return all;
    }

    /** Whether the entrypoint writes anything (so needs its root on a writable volume). */
    boolean writes() {
        return !files.isEmpty() || !secretFiles.isEmpty() || !dirs.isEmpty();
    }

    /** Environment variables carrying the file contents. */
    Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        int i = 0;
        for (String content : files.values()) {
            env.put(varName(i++), content);
        }
        if (stdinContent != null) {
            env.put(varName(i), stdinContent);
        }
        return env;
    }

    /**
     * The {@code sh -c} script: empty the root, write every file, then exec {@code command}.
     * Variables are written {@code $NAME}, never with braces, which CloudFormation validation reads
     * as an embedded parameter.
     */
    String entrypointScript(List<String> command) {
        List<String> lines = new ArrayList<>();
        lines.add("set -eu");
        if (writes()) {
            List<String> mkdirs = new ArrayList<>(List.of(root));
            files.keySet().forEach(p -> addDir(mkdirs, p));
            secretFiles.values().forEach(p -> addDir(mkdirs, p));
            dirs.forEach(d -> {
                if (!mkdirs.contains(d)) {
                    mkdirs.add(d);
                }
            });
            lines.add("rm -rf " + path(root));
            lines.add("mkdir -p " + String.join(" ", mkdirs.stream().map(this::path).toList()));
        }
        int i = 0;
        List<String> unset = new ArrayList<>();
        for (String path : files.keySet()) {
            String v = varName(i++);
            lines.add("printf '%s\\n' \"$" + v + "\" > " + path(path));
            unset.add(v);
        }
        for (Map.Entry<String, String> s : secretFiles.entrySet()) {
            lines.add("(umask 077; printf '%s' \"$" + s.getKey() + "\" > " + path(s.getValue()) + ")");
            unset.add(s.getKey());
        }
        if (stdinContent != null) {
            // The shell's own standard input becomes the document (the expanded value is not expanded
            // again), the variable leaves the environment, and exec hands the descriptor on.
            String v = varName(i);
            lines.add("exec 0<<" + STDIN_DELIMITER);
            lines.add("$" + v);
            lines.add(STDIN_DELIMITER);
            unset.add(v);
        }
        if (!unset.isEmpty()) {
            lines.add("unset " + String.join(" ", unset));
        }
        exports.forEach((env, p) -> lines.add("export " + env + "=" + path(p)));
        if (taskBase != null) {
            lines.add("O11Y_TASK=" + Shell.quote(taskBase) + "/\"$(hostname)\"");
            lines.add("mkdir -p " + String.join(" ", taskExports.values().stream().distinct().map(ContainerFiles::inTask).toList()));
            taskExports.forEach((env, sub) -> lines.add("export " + env + "=" + inTask(sub)));
        }
        lines.add("exec " + String.join(" ", command.stream().map(Shell::quote).toList()));
        return String.join("\n", lines) + "\n";
    }

    /** A path as the script writes it, quoted. */
    private String path(String p) {
        return Shell.quote(p);
    }

    /** The task's own directory, or its {@code sub}directory, as the script writes it. */
    private static String inTask(String sub) {
        return "\"$O11Y_TASK\"" + (sub.isEmpty() ? "" : Shell.quote("/" + sub));
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
