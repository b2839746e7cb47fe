package io.culvert.engine.server;

import io.culvert.engine.api.ConnectionState;
import io.culvert.engine.api.EngineException;
import io.culvert.engine.api.ErrorKind;
import io.culvert.engine.client.ClientProfile;
import io.culvert.engine.client.ClientRunner;
import io.culvert.engine.config.ClientConfig;
import io.culvert.engine.crypto.ControlWrapSpec;
import io.culvert.engine.crypto.StaticKey;
import io.culvert.engine.testkit.TestPki;
import io.culvert.engine.tls.PeerVerification;
import io.culvert.engine.tls.PemReader;
import io.culvert.engine.tls.TlsSettings;
import io.culvert.engine.tun.InMemoryTun;
import io.culvert.engine.tun.NoNetConfig;
import io.culvert.engine.tun.TunDevice;
import io.culvert.engine.tun.TunFactory;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A Culvert server and Culvert clients in one JVM over loopback sockets, every device in memory: no root,
 * no kernel interfaces. The server hands out 10.8.0.x/24 (topology subnet, server 10.8.0.1).
 */
final class LoopbackNetwork implements AutoCloseable {
    final TestPki pki;
    final Path dir;
    final InMemoryTun serverDevice;
    /** Whether the runner asked for a device with offloads; null before it opened one. */
    volatile Boolean offloadAsked;
    final ServerRunner server;
    final Thread serverThread;
    final List<ClientRunner> clients = new ArrayList<>();
    final List<Thread> clientThreads = new ArrayList<>();
    final Map<Integer, InMemoryTun> clientDevices = new ConcurrentHashMap<>();
    private final boolean tcp;

    LoopbackNetwork(Path dir, boolean tcp, boolean clientToClient, boolean tap, int maxClients) throws Exception {
        this(dir, tcp, clientToClient, tap, maxClients, true);
    }

    /** A server whose clients all share one certificate; without {@code duplicateCn} a new login replaces the older. */
    LoopbackNetwork(Path dir, boolean tcp, boolean clientToClient, boolean tap, int maxClients, boolean duplicateCn) throws Exception {
        this(dir, tcp, clientToClient, tap, maxClients, duplicateCn, false);
    }

