package io.culvert.engine.service;

import java.nio.file.Path;
import java.util.Set;

/**
 * How culvertd is set up. Instances are immutable.
 *
 * @param socket the Unix socket path; its folder is created 0750 if missing
 * @param group the group that owns the socket (mode 0660) and whose members may connect
 * @param adminGroups groups whose members (also in {@code group}) are admins
 * @param maxConnections most simultaneous callers
 * @param stateDir the service's own folder (0700); hosted servers keep their files in {@code stateDir/servers}
 */
public record ServiceSettings(Path socket, String group, Set<String> adminGroups, int maxConnections, Path stateDir) {
    public static final Path DEFAULT_SOCKET = Path.of("/run/culvert/culvertd.sock");
    /** The unit's {@code StateDirectory=culvert}. */
    public static final Path DEFAULT_STATE_DIR = Path.of("/var/lib/culvert");
    public static final String DEFAULT_GROUP = "culvert";
    public static final Set<String> DEFAULT_ADMIN_GROUPS = Set.of("culvert-admin");

    public ServiceSettings {
        adminGroups = Set.copyOf(adminGroups);
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be positive");
        }
        stateDir = stateDir.toAbsolutePath();
    }
}
