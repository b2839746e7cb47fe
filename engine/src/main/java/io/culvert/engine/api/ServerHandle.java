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

    /**
     * Hands a running server new copies of the files it re-reads (CRL, ccd entries) when it runs from copies of
     * its own, as in culvertd. An in-process server reads its folder directly, so by default nothing happens.
     *
     * @throws EngineException when the host refused or could not write the files
     */
    default void updateFiles(ServerFileUpdate update) throws EngineException {
        // in-process servers re-read their own files
    }
}
