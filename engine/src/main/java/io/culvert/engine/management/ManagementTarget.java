package io.culvert.engine.management;

import io.culvert.engine.api.InstanceInfo;
import io.culvert.engine.api.TrafficStats;
import java.util.List;

/**
 * What the management interface reads from and does to the running client or server. Implementations must be
 * thread-safe: every connection calls them from its own thread.
 */
public interface ManagementTarget {

    /** The signals {@code signal} accepts. */
    enum Signal {
        /** Restart: the client reconnects, the server drops its clients and starts again. */
        SIGHUP,
        /** Soft restart; treated like {@link #SIGHUP}. */
        SIGUSR1,
        /** Write the statistics to the log. */
        SIGUSR2,
        /** Exit. */
        SIGTERM
    }

    /** True for a server (status lists clients, {@code kill} works), false for a client. */
    boolean server();

    /** Client counters; servers may return zeros. */
    TrafficStats stats();

    /** Connected client instances; empty for a client. */
    List<InstanceInfo> instances();

    /**
     * A server's own counters beyond OpenVPN's, shown as {@code GLOBAL_STATS} rows of {@code status} (name → count;
     * e.g. the WebSocket endpoint's refusals, ADR 0046); empty for a client.
     */
    default java.util.Map<String, Long> counters() {
        return java.util.Map.of();
    }

    /** Whether the server is a TAP bridge (its routing table lists MAC addresses). */
    boolean tap();

    /** Disconnects one server instance by its client id; false when there is none. */
    boolean kill(int clientId);

    void signal(Signal signal);

    /**
     * Sends a PUSH_UPDATE carrying {@code options} (comma-separated, as {@code push-update-broad} takes them) to client
     * {@code clientId}, or to every client when it is negative; returns how many clients were sent it (clients that
     * did not announce support are skipped).
     *
     * @throws UnsupportedOperationException when the target is not a server
     * @throws IllegalArgumentException when the options are malformed or not ones an update may carry
     */
    default int pushUpdate(long clientId, String options) {
        throw new UnsupportedOperationException("push-update");
    }

    /**
     * Culvert's path check (ADR 0044): why can't client {@code from} reach {@code to} (a common name or an IP address),
     * with an active probe when {@code probe}. Blocks for seconds.
     *
     * @throws UnsupportedOperationException when the target is not a server
     * @throws io.culvert.engine.api.EngineException when the check cannot run (the server is not running)
     */
    default io.culvert.engine.api.PathCheck diagnose(String from, String to, boolean probe)
            throws io.culvert.engine.api.EngineException {
        throw new UnsupportedOperationException("diagnose");
    }
}
