package dev.o11ycdk.grafana;

import dev.o11ycdk.config.Check;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One entry of a Grafana datasource provisioning file. */
public record Datasource(String name, String type, String uid, String url, boolean isDefault, Map<String, Object> jsonData) {
    /** What Grafana's CloudWatch datasource calls; nothing else. */
    public static final List<String> CLOUDWATCH_READ = List.of("cloudwatch:DescribeAlarmsForMetric",
            "cloudwatch:DescribeAlarmHistory", "cloudwatch:DescribeAlarms", "cloudwatch:ListMetrics",
            "cloudwatch:GetMetricData", "cloudwatch:GetInsightRuleReport");

    /** What Grafana 12 and later accept as a datasource UID (failWrongDSUID): at most 40 of these characters. */
    public static final java.util.regex.Pattern UID = java.util.regex.Pattern.compile("[a-zA-Z0-9_-]{1,40}");

    public Datasource {
        Check.notBlank("datasource name", name);
        Check.notBlank("datasource type", type);
        Check.notBlank("datasource uid", uid);
        if (!UID.matcher(uid).matches()) {
            throw Check.bad("datasource uid", uid, "Grafana 12 and later refuse it: at most 40 letters, digits, '-' and '_'");
        }
        jsonData = jsonData == null ? Map.of() : Map.copyOf(jsonData);
    }

    /** Prometheus at {@code url}; {@code timeInterval} matches the scrape interval so rate() windows fit. */
    public static Datasource prometheus(String url, String scrapeInterval, boolean isDefault) {
        return prometheus("Prometheus", "prometheus", url, scrapeInterval, isDefault);
    }

    /** What Grafana's Prometheus datasource calls on an AMP workspace (query only; no write, no admin). */
    public static final List<String> AMP_QUERY = List.of("aps:QueryMetrics", "aps:GetSeries", "aps:GetLabels", "aps:GetMetricMetadata");

    /**
     * AMP's datasource plugin: Grafana 13's core Prometheus datasource no longer signs with SigV4 (a SigV4
     * one is migrated to this plugin at start, and provisioning would write it back at the next).
     */
    public static final String AMP_PLUGIN = "grafana-amazonprometheus-datasource";

    /**
     * An Amazon Managed Service for Prometheus workspace at {@code queryUrl} (its
     * {@code https://aps-workspaces.<region>.amazonaws.com/workspaces/<id>}), through AMP's datasource plugin ({@link #AMP_PLUGIN}),
     * signed with SigV4 by the task's or instance's role ({@code sigV4AuthType: default}; Grafana needs
     * {@code GF_AUTH_SIGV4_AUTH_ENABLED=true}), under {@code uid} (the dashboards' {@code prometheus}
     * when it is the default).
     */
    public static Datasource amp(String uid, String queryUrl, String region, String scrapeInterval, boolean isDefault) {
        return new Datasource("Amazon Managed Prometheus", AMP_PLUGIN, uid, Check.notBlank("amp query url", queryUrl), isDefault,
                Map.of("httpMethod", "POST", "timeInterval", scrapeInterval, "sigV4Auth", true, "sigV4AuthType", "default",
                        "sigV4Region", Check.notBlank("amp region", region)));
    }

    /** Prometheus at {@code url} under another name and uid, next to a default AMP datasource. */
    public static Datasource prometheus(String name, String uid, String url, String scrapeInterval, boolean isDefault) {
        return new Datasource(name, "prometheus", uid, Check.notBlank("prometheus url", url), isDefault,
                Map.of("httpMethod", "POST", "timeInterval", scrapeInterval));
    }

    /** Loki at {@code url} (the logs next to the metrics); {@code maxLines} caps one query's lines. */
    public static Datasource loki(String url) {
        return new Datasource("Loki", "loki", "loki", Check.notBlank("loki url", url), false, Map.of("maxLines", 1000));
    }

    /** CloudWatch with the task/instance role's credentials in {@code region}. */
    public static Datasource cloudWatch(String region) {
        return new Datasource("CloudWatch", "cloudwatch", "cloudwatch", null, false,
                Map.of("authType", "default", "defaultRegion", Check.notBlank("cloudwatch region", region)));
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("type", type);
        m.put("uid", uid);
        m.put("access", "proxy");
        if (url != null) {
            m.put("url", url);
        }
        m.put("isDefault", isDefault);
        m.put("editable", false);
        if (!jsonData.isEmpty()) {
            m.put("jsonData", new java.util.TreeMap<>(jsonData));
        }
        return m;
    }
}
