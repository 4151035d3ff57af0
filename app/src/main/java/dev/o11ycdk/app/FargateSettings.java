package dev.o11ycdk.app;

import dev.o11ycdk.config.Check;
import dev.o11ycdk.config.PromDuration;
import dev.o11ycdk.config.ScrapeJob;
import dev.o11ycdk.core.ComputeSize;
import dev.o11ycdk.core.PrometheusSizing;
import dev.o11ycdk.core.ScrapeTarget;
import dev.o11ycdk.fargate.FargatePrometheus;
import dev.o11ycdk.fargate.RemoteWrite;
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
        String ssmParameterPrefix,
        boolean containerInsights,
        String grafanaDatabase,
        double grafanaDatabaseMinAcu,
        double grafanaDatabaseMaxAcu,
        int prometheusReplicas,
        int ampRetentionDays,
        int ampLocalRetentionDays) {

    /** Values of the grafanaDatabase setting. */
    static final List<String> GRAFANA_DATABASES = List.of("sqlite", "aurora");

    /** Fields of one entry of the services setting. */
    static final List<String> SERVICE_FIELDS = List.of("name", "port", "path", "env");
    /** Fields of the grafanaOAuth setting; the first six are required. */
    static final List<String> OAUTH_FIELDS = List.of("name", "clientId", "clientSecretName", "authUrl", "tokenUrl", "apiUrl",
            "scopes", "roleAttributePath");
    static final String ENV = "[a-z0-9-]+";
    /** Secrets Manager's secret name characters. */
    private static final String SECRET_NAME = "[A-Za-z0-9/_+=.@-]{1,512}";

    static FargateSettings from(Context c) {
        String env = c.string("environment");
        if (!env.matches(ENV)) {
            throw c.bad("environment", "use lowercase letters, digits and '-'");
        }
        String ns = c.string("cloudMapNamespace");
        if (ns.length() > 253 || !ns.matches("([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?")) {
            throw c.bad("cloudMapNamespace", "must be a DNS name such as o11y.local");
        }
        String adminSecret = c.optional("grafanaAdminSecretName");
        if (adminSecret != null) {
            secretName(c, "grafanaAdminSecretName", adminSecret);
        }
        for (String k : List.of("cloudwatchExporterVersion", "adotCollectorVersion")) {
            if (!c.string(k).matches("\\d+\\.\\d+\\.\\d+")) {
                throw c.bad(k, "must be an exact version such as 1.2.3");
            }
        }
        List<ScrapeTarget> services = services(c, env);
        String clusterName = c.optional("clusterName");
        if (clusterName != null && !clusterName.matches("[A-Za-z0-9_-]{1,255}")) {
            throw c.bad("clusterName", "an ECS cluster name has 1-255 letters, digits, '-' and '_'");
        }
        List<String> discoveryClusters = c.list("discoveryClusters");
        for (String d : discoveryClusters) {
            if (!d.matches("[A-Za-z0-9_-]{1,255}")) {
                throw Context.badEntry("discoveryClusters", d, "an ECS cluster name has 1-255 letters, digits, '-' and '_'");
            }
            if (discoveryClusters.indexOf(d) != discoveryClusters.lastIndexOf(d)) {
                throw Context.badEntry("discoveryClusters", d, "appears more than once");
            }
            if (d.equals(clusterName)) {
                throw Context.badEntry("discoveryClusters", d, "is the platform's own cluster (clusterName), always discovered");
            }
        }
        String discoveryInterval = discoveryInterval(c);
        String prefix = ssmParameterPrefix(c, "ssmParameterPrefix", FargatePrometheus.DEFAULT_SSM_PREFIX);
        Integer cpu = c.autoOrInteger("prometheusCpu", 1, 1_000_000);
        Integer memory = c.autoOrInteger("prometheusMemoryMiB", 1, 10_000_000);
        checkSize(c, cpu, memory);
        Long desired = Context.wholeNumber(c.raw("prometheusDesiredCount"));
        if (desired == null || desired != 1) {
            throw Context.bad("prometheusDesiredCount", desired != null ? desired : c.raw("prometheusDesiredCount"), "must be 1: "
                    + "Prometheus' TSDB on EFS has exactly one writer; scale out with remoteWrite to Amazon Managed Service for "
                    + "Prometheus instead");
        }
        String remoteWrite = c.optional("remoteWrite");
        if (remoteWrite != null && !remoteWrite.equals("create")) {
            c.check("remoteWrite", () -> RemoteWrite.fromWorkspaceArn(remoteWrite));
        }
        long series = expectedSeries(c, services.size(), cpu == null);
        String grafanaDatabase = c.string("grafanaDatabase");
        if (!GRAFANA_DATABASES.contains(grafanaDatabase)) {
            throw c.bad("grafanaDatabase", "must be one of " + GRAFANA_DATABASES + " (sqlite: one task on EFS; aurora: two tasks on "
                    + "Aurora PostgreSQL Serverless v2)");
        }
        double minAcu = acu(c, "grafanaDatabaseMinAcu", 0.5);
        double maxAcu = acu(c, "grafanaDatabaseMaxAcu", 1);
        if (grafanaDatabase.equals("aurora") && maxAcu < minAcu) {
            throw c.bad("grafanaDatabaseMaxAcu", "must be at least grafanaDatabaseMinAcu (" + c.raw("grafanaDatabaseMinAcu") + ")");
        }
        int replicas = c.integer("prometheusReplicas", 1, 2);
        int ampRetention = c.integer("ampRetentionDays", 1, RemoteWrite.MAX_RETENTION_DAYS);
        int ampLocalRetention = c.integer("ampLocalRetentionDays", 1, PrometheusSizing.MAX_RETENTION_DAYS);
        return new FargateSettings(env, services, ns, cpu, memory, 1, adminSecret,
                remoteWrite, c.string("cloudwatchExporterVersion"),
                oauth(c), clusterName, series, discoveryClusters,
                discoveryInterval, c.string("adotCollectorVersion"), prefix, c.bool("containerInsights"),
                grafanaDatabase, minAcu, maxAcu, replicas, ampRetention, ampLocalRetention);
    }

    /** Aurora Serverless v2 capacity: lowest..256 ACU in steps of 0.5, a JSON number or -c text. */
    private static double acu(Context c, String key, double lowest) {
        Object v = c.raw(key);
        Double d = v instanceof Number n ? Double.valueOf(n.doubleValue())
                : v instanceof String str && str.trim().matches("\\d{1,3}(\\.\\d+)?") ? Double.valueOf(str.trim()) : null;
        if (d == null || d < lowest || d > 256 || d * 2 != Math.rint(d * 2)) {
            throw c.bad(key, "must be a number of ACUs in " + (lowest == 1 ? "1" : "0.5") + "..256 in steps of 0.5");
        }
        return d;
    }

    static void secretName(Context c, String key, String name) {
        if (!name.matches(SECRET_NAME)) {
            throw c.bad(key, "a Secrets Manager secret name has 1-512 letters, digits and / _ + = . @ -");
        }
    }

    /** Both "auto", or a Fargate size whose memory leaves Prometheus what the sizing formula needs next to the sidecar. */
    private static void checkSize(Context c, Integer cpu, Integer memory) {
        if (cpu == null && memory == null) {
            return;
        }
        if (cpu == null || memory == null) {
            String set = cpu != null ? "prometheusCpu" : "prometheusMemoryMiB";
            String other = cpu != null ? "prometheusMemoryMiB" : "prometheusCpu";
            throw c.bad(set, "give " + other + " as a number too, or set both to 'auto'");
        }
        ComputeSize size;
        try {
            size = ComputeSize.of("prometheus", cpu, memory);
        } catch (Check.BadValue e) {
            boolean cpuBad = ComputeSize.validMemory(cpu).isEmpty();
            throw Context.bad(cpuBad ? "prometheusCpu" : "prometheusMemoryMiB", cpuBad ? cpu : memory, e.why());
        }
        try {
            FargatePrometheus.prometheusMemoryMiB(size);
        } catch (Check.BadValue e) {
            throw Context.bad("prometheusMemoryMiB", memory, e.why());
        }
    }

    /**
     * "auto": the expected services ("auto": the named services, at least the seed's 5) x 120 (the
     * seed's ~100 series a service and ~20 the platform keeps about it), or a number. With an
     * automatic task size, the largest Fargate task must hold them.
     */
    private static long expectedSeries(Context c, int namedServices, boolean autoSize) {
        Integer services = c.autoOrInteger("expectedServices", 1, Integer.MAX_VALUE);
        Integer series = c.autoOrInteger("expectedActiveSeries", 1, Integer.MAX_VALUE);
        long expected = series != null ? series : PrometheusSizing.expectedSeries(services != null ? services : Math.max(5, namedServices));
        if (autoSize) {
            String from = series != null ? "expectedActiveSeries" : services != null ? "expectedServices" : "services";
            c.check(from, () -> PrometheusSizing.forSeries(from, expected, FargatePrometheus.DISCOVERY_MEMORY_MIB));
        }
        return expected;
    }

    private static String discoveryInterval(Context c) {
        String s = c.string("discoveryInterval");
        PromDuration d = c.check("discoveryInterval", () -> PromDuration.parse("discoveryInterval", s).positive("discoveryInterval"));
        if (d.toMillis() < 10_000 || d.toMillis() > 600_000) {
            throw c.bad("discoveryInterval", "must be in 10s..10m: each interval lists every discovered cluster's tasks "
                    + "through the account's shared ECS API budget, and a new task waits up to one interval");
        }
        return s;
    }

    /** An SSM path a layout publishes what teams import under (ssmParameterPrefix, hostSsmParameterPrefix, eksSsmParameterPrefix). */
    static String ssmParameterPrefix(Context c, String key, String example) {
        String prefix = c.string(key);
        if (!prefix.matches("(/[A-Za-z0-9_.-]+)+")) {
            throw c.bad(key, "must be an SSM path such as " + example);
        }
        if (prefix.toLowerCase(java.util.Locale.ROOT).matches("/(aws|ssm).*")) {
            throw c.bad(key, "SSM reserves names beginning with aws or ssm");
        }
        if (prefix.split("/").length - 1 > 14 || prefix.length() > 900) {
            // The parameters go one level below it; SSM allows 15 levels and 1011 characters with the ARN.
            throw c.bad(key, "must have at most 14 levels and 900 characters");
        }
        return prefix;
    }

    /** The "services" setting: a JSON list of {name, port, path, env}. */
    private static List<ScrapeTarget> services(Context c, String env) {
        List<ScrapeTarget> out = new ArrayList<>();
        for (Object o : c.jsonList("services", "[{\"name\": \"api\", \"port\": 8080, \"path\": \"/metrics\"}]")) {
            if (!(o instanceof Map<?, ?> m)) {
                throw Context.badEntry("services", o, "each service is an object {\"name\", \"port\", \"path\", \"env\"}");
            }
            for (Object k : m.keySet()) {
                if (!SERVICE_FIELDS.contains(String.valueOf(k))) {
                    throw Context.badEntry("services", o, "unknown field '" + k + "'; a service has " + SERVICE_FIELDS);
                }
            }
            if (!(m.get("name") instanceof String name) || !name.matches("[A-Za-z0-9][A-Za-z0-9_-]{0,254}")) {
                throw Context.badEntry("services", o, "name must be an ECS service name (letters, digits, '-' and '_')");
            }
            Long port = Context.wholeNumber(m.get("port"));
            if (port == null || port < 1 || port > 65535) {
                throw Context.badEntry("services", o, "port must be a TCP port in 1..65535");
            }
            Object path = m.get("path");
            if (path != null && (!(path instanceof String p) || !p.matches("/[^\\s?#]*"))) {
                throw Context.badEntry("services", o, "path must be an absolute URL path such as /metrics (no ?query)");
            }
            Object own = m.get("env");
            if (own != null && (!(own instanceof String e) || !e.matches(ENV))) {
                throw Context.badEntry("services", o, "env must be lowercase letters, digits and '-'");
            }
            if (ScrapeJob.PLATFORM_JOBS.contains(name)) {
                throw Context.badEntry("services", o, "name is one of the platform's own jobs " + ScrapeJob.PLATFORM_JOBS);
            }
            if (out.stream().anyMatch(t -> t.name().equals(name))) {
                throw Context.badEntry("services", o, "name appears more than once");
            }
            // A service may carry its own env (seed 004: a not-yet-ready "test" one is muted).
            out.add(Context.checkEntry("services", o, () -> new ScrapeTarget(name, port.intValue(), (String) path,
                    own == null ? env : (String) own)));
        }
        return out;
    }

    /** The grafanaOAuth setting: {} for none, else every required field, https URLs, a secret name. */
    private static Map<String, Object> oauth(Context c) {
        Map<String, Object> o = c.object("grafanaOAuth");
        if (o.isEmpty()) {
            return o;
        }
        for (Map.Entry<String, Object> e : o.entrySet()) {
            if (!OAUTH_FIELDS.contains(e.getKey())) {
                throw c.bad("grafanaOAuth", "unknown field '" + e.getKey() + "'; fields are " + OAUTH_FIELDS);
            }
            if (!(e.getValue() instanceof String)) {
                throw c.bad("grafanaOAuth", "field '" + e.getKey() + "' must be a string");
            }
        }
        for (String required : OAUTH_FIELDS.subList(0, 6)) {
            if (o.get(required) == null || String.valueOf(o.get(required)).isBlank()) {
                throw c.bad("grafanaOAuth", "needs '" + required + "'"
                        + (required.equals("clientSecretName") ? " (the Secrets Manager secret holding the client secret)" : ""));
            }
        }
        if (!String.valueOf(o.get("clientSecretName")).matches(SECRET_NAME)) {
            throw c.bad("grafanaOAuth", "clientSecretName is not a Secrets Manager secret name (1-512 letters, digits and / _ + = . @ -)");
        }
        for (String url : List.of("authUrl", "tokenUrl", "apiUrl")) {
            if (!String.valueOf(o.get(url)).matches("https://\\S+")) {
                throw c.bad("grafanaOAuth", url + " '" + o.get(url) + "' must be an https:// URL");
            }
        }
        return o;
    }
}
