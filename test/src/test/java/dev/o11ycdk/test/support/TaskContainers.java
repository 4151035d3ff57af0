package dev.o11ycdk.test.support;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The containers of a synthesized template as ECS would run them: image, entry point, command,
 * environment, secrets, user, mounts (each resolved to its volume: an EFS access point with its
 * POSIX user, or a task-local volume) and health check, read from the template's JSON and nothing
 * else. Intrinsics in values are resolved to stand-in strings ({@code Ref X} to {@code ref-X}).
 */
public final class TaskContainers {
    private TaskContainers() {
    }

    /** One container definition. {@code entryPoint}/{@code command} are null where the image's own apply. */
    public record Container(String taskDefinition, String name, String image, List<String> entryPoint, List<String> command,
            Map<String, String> environment, List<String> secrets, String user, Boolean readonlyRootFilesystem, Integer memory,
            List<Mount> mounts, List<String> healthCheck, Integer port) {

        public int uid() {
            return Integer.parseInt(user.split(":")[0]);
        }

        public int gid() {
            return user.contains(":") ? Integer.parseInt(user.split(":")[1]) : uid();
        }
    }

    /** A mount point and its volume: {@code efsUid} is the access point's POSIX user, null for a task-local volume. */
    public record Mount(String containerPath, boolean readOnly, String volume, Integer efsUid) {
        public boolean taskLocal() {
            return efsUid == null;
        }
    }

    /** Every container of every task definition in {@code template}, by container name. */
    @SuppressWarnings("unchecked")
    public static Map<String, Container> of(Map<String, Object> template) {
        Map<String, Object> resources = Cfn.resources(template);
        Map<String, Container> all = new LinkedHashMap<>();
        resources.forEach((id, r) -> {
            Map<String, Object> res = (Map<String, Object>) r;
            if (!"AWS::ECS::TaskDefinition".equals(res.get("Type"))) {
                return;
            }
            Map<String, Object> props = (Map<String, Object>) res.get("Properties");
            Map<String, Map<String, Object>> volumes = new LinkedHashMap<>();
            for (Map<String, Object> v : (List<Map<String, Object>>) props.getOrDefault("Volumes", List.of())) {
                volumes.put((String) v.get("Name"), v);
            }
            for (Map<String, Object> c : (List<Map<String, Object>>) props.get("ContainerDefinitions")) {
                List<Mount> mounts = new ArrayList<>();
                for (Map<String, Object> m : (List<Map<String, Object>>) c.getOrDefault("MountPoints", List.of())) {
                    String volume = (String) m.get("SourceVolume");
                    Map<String, Object> v = volumes.get(volume);
                    if (v == null) {
                        throw new AssertionError(id + " mounts an undeclared volume " + volume);
                    }
                    mounts.add(new Mount((String) m.get("ContainerPath"), Boolean.TRUE.equals(m.get("ReadOnly")), volume,
                            efsUid(resources, v)));
                }
                Map<String, String> env = new LinkedHashMap<>();
                for (Map<String, Object> e : (List<Map<String, Object>>) c.getOrDefault("Environment", List.of())) {
                    env.put((String) e.get("Name"), resolve(e.get("Value")));
                }
                List<String> secrets = ((List<Map<String, Object>>) c.getOrDefault("Secrets", List.of())).stream()
                        .map(s -> (String) s.get("Name")).toList();
                Map<String, Object> hc = (Map<String, Object>) c.get("HealthCheck");
                List<Map<String, Object>> ports = (List<Map<String, Object>>) c.getOrDefault("PortMappings", List.of());
                String name = (String) c.get("Name");
                if (all.containsKey(name)) {
                    throw new AssertionError("two containers named " + name);
                }
                all.put(name, new Container(id, name, resolve(c.get("Image")), strings(c.get("EntryPoint")), strings(c.get("Command")),
                        env, secrets, (String) c.get("User"), (Boolean) c.get("ReadonlyRootFilesystem"), (Integer) c.get("Memory"),
                        List.copyOf(mounts), hc == null ? null : strings(hc.get("Command")),
                        ports.isEmpty() ? null : (Integer) ports.get(0).get("ContainerPort")));
            }
        });
        return all;
    }

    @SuppressWarnings("unchecked")
    private static Integer efsUid(Map<String, Object> resources, Map<String, Object> volume) {
        Map<String, Object> efs = (Map<String, Object>) volume.get("EFSVolumeConfiguration");
        if (efs == null) {
            if (volume.containsKey("Host") || volume.containsKey("DockerVolumeConfiguration")) {
                throw new AssertionError("volume " + volume + " is neither EFS nor task-local (Fargate has no host paths)");
            }
            return null;
        }
        Object ap = ((Map<String, Object>) efs.get("AuthorizationConfig")).get("AccessPointId");
        String apId = (String) ((Map<String, Object>) ap).get("Ref");
        Map<String, Object> accessPoint = (Map<String, Object>) ((Map<String, Object>) resources.get(apId)).get("Properties");
        return Integer.valueOf((String) ((Map<String, Object>) accessPoint.get("PosixUser")).get("Uid"));
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object list) {
        return list == null ? null : ((List<Object>) list).stream().map(TaskContainers::resolve).toList();
    }

    /** A value as the container would see it; intrinsics become recognisable stand-ins. */
    @SuppressWarnings("unchecked")
    public static String resolve(Object value) {
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Number n) {
            return n.toString();
        }
        if (value instanceof Map<?, ?> m && m.size() == 1) {
            if (m.containsKey("Ref")) {
                return "ref-" + m.get("Ref");
            }
            if (m.containsKey("Fn::GetAtt")) {
                return "getatt-" + String.join(".", ((List<Object>) m.get("Fn::GetAtt")).stream().map(String::valueOf).toList());
            }
            if (m.containsKey("Fn::Join")) {
                List<Object> join = (List<Object>) m.get("Fn::Join");
                return ((List<Object>) join.get(1)).stream().map(TaskContainers::resolve).collect(Collectors.joining((String) join.get(0)));
            }
        }
        throw new AssertionError("cannot resolve " + value);
    }
}
