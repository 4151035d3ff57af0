package dev.o11ycdk.test.support;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a deploy of one template over another would do to the resources that hold data, read from the
 * two templates alone: pure functions over template JSON, with the create-only properties handed in
 * ({@link CreateOnly}). Three questions, each answered as {@link Finding}s:
 * <ul>
 *   <li>{@link #compare}: which resources the deploy replaces (a create-only property changed, or one
 *       that refers to a replaced resource), deletes (the logical id is gone) or interrupts;</li>
 *   <li>{@link #resolvedAtDeploy}: which replacing property of a resource that holds data takes its
 *       value at deploy time (an SSM parameter, an unversioned {@code {{resolve:ssm:...}}}), so a deploy
 *       of the same template can replace it;</li>
 *   <li>{@link #userDataChanges}: whose user data differs between two syntheses that should leave it alone.</li>
 * </ul>
 * Beyond the schemas, as CloudFormation's documentation says: an instance's {@code BlockDeviceMappings}
 * replace it unless only {@code DeleteOnTermination} changed, its {@code UserData} stops and starts it;
 * a HelmChart's {@code Release}, {@code Namespace} or {@code Chart} reinstall it, deleting its volume claims.
 */
public final class UpgradeCheck {
    public static final String INSTANCE = "AWS::EC2::Instance";
    public static final String LAUNCH_TEMPLATE = "AWS::EC2::LaunchTemplate";
    /** The types whose replacement or deletion loses data; a HelmChart holds data when its values claim volumes. */
    public static final Set<String> DATA_TYPES = Set.of("AWS::EC2::Volume", INSTANCE, "AWS::EFS::FileSystem", "AWS::EFS::AccessPoint",
            "AWS::Logs::LogGroup", "AWS::S3::Bucket", "AWS::KMS::Key", "AWS::SecretsManager::Secret", "AWS::Backup::BackupVault",
            "AWS::EKS::Cluster", "AWS::ECS::Cluster", "AWS::Aps::Workspace", "AWS::RDS::DBCluster", "AWS::RDS::DBInstance");
    private static final List<String> HELM_REINSTALLS = List.of("Release", "Namespace", "Chart");
    private static final String SSM_PARAMETER_TYPE = "AWS::SSM::Parameter::Value<";
    /** {@code {{resolve:ssm:name}}} without {@code :version}: the parameter's latest value at each deploy. */
    private static final Pattern UNVERSIONED_SSM = Pattern.compile("\\{\\{resolve:ssm(?:-secure)?:([^}]*?)(:\\d+)?}}");
    private static final Pattern SUB_REF = Pattern.compile("\\$\\{([^}!.]+)(?:\\.[^}]*)?}");
    /** A shell here-document: its opening line, the delimiter, the body, the closing line. */
    private static final Pattern HERE_DOCUMENT = Pattern.compile("([^\\n]*<<-?'?(\\w+)'?\\n)(.*?)(\\n\\2\\n)", Pattern.DOTALL);
    private static final int SHOWN = 64;

    private UpgradeCheck() {
    }

    public enum Verdict {
        REPLACES_DATA("REPLACED, and it holds data", true),
        DELETES_DATA("DELETED (or replaced under a new id), and it holds data", true),
        RESOLVED_AT_DEPLOY("RESOLVED AT DEPLOY TIME: a new value there replaces a resource that holds data", true),
        CONFIGURATION_CHANGES_USER_DATA("USER DATA CHANGED by a configuration-only setting: a stop/start", true),
        INTERRUPTS("update with some interruption (stop/start)", false),
        REPLACES("replaced, holds no data", false),
        DELETES("deleted (or replaced under a new id), holds no data", false),
        SAME_AS_ASSUMED("the same value, as this scenario assumes", false),
        SAME_REFERENCE("the same reference, its value resolved at deploy time", false);

        private final String text;
        private final boolean fails;

        Verdict(String text, boolean fails) {
            this.text = text;
            this.fails = fails;
        }

        public boolean fails() {
            return fails;
        }

        public String text() {
            return text;
        }
    }

    /** One line of the report: stack, logical id, type, property, old → new (shortened), verdict and why. */
    public record Finding(String stack, String logicalId, String type, String property, String oldValue, String newValue, Verdict verdict,
            String why) {
        public boolean fails() {
            return verdict.fails();
        }

        public String line() {
            return String.format("%s %s %s %s: %s → %s  %s%s", stack, logicalId, type, property, oldValue, newValue, verdict.text(),
                    why.isEmpty() ? "" : " (" + why + ")");
        }
    }

    /**
     * What deploying {@code today} over {@code release} does to every resource of {@code release}.
     * {@code assumed} maps an SSM parameter name to the value the release's deploy resolved it to
     * (the AMI a host runs): a release value that is a Ref to it counts as that value. A null
     * {@code today} is a stack that is gone: every resource of it is deleted.
     */
    public static List<Finding> compare(String stack, Map<String, Object> release, Map<String, Object> today, CreateOnly rules,
            Map<String, String> assumed) {
        Map<String, Map<String, Object>> before = resources(release);
        Map<String, Map<String, Object>> after = resources(today);
        Map<String, String> ssm = ssmParameters(release);
        Map<String, Finding> replaced = new LinkedHashMap<>();
        List<Finding> other = new ArrayList<>();
        for (Map.Entry<String, Map<String, Object>> e : before.entrySet()) {
            String id = e.getKey();
            Map<String, Object> old = e.getValue();
            Map<String, Object> now = after.get(id);
            String type = type(old);
            boolean data = holdsData(old);
            if (now == null) {
                other.add(new Finding(stack, id, type, "(logical id)", id, "(gone)", data ? Verdict.DELETES_DATA : Verdict.DELETES,
                        retained(old) ? "DeletionPolicy Retain keeps it, out of the stack" : ""));
                continue;
            }
            if (!type.equals(type(now))) {
                replaced.put(id, new Finding(stack, id, type, "(type)", type, type(now), data ? Verdict.REPLACES_DATA : Verdict.REPLACES, ""));
                continue;
            }
            Map<String, Object> p0 = properties(old);
            Map<String, Object> p1 = properties(now);
            for (String path : rules.paths(type)) {
                Object v0 = at(p0, path);
                Object v1 = at(p1, path);
                if (Objects.equals(v0, v1)) {
                    if (data && !Collections.disjoint(refs(v1), ssm.keySet())) {
                        other.add(finding(stack, id, type, path, v0, v1, Verdict.SAME_REFERENCE, "SSM parameter "
                                + String.join(", ", ssmRefs(v1, ssm)) + ": the deploy-time check fails on it"));
                    }
                } else if (!assumed.isEmpty() && Objects.equals(substitute(v0, ssm, assumed), v1)) {
                    other.add(finding(stack, id, type, path, v0, v1, Verdict.SAME_AS_ASSUMED, "the release resolved "
                            + String.join(", ", ssmRefs(v0, ssm)) + " to " + Cfn.json(v1) + ", which today's side is set to"));
                } else if (!replaced.containsKey(id)) {
                    replaced.put(id, finding(stack, id, type, path, v0, v1, data ? Verdict.REPLACES_DATA : Verdict.REPLACES, ""));
                }
            }
            documented(stack, id, old, p0, p1, replaced, other);
        }
        cascade(stack, before, after, rules, replaced);
        List<Finding> all = new ArrayList<>(replaced.values());
        all.addAll(other);
        return all;
    }

    /** The documented replacements and interruptions the schemas do not carry. */
    private static void documented(String stack, String id, Map<String, Object> old, Map<String, Object> p0, Map<String, Object> p1,
            Map<String, Finding> replaced, List<Finding> other) {
        String type = type(old);
        boolean data = holdsData(old);
        if (INSTANCE.equals(type)) {
            Object m0 = p0.get("BlockDeviceMappings");
            Object m1 = p1.get("BlockDeviceMappings");
            if (!Objects.equals(withoutDeleteOnTermination(m0), withoutDeleteOnTermination(m1)) && !replaced.containsKey(id)) {
                replaced.put(id, finding(stack, id, type, "BlockDeviceMappings", m0, m1, data ? Verdict.REPLACES_DATA : Verdict.REPLACES,
                        "a change other than DeleteOnTermination replaces the instance"));
            }
            if (!Objects.equals(p0.get("UserData"), p1.get("UserData"))) {
                other.add(userDataFinding(stack, id, type, p0.get("UserData"), p1.get("UserData"), Verdict.INTERRUPTS, ""));
            }
        }
        if (Cfn.HELM_CHART.equals(type)) {
            for (String prop : HELM_REINSTALLS) {
                if (!Objects.equals(p0.get(prop), p1.get(prop)) && !replaced.containsKey(id)) {
                    replaced.put(id, finding(stack, id, type, prop, p0.get(prop), p1.get(prop), data ? Verdict.REPLACES_DATA : Verdict.REPLACES,
                            "reinstalls the chart" + (data ? ", deleting its volume claims" : "")));
                }
            }
        }
    }

    /**
     * A resource whose create-only property refers to a replaced resource gets a new value at deploy
     * time, so it is replaced too (a subnet replaced replaces the instance in it); an instance's
     * LaunchTemplate version is a new number whenever the launch template's data changes.
     */
    private static void cascade(String stack, Map<String, Map<String, Object>> before, Map<String, Map<String, Object>> after,
            CreateOnly rules, Map<String, Finding> replaced) {
        boolean more = true;
        while (more) {
            more = false;
            for (Map.Entry<String, Map<String, Object>> e : before.entrySet()) {
                String id = e.getKey();
                Map<String, Object> now = after.get(id);
                if (replaced.containsKey(id) || now == null) {
                    continue;
                }
                String type = type(now);
                for (String path : paths(type, rules)) {
                    Object v = at(properties(now), path);
                    String cause = refs(v).stream().filter(replaced::containsKey).findFirst().orElse(null);
                    if (cause == null) {
                        cause = newVersionOf(v, before, after);
                    }
                    if (cause != null) {
                        boolean data = holdsData(e.getValue());
                        replaced.put(id, finding(stack, id, type, path, at(properties(e.getValue()), path), v,
                                data ? Verdict.REPLACES_DATA : Verdict.REPLACES, "refers to " + cause + ", which gets a new value at deploy time"));
                        more = true;
                        break;
                    }
                }
            }
        }
    }

    /** The launch template whose LatestVersionNumber {@code v} reads and whose data changes, or null. */
    private static String newVersionOf(Object v, Map<String, Map<String, Object>> before, Map<String, Map<String, Object>> after) {
        for (List<String> att : getAtts(v)) {
            String lt = att.get(0);
            if (att.get(1).endsWith("VersionNumber") && before.containsKey(lt) && after.containsKey(lt)
                    && LAUNCH_TEMPLATE.equals(type(after.get(lt))) && !Objects.equals(properties(before.get(lt)), properties(after.get(lt)))) {
                return lt + "." + att.get(1);
            }
        }
        return null;
    }

    /**
     * Every replacing property of a resource that holds data whose value is resolved at deploy time:
     * a Ref to a parameter of type AWS::SSM::Parameter::Value&lt;...&gt;, or an unversioned
     * {@code {{resolve:ssm:...}}}. It fails whether or not the template changed: the next deploy may
     * read a new value.
     */
    public static List<Finding> resolvedAtDeploy(String stack, Map<String, Object> template, CreateOnly rules) {
        Map<String, String> ssm = ssmParameters(template);
        List<Finding> out = new ArrayList<>();
        resources(template).forEach((id, r) -> {
            if (!holdsData(r)) {
                return;
            }
            String type = type(r);
            for (String path : paths(type, rules)) {
                Object v = at(properties(r), path);
                Set<String> params = new LinkedHashSet<>();
                for (String p : refs(v)) {
                    if (ssm.containsKey(p)) {
                        params.add("SSM parameter " + ssm.get(p));
                    }
                }
                Matcher m = UNVERSIONED_SSM.matcher(v == null ? "" : Cfn.json(v));
                while (m.find()) {
                    if (m.group(2) == null) {
                        params.add("the latest version of SSM parameter " + m.group(1));
                    }
                }
                if (!params.isEmpty()) {
                    out.add(new Finding(stack, id, type, path, shorten(Cfn.json(v)), String.join(", ", params) + " at each deploy",
                            Verdict.RESOLVED_AT_DEPLOY, ""));
                }
            }
        });
        return out;
    }

    /**
     * Every instance's and launch template's user data in {@code base} that {@code changed} does not
     * carry byte for byte; {@code setting} names what {@code changed} was synthesized with.
     */
    public static List<Finding> userDataChanges(String stack, Map<String, Object> base, Map<String, Object> changed, String setting) {
        Map<String, Map<String, Object>> after = resources(changed);
        List<Finding> out = new ArrayList<>();
        resources(base).forEach((id, r) -> {
            Object before = userData(r);
            if (before == null) {
                return;
            }
            Object now = after.containsKey(id) ? userData(after.get(id)) : "(gone)";
            if (!Cfn.json(before).equals(Cfn.json(now))) {
                out.add(userDataFinding(stack, id, type(r), before, now, Verdict.CONFIGURATION_CHANGES_USER_DATA, setting));
            }
        });
        return out;
    }

    /**
     * A user data finding, readable: the texts compared after each gzip+base64 here-document is
     * unpacked, and the commands whose here-document differs named (the files it writes).
     */
    private static Finding userDataFinding(String stack, String id, String type, Object before, Object after, Verdict v, String why) {
        String a = readable(before);
        String b = readable(after);
        List<String> changed = new ArrayList<>();
        Map<String, String> docs0 = hereDocuments(a);
        Map<String, String> docs1 = hereDocuments(b);
        docs0.forEach((command, body) -> {
            if (!body.equals(docs1.get(command))) {
                changed.add(command);
            }
        });
        docs1.keySet().stream().filter(c -> !docs0.containsKey(c)).forEach(changed::add);
        String files = changed.isEmpty() ? "" : "changes: " + String.join("; ", changed);
        String all = why.isEmpty() ? files : files.isEmpty() ? why : why + "; " + files;
        return finding(stack, id, type, "UserData", a, b, v, all);
    }

    /** User data as its text: Fn::Base64's Fn::Join flattened ({@code <<Ref:Id>>} for tokens), gzip+base64 here-documents unpacked. */
    static String readable(Object userData) {
        Object inner = userData instanceof Map<?, ?> m && m.containsKey("Fn::Base64") ? m.get("Fn::Base64") : userData;
        String text;
        try {
            text = inner instanceof String s ? s : Cfn.text(inner);
        } catch (AssertionError | ClassCastException e) {
            text = Cfn.json(inner);
        }
        Matcher m = HERE_DOCUMENT.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + gunzip(m.group(3)) + m.group(4)));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Each here-document's command line (up to {@code <<}) to its body. */
    private static Map<String, String> hereDocuments(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = HERE_DOCUMENT.matcher(text);
        while (m.find()) {
            out.merge(m.group(1).replaceFirst("\\s*<<.*", "").strip(), m.group(3), (x, y) -> x + "\n" + y);
        }
        return out;
    }

    private static String gunzip(String body) {
        try {
            byte[] raw = java.util.Base64.getMimeDecoder().decode(body);
            try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(raw))) {
                return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            }
        } catch (IllegalArgumentException | IOException e) {
            return body; // not gzip+base64: as written
        }
    }

    /** The logical ids of the instances and launch templates in {@code template} that carry user data. */
    public static List<String> userDataHolders(Map<String, Object> template) {
        return resources(template).entrySet().stream().filter(e -> userData(e.getValue()) != null).map(Map.Entry::getKey).toList();
    }

    /** An instance's UserData or a launch template's LaunchTemplateData.UserData; null when it has none. */
    @SuppressWarnings("unchecked")
    static Object userData(Map<String, Object> resource) {
        Map<String, Object> p = properties(resource);
        if (INSTANCE.equals(type(resource))) {
            return p.get("UserData");
        }
        if (LAUNCH_TEMPLATE.equals(type(resource)) && p.get("LaunchTemplateData") instanceof Map<?, ?> data) {
            return ((Map<String, Object>) data).get("UserData");
        }
        return null;
    }

    /** Whether losing this resource loses data: its type, or a HelmChart whose values claim volumes. */
    public static boolean holdsData(Map<String, Object> resource) {
        String type = type(resource);
        if (Cfn.HELM_CHART.equals(type)) {
            Object values = properties(resource).get("Values");
            return values != null && claimsVolumes(values);
        }
        return DATA_TYPES.contains(type);
    }

    /** A chart's values that ask for a PersistentVolumeClaim: a volumeClaimTemplate, or persistence enabled. */
    static boolean claimsVolumes(Object values) {
        Object tree;
        try {
            tree = Cfn.YAML.readValue(Cfn.text(values), Object.class);
        } catch (IOException | AssertionError e) {
            String text = Cfn.json(values);
            return text.contains("volumeClaimTemplate") || text.contains("persistence");
        }
        return claims(tree);
    }

    private static boolean claims(Object node) {
        if (node instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if ("volumeClaimTemplate".equals(e.getKey()) || "persistentVolumeClaim".equals(e.getKey())
                        || ("persistence".equals(e.getKey()) && e.getValue() instanceof Map<?, ?> p && Boolean.TRUE.equals(p.get("enabled")))
                        || claims(e.getValue())) {
                    return true;
                }
            }
        } else if (node instanceof List<?> l) {
            return l.stream().anyMatch(UpgradeCheck::claims);
        }
        return false;
    }

    /** The create-only paths of {@code type} and the documented ones the schemas lack. */
    private static List<String> paths(String type, CreateOnly rules) {
        List<String> out = new ArrayList<>(rules.paths(type));
        if (INSTANCE.equals(type)) {
            out.add("BlockDeviceMappings");
        }
        if (Cfn.HELM_CHART.equals(type)) {
            out.addAll(HELM_REINSTALLS);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Object withoutDeleteOnTermination(Object mappings) {
        if (!(mappings instanceof List<?> list)) {
            return mappings;
        }
        List<Object> out = new ArrayList<>();
        for (Object m : list) {
            if (m instanceof Map<?, ?> mapping && mapping.get("Ebs") instanceof Map<?, ?> ebs) {
                Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) mapping);
                Map<String, Object> e = new LinkedHashMap<>((Map<String, Object>) ebs);
                e.remove("DeleteOnTermination");
                copy.put("Ebs", e);
                out.add(copy);
            } else {
                out.add(m);
            }
        }
        return out;
    }

    /** The value at {@code path} ({@code A/B}, {@code *} for every entry of a list); null when absent. */
    static Object at(Object node, String path) {
        return at(node, path.split("/"), 0);
    }

    private static Object at(Object node, String[] parts, int i) {
        if (i == parts.length || node == null) {
            return node;
        }
        if ("*".equals(parts[i])) {
            if (!(node instanceof List<?> list)) {
                return null;
            }
            List<Object> out = new ArrayList<>();
            for (Object o : list) {
                out.add(at(o, parts, i + 1));
            }
            return out;
        }
        return node instanceof Map<?, ?> m ? at(m.get(parts[i]), parts, i + 1) : null;
    }

    /** The logical ids {@code value} refers to: Ref, Fn::GetAtt, ${Id} in Fn::Sub. */
    static Set<String> refs(Object value) {
        Set<String> out = new LinkedHashSet<>();
        collectRefs(value, out);
        return out;
    }

    private static void collectRefs(Object node, Set<String> out) {
        if (node instanceof Map<?, ?> m) {
            if (m.size() == 1 && m.get("Ref") instanceof String r) {
                out.add(r);
            }
            Object att = m.get("Fn::GetAtt");
            if (att instanceof List<?> l && !l.isEmpty()) {
                out.add(String.valueOf(l.get(0)));
            } else if (att instanceof String s) {
                out.add(s.replaceFirst("\\..*", ""));
            }
            Object sub = m.get("Fn::Sub");
            String template = sub instanceof String s ? s : sub instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof String s ? s : null;
            if (template != null) {
                Matcher r = SUB_REF.matcher(template);
                while (r.find()) {
                    if (!r.group(1).startsWith("AWS::")) {
                        out.add(r.group(1));
                    }
                }
            }
            m.values().forEach(v -> collectRefs(v, out));
        } else if (node instanceof List<?> l) {
            l.forEach(v -> collectRefs(v, out));
        }
    }

    /** Every Fn::GetAtt in {@code value} as [logical id, attribute]. */
    private static List<List<String>> getAtts(Object value) {
        List<List<String>> out = new ArrayList<>();
        collectGetAtts(value, out);
        return out;
    }

    private static void collectGetAtts(Object node, List<List<String>> out) {
        if (node instanceof Map<?, ?> m) {
            Object att = m.get("Fn::GetAtt");
            if (att instanceof List<?> l && l.size() == 2) {
                out.add(List.of(String.valueOf(l.get(0)), String.valueOf(l.get(1))));
            } else if (att instanceof String s && s.contains(".")) {
                out.add(List.of(s.substring(0, s.indexOf('.')), s.substring(s.indexOf('.') + 1)));
            }
            m.values().forEach(v -> collectGetAtts(v, out));
        } else if (node instanceof List<?> l) {
            l.forEach(v -> collectGetAtts(v, out));
        }
    }

    /** Parameter logical id to the SSM parameter name it reads (its Default), for the SSM-typed parameters. */
    @SuppressWarnings("unchecked")
    static Map<String, String> ssmParameters(Map<String, Object> template) {
        Map<String, String> out = new TreeMap<>();
        Object params = template.get("Parameters");
        if (params instanceof Map<?, ?> m) {
            ((Map<String, Object>) m).forEach((id, p) -> {
                Map<String, Object> param = (Map<String, Object>) p;
                if (String.valueOf(param.get("Type")).startsWith(SSM_PARAMETER_TYPE)) {
                    out.put(id, String.valueOf(param.get("Default")));
                }
            });
        }
        return out;
    }

    private static List<String> ssmRefs(Object value, Map<String, String> ssm) {
        return refs(value).stream().filter(ssm::containsKey).map(ssm::get).toList();
    }

    /** {@code value} with each Ref to an SSM parameter named in {@code assumed} replaced by the assumed value. */
    private static Object substitute(Object node, Map<String, String> ssm, Map<String, String> assumed) {
        if (node instanceof Map<?, ?> m) {
            if (m.size() == 1 && m.get("Ref") instanceof String r && ssm.containsKey(r) && assumed.containsKey(ssm.get(r))) {
                return assumed.get(ssm.get(r));
            }
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(k, substitute(v, ssm, assumed)));
            return out;
        }
        if (node instanceof List<?> l) {
            return l.stream().map(v -> substitute(v, ssm, assumed)).toList();
        }
        return node;
    }

    private static Finding finding(String stack, String id, String type, String property, Object before, Object after, Verdict v,
            String why) {
        String a = before == null ? "(none)" : Cfn.json(before);
        String b = after == null ? "(none)" : Cfn.json(after);
        int common = 0;
        while (common < a.length() && common < b.length() && a.charAt(common) == b.charAt(common)) {
            common++;
        }
        // Long values (user data, container definitions) are shown from a little before their first difference.
        int from = a.equals(b) || (a.length() <= SHOWN && b.length() <= SHOWN) ? 0 : Math.max(0, common - 24);
        return new Finding(stack, id, type, property, window(a, from), window(b, from), v, why);
    }

    private static String window(String s, int from) {
        if (from >= s.length()) {
            return s.length() <= SHOWN ? s : "…" + s.substring(s.length() - SHOWN);
        }
        String w = s.substring(from, Math.min(s.length(), from + SHOWN));
        return (from > 0 ? "…" : "") + w + (from + SHOWN < s.length() ? "…" : "");
    }

    static String shorten(String s) {
        return window(s, 0);
    }

    private static boolean retained(Map<String, Object> resource) {
        return "Retain".equals(resource.get("DeletionPolicy")) || "RetainExceptOnCreate".equals(resource.get("DeletionPolicy"));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Map<String, Object>> resources(Map<String, Object> template) {
        Object r = template == null ? null : template.get("Resources");
        Map<String, Map<String, Object>> out = new TreeMap<>();
        if (r instanceof Map<?, ?> m) {
            ((Map<String, Object>) m).forEach((id, res) -> out.put(id, (Map<String, Object>) res));
        }
        return out;
    }

    private static String type(Map<String, Object> resource) {
        return String.valueOf(resource.get("Type"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> properties(Map<String, Object> resource) {
        Object p = resource.get("Properties");
        return p instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    /** Every resource type of {@code templates}, for {@link CreateOnly#fromCfnLint}. */
    public static Set<String> types(Iterable<Map<String, Object>> templates) {
        Set<String> out = new HashSet<>();
        for (Map<String, Object> t : templates) {
            resources(t).values().forEach(r -> out.add(type(r)));
        }
        return out;
    }
}