    /**
     * With {@code offloadDevice}, a runner that asks for offloads gets {@link #serverDevice} as an {@link OffloadTun}:
     * what tests inject and take there carries a virtio header.
     */
    LoopbackNetwork(Path dir, boolean tcp, boolean clientToClient, boolean tap, int maxClients, boolean duplicateCn,
            boolean offloadDevice) throws Exception {
        this.dir = dir;
        this.tcp = tcp;
        this.pki = TestPki.create(dir.resolve("pki"));
        TlsSettings tls = TlsSettings.forServer().trustAnchors(PemReader.certificates(Files.readString(pki.ca())))
                .identity(PemReader.certificates(Files.readString(pki.serverCert())),
                        PemReader.privateKey(Files.readString(pki.serverKey())))
                .peer(new PeerVerification("client", null, null)).build();
        ServerSettings settings = ServerSettings.builder(tls).tcp(tcp).tap(tap)
                .wrap(ControlWrapSpec.tlsCrypt(StaticKey.parse(Files.readString(pki.tcKey()))))
                .dataCiphers(List.of("AES-256-GCM", "AES-128-GCM", "CHACHA20-POLY1305")).keepalive(10, 60).renegSec(0)
                .build();
        serverDevice = new InMemoryTun(tap ? "stap0" : "stun0", tap, 1500);
        ServerPlan plan = ServerPlan.builder(settings, new InetSocketAddress("127.0.0.1", 0), new SubnetAdmission())
                .clientToClient(clientToClient).maxClients(maxClients).duplicateCn(duplicateCn)
                .subnetBroadcast((Inet4Address) InetAddress.getByName("10.8.0.255"))
                .tunnelAddress((Inet4Address) InetAddress.getByName("10.8.0.1"))
                .build();
        TunFactory devices = new TunFactory() {
            @Override
            public TunDevice open(String requestedName, boolean isTap, int mtu) {
                return open(requestedName, isTap, mtu, false);
            }

            @Override
            public TunDevice open(String requestedName, boolean isTap, int mtu, boolean offload) {
                offloadAsked = offload;
                return offload && offloadDevice ? new OffloadTun(serverDevice) : serverDevice;
            }
        };
        server = new ServerRunner(plan, e -> { }, devices, new NoNetConfig(), InstantSource.system());
        serverThread = Thread.ofPlatform().name("test-server").start(() -> {
            try {
                server.run();
            } catch (EngineException e) {
                throw new IllegalStateException(e);
            }
        });
        if (!server.awaitStarted(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("server did not start");
        }
    }

    /** Starts one more client; returns its index. */
    int addClient() throws Exception {
        return addClient(server.boundAddress().getPort());
    }

    /** Starts one more client that sends to {@code 127.0.0.1:port} (the server, or a relay in front of it). */
    int addClient(int port) throws Exception {
        int index = clients.size();
        String profile = """
                client
                dev %s
                proto %s
                remote 127.0.0.1 %d
                nobind
                remote-cert-tls server
                ca %s
                cert %s
                key %s
                tls-crypt %s
                verb 1
                """.formatted(serverDevice.isTap() ? "tap" : "tun", tcp() ? "tcp" : "udp", port, pki.ca(), pki.clientCert(),
                pki.clientKey(), pki.tcKey());
        Path file = dir.resolve("client" + index + ".ovpn");
        Files.writeString(file, profile);
        ClientProfile p = ClientProfile.from(ClientConfig.load(file, false), prompt -> Optional.empty());
        ClientRunner runner = new ClientRunner(p, e -> { }, (name, isTap, mtu) -> {
            InMemoryTun t = new InMemoryTun("c" + index, isTap, mtu);
            clientDevices.put(index, t);
            return t;
        }, new NoNetConfig(), InstantSource.system());
        clients.add(runner);
        clientThreads.add(Thread.ofPlatform().name("test-client-" + index).start(runner::run));
        return index;
    }

    private boolean tcp() {
        return tcp;
    }

    /** Waits until client {@code index} is connected and returns its device. */
    InMemoryTun awaitConnected(int index, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            // CONNECTED, not only addressed: the client holds its connection info from ADD_ROUTES on
            if (clients.get(index).connectionInfo() != null && clientDevices.containsKey(index)
                    && clients.get(index).state() == ConnectionState.CONNECTED) {
                return clientDevices.get(index);
            }
            Thread.sleep(20);
        }
        throw new AssertionError("client " + index + " did not connect; state " + clients.get(index).state());
    }

    String addressOf(int index) {
        String cidr = clients.get(index).connectionInfo().ipv4();
        return cidr.substring(0, cidr.indexOf('/'));
    }

    @Override
    public void close() throws InterruptedException {
        for (ClientRunner c : clients) {
            c.stop();
        }
        for (Thread t : clientThreads) {
            t.join(5000);
        }
        server.stop();
        serverThread.join(5000);
    }

    /** topology subnet on 10.8.0.0/24 with the server at .1; every client gets the next free address. */
    static final class SubnetAdmission implements Admission {
        private final boolean[] used = new boolean[256];

        @Override
        public synchronized Admitted admit(String commonName, int peerId) throws EngineException {
            for (int host = 2; host < 255; host++) {
                if (!used[host]) {
                    used[host] = true;
                    int h = host;
                    try {
                        InetAddress a = InetAddress.getByName("10.8.0." + host);
                        return new Admitted(List.of("route-gateway 10.8.0.1", "topology subnet", "ping 10", "ping-restart 60",
                                "ifconfig 10.8.0." + host + " 255.255.255.0"), List.of(a), List.of(), () -> release(h));
                    } catch (IOException e) {
                        throw new EngineException(ErrorKind.INTERNAL, e.getMessage(), e);
                    }
                }
            }
            throw new EngineException(ErrorKind.AUTH_FAILED, "address pool exhausted");
        }

        private synchronized void release(int host) {
            used[host] = false;
        }
    }
}
