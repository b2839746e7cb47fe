package io.culvert.engine.server;

import io.culvert.engine.config.ServerClients;
import java.time.InstantSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code connect-freq} and {@code connect-freq-initial} for UDP clients, counted as OpenVPN 2.7 counts them, in whole
 * seconds. connect-freq ({@code frequency_limit} in otime.c): a window opens at the first new session and at most
 * {@code n} sessions start in it; it closes {@code s} seconds later. connect-freq-initial ({@code reflect_filter.c}):
 * each reply to a client's first packet counts, at most {@code n} in a period of {@code s} seconds, and a session that
 * completes its three-way handshake is taken off the count again. Not thread-safe: the server thread only.
 */
final class ConnectLimits {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectLimits.class);

    private final ServerClients.Rate sessions;
    private final ServerClients.Rate initial;
    private final InstantSource clock;
    private long sessionsWindow;
    private int sessionsCount;
    private long initialWindow;
    private long initialCount;
    private boolean initialWarned;

    /** Either rate may be null (that limit is not applied). */
    ConnectLimits(ServerClients.Rate sessions, ServerClients.Rate initial, InstantSource clock) {
        this.sessions = sessions;
        this.initial = initial;
        this.clock = clock;
    }

    /** Whether connect-freq-initial is configured (else the caller keeps its own limit). */
    boolean limitsInitial() {
        return initial != null;
    }

    /** One reply to a first packet: false when connect-freq-initial says to drop it. */
    boolean initialAllowed() {
        long now = clock.millis() / 1000;
        if (now > initialWindow + initial.seconds()) {
            initialWindow = now;
            initialCount = 0;
            initialWarned = false;
        }
        boolean over = ++initialCount > initial.max();
        if (over && !initialWarned) {
            initialWarned = true;
            LOG.warn("Note: --connect-freq-initial {} {} rate limit exceeded, dropping initial handshake packets"
                    + " for the next {} seconds", initial.max(), initial.seconds(),
                    initialWindow + initial.seconds() - now);
        }
        return !over;
    }

    /**
     * A client completed the three-way handshake: false when connect-freq refuses a new session now; when it may
     * start, it no longer counts against connect-freq-initial.
     */
    boolean sessionAllowed() {
        if (sessions != null) {
            long now = clock.millis() / 1000;
            if (now >= sessionsWindow + sessions.seconds()) {
                sessionsWindow = now;
                sessionsCount = 0;
            }
            if (++sessionsCount > sessions.max()) {
                return false;
            }
        }
        if (initialCount > 0) {
            initialCount--;
        }
        return true;
    }
}
