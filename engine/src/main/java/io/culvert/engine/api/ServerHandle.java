package io.culvert.engine.api;

import java.util.List;

/** A running server. Thread-safe; the lists are snapshots. */
public interface ServerHandle {
    /** Where it listens, "ip:port/proto". */
    String listenAddress();

    List<InstanceInfo> instances();

    List<FlowEdge> flows();

    /** Tells the instance to reconnect and removes it. */
    void kick(int peerId);

    void stop();

    boolean awaitStopped(long millis) throws InterruptedException;
}
