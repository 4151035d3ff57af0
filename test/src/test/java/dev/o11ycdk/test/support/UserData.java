package dev.o11ycdk.test.support;

import java.util.List;
import java.util.Map;

/** Reads the deployed user data back out of a synthesized template. */
public final class UserData {
    private UserData() {
    }

    /** The instance's user data with every CloudFormation token replaced by a shell-safe placeholder. */
    public static String of(Map<String, Object> template) {
        return of(template, Map.of());
    }

    /**
     * The instance's user data as CloudFormation would resolve it: each {@code {"Ref": name}} in
     * {@code refs} (e.g. AWS::AccountId) becomes its value, any other token a shell-safe placeholder.
     */
    @SuppressWarnings("unchecked")
    public static String of(Map<String, Object> template, Map<String, String> refs) {
        Map<String, Object> resources = (Map<String, Object>) template.get("Resources");
        for (Object r : resources.values()) {
            Map<String, Object> res = (Map<String, Object>) r;
            if ("AWS::EC2::Instance".equals(res.get("Type"))) {
                Object b64 = ((Map<String, Object>) ((Map<String, Object>) res.get("Properties")).get("UserData")).get("Fn::Base64");
                return flatten(b64, refs);
            }
        }
        throw new AssertionError("no AWS::EC2::Instance in template");
    }

    @SuppressWarnings("unchecked")
    private static String flatten(Object value, Map<String, String> refs) {
        if (value instanceof String s) {
            return s;
        }
        Map<String, Object> fn = (Map<String, Object>) value;
        if (fn.containsKey("Fn::Join")) {
            List<Object> join = (List<Object>) fn.get("Fn::Join");
            StringBuilder sb = new StringBuilder();
            for (Object part : (List<Object>) join.get(1)) {
                sb.append(part instanceof String s ? s : token(part, refs));
            }
            return sb.toString();
        }
        return token(value, refs);
    }

    private static String token(Object part, Map<String, String> refs) {
        Object ref = part instanceof Map<?, ?> m ? m.get("Ref") : null;
        return ref != null && refs.containsKey(String.valueOf(ref)) ? refs.get(String.valueOf(ref)) : "CFN_TOKEN";
    }

    /** The instance's {@code AWS::CloudFormation::Init} metadata. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> init(Map<String, Object> template) {
        Map<String, Object> resources = (Map<String, Object>) template.get("Resources");
        for (Object r : resources.values()) {
            Map<String, Object> res = (Map<String, Object>) r;
            if ("AWS::EC2::Instance".equals(res.get("Type"))) {
                Map<String, Object> md = (Map<String, Object>) res.getOrDefault("Metadata", Map.of());
                Map<String, Object> init = (Map<String, Object>) md.get("AWS::CloudFormation::Init");
                if (init == null) {
                    throw new AssertionError("the instance has no AWS::CloudFormation::Init metadata");
                }
                return init;
            }
        }
        throw new AssertionError("no AWS::EC2::Instance in template");
    }

    /**
     * Every file cfn-init writes, by path, as CloudFormation would resolve it ({@code refs} as in
     * {@link #of(Map, Map)}), in the order of the config set's configs.
     */
    @SuppressWarnings("unchecked")
    public static Map<String, String> initFiles(Map<String, Object> template, Map<String, String> refs) {
        Map<String, Object> init = init(template);
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (Object config : (List<Object>) ((Map<String, Object>) init.get("configSets")).values().iterator().next()) {
            Map<String, Object> files = (Map<String, Object>) ((Map<String, Object>) init.get(config)).getOrDefault("files", Map.of());
            files.forEach((path, f) -> out.put(path, flatten(((Map<String, Object>) f).get("content"), refs)));
        }
        return out;
    }

    /** The files cfn-init stages, by their path on the host (the staged folder taken off). */
    public static Map<String, String> stagedFiles(Map<String, Object> template) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        initFiles(template, Map.of()).forEach((path, content) -> {
            if (path.startsWith(STAGED + "/")) {
                out.put(path.substring(STAGED.length()), content);
            }
        });
        return out;
    }

    /** Where cfn-init stages the host's files ({@code HostConfiguration.STAGED}). */
    public static final String STAGED = dev.o11ycdk.host.HostConfiguration.STAGED;

    /** The body of the MIME part with the given content type. */
    public static String part(String multipart, String contentType) {
        int header = multipart.indexOf("Content-Type: " + contentType);
        if (header < 0) {
            throw new AssertionError("no " + contentType + " part in user data");
        }
        int bodyStart = multipart.indexOf("\n\n", header) + 2;
        int boundary = multipart.indexOf("\n--+AWS+CDK+User+Data+Separator==", bodyStart);
        return multipart.substring(bodyStart, boundary);
    }
}
