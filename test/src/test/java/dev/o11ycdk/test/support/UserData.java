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
