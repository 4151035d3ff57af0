package dev.o11ycdk.test.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The properties whose change makes CloudFormation replace a resource: the {@code createOnlyProperties}
 * of the resource schemas cfn-lint bundles, per type, as paths below {@code Properties}
 * ({@code ImageId}, {@code KubernetesNetworkConfig/IpFamily}, {@code Tags/{@literal *}/Key}). A path
 * under one already listed is dropped: the parent's change is the finding.
 */
public final class CreateOnly {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, List<String>> FROM_CFN_LINT = new HashMap<>();
    private static final String QUERY = String.join("\n",
            "import json, sys",
            "from cfnlint.schema.manager import PROVIDER_SCHEMA_MANAGER as m",
            "out = {}",
            "for t in sys.argv[2:]:",
            "    try:",
            "        out[t] = m.get_resource_schema(sys.argv[1], t).schema.get('createOnlyProperties') or []",
            "    except Exception:",
            "        out[t] = None",
            "print(json.dumps(out))");

    private final Map<String, List<String>> byType;

    private CreateOnly(Map<String, List<String>> byType) {
        this.byType = byType;
    }

    /** From schema paths as the schemas write them ({@code /properties/ImageId}), per type. */
    public static CreateOnly of(Map<String, List<String>> schemaPaths) {
        Map<String, List<String>> byType = new HashMap<>();
        schemaPaths.forEach((type, paths) -> byType.put(type, normalise(paths)));
        return new CreateOnly(byType);
    }

    /**
     * cfn-lint's schemas for {@code region}, asked once per type and test run through
     * {@code python3} (run from the temporary directory, so no file of this checkout shadows a module).
     */
    @SuppressWarnings("unchecked")
    public static synchronized CreateOnly fromCfnLint(Collection<String> types, String region) {
        List<String> missing = types.stream().filter(t -> !FROM_CFN_LINT.containsKey(t)).distinct().sorted().toList();
        if (!missing.isEmpty()) {
            String python = Tools.require("python3", "install Python 3 with cfn-lint (pip install cfn-lint)");
            List<String> cmd = new ArrayList<>(List.of(python, "-c", QUERY, region));
            cmd.addAll(missing);
            Tools.Result r = Tools.run(cmd, Path.of(System.getProperty("java.io.tmpdir")), 300);
            List<String> lines = r.output().strip().lines().toList();
            if (r.exitCode() != 0 || lines.isEmpty()) {
                throw new AssertionError("cfn-lint's resource schemas could not be read (pip install cfn-lint):\n" + r.output());
            }
            Map<String, List<String>> got;
            try {
                got = JSON.readValue(lines.get(lines.size() - 1), Map.class);
            } catch (IOException e) {
                throw new AssertionError("unexpected answer from cfn-lint's schema manager:\n" + r.output(), e);
            }
            List<String> unknown = new ArrayList<>();
            for (String t : missing) {
                if (got.get(t) == null) {
                    unknown.add(t);
                } else {
                    FROM_CFN_LINT.put(t, normalise(got.get(t)));
                }
            }
            if (!unknown.isEmpty()) {
                throw new AssertionError("cfn-lint's schemas for " + region + " do not know " + unknown
                        + ": what would replace them cannot be judged");
            }
        }
        Map<String, List<String>> byType = new HashMap<>();
        for (String t : types) {
            byType.put(t, FROM_CFN_LINT.get(t));
        }
        return new CreateOnly(byType);
    }

    /**
     * This instance with {@code type} judged as {@code as}: a SAM resource ({@code AWS::Serverless::Application})
     * that cfn-lint's schemas lack, by the CloudFormation type the transform makes of it.
     */
    public CreateOnly withAlias(String type, String as) {
        Map<String, List<String>> more = new HashMap<>(byType);
        more.put(type, paths(as));
        return new CreateOnly(more);
    }

    /** The create-only paths of {@code type}; a type this instance was not given is an error, never "none". */
    public List<String> paths(String type) {
        List<String> p = byType.get(type);
        if (p == null) {
            throw new IllegalArgumentException("no create-only properties known for " + type);
        }
        return p;
    }

    private static List<String> normalise(List<String> schemaPaths) {
        TreeSet<String> paths = new TreeSet<>();
        for (String p : schemaPaths) {
            paths.add(p.replaceFirst("^/properties/", ""));
        }
        return paths.stream().filter(p -> paths.stream().noneMatch(q -> p.startsWith(q + "/"))).toList();
    }
}
