package dev.o11ycdk.test.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A result file of the ECS discovery sidecar, as the real ADOT collector's ecs_observer wrote it
 * (see resources/ecs-discovery/README.md): entries of {@code targets} and {@code labels}. Tests swap
 * the task addresses for stand-ins on loopback and write it where a real Prometheus reads it.
 */
public final class DiscoveryFixture {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private final List<Map<String, Object>> entries;

    private DiscoveryFixture(List<Map<String, Object>> entries) {
        this.entries = entries;
    }

    @SuppressWarnings("unchecked")
    public static DiscoveryFixture load() {
        try (InputStream in = DiscoveryFixture.class.getResourceAsStream("/ecs-discovery/ecs-o11y-platform.yaml")) {
            return new DiscoveryFixture(new ArrayList<>(YAML.readValue(in, List.class)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The entry whose ECS task group is {@code service:<ecsService>}. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> entry(String ecsService) {
        return entries.stream().filter(e -> ("service:" + ecsService).equals(((Map<String, Object>) e.get("labels")).get("__meta_ecs_task_group")))
                .findFirst().orElseThrow(() -> new AssertionError("no fixture entry for " + ecsService));
    }

    @SuppressWarnings("unchecked")
    public static String metricsPath(Map<String, Object> entry) {
        return String.valueOf(((Map<String, Object>) entry.get("labels")).get("__metrics_path__"));
    }

    /** The entries with each task's address swapped for the one in {@code addresses} (ECS service to host:port). */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> at(Map<String, String> addresses) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> e : entries) {
            String group = String.valueOf(((Map<String, Object>) e.get("labels")).get("__meta_ecs_task_group"));
            String service = group.replaceFirst("^service:", "");
            if (addresses.containsKey(service)) {
                Map<String, Object> copy = new LinkedHashMap<>(e);
                copy.put("targets", List.of(addresses.get(service)));
                out.add(copy);
            }
        }
        return out;
    }

    /** A copy of {@code entry} as another ECS service with another docker-label service name, at {@code address}. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> renamed(Map<String, Object> entry, String ecsService, String service, String address) {
        Map<String, Object> labels = new LinkedHashMap<>((Map<String, Object>) entry.get("labels"));
        labels.put("__meta_ecs_task_group", "service:" + ecsService);
        labels.put("__meta_ecs_container_labels_O11Y_SERVICE", service);
        Map<String, Object> copy = new LinkedHashMap<>();
        copy.put("targets", List.of(address));
        copy.put("labels", labels);
        return copy;
    }

    /** A copy of {@code entry} at {@code address} with one label set to {@code value}. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> withLabel(Map<String, Object> entry, String label, String value, String address) {
        Map<String, Object> labels = new LinkedHashMap<>((Map<String, Object>) entry.get("labels"));
        labels.put(label, value);
        Map<String, Object> copy = new LinkedHashMap<>();
        copy.put("targets", List.of(address));
        copy.put("labels", labels);
        return copy;
    }

    /** Writes entries as the sidecar does: the whole file, in place. */
    public static void write(Path file, List<Map<String, Object>> entries) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, YAML.writeValueAsString(entries));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
