package io.culvert.engine.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.api.EngineEvent;
import io.culvert.engine.api.EngineException;
import io.culvert.engine.api.ErrorKind;
import io.culvert.engine.api.InstanceInfo;
import io.culvert.engine.client.ClientProfile;
import io.culvert.engine.client.ClientRunner;
import io.culvert.engine.config.ClientConfig;
import io.culvert.engine.config.file.OvpnFile;
import io.culvert.engine.crypto.ControlWrapSpec;
import io.culvert.engine.pki.CertKind;
import io.culvert.engine.pki.DirectoryPkiStore;
import io.culvert.engine.pki.ExportOptions;
import io.culvert.engine.pki.KeyAlgorithm;
import io.culvert.engine.pki.Pki;
import io.culvert.engine.pki.PkiStore;
import io.culvert.engine.pki.RevokeReason;
import io.culvert.engine.pki.UnifiedProfile;
import io.culvert.engine.tls.PeerVerification;
import io.culvert.engine.tls.PemReader;
import io.culvert.engine.tls.Revocation;
import io.culvert.engine.tls.TlsSettings;
import io.culvert.engine.tun.InMemoryTun;
import io.culvert.engine.tun.NoNetConfig;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Culvert server with {@code crl-verify FILE} over loopback: revoking a connected client with the PKI
 * (which rewrites crl.pem) makes the server HALT that client at once; others stay; the revoked one cannot return.
 */
class ServerRevocationTest {

    @Test
    void revokingAConnectedClientHaltsItAtOnceAndKeepsItOut(@TempDir Path dir) throws Exception {
        DirectoryPkiStore store = new DirectoryPkiStore(dir.resolve("pki"));
        Pki pki = new Pki(store, InstantSource.system(), new SecureRandom());
        pki.init("Loopback CA", KeyAlgorithm.EC_P256, 30, "server", 30);
        pki.issue("alice", CertKind.CLIENT, 30);
        pki.issue("bob", CertKind.CLIENT, 30);

        List<EngineEvent> serverEvents = new CopyOnWriteArrayList<>();
        ServerRunner server = new ServerRunner(plan(pki, store), serverEvents::add, (n, tap, mtu) -> new InMemoryTun("srv", false, 1500),
                new NoNetConfig(), InstantSource.system());
        Thread serverThread = Thread.ofPlatform().name("revocation-server").start(() -> {
            try {
                server.run();
            } catch (EngineException e) {
                throw new IllegalStateException(e);
            }
        });
        ClientRunner alice = null;
        ClientRunner bob = null;
        ClientRunner aliceAgain = null;
        try {
            assertTrue(server.awaitStarted(10, TimeUnit.SECONDS));
            int port = server.boundAddress().getPort();
            alice = client(pki, "alice", port, "");
            bob = client(pki, "bob", port, "");
            CompletableFuture<ErrorKind> aliceResult = start(alice);
            start(bob);
            awaitConnected(alice);
            awaitConnected(bob);
            awaitInstances(server, 2);

            long revokedAt = System.nanoTime();
            pki.revoke("alice", RevokeReason.KEY_COMPROMISE);
            ErrorKind aliceEnd = aliceResult.get(3, TimeUnit.SECONDS);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - revokedAt);
            assertEquals(ErrorKind.SERVER_HALT, aliceEnd, "alice was told to halt");
            assertTrue(millis < 3000, "halted after " + millis + " ms");
            List<String> left = server.instances().stream().map(InstanceInfo::commonName).toList();
            assertEquals(List.of("bob"), left, "only alice is gone");
            assertTrue(serverEvents.stream().anyMatch(e -> e instanceof EngineEvent.Instance i
                    && i.change() == EngineEvent.InstanceChange.KICKED && "certificate revoked".equals(i.detail())), serverEvents::toString);
            assertNotEquals(null, bob.connectionInfo(), "bob is still connected");

            aliceAgain = client(pki, "alice", port, "connect-retry-max 1\nhand-window 5\n");
            ErrorKind again = start(aliceAgain).get(30, TimeUnit.SECONDS);
            assertNotEquals(null, again);
            assertTrue(server.instances().stream().noneMatch(i -> "alice".equals(i.commonName())));
        } finally {
            for (ClientRunner c : new ClientRunner[] {alice, bob, aliceAgain}) {
                if (c != null) {
                    c.stop();
                }
            }
            server.stop();
            serverThread.join(5000);
        }
    }

    private static ServerPlan plan(Pki pki, DirectoryPkiStore store) throws Exception {
        List<java.security.cert.X509Certificate> ca = List.of(pki.caCertificate());
        TlsSettings tls = TlsSettings.forServer().trustAnchors(ca)
                .identity(PemReader.certificates(pki.credentials("server").certificatePem()),
                        PemReader.privateKey(pki.credentials("server").keyPem()))
                .peer(new PeerVerification("client", null, null)).revocation(Revocation.crlFile(store.crlFile(), ca))
                .build();
        ServerSettings settings = ServerSettings.builder(tls)
                .wrap(ControlWrapSpec.tlsCrypt(pki.staticKey(PkiStore.StaticKeyKind.TLS_CRYPT)))
                .dataCiphers(List.of("AES-256-GCM", "AES-128-GCM", "CHACHA20-POLY1305")).keepalive(10, 60).renegSec(0)
                .build();
        return ServerPlan.builder(settings, new InetSocketAddress("127.0.0.1", 0), new LoopbackNetwork.SubnetAdmission())
                .clientToClient(true).subnetBroadcast((Inet4Address) InetAddress.getByName("10.8.0.255")).maxClients(16)
                .build();
    }

    /** A client from the profile {@code culvert pki export} would write, plus {@code extra} lines. */
    private static ClientRunner client(Pki pki, String cn, int port, String extra) throws Exception {
        String text = UnifiedProfile.render(ExportOptions.defaults("127.0.0.1").withPort(port).withServerName("server"),
                pki.caPem(), pki.credentials(cn), pki.staticKey(PkiStore.StaticKeyKind.TLS_CRYPT)) + extra;
        ClientProfile p = ClientProfile.from(ClientConfig.from(OvpnFile.parse(text), null, false), prompt -> Optional.empty());
        return new ClientRunner(p, e -> { }, (n, tap, mtu) -> new InMemoryTun(cn, tap, mtu), new NoNetConfig(), InstantSource.system());
    }

    private static CompletableFuture<ErrorKind> start(ClientRunner c) {
        CompletableFuture<ErrorKind> result = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> result.complete(c.run()));
        return result;
    }

    private static void awaitConnected(ClientRunner c) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (c.connectionInfo() == null) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("client did not connect: " + c.state());
            }
            Thread.sleep(20);
        }
    }

    private static void awaitInstances(ServerRunner s, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (s.instances().size() < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("server has " + s.instances());
            }
            Thread.sleep(20);
        }
    }
}
