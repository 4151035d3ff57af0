package dev.o11ycdk.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the EC2 host finds the services teams run on their own instances: by EC2 tags, the same names
 * the ECS discovery reads as docker labels ({@value #PORT_TAG}, {@value #PATH_TAG},
 * {@value #SERVICE_TAG}, {@value #ENV_TAG}, {@value #TEAM_TAG}). One Prometheus job discovers every
 * running instance carrying {@value #PORT_TAG} and relabels each to the labels every layout gives a
 * service ({@code service}, {@code job} = service, {@code env}, {@code team}), so prometheus.yml does
 * not change when a team tags an instance or an Auto Scaling group. An instance serves one service
 * (a tag has one value); node_exporter on it is the {@code monitoring=prometheus} job's, apart.
 */
public final class Ec2DiscoveryConfig {
    /** The port Prometheus scrapes on the instance's private IP; an instance without it is not discovered. */
    public static final String PORT_TAG = EcsDiscoveryConfig.PORT_LABEL;
    /** The metrics path (default /metrics). */
    public static final String PATH_TAG = EcsDiscoveryConfig.PATH_LABEL;
    /** The {@code service} and {@code job} label; an instance without it is not scraped. */
    public static final String SERVICE_TAG = EcsDiscoveryConfig.SERVICE_LABEL;
    /** The {@code env} label, else the platform's environment. */
    public static final String ENV_TAG = EcsDiscoveryConfig.ENV_LABEL;
    /** The {@code team} label. */
    public static final String TEAM_TAG = EcsDiscoveryConfig.TEAM_LABEL;

    private Ec2DiscoveryConfig() {
    }

    /** The tags that opt an instance in for a service named {@code name} (env and team when given). */
    public static Map<String, String> tags(String name, int port, String metricsPath, String env, String team) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(PORT_TAG, String.valueOf(Check.port("scrape '" + name + "' port", port)));
        tags.put(PATH_TAG, Check.urlPath("scrape '" + name + "' metricsPath", metricsPath));
        tags.put(SERVICE_TAG, name);
        if (env != null) {
            tags.put(ENV_TAG, env);
        }
        if (team != null) {
            tags.put(TEAM_TAG, team);
        }
        return tags;
    }

    /**
     * The job: running instances with {@value #PORT_TAG} in {@code region} (re-read every 60 s), each
     * scraped at its private IP, that port and the {@value #PATH_TAG} path, labelled {@code service}
     * and {@code job} ({@value #SERVICE_TAG}), {@code env} ({@value #ENV_TAG}, else {@code defaultEnv}),
     * {@code team}, and {@code instance} (its address), {@code instance_id}, {@code availability_zone},
     * {@code instance_name} (its Name tag, which an Auto Scaling group's instances share).
     * An instance without a service name, or naming a platform job, is dropped; a response without a
     * Content-Type is read as the text format.
     *
     * @param reserved job names a service may not take
     */
    public static ScrapeJob scrapeJob(String jobName, String region, String defaultEnv, List<String> reserved) {
        String tag = "__meta_ec2_tag_";
        Map<String, List<String>> filters = new LinkedHashMap<>();
        filters.put("tag-key", List.of(PORT_TAG));
        // A stopped or terminated instance (an Auto Scaling group's scale-in) is no service down.
        filters.put("instance-state-name", List.of("running"));
        return ScrapeJob.builder(jobName)
                // The port is the instance's tag; this one is replaced below.
                .ec2Sd(region, 80, filters)
                .fallbackScrapeProtocol(ScrapeJob.ScrapeProtocol.PROMETHEUS_TEXT_0_0_4)
                .keep(List.of(tag + SERVICE_TAG, tag + PORT_TAG), ".+;[0-9]{1,5}")
                .drop(List.of(tag + SERVICE_TAG), "(" + String.join("|", reserved) + ")")
                .relabel(List.of("__meta_ec2_private_ip", tag + PORT_TAG), "__address__", "(.+);([0-9]{1,5})", "$1:$2")
                .relabel(List.of(tag + PATH_TAG), "__metrics_path__", "(/.*)", "$1")
                .relabel(List.of(tag + SERVICE_TAG), "service", "(.+)", "$1")
                .relabel(List.of(tag + SERVICE_TAG), "job", "(.+)", "$1")
                .relabel(List.of(tag + ENV_TAG), "env", "(.+)", "$1")
                .relabel(List.of("env"), "env", "", Check.notBlank("environment", defaultEnv))
                .relabel(List.of(tag + TEAM_TAG), "team", "(.+)", "$1")
                // instance stays the address: a group's instances share their Name tag.
                .relabel(List.of("__meta_ec2_instance_id"), "instance_id", "(.+)", "$1")
                .relabel(List.of("__meta_ec2_availability_zone"), "availability_zone", "(.+)", "$1")
                .relabel(List.of("__meta_ec2_tag_Name"), "instance_name", "(.+)", "$1")
                .build();
    }
}
