package io.culvert.engine.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.api.ConnectionState;
import io.culvert.engine.api.EngineEvent;
import io.culvert.engine.api.EngineException;
import io.culvert.engine.config.ClientConfig;
import io.culvert.engine.crypto.ControlWrapSpec;
import io.culvert.engine.crypto.StaticKey;
import io.culvert.engine.testkit.TestPki;
import io.culvert.engine.server.Admission;
import io.culvert.engine.server.ServerPlan;
import io.culvert.engine.server.ServerRunner;
import io.culvert.engine.server.ServerSettings;
import io.culvert.engine.tls.PeerVerification;
import io.culvert.engine.tls.PemReader;
import io.culvert.engine.tls.TlsSettings;
import io.culvert.engine.transport.SendRefusedException;
import io.culvert.engine.transport.Transport;
import io.culvert.engine.tun.DnsConfig;
import io.culvert.engine.tun.CommandRunner;
import io.culvert.engine.tun.InMemoryTun;
import io.culvert.engine.tun.NoNetConfig;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client whose link refuses every tenth datagram the way a local firewall does ({@code sendto} → EPERM, which the
 * UDP transport reports as {@link SendRefusedException}) keeps its session against a Culvert server on loopback, all
 * devices in memory: the state never leaves CONNECTED, packets keep crossing, and the refusals are counted as
 * {@code SEND_FAILED} drops.
 */
class ClientRunnerSendFailureTest {

    /** Passes everything through to {@code link} except every {@code n}th send, which the "firewall" refuses. */
    private static final class RefusingLink implements Transport {
        private final Transport link;
        private final int n;
        private final AtomicInteger sends = new AtomicInteger();
        final AtomicInteger refused = new AtomicInteger();

        RefusingLink(Transport link, int n) {
            this.link = link;
            this.n = n;
        }

        @Override
        public void send(byte[] buf, int off, int len) throws IOException {
            if (sends.incrementAndGet() % n == 0) {
                refused.incrementAndGet();
                throw SendRefusedException.classify(new IOException("Operation not permitted"));
            }
            link.send(buf, off, len);
        }

        @Override
        public int receive(byte[] buf) throws IOException {
            return link.receive(buf);
        }

        @Override
        public InetSocketAddress remote() {
            return link.remote();
        }

        @Override
        public boolean isTcp() {
            return link.isTcp();
        }

        @Override
        public void close() {
            link.close();
        }
    }

    @Test
    void refusedSendsAreCountedAndTheSessionStays(@TempDir Path dir) throws Exception {
        TestPki pki = TestPki.create(dir.resolve("pki"));
        TlsSettings tls = TlsSettings.forServer().trustAnchors(PemReader.certificates(Files.readString(pki.ca())))
                .identity(PemReader.certificates(Files.readString(pki.serverCert())),
                        PemReader.privateKey(Files.readString(pki.serverKey())))
                .peer(new PeerVerification("client", null, null)).build();
        ServerSettings settings = ServerSettings.builder(tls)
                .wrap(ControlWrapSpec.tlsCrypt(StaticKey.parse(Files.readString(pki.tcKey()))))
                .dataCiphers(List.of("AES-256-GCM")).keepalive(10, 60).renegSec(0).build();
        InMemoryTun serverDevice = new InMemoryTun("stun0", false, 1500);
        InetAddress clientAddress = InetAddress.getByName("10.8.0.2");
        Admission admission = (cn, peerId) -> new Admission.Admitted(List.of("route-gateway 10.8.0.1", "topology subnet",
                "ping 1", "ping-restart 60", "ifconfig 10.8.0.2 255.255.255.0"), List.of(clientAddress), List.of(), () -> { });
        ServerPlan plan = ServerPlan.builder(settings, new InetSocketAddress("127.0.0.1", 0), admission)
                .subnetBroadcast((Inet4Address) InetAddress.getByName("10.8.0.255")).maxClients(4).duplicateCn(true)
                .build();
        ServerRunner server = new ServerRunner(plan, e -> { }, (name, tap, mtu) -> serverDevice, new NoNetConfig(), InstantSource.system());
        Thread serverThread = Thread.ofPlatform().start(() -> {
            try {
                server.run();
            } catch (EngineException e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(server.awaitStarted(10, TimeUnit.SECONDS));
        Path file = dir.resolve("client.ovpn");
        Files.writeString(file, """
                client
                dev tun
                proto udp
                remote 127.0.0.1 %d
                nobind
                remote-cert-tls server
                ca %s
                cert %s
                key %s
                tls-crypt %s
                """.formatted(server.boundAddress().getPort(), pki.ca(), pki.clientCert(), pki.clientKey(), pki.tcKey()));
        ClientProfile profile = ClientProfile.from(ClientConfig.load(file, false), prompt -> Optional.empty());
        AtomicReference<InMemoryTun> clientDevice = new AtomicReference<>();
        AtomicReference<RefusingLink> link = new AtomicReference<>();
        List<ConnectionState> states = new CopyOnWriteArrayList<>();
        ClientRunner client = new ClientRunner(profile, e -> {
            if (e instanceof EngineEvent.StateChanged s) {
                states.add(s.state());
            }
        }, (name, tap, mtu) -> {
            InMemoryTun t = new InMemoryTun("c0", tap, mtu);
            clientDevice.set(t);
            return t;
        }, new NoNetConfig(), new DnsConfig(argv -> CommandRunner.Result.ok(""), false), InstantSource.system(), t -> {
            RefusingLink r = new RefusingLink(t, 10);
            link.set(r);
            return r;
        });
        Thread clientThread = Thread.ofPlatform().start(client::run);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (client.connectionInfo() == null && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertNotNull(client.connectionInfo(), () -> "never connected: " + states);
            int delivered = 0;
            for (int i = 0; i < 500; i++) {
                clientDevice.get().inject(udpPacket(i));
                if (serverDevice.takeWritten(20, TimeUnit.MILLISECONDS) != null) {
                    delivered++;
                }
            }
            int got = delivered;
            assertTrue(link.get().refused.get() >= 40, () -> "the link refused only " + link.get().refused.get());
            assertTrue(got >= 400 && got < 500, () -> got + " of 500 packets crossed");
            assertEquals(ConnectionState.CONNECTED, client.state(), () -> "states: " + states);
            assertFalse(states.contains(ConnectionState.RECONNECTING), () -> "states: " + states);
            long counted = client.stats().drops().getOrDefault("SEND_FAILED", 0L);
            assertEquals(link.get().refused.get(), counted);
        } finally {
            client.stop();
            clientThread.join(5000);
            server.stop();
            serverThread.join(5000);
        }
    }

    /** An IPv4/UDP packet from the client's tunnel address to the server's, carrying {@code n}. */
    private static byte[] udpPacket(int n) {
        byte[] p = new byte[60];
        p[0] = 0x45;
        p[3] = 60;
        p[8] = 64;
        p[9] = 17;
        p[12] = 10;
        p[13] = 8;
        p[15] = 2;
        p[16] = 10;
        p[17] = 8;
        p[19] = 1;
        p[28] = (byte) (n >>> 8);
        p[29] = (byte) n;
        return p;
    }
}
