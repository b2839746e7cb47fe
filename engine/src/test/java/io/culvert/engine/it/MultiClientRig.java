package io.culvert.engine.it;

import io.culvert.engine.testkit.Pause;
import io.culvert.engine.testkit.TestPki;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A {@link Topology} of a server namespace and N client namespaces for one {@link Scenario}. Client {@code i}
 * (1-based) has its own veth pair and /24: server side 10.201.i.1, client side 10.201.i.2, so the server config has no
 * {@code local}
 * and the server listens on every address. The PKI has one certificate per client (CN {@code client<i>}, or the
 * names given to {@link #createNamed}); the
 * server config ({@code dir/server.conf}) adds {@code status dir/status.log 1} and the caller's extra lines.
 * Servers (Culvert or stock, one at a time) and clients start on demand; {@link #close()} tears everything down.
 * Not thread-safe.
 */
public final class MultiClientRig implements AutoCloseable {

    /** The port the server listens on. */
    public static final int PORT = 1194;
    private static final Duration SERVER_STARTUP = Duration.ofSeconds(60);
    private static final Duration CLIENT_STARTUP = Duration.ofSeconds(45);
    private static final Pattern TUNNEL_ADDR = Pattern.compile("^\\d+:\\s+(\\S+)\\s+inet (10\\.77\\.0\\.\\d+)",
            Pattern.MULTILINE);

    private final Scenario scenario;
    private final Path dir;
    private final int count;
    private final List<String> names;
    private final List<OpenvpnProcess> clients = new ArrayList<>();
    private Topology topology;
    private OpenvpnProcess server;

    private MultiClientRig(Scenario scenario, Path dir, List<String> names) {
        this.scenario = scenario;
        this.dir = dir;
        this.count = names.size();
        this.names = List.copyOf(names);
    }

    /** Creates namespaces, links, PKI and configs; starts nothing. */
    public static MultiClientRig create(Scenario scenario, Path dir, int clients, String... extraServerLines) {
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= clients; i++) {
            names.add("client" + i);
        }
        return createNamed(scenario, dir, names, extraServerLines);
    }

    /** As {@link #create}, with one client per common name in {@code names} (client i has names[i - 1]). */
    public static MultiClientRig createNamed(Scenario scenario, Path dir, List<String> names, String... extraServerLines) {
        MultiClientRig rig = new MultiClientRig(scenario, dir, names);
        try {
            rig.setUp(extraServerLines);
            return rig;
        } catch (RuntimeException | Error e) {
            rig.close();
            throw e;
        }
    }

    private void setUp(String... extraServerLines) {
        List<String> labels = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            labels.add("mcl" + i);
        }
        topology = Topology.create(dir, "msrv", labels);
        TestPki pki = topology.pki();
        for (int i = 1; i <= count; i++) {
            Path[] id = pki.issueClient(commonName(i));
            write("client" + i + ".ovpn", scenario.clientConfig(pki, link(i).addrA(), PORT, true, id[0], id[1]));
        }
        StringBuilder conf = new StringBuilder(scenario.serverConfig(pki, null, PORT));
        conf.append("status ").append(statusFile()).append(" 1\n");
        for (String line : extraServerLines) {
            conf.append(line).append('\n');
        }
        write("server.conf", conf.toString());
    }

    /** Starts {@code ./culvert server --config server.conf} and waits until it is initialized. */
    public OpenvpnProcess startCulvertServer() {
        return startServer(() -> topology.startCulvert(serverNs(), "server", serverConfig(), "culvert-server.log"));
    }

    /** Starts stock {@code openvpn --config server.conf} and waits until it is initialized. */
    public OpenvpnProcess startStockServer() {
        return startServer(() -> topology.startStock(serverNs(), serverConfig()));
    }

    /** Starts stock OpenVPN 2.7 ({@link StockOpenvpn#openvpn27()}) on server.conf and waits until it is initialized. */
    public OpenvpnProcess startStock27Server() {
        return startServer(() -> topology.startStock(serverNs(), StockOpenvpn.openvpn27(), serverConfig(),
                "openvpn27-server.log"));
    }

    private OpenvpnProcess startServer(java.util.function.Supplier<OpenvpnProcess> start) {
        if (server != null) {
            throw new IllegalStateException("a server is already running: " + server);
        }
        deleteQuietly(statusFile());
        server = start.get();
        server.awaitInitialized(SERVER_STARTUP);
        return server;
    }

    /** Stops the clients, then the server. */
    public void stopServer() {
        stopClients();
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    /**
     * SIGKILLs the server (its whole process tree, so a launcher script's JVM dies too): it says nothing to its
     * clients on the way out. Clients keep running; a server can be started again afterwards.
     */
    public void killServer() {
        if (server == null) {
            throw new IllegalStateException("no server is running");
        }
        Process p = server.process();
        p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                throw new AssertionError("server survived SIGKILL: " + server);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        server = null;
    }

    /** Starts stock {@code openvpn} in every client namespace at once and waits for all tunnels. */
    public List<OpenvpnProcess> startStockClients() {
        return startClients(i -> topology.startStock(clientNs(i), clientConfig(i)));
    }

    /** Starts {@code ./culvert client} in every client namespace at once and waits for all tunnels. */
    public List<OpenvpnProcess> startCulvertClients() {
        return startClients(i -> topology.startCulvert(clientNs(i), "client", clientConfig(i), "culvert-client" + i + ".log"));
    }

    /** Starts stock {@code openvpn} in client {@code i}'s namespace and waits for its tunnel. */
    public OpenvpnProcess startStockClient(int i) {
        OpenvpnProcess p = topology.startStock(clientNs(i), clientConfig(i));
        clients.add(p);
        return p.awaitInitialized(CLIENT_STARTUP);
    }

    /** Starts {@code ./culvert client} in client {@code i}'s namespace and waits for its tunnel. */
    public OpenvpnProcess startCulvertClient(int i) {
        OpenvpnProcess p = topology.startCulvert(clientNs(i), "client", clientConfig(i), "culvert-client" + i + ".log");
        clients.add(p);
        return p.awaitInitialized(CLIENT_STARTUP);
    }

    private List<OpenvpnProcess> startClients(Function<Integer, OpenvpnProcess> start) {
        List<OpenvpnProcess> started = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            OpenvpnProcess p = start.apply(i);
            clients.add(p);
            started.add(p);
        }
        for (OpenvpnProcess p : started) {
            try {
                p.awaitInitialized(CLIENT_STARTUP);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\nserver log tail:\n" + serverLogTail(40), e);
            }
        }
        return started;
    }

    /** Stops every client started so far, all at once (a UDP client lingers a moment to notify the server). */
    public void stopClients() {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            clients.forEach(p -> pool.submit(p::stop));
        }
        clients.clear();
    }

    /** Client {@code i}'s address inside the tunnel (10.77.0.x), read from its namespace. */
    public String tunnelAddr(int i) {
        Matcher m = TUNNEL_ADDR.matcher(clientNs(i).exec(Duration.ofSeconds(10), "ip", "-o", "-4", "addr", "show")
                .orThrow("ip addr in client " + i).output());
        if (!m.find()) {
            throw new AssertionError("client " + i + " has no 10.77.0.x address");
        }
        return m.group(2);
    }

    /** The server's tunnel device (the one holding {@link Scenario#SERVER_TUNNEL_ADDR}). */
    public String serverDevice() {
        Matcher m = TUNNEL_ADDR.matcher(serverNs().exec(Duration.ofSeconds(10), "ip", "-o", "-4", "addr", "show")
                .orThrow("ip addr in server").output());
        while (m.find()) {
            if (m.group(2).equals(Scenario.SERVER_TUNNEL_ADDR)) {
                return m.group(1);
            }
        }
        throw new AssertionError("server has no device with " + Scenario.SERVER_TUNNEL_ADDR);
    }

    /** Kernel counters of the server's tunnel device. */
    public DeviceCounters serverDeviceCounters() {
        return DeviceCounters.read(serverNs(), serverDevice());
    }

    /** Sets a sysctl in the server and every client namespace. */
    public void sysctlEverywhere(String key, String value) {
        List<Netns> all = new ArrayList<>(topology.clientNamespaces());
        all.add(serverNs());
        for (Netns ns : all) {
            ns.exec(Duration.ofSeconds(10), "sysctl", "-qw", key + "=" + value).orThrow("sysctl " + key + " in " + ns);
        }
    }

    /**
     * Pings, in parallel, from every client to the server's tunnel address and to every other client's;
     * {@code count} echo requests each.
     */
    public List<PingCheck> pingMesh(int count) {
        List<String> addrs = new ArrayList<>();
        for (int i = 1; i <= this.count; i++) {
            addrs.add(tunnelAddr(i));
        }
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<PingCheck>> futures = new ArrayList<>();
            for (int from = 1; from <= this.count; from++) {
                List<String> targets = new ArrayList<>(List.of(Scenario.SERVER_TUNNEL_ADDR));
                for (int to = 1; to <= this.count; to++) {
                    if (to != from) {
                        targets.add(addrs.get(to - 1));
                    }
                }
                for (String target : targets) {
                    int f = from;
                    futures.add(pool.submit(() -> new PingCheck(commonName(f), target, clientNs(f).ping(target, count))));
                }
            }
            List<PingCheck> out = new ArrayList<>();
            for (Future<PingCheck> fu : futures) {
                out.add(fu.get());
            }
            return out;
        } catch (Exception e) {
            throw new IllegalStateException("ping mesh failed", e);
        }
    }

    /** One ping of {@link #pingMesh}; immutable. */
    public record PingCheck(String from, String to, PingResult result) {
        @Override
        public String toString() {
            return from + " -> " + to + ": " + result.received() + "/" + result.transmitted();
        }
    }

    /** Waits until the status file has been written after {@code since} (file time) and reads it. */
    public StatusSnapshot awaitStatusAfter(FileTime since, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                if (Files.exists(statusFile()) && Files.getLastModifiedTime(statusFile()).compareTo(since) > 0) {
                    String text = Files.readString(statusFile());
                    if (text.endsWith("END\n")) {
                        return new StatusSnapshot(text);
                    }
                }
            } catch (IOException e) {
                // replaced while we read it; try again
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("status file " + statusFile() + " not rewritten within " + timeout
                        + "\nserver log tail:\n" + serverLogTail(30));
            }
            Pause.millis(100);
        }
    }

    /** Waits for the next rewrite of the status file (or its first one) and reads it. */
    public StatusSnapshot awaitFreshStatus() {
        return awaitStatusAfter(FileTime.fromMillis(System.currentTimeMillis()), Duration.ofSeconds(10));
    }

    public String serverLogTail(int lines) {
        return server == null ? "(no server)" : server.logTail(lines);
    }

    public OpenvpnProcess server() {
        return server;
    }

    public Scenario scenario() {
        return scenario;
    }

    public Path dir() {
        return dir;
    }

    public int clients() {
        return count;
    }

    /** The topology under the rig. */
    public Topology topology() {
        return topology;
    }

    public Netns serverNs() {
        return topology.serverNs();
    }

    /** Client {@code i}'s namespace, 1-based. */
    public Netns clientNs(int i) {
        return topology.clientNs(i);
    }

    /** The veth pair joining client {@code i} (side B) to the server (side A), 1-based. */
    public VethLink link(int i) {
        return topology.link(i);
    }

    /** Client {@code i}'s certificate common name. */
    public String commonName(int i) {
        return names.get(i - 1);
    }

    public Path serverConfig() {
        return dir.resolve("server.conf");
    }

    public Path clientConfig(int i) {
        return dir.resolve("client" + i + ".ovpn");
    }

    /**
     * Rewrites client {@code i}'s profile to dial only the WebSocket remote {@code url}, checked against the test CA
     * (its {@code remote}, {@code proto} and {@code explicit-exit-notify} lines dropped).
     */
    public void webSocketProfile(int i, String url) throws IOException {
        Path profile = clientConfig(i);
        String text = Files.readString(profile).lines()
                .filter(l -> !l.startsWith("remote ") && !l.startsWith("proto ") && !l.startsWith("explicit-exit-notify"))
                .collect(Collectors.joining("\n", "", "\n"));
        Files.writeString(profile, text + "culvert-remote-websocket " + url + "\nculvert-websocket-ca " + pki().ca() + "\n");
    }

    public Path statusFile() {
        return dir.resolve("status.log");
    }

    public TestPki pki() {
        return topology.pki();
    }

    /** Stops every process (newest first) and deletes the namespaces. */
    @Override
    public void close() {
        if (topology != null) {
            topology.close();
        }
    }

    private void write(String name, String text) {
        topology.write(name, text);
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a stale status file only matters if the new server never writes one, which the tests detect
        }
    }

}
