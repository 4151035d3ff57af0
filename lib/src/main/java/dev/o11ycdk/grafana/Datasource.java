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
        return new Datasource("Prometheus", "prometheus", "prometheus", Check.notBlank("prometheus url", url), isDefault,
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
