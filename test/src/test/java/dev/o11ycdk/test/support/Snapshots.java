package dev.o11ycdk.test.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Normalises a template before it is compared with its snapshot: asset hashes and the CDK
 * bootstrap plumbing change with every CDK release or asset rebuild, not with our code.
 */
public final class Snapshots {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private Snapshots() {
    }

    @SuppressWarnings("unchecked")
    public static String normalisedTemplate(Map<String, Object> template) {
        Map<String, Object> t = new LinkedHashMap<>(template);
        Map<String, Object> params = t.get("Parameters") instanceof Map<?, ?> p ? new LinkedHashMap<>((Map<String, Object>) p) : null;
        if (params != null) {
            params.remove("BootstrapVersion");
            t.put("Parameters", params);
        }
        Map<String, Object> rules = t.get("Rules") instanceof Map<?, ?> r ? new LinkedHashMap<>((Map<String, Object>) r) : null;
        if (rules != null) {
            rules.remove("CheckBootstrapVersion");
            if (rules.isEmpty()) {
                t.remove("Rules");
            } else {
                t.put("Rules", rules);
            }
        }
        try {
            // Only asset hashes ("<hash>.zip", "asset.<hash>"): the pinned release checksums must stay visible.
            return JSON.writeValueAsString(t)
                    .replaceAll("[0-9a-f]{64}(\\.zip|\\.json)", "<asset-hash>$1")
                    .replaceAll("asset\\.[0-9a-f]{64}", "asset.<asset-hash>");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
