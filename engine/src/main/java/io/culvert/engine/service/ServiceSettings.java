package io.culvert.engine.service;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * How culvertd is set up. Instances are immutable.
 *
 * @param socket the Unix socket path; its folder is created 0750 if missing
 * @param group the group that owns the socket (mode 0660) and whose members may connect
 * @param adminGroups groups whose members (also in {@code group}) are admins
 * @param maxConnections most simultaneous callers (root is let in beyond it)
 * @param stateDir the service's own folder (0700); hosted servers keep their files in {@code stateDir/servers}
 * @param limits how many connections each caller may hold, and for how long
 */
public record ServiceSettings(Path socket, String group, Set<String> adminGroups, int maxConnections, Path stateDir,
        Limits limits) {
    public static final Path DEFAULT_SOCKET = io.culvert.engine.daemon.protocol.Protocol.DEFAULT_SOCKET;
    /** The unit's {@code StateDirectory=culvert}. */
    public static final Path DEFAULT_STATE_DIR = Path.of("/var/lib/culvert");
    public static final String DEFAULT_GROUP = "culvert";
    public static final Set<String> DEFAULT_ADMIN_GROUPS = Set.of("culvert-admin");
    public static final int DEFAULT_MAX_CONNECTIONS = 64;

    /**
     * What keeps one caller from locking the others out. Instances are immutable.
     *
     * @param perUser most connections one user other than root holds at once (admins included)
     * @param adminReserve connections of {@code maxConnections} only admins may take: operators together hold at
     *        most {@code maxConnections - adminReserve}
     * @param handshakeTimeout how long a new connection has to say hello
     * @param idleTimeout how long a connection may go without a request while nothing of its own runs (no client or
     *        server it started, no watch, no prompt, no request in flight); then it is closed
     */
    public record Limits(int perUser, int adminReserve, Duration handshakeTimeout, Duration idleTimeout) {
        public static final int DEFAULT_PER_USER = 8;
        public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(5);
        public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(5);

        public Limits {
            if (perUser < 1 || adminReserve < 0) {
                throw new IllegalArgumentException("perUser must be positive and adminReserve not negative");
            }
            if (handshakeTimeout.isNegative() || handshakeTimeout.isZero() || idleTimeout.isNegative() || idleTimeout.isZero()) {
                throw new IllegalArgumentException("timeouts must be positive");
            }
        }

        /** The defaults for a service of {@code maxConnections}: a quarter of them (at most 8) kept for admins. */
        public static Limits defaults(int maxConnections) {
            return new Limits(DEFAULT_PER_USER, Math.min(8, maxConnections / 4), DEFAULT_HANDSHAKE_TIMEOUT, DEFAULT_IDLE_TIMEOUT);
        }

        public Limits withTimeouts(Duration handshake, Duration idle) {
            return new Limits(perUser, adminReserve, handshake, idle);
        }
    }

    public ServiceSettings {
        adminGroups = Set.copyOf(adminGroups);
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be positive");
        }
        if (limits.adminReserve() >= maxConnections) {
            throw new IllegalArgumentException("the admin reserve must leave operators some of the " + maxConnections + " connections");
        }
        stateDir = stateDir.toAbsolutePath();
    }

    /** With the default {@link Limits} for {@code maxConnections}. */
    public ServiceSettings(Path socket, String group, Set<String> adminGroups, int maxConnections, Path stateDir) {
        this(socket, group, adminGroups, maxConnections, stateDir, Limits.defaults(maxConnections));
    }

    public ServiceSettings withLimits(Limits l) {
        return new ServiceSettings(socket, group, adminGroups, maxConnections, stateDir, l);
    }
}
