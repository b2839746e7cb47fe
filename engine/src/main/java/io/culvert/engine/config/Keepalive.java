package io.culvert.engine.config;

/**
 * Liveness of the tunnel: pings, the restart and exit timeouts, the inactivity limit and
 * {@code explicit-exit-notify}. Zero means off throughout. Instances are immutable.
 *
 * @param ping {@code ping} seconds
 * @param pingRestart {@code ping-restart} seconds
 * @param pingExit {@code ping-exit} seconds
 * @param inactiveSeconds {@code inactive N}
 * @param inactiveBytes {@code inactive N BYTES}
 * @param explicitExitNotify {@code explicit-exit-notify} count (1 for a bare directive)
 * @param sessionTimeout {@code session-timeout} seconds: the session ends this long after it started, whatever its
 *                       traffic (a client exits; a server drops that client's instance)
 */
public record Keepalive(int ping, int pingRestart, int pingExit, int inactiveSeconds, long inactiveBytes,
                        int explicitExitNotify, int sessionTimeout) {
    /** Everything off, as in OpenVPN without these directives. */
    public static final Keepalive DEFAULTS = new Keepalive(0, 0, 0, 0, 0, 0, 0);

    /**
     * The largest {@code ping}, {@code ping-restart}, {@code ping-exit} and {@code keepalive} value, one day, as OpenVPN
     * 2.7 enforces it ({@code PING_TIMEOUT_MAX}): 2.7 refuses a config beyond it, and a push beyond it fails the pull.
     */
    public static final int PING_TIMEOUT_MAX = 86_400;

    /** Without a session timeout. */
    public Keepalive(int ping, int pingRestart, int pingExit, int inactiveSeconds, long inactiveBytes,
                     int explicitExitNotify) {
        this(ping, pingRestart, pingExit, inactiveSeconds, inactiveBytes, explicitExitNotify, 0);
    }
}
