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
import io.culvert.engine.sys.InMemoryRoutes;
import io.culvert.engine.sys.Routes;
import io.culvert.engine.sys.SuspendClock;
import io.culvert.engine.tls.PeerVerification;
import io.culvert.engine.tls.PemReader;
import io.culvert.engine.tls.TlsSettings;
import io.culvert.engine.tun.CommandRunner;
import io.culvert.engine.tun.DnsConfig;
import io.culvert.engine.tun.InMemoryTun;
import io.culvert.engine.tun.NoNetConfig;
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
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client connected to a Culvert server on loopback (devices in memory) follows a route table the test controls
 * ({@link InMemoryRoutes}, the double of rtnetlink): a change of the route to the server reconnects it at once and
 * says why; a change that leaves that route alone, or a route into the tunnel's own device, does not.
 */
class NetworkChangeReconnectTest {
    private static final InetAddress SERVER = InetAddress.getLoopbackAddress();
    private static final InetAddress CLIENT_ADDRESS = address("10.8.0.2");

    @Test
    void aChangedRouteToTheServerReconnectsAtOnceAndOthersDoNot(@TempDir Path dir) throws Exception {
        InMemoryRoutes routes = new InMemoryRoutes();
        routes.set(SERVER, new Routes.Route("eth0", null, SERVER));
        try (Rig rig = Rig.start(dir, routes, () -> 0)) {
            List<EngineEvent> events = rig.events();
            ClientRunner client = rig.client();
            InetAddress clientAddress = CLIENT_ADDRESS;
            // the tunnel's own route, an unrelated change, and no route at all: no reconnect
            routes.set(SERVER, new Routes.Route("c0", InetAddress.getByName("10.8.0.1"), clientAddress));
            routes.announce();
            Thread.sleep(300);
            routes.set(SERVER, new Routes.Route("eth0", null, SERVER));
            routes.announce();
            Thread.sleep(300);
            routes.set(SERVER, null);
            routes.announce();
            Thread.sleep(300);
            routes.set(SERVER, new Routes.Route("eth0", null, SERVER));
            routes.announce();
            Thread.sleep(500);
            assertFalse(rig.reconnected(), () -> "reconnected without a change: " + events);

            long changed = System.nanoTime();
            routes.set(SERVER, new Routes.Route("wlan0", InetAddress.getByName("192.168.1.1"), SERVER));
            routes.announce();
            await(() -> connectedCount(events) == 2, 3_000, "reconnected within 3 s", events);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - changed);
            String why = "network changed: route to " + SERVER.getHostAddress() + " now via wlan0 gateway 192.168.1.1";
            assertTrue(events.stream().anyMatch(e -> e instanceof EngineEvent.Log l && l.message().equals(why + "; reconnecting")),
                    () -> "no log line in " + events);
            EngineEvent.StateChanged reconnecting = rig.firstReconnecting();
            assertEquals(why, reconnecting.detail());
            assertEquals(null, reconnecting.error());
            assertNotNull(client.connectionInfo());
            System.out.printf("reconnected %d ms after the route change%n", millis);
        }
    }

    /**
     * A sleep raises no route event; the jump of the suspend clock on waking reconnects at once, before ping-restart
     * (which has expired by then too) would add the retry pause. A short jump does not count.
     */
    @Test
    void wakingFromASleepReconnectsAtOnce(@TempDir Path dir) throws Exception {
        InMemoryRoutes routes = new InMemoryRoutes();
        routes.set(SERVER, new Routes.Route("eth0", null, SERVER));
        AtomicLong slept = new AtomicLong(5_000);
        try (Rig rig = Rig.start(dir, routes, slept::get)) {
            slept.addAndGet(ResumeWatch.MIN_SLEEP_MILLIS - 500);
            Thread.sleep(500);
            assertFalse(rig.reconnected(), () -> "reconnected after a short jump: " + rig.events());

            long woke = System.nanoTime();
            slept.addAndGet(42_000);
            await(() -> connectedCount(rig.events()) == 2, 3_000, "reconnected within 3 s", rig.events());
            String why = "the machine woke up after 42 s asleep";
            assertTrue(rig.events().stream().anyMatch(e -> e instanceof EngineEvent.Log l
                    && l.message().equals(why + "; reconnecting")), () -> "no log line in " + rig.events());
            assertEquals(why, rig.firstReconnecting().detail());
            assertEquals(null, rig.firstReconnecting().error());
            System.out.printf("reconnected %d ms after waking%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - woke));
        }
    }

    /** A Culvert server on loopback and a client of it following {@code routes} and {@code sleeps}, both running. */
    private record Rig(ServerRunner server, Thread serverThread, ClientRunner client, Thread clientThread,
            List<EngineEvent> events) implements AutoCloseable {
        static Rig start(Path dir, Routes routes, SuspendClock sleeps) throws Exception {
            TestPki pki = TestPki.create(dir.resolve("pki"));
            TlsSettings tls = TlsSettings.forServer().trustAnchors(PemReader.certificates(Files.readString(pki.ca())))
                    .identity(PemReader.certificates(Files.readString(pki.serverCert())),
                            PemReader.privateKey(Files.readString(pki.serverKey())))
                    .peer(new PeerVerification("client", null, null)).build();
            ServerSettings settings = ServerSettings.builder(tls)
                    .wrap(ControlWrapSpec.tlsCrypt(StaticKey.parse(Files.readString(pki.tcKey()))))
                    .dataCiphers(List.of("AES-256-GCM")).keepalive(10, 60).renegSec(0).build();
            Admission admission = (cn, peerId) -> new Admission.Admitted(List.of("route-gateway 10.8.0.1", "topology subnet",
                    "ping 1", "ping-restart 60", "ifconfig 10.8.0.2 255.255.255.0"), List.of(CLIENT_ADDRESS), List.of(), () -> { });
            ServerPlan plan = ServerPlan.builder(settings, new InetSocketAddress("127.0.0.1", 0), admission)
                    .subnetBroadcast((Inet4Address) InetAddress.getByName("10.8.0.255")).maxClients(4).duplicateCn(true)
                    .build();
            ServerRunner server = new ServerRunner(plan, e -> { }, (name, tap, mtu) -> new InMemoryTun("stun0", false, 1500),
                    new NoNetConfig(), InstantSource.system());
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
                    connect-retry 5
                    ca %s
                    cert %s
                    key %s
                    tls-crypt %s
                    """.formatted(server.boundAddress().getPort(), pki.ca(), pki.clientCert(), pki.clientKey(), pki.tcKey()));
            ClientProfile profile = ClientProfile.from(ClientConfig.load(file, false), prompt -> Optional.empty());
            List<EngineEvent> events = new CopyOnWriteArrayList<>();
            ClientRunner client = new ClientRunner(profile, events::add, (name, tap, mtu) -> new InMemoryTun("c0", tap, mtu),
                    new NoNetConfig(), new DnsConfig(argv -> CommandRunner.Result.ok(""), false), InstantSource.system())
                    .routes(routes).suspendClock(sleeps);
            Thread clientThread = Thread.ofPlatform().start(client::run);
            Rig rig = new Rig(server, serverThread, client, clientThread, events);
            try {
                await(() -> connectedCount(events) == 1, 20_000, "first connection", events);
            } catch (AssertionError | InterruptedException e) {
                rig.close();
                throw e;
            }
            return rig;
        }

        boolean reconnected() {
            return events.stream().anyMatch(e -> e instanceof EngineEvent.StateChanged s && s.state() == ConnectionState.RECONNECTING);
        }

        EngineEvent.StateChanged firstReconnecting() {
            return events.stream().filter(e -> e instanceof EngineEvent.StateChanged s && s.state() == ConnectionState.RECONNECTING)
                    .map(EngineEvent.StateChanged.class::cast).findFirst().orElseThrow();
        }

        @Override
        public void close() throws InterruptedException {
            client.stop();
            clientThread.join(5000);
            server.stop();
            serverThread.join(5000);
        }
    }

    private static InetAddress address(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static long connectedCount(List<EngineEvent> events) {
        return events.stream().filter(e -> e instanceof EngineEvent.StateChanged s && s.state() == ConnectionState.CONNECTED).count();
    }

    private static void await(BooleanSupplier condition, long millis, String what, List<EngineEvent> events) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not " + what + " within " + millis + " ms: " + events);
            }
            Thread.sleep(20);
        }
    }
}
