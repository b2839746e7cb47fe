package io.culvert.engine.it;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A client and a server, each either stock openvpn or Culvert, started in a server and a client namespace with the
 * same configs; closing stops both (client first). Measures TCP throughput through the tunnel with iperf3.
 * Not thread-safe.
 */
public final class TunnelPair implements AutoCloseable {

    private static final Duration STARTUP = Duration.ofSeconds(60);
    private final OpenvpnProcess server;
    private final OpenvpnProcess client;

    private TunnelPair(OpenvpnProcess server, OpenvpnProcess client) {
        this.server = server;
        this.client = client;
    }

    /**
     * Starts the server in {@code srv}, then the client in {@code cli}, and waits until both are initialised.
     * {@code culvert} is the Culvert launcher (normally {@code <repo>/culvert}); logs go to {@code dir}, named
     * after {@code tag}.
     */
    public static TunnelPair start(Pairing pairing, Path culvert, Netns srv, Netns cli, Path serverConf, Path clientConf,
            Path dir, String tag) {
        OpenvpnProcess server = peer(pairing.culvertServer(), culvert, "server", srv, serverConf, dir, tag);
        OpenvpnProcess client = null;
        try {
            server.awaitInitialized(STARTUP);
            client = peer(pairing.culvertClient(), culvert, "client", cli, clientConf, dir, tag);
            client.awaitInitialized(STARTUP);
            return new TunnelPair(server, client);
        } catch (RuntimeException | AssertionError e) {
            if (client != null) {
                client.close();
            }
            server.close();
            throw e;
        }
    }

    /** Culvert's launcher or stock openvpn in {@code mode} (client or server), logging to {@code dir/<tag>-<kind>-<mode>.log}. */
    private static OpenvpnProcess peer(boolean ours, Path culvert, String mode, Netns ns, Path conf, Path dir, String tag) {
        return ours
                ? OpenvpnProcess.culvert(ns, culvert, mode, conf, dir, dir.resolve(tag + "-culvert-" + mode + ".log"))
                : OpenvpnProcess.stock(ns, NetnsCondition.OPENVPN, conf, dir, dir.resolve(tag + "-stock-" + mode + ".log"));
    }

    public OpenvpnProcess server() {
        return server;
    }

    public OpenvpnProcess client() {
        return client;
    }

    @Override
    public void close() {
        client.close();
        server.close();
    }
}
