package dev.o11ycdk.test.support;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * The AWS Control Tower proactive controls as cfn-guard rules, with the cfn-guard binary they ship with:
 * npm's {@code @cdklabs/cdk-validator-cfnguard}, pinned, installed globally by .ci/run. Under CI=true a
 * missing or different package fails the test; elsewhere it is skipped and says why.
 *
 * <p>None of these rules reads {@code Metadata.guard.SuppressedRules} (the aws-guard-rules-registry
 * convention; cdklabs/cdk-validator-cfnguard#202): cfn-guard reports a suppressed resource like any
 * other. {@link #unsuppressed} applies the resource's suppressions, and only those that carry a reason.
 */
public final class CfnGuard {
    public static final String PACKAGE = "@cdklabs/cdk-validator-cfnguard";
    public static final String VERSION = "0.0.62";
    public static final String GUARD_VERSION = "3.1.1";
    private static final Pattern PRIMARY_RULE = Pattern.compile("(?m)^rule ([a-z0-9_]+) when ");
    private static final Pattern RESOURCE_PATH = Pattern.compile("^/Resources/([^/]+)(/.*)?$");

    private final Path binary;
    private final Path rules;

    private CfnGuard(Path binary, Path rules) {
        this.binary = binary;
        this.rules = rules;
    }

    /** The installed package, or a CI failure / local skip naming what is missing. */
    public static CfnGuard require() {
        String hint = "npm install -g --legacy-peer-deps " + PACKAGE + "@" + VERSION;
        String npm = Tools.require("npm", "install Node.js");
        Tools.Result root = Tools.run(List.of(npm, "root", "-g"), null, 60);
        Path pkg = Path.of(root.output().lines().filter(l -> l.startsWith("/")).reduce((a, b) -> b).orElse("/nonexistent"))
                .resolve(PACKAGE);
        if (!Files.isRegularFile(pkg.resolve("package.json"))) {
            missing(PACKAGE + " is not installed under `npm root -g` (" + hint + ")");
        }
        String version = readJson(pkg.resolve("package.json")).path("version").asText();
        if (!VERSION.equals(version)) {
            missing(PACKAGE + " is " + version + ", the tests pin " + VERSION + " (" + hint + ")");
        }
        String arch = switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> throw new IllegalStateException("no cfn-guard binary for os.arch " + System.getProperty("os.arch"));
        };
        String os = System.getProperty("os.name").toLowerCase().contains("mac") ? "macos" : "ubuntu";
        Path binary = pkg.resolve("bin").resolve(os).resolve(arch).resolve("cfn-guard");
        Tools.Result v = Tools.run(List.of(binary.toString(), "--version"), null, 60);
        if (v.exitCode() != 0 || !v.output().strip().equals("cfn-guard " + GUARD_VERSION)) {
            missing(binary + " --version said '" + v.output().strip() + "', expected cfn-guard " + GUARD_VERSION);
        }
        return new CfnGuard(binary, pkg.resolve("rules/control-tower/cfn-guard"));
    }

    private static void missing(String msg) {
        if (Tools.onCi()) {
            fail("CI=true and " + msg + ": .ci/run must install it");
        }
        Assumptions.abort("skipped: " + msg);
    }

    public Path rulesDir() {
        return rules;
    }

    /** Every Control Tower rule the package ships: rule name to its file's name, the control (ct-s3-pr-1). */
    public Map<String, String> controls() {
        Map<String, String> all = new TreeMap<>();
        try (Stream<Path> files = Files.walk(rules)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".guard")).toList()) {
                String text = Files.readString(f);
                Set<String> names = new TreeSet<>();
                Matcher m = PRIMARY_RULE.matcher(text);
                while (m.find()) {
                    names.add(m.group(1));
                }
                if (names.size() != 1) {
                    throw new IllegalStateException(f + ": expected one named rule, found " + names);
                }
                all.put(names.iterator().next(), f.getFileName().toString().replaceFirst("\\.guard$", ""));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return all;
    }

    /** What cfn-guard said about one template. */
    public record Report(String template, Set<String> evaluated, List<Finding> findings) {
    }

    /** One non-compliant resource: the rule's name and the resource's logical id ("-" when the rule names none). */
    public record Finding(String rule, String resource) implements Comparable<Finding> {
        @Override
        public int compareTo(Finding o) {
            return toString().compareTo(o.toString());
        }

        @Override
        public String toString() {
            return rule + " on " + resource;
        }
    }

    /** Runs every rule of {@link #rulesDir} (or {@code ruleFiles} when given) over the templates, one process. */
    public List<Report> validate(List<Path> templates, Path... ruleFiles) {
        List<String> cmd = new ArrayList<>(List.of(binary.toString(), "validate"));
        for (Path r : ruleFiles.length == 0 ? new Path[] {rules} : ruleFiles) {
            cmd.addAll(List.of("--rules", r.toString()));
        }
        templates.forEach(t -> cmd.addAll(List.of("--data", t.toString())));
        cmd.addAll(List.of("--output-format", "json", "--show-summary", "none", "--structured"));
        Tools.Result r = Tools.run(cmd, null, 600);
        // 0: all pass; 19: some rule failed. Anything else (5 = bad input, 1 = crash) is not a verdict.
        if (r.exitCode() != 0 && r.exitCode() != 19) {
            fail("cfn-guard exited " + r.exitCode() + ":\n" + r.output());
        }
        JsonNode json;
        try {
            json = new ObjectMapper().readTree(r.output());
        } catch (IOException e) {
            throw new AssertionError("cfn-guard printed no JSON:\n" + r.output(), e);
        }
        List<Report> reports = new ArrayList<>();
        for (JsonNode file : json) {
            Set<String> evaluated = new TreeSet<>();
            Set<Finding> findings = new TreeSet<>();
            file.path("compliant").forEach(n -> evaluated.add(n.asText()));
            file.path("not_applicable").forEach(n -> evaluated.add(n.asText()));
            for (JsonNode nc : file.path("not_compliant")) {
                String rule = nc.path("Rule").path("name").asText();
                evaluated.add(rule);
                Set<String> resources = new TreeSet<>();
                collectResources(nc, resources);
                if (resources.isEmpty()) {
                    resources.add("-");
                }
                resources.forEach(res -> findings.add(new Finding(rule, res)));
            }
            reports.add(new Report(file.path("name").asText(), evaluated, List.copyOf(findings)));
        }
        return reports;
    }

    /** The logical ids under a failed rule: its tree holds only failing clauses, each naming the offending path. */
    private static void collectResources(JsonNode node, Set<String> into) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if (e.getKey().equals("path") && e.getValue().isTextual()) {
                    Matcher m = RESOURCE_PATH.matcher(e.getValue().asText());
                    if (m.matches()) {
                        into.add(m.group(1));
                    }
                } else {
                    collectResources(e.getValue(), into);
                }
            });
        } else if (node.isArray()) {
            node.forEach(n -> collectResources(n, into));
        }
    }

    /**
     * The findings a resource does not suppress. A suppression counts only when the resource's
     * {@code Metadata.guard} lists the rule in {@code SuppressedRules} and gives it a reason in {@code Reasons}.
     */
    @SuppressWarnings("unchecked")
    public static List<Finding> unsuppressed(Map<String, Object> template, List<Finding> findings) {
        Map<String, Object> resources = Cfn.resources(template);
        return findings.stream().filter(f -> {
            Object r = resources.get(f.resource());
            if (!(r instanceof Map<?, ?> res) || !(res.get("Metadata") instanceof Map<?, ?> meta)
                    || !(meta.get("guard") instanceof Map<?, ?> guard)) {
                return true;
            }
            List<Object> suppressed = guard.get("SuppressedRules") instanceof List<?> l ? (List<Object>) l : List.of();
            Map<String, Object> reasons = guard.get("Reasons") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
            return !(suppressed.contains(f.rule()) && reasons.get(f.rule()) instanceof String s && !s.isBlank());
        }).toList();
    }

    /** Every (rule, resource) the template's {@code Metadata.guard} suppresses or gives a reason for, with the reason (null when none). */
    @SuppressWarnings("unchecked")
    public static Map<Finding, String> suppressions(Map<String, Object> template) {
        Map<Finding, String> all = new TreeMap<>();
        Cfn.resources(template).forEach((id, r) -> {
            Object meta = ((Map<String, Object>) r).get("Metadata");
            if (meta instanceof Map<?, ?> m && m.get("guard") instanceof Map<?, ?> guard) {
                List<Object> suppressed = guard.get("SuppressedRules") instanceof List<?> l ? (List<Object>) l : List.of();
                Map<String, Object> reasons = guard.get("Reasons") instanceof Map<?, ?> rs ? (Map<String, Object>) rs : Map.of();
                Set<String> rules = new TreeSet<>(reasons.keySet());
                suppressed.forEach(x -> rules.add(String.valueOf(x)));
                for (String rule : rules) {
                    Object reason = reasons.get(rule);
                    all.put(new Finding(rule, id), suppressed.contains(rule) && reason instanceof String s ? s : null);
                }
            }
        });
        return all;
    }

    private static JsonNode readJson(Path file) {
        try {
            return new ObjectMapper().readTree(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
