package io.culvert.engine.api;

/**
 * Starts Culvert's built-in demo: a real server and a handful of real clients talking over loopback sockets with
 * in-memory devices (no root, nothing on the host changes), with generated unicast, client-to-client and broadcast
 * traffic. Implementations are thread-safe.
 */
public interface DemoEngine {
    /** The most clients a demo can run (one certificate each). */
    int MAX_CLIENTS = 8;

    /**
     * Starts the server, connects {@code clients} clients and starts the traffic; returns once every client is
     * connected (or fails with everything it started stopped again).
     *
     * @param clients 1 to {@link #MAX_CLIENTS}
     * @param listener receives the server's events (instances connecting, leaving, logs)
     */
    Demo startDemo(int clients, EngineListener listener) throws EngineException;
}
