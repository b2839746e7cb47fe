package io.culvert.engine.api;

/** A running client tunnel. Thread-safe. */
public interface ClientHandle {
    ConnectionState state();

    /** The established tunnel, or null while not connected. */
    ConnectionInfo connectionInfo();

    TrafficStats stats();

    /** Disconnects gracefully (explicit-exit-notify) and removes the device; returns without waiting. */
    void disconnect();

    /** Waits until the client has stopped and cleaned up; false on timeout. */
    boolean awaitStopped(long millis) throws InterruptedException;
}
