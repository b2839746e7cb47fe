package io.culvert.engine.it;

import io.culvert.engine.testkit.TestPki;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A {@link Topology} with one client ({@code srv} and {@code cli} namespaces on 10.201.1.0/24), the configs of one
 * {@link Scenario} and a running stock openvpn server; clients are started on demand. {@link #close()} tears
 * everything down. Not thread-safe.
 */
public final class InteropRig implements AutoCloseable {

    /** The port the server listens on (inside its own namespace, so it never collides). */
    public static final int PORT = 1194;
    /** Default wait for a tunnel to come up. */
    public static final Duration STARTUP = Duration.ofSeconds(90);

    private final Scenario scenario;
    private final Path dir;
    private final String serverExtra;
    private final String clientExtra;
    private Topology topology;
    private OpenvpnProcess server;

    private InteropRig(Scenario scenario, Path dir, String serverExtra, String clientExtra) {
        this.scenario = scenario;
        this.dir = dir;
        this.serverExtra = serverExtra;
        this.clientExtra = clientExtra;
    }

    /** Builds the rig in {@code dir} and waits until the stock server is initialized. */
    public static InteropRig start(Scenario scenario, Path dir) {
        return start(scenario, dir, "", "");
    }

    /**
     * Like {@link #start(Scenario, Path)}, with {@code serverExtra} appended to the server config and
     * {@code clientExtra} to both client configs (later lines override earlier ones in openvpn).
     */
    public static InteropRig start(Scenario scenario, Path dir, String serverExtra, String clientExtra) {
        InteropRig rig = new InteropRig(scenario, dir, serverExtra, clientExtra);
        try {
            rig.setUp();
            return rig;
        } catch (RuntimeException | Error e) {
            rig.close();
            throw e;
        }
    }

    private void setUp() {
        topology = Topology.create(dir, "srv", List.of("cli"));
        TestPki pki = topology.pki();
        topology.write("server.conf", scenario.serverConfig(pki, serverAddr(), PORT) + serverExtra);
        topology.write("client.ovpn", scenario.clientConfig(pki, serverAddr(), PORT, true) + clientExtra);
        topology.write("client-files.conf", scenario.clientConfig(pki, serverAddr(), PORT, false) + clientExtra);
        server = topology.startStock(serverNs(), serverConfig());
        server.awaitInitialized(STARTUP);
    }

    /** Starts {@code openvpn} as client with the unified profile and waits for the tunnel. */
    public OpenvpnProcess startStockClient() {
        return topology.startStock(clientNs(), clientConfig()).awaitInitialized(STARTUP);
    }

    /** Starts {@code <repo>/culvert client --config client.ovpn} and waits for the tunnel. */
    public OpenvpnProcess startCulvertClient() {
        return topology.track(OpenvpnProcess.culvertClient(clientNs(), clientConfig(), dir)).awaitInitialized(STARTUP);
    }

    /**
     * Starts any client command in the client namespace, {@code %s} in an argument replaced by the
     * unified profile's path, output to {@code dir/<logName>}; waits for the tunnel.
     */
    public OpenvpnProcess startClient(String logName, String... argv) {
        String[] cmd = argv.clone();
        for (int i = 0; i < cmd.length; i++) {
            cmd[i] = cmd[i].replace("%s", clientConfig().toString());
        }
        return topology.track(OpenvpnProcess.command(clientNs(), OpenvpnProcess.repoRoot(), dir.resolve(logName), cmd))
                .awaitInitialized(STARTUP);
    }

    /** Pings the server's tunnel address from the client namespace. */
    public PingResult pingServer(int count) {
        return clientNs().ping(Scenario.SERVER_TUNNEL_ADDR, count);
    }

    /** Sends {@code bytes} through the tunnel from client to server, verified. */
    public TcpBlast.Result blastToServer(long bytes) {
        return TcpBlast.transfer(clientNs(), serverNs(), Scenario.SERVER_TUNNEL_ADDR, bytes);
    }

    public Scenario scenario() {
        return scenario;
    }

    public Path dir() {
        return dir;
    }

    /** The topology under the rig. */
    public Topology topology() {
        return topology;
    }

    public Netns serverNs() {
        return topology.serverNs();
    }

    public Netns clientNs() {
        return topology.clientNs(1);
    }

    public VethLink link() {
        return topology.link(1);
    }

    public TestPki pki() {
        return topology.pki();
    }

    public OpenvpnProcess server() {
        return server;
    }

    /** The server's veth address, which clients connect to. */
    public String serverAddr() {
        return link().addrA();
    }

    public Path serverConfig() {
        return dir.resolve("server.conf");
    }

    /** Unified client profile (PKI and keys inline). */
    public Path clientConfig() {
        return dir.resolve("client.ovpn");
    }

    /** Client config that names the PKI files by absolute path. */
    public Path clientConfigWithFiles() {
        return dir.resolve("client-files.conf");
    }

    /** Names of the namespaces this rig created. */
    public List<String> namespaceNames() {
        return topology == null ? List.of() : topology.namespaceNames();
    }

    /** Stops clients and server (newest first), then deletes the namespaces. */
    @Override
    public void close() {
        if (topology != null) {
            topology.close();
        }
    }
}
