package io.culvert.engine.it;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A client and a server, each either stock openvpn or Culvert, started in a server and a client namespace with the
 * same configs; closing stops both (client first). Measures TCP throughput through the tunnel with iperf3.
 * Not thread-safe.
 */
public final class TunnelPair implements AutoCloseable {

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
        OpenvpnProcess server = pairing.culvertServer()
                ? OpenvpnProcess.command(srv, dir, dir.resolve(tag + "-culvert-server.log"), culvert.toString(), "server",
                        "--config", serverConf.toString())
                : OpenvpnProcess.command(srv, dir, dir.resolve(tag + "-stock-server.log"), NetnsCondition.OPENVPN.toString(),
                        "--cd", dir.toString(), "--config", serverConf.toString());
        OpenvpnProcess client = null;
        try {
            server.awaitInitialized(Duration.ofSeconds(60));
            client = pairing.culvertClient()
                    ? OpenvpnProcess.command(cli, dir, dir.resolve(tag + "-culvert-client.log"), culvert.toString(), "client",
                            "--config", clientConf.toString())
                    : OpenvpnProcess.command(cli, dir, dir.resolve(tag + "-stock-client.log"), NetnsCondition.OPENVPN.toString(),
                            "--cd", dir.toString(), "--config", clientConf.toString());
            client.awaitInitialized(Duration.ofSeconds(60));
            return new TunnelPair(server, client);
        } catch (RuntimeException | AssertionError e) {
            if (client != null) {
                client.close();
            }
            server.close();
            throw e;
        }
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
