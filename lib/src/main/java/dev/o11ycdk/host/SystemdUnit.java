package dev.o11ycdk.host;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A systemd unit file, kept as sections of key/value pairs (keys may repeat, as systemd allows). */
public final class SystemdUnit {
    private final String name;
    private final Map<String, List<String[]>> sections = new LinkedHashMap<>();

    private SystemdUnit(String name) {
        this.name = name;
    }

    /** A simple, hardened service: always restarted, no new privileges, read-only /usr and /etc. */
    public static SystemdUnit service(String name, String description, String user, String execStart) {
        SystemdUnit u = new SystemdUnit(name);
        u.set("Unit", "Description", description);
        u.set("Unit", "Wants", "network-online.target");
        u.set("Unit", "After", "network-online.target");
        u.set("Service", "User", user);
        u.set("Service", "Group", user);
        u.set("Service", "Type", "simple");
        u.set("Service", "ExecStart", execStart);
        u.set("Service", "Restart", "always");
        u.set("Service", "RestartSec", "5s");
        u.set("Service", "NoNewPrivileges", "true");
        u.set("Service", "ProtectSystem", "full");
        u.set("Service", "ProtectHome", "true");
        u.set("Service", "PrivateTmp", "true");
        u.set("Install", "WantedBy", "multi-user.target");
        return u;
    }

    /**
     * A service that runs as root without the sandbox, restarted always: for cfn-hup, which writes
     * under /etc and restarts the other services.
     */
    public static SystemdUnit privileged(String name, String description, String execStart) {
        SystemdUnit u = new SystemdUnit(name);
        u.set("Unit", "Description", description);
        u.set("Unit", "Wants", "network-online.target");
        u.set("Unit", "After", "network-online.target");
        u.set("Service", "Type", "simple");
        u.set("Service", "ExecStart", execStart);
        u.set("Service", "Restart", "always");
        u.set("Service", "RestartSec", "5s");
        u.set("Install", "WantedBy", "multi-user.target");
        return u;
    }

    public SystemdUnit set(String section, String key, String value) {
        sections.computeIfAbsent(section, s -> new ArrayList<>()).add(new String[] {key, value});
        return this;
    }

    public String getName() {
        return name;
    }

    public String getPath() {
        return "/etc/systemd/system/" + name + ".service";
    }

    public String render() {
        StringBuilder sb = new StringBuilder();
        sections.forEach((section, entries) -> {
            if (sb.length() > 0) {
                sb.append('\n');
            }
            sb.append('[').append(section).append("]\n");
            for (String[] e : entries) {
                sb.append(e[0]).append('=').append(e[1]).append('\n');
            }
        });
        return sb.toString();
    }
}
