package dev.o11ycdk.app;

import dev.o11ycdk.FargateSize;
import dev.o11ycdk.ScrapeTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Settings of the Fargate layout, read with the others by {@link Settings#from}. */
public record FargateSettings(
        String environment,
        List<ScrapeTarget> services,
        String cloudMapNamespace,
        Integer prometheusCpu,
        Integer prometheusMemoryMiB,
        int prometheusDesiredCount,
        String grafanaAdminSecretName,
        String remoteWrite,
        String cloudwatchExporterVersion,
        Map<String, Object> grafanaOAuth,
        String clusterName,
        long expectedActiveSeries,
        List<String> discoveryClusters,
        String discoveryInterval,
        String adotCollectorVersion,
        String ssmParameterPrefix) {

    static FargateSettings from(Context c) {
        String env = c.string("environment");
        if (!env.matches("[a-z0-9-]+")) {
            throw new IllegalArgumentException("setting 'environment' = '" + env + "': use lowercase letters, digits and '-'");
        }
        String ns = c.string("cloudMapNamespace");
        if (!ns.matches("([a-z0-9]([a-z0-9-]*[a-z0-9])?\\.)*[a-z0-9]([a-z0-9-]*[a-z0-9])?")) {
            throw new IllegalArgumentException("setting 'cloudMapNamespace' = '" + ns + "': must be a DNS name such as o11y.local");
        }
        for (String k : List.of("cloudwatchExporterVersion", "adotCollectorVersion")) {
            if (!c.string(k).matches("\\d+\\.\\d+\\.\\d+")) {
                throw new IllegalArgumentException("setting '" + k + "' = '" + c.string(k) + "': must be an exact version like 0.27.0");
            }
        }
        List<ScrapeTarget> services = services(c, env);
        String clusterName = c.optional("clusterName");
        if (clusterName != null && !clusterName.matches("[A-Za-z0-9_-]{1,255}")) {
            throw new IllegalArgumentException("setting 'clusterName' = '" + clusterName + "': an ECS cluster name has letters, "
                    + "digits, '-' and '_'");
        }
        String prefix = c.string("ssmParameterPrefix");
        if (!prefix.matches("(/[A-Za-z0-9_.-]+)+")) {
            throw new IllegalArgumentException("setting 'ssmParameterPrefix' = '" + prefix + "': must be an SSM path such as "
                    + "/o11y-cdk/platform");
        }
        return new FargateSettings(env, services, ns,
                auto(c, "prometheusCpu"), auto(c, "prometheusMemoryMiB"), c.integer("prometheusDesiredCount"),
                c.optional("grafanaAdminSecretName"),
                c.optional("remoteWrite"), c.string("cloudwatchExporterVersion"),
                c.object("grafanaOAuth"), clusterName, expectedSeries(c, services.size()), c.list("discoveryClusters"),
                c.string("discoveryInterval"), c.string("adotCollectorVersion"), prefix);
    }

    /**
     * "auto": the expected services ("auto": the named services, at least the seed's 5) x 120 (the
     * seed's ~100 series a service and ~20 the platform keeps about it), or a number.
     */
    private static long expectedSeries(Context c, int namedServices) {
        int services = c.string("expectedServices").equalsIgnoreCase("auto") ? Math.max(5, namedServices)
                : positive(c, "expectedServices");
        return c.string("expectedActiveSeries").equalsIgnoreCase("auto") ? FargateSize.expectedSeries(services)
                : positive(c, "expectedActiveSeries");
    }

    private static int positive(Context c, String key) {
        int v = c.integer(key);
        if (v < 1) {
            throw new IllegalArgumentException("setting '" + key + "' = '" + v + "': must be 'auto' or a number of at least 1");
        }
        return v;
    }

    /** "auto" (sized from the number of services) or a number. */
    private static Integer auto(Context c, String key) {
        String v = c.string(key);
        return v.equalsIgnoreCase("auto") ? null : c.integer(key);
    }

    /** The "services" setting: a JSON list of {name, port, path}. */
    @SuppressWarnings("unchecked")
    private static List<ScrapeTarget> services(Context c, String env) {
        Object raw = c.raw("services");
        List<Object> list;
        if (raw instanceof List<?> l) {
            list = (List<Object>) l;
        } else {
            try {
                list = dev.o11ycdk.config.Rendering.jsonMapper().readValue(String.valueOf(raw), List.class);
            } catch (Exception e) {
                throw new IllegalArgumentException("setting 'services' = '" + raw + "': must be a JSON list of "
                        + "{\"name\": ..., \"port\": ..., \"path\": ...}", e);
            }
        }
        List<ScrapeTarget> out = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof Map<?, ?> m) || m.get("name") == null || m.get("port") == null) {
                throw new IllegalArgumentException("setting 'services' has " + o + ": each service needs a name and a port");
            }
            int port;
            try {
                port = Integer.parseInt(String.valueOf(m.get("port")));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("setting 'services' has port '" + m.get("port") + "' for " + m.get("name")
                        + ": must be a number");
            }
            Object path = m.get("path");
            // A service may carry its own env (seed 004: a not-yet-ready "test" one is muted).
            Object own = m.get("env");
            out.add(new ScrapeTarget(String.valueOf(m.get("name")), port, path == null ? null : String.valueOf(path),
                    own == null ? env : String.valueOf(own)));
        }
        return out;
    }
}
