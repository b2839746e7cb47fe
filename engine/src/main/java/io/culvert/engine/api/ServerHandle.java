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

    /**
     * Sends a PUSH_UPDATE (OpenVPN 2.7) carrying {@code options}, comma-separated as the management command
     * {@code push-update-broad} takes them ({@code "route 10.9.0.0 255.255.255.0, -dns"}), to client {@code peerId},
     * or to every client when it is negative. Clients that did not announce support in their peer-info are skipped.
     *
     * @return how many clients were sent it
     * @throws EngineException CONFIG_INVALID when the options are malformed or not ones an update may carry, or
     *     when this server cannot send updates
     */
    default int pushUpdate(int peerId, String options) throws EngineException {
        throw new EngineException(ErrorKind.CONFIG_INVALID, "this server cannot send PUSH_UPDATE messages");
    }

    /**
     * After the client-config-dir entry of {@code commonName} changed (its routes in the server manager): sends its
     * connected clients their whole route set again as a PUSH_UPDATE, so they need not reconnect. A server hosted
     * elsewhere (culvertd) does this itself when it gets the entry through {@link #updateFiles}, so by default
     * nothing happens here.
     *
     * @return how many connected clients were sent an update
     */
    default int refreshClientRoutes(String commonName) {
        return 0;
    }

    /**
     * The rules gateway mode ({@code culvert-gateway}) and the NAT routes ({@code culvert-nat-route}) hold in
     * Culvert's own nftables table for this server, as the kernel lists them now, one per line; empty when the server
     * forwards nothing. A server hosted elsewhere (culvertd) does not report them yet, so by default: empty.
     */
    default List<String> natRules() {
        return List.of();
    }

    /**
     * "Why can't {@code from} reach {@code to}?": the server's checks of the path between client {@code from} (a
     * common name) and {@code to} (a common name or an IP address outside the VPN), from its real state, with the
     * counters of the last seconds; with {@code probe}, also an echo request from the server's tunnel address to B and
     * a measurement of the path MTU through the tunnel (ADR 0044). Blocks for the counting window and the probe
     * (seconds), never on the server's own thread.
     *
     * @throws EngineException CONFIG_INVALID when this server cannot diagnose paths (one hosted elsewhere)
     */
    default PathCheck diagnose(String from, String to, boolean probe) throws EngineException {
        throw new EngineException(ErrorKind.CONFIG_INVALID, "this server cannot check paths");
    }
}
