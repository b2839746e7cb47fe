package io.culvert.engine.it;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A client and a server, each either stock openvpn or Culvert, started in a server and a client namespace with the
 * same configs; closing stops both (client first). Measures TCP throughput through the tunnel with iperf3.
 * Not thread-safe.
 */
public final class TunnelPair implements AutoCloseable {
    private static final Pattern RECEIVED = Pattern.compile("\"sum_received\"\\s*:\\s*\\{[^}]*\"bits_per_second\"\\s*:\\s*([0-9.eE+-]+)");

    /** Which implementation runs at each end. */
    public enum Pairing {
        CULVERT_CULVERT("Culvert↔Culvert", true, true),
        STOCK_STOCK("openvpn↔openvpn", false, false),
        CULVERT_CLIENT_STOCK_SERVER("Culvert client↔stock server", true, false),
        STOCK_CLIENT_CULVERT_SERVER("stock client↔Culvert server", false, true);

        private final String label;
        private final boolean culvertClient;
        private final boolean culvertServer;

        Pairing(String label, boolean culvertClient, boolean culvertServer) {
            this.label = label;
            this.culvertClient = culvertClient;
            this.culvertServer = culvertServer;
        }

        public String label() {
            return label;
        }

        public boolean culvertClient() {
            return culvertClient;
        }

        public boolean culvertServer() {
            return culvertServer;
        }
    }

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

    /**
     * Mbit/s an iperf3 TCP stream moved through the tunnel in {@code seconds}: client→server, or server→client
     * with {@code reverse}; NaN when iperf3 gave no result.
     */
    public static double iperf(Netns srv, Netns cli, Path dir, int seconds, boolean reverse) {
        Path log = dir.resolve("iperf3-server-" + System.nanoTime() + ".log");
        try (OpenvpnProcess iperfServer = OpenvpnProcess.command(srv, dir, log, "iperf3", "-s", "-1", "--forceflush", "-B",
                Scenario.SERVER_TUNNEL_ADDR)) {
            iperfServer.awaitLine("Server listening", Duration.ofSeconds(10));
            List<String> cmd = new ArrayList<>(List.of("iperf3", "-c", Scenario.SERVER_TUNNEL_ADDR, "-t", Integer.toString(seconds),
                    "-J", "--connect-timeout", "5000"));
            if (reverse) {
                cmd.add("-R");
            }
            String json = cli.exec(Duration.ofSeconds(seconds + 30L), cmd.toArray(String[]::new)).output();
            Matcher m = RECEIVED.matcher(json);
            return m.find() ? Double.parseDouble(m.group(1)) / 1e6 : Double.NaN;
        }
    }

    @Override
    public void close() {
        client.close();
        server.close();
    }
}
