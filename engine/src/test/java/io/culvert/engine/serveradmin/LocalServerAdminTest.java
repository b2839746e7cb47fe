package io.culvert.engine.serveradmin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.api.ClientCertificate;
import io.culvert.engine.api.ClientHandle;
import io.culvert.engine.api.ClientNetwork;
import io.culvert.engine.api.EngineException;
import io.culvert.engine.api.ServerHandle;
import io.culvert.engine.api.ServerSpec;
import io.culvert.engine.local.LocalEngine;
import io.culvert.engine.store.Store;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server manager's engine side over real loopback sockets, with in-memory devices. */
class LocalServerAdminTest {
    @TempDir
    Path dir;
    private LocalEngine engine;
    private Store store;
    private LocalServerAdmin admin;

    @BeforeEach
    void open() {
        engine = new LocalEngine(LocalEngine.Devices.MEMORY, InstantSource.system());
        store = Store.open(dir.resolve("culvert.db"), InstantSource.system());
        admin = new LocalServerAdmin(engine, store, dir.resolve("servers"), InstantSource.system(), new SecureRandom());
    }

    @AfterEach
    void close() {
        admin.close();
        store.close();
    }

    static int freeUdpPort() throws Exception {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private ServerSpec spec(String name) throws Exception {
        return ServerSpec.builder(name, "127.0.0.1").network("10.77.0.0", "255.255.255.0").port(freeUdpPort())
                .clientToClient(true).bindAddress("127.0.0.1").build();
    }

    @Test
    void createsAServerWithItsCaAndListsIt() throws Exception {
        ServerSpec s = spec("office");
        admin.create(s);
        assertEquals(List.of(s), admin.servers());
        Path folder = dir.resolve("servers/office");
        assertTrue(Files.isRegularFile(folder.resolve("pki/ca.crt")));
        assertTrue(Files.isRegularFile(folder.resolve("pki/issued/server.crt")));
        assertTrue(Files.isRegularFile(folder.resolve("pki/crl.pem")));
        assertEquals(ServerConfigText.render(s), Files.readString(folder.resolve("server.conf")));
        assertEquals(folder.resolve("pki").toString(), store.servers().find("office").orElseThrow().pkiRef());
        EngineException dup = assertThrows(EngineException.class, () -> admin.create(s));
        assertTrue(dup.getMessage().contains("already exists"));
    }

    @Test
    void issuedClientConnectsWithItsExportedProfileAndRevocationDropsIt() throws Exception {
        admin.create(spec("office"));
        ServerHandle server = admin.start("office", e -> { });
        assertTrue(server.listenAddress().startsWith("127.0.0.1:"), server.listenAddress());
        assertEquals(Optional.of(server), admin.running("office"));
        ClientCertificate cert = admin.issueClient("office", "alice");
        assertEquals("alice", cert.commonName());
        assertThrows(EngineException.class, () -> admin.issueClient("office", "alice"), "one valid certificate per name");
        admin.setClientNetwork("office", "alice", new ClientNetwork("10.77.0.50", List.of(), List.of()));

        String profile = admin.exportProfile("office", "alice");
        assertTrue(profile.contains("remote 127.0.0.1 "), profile.lines().limit(8).toList().toString());
        assertTrue(profile.contains("<tls-crypt>"));
        ClientHandle client = engine.startClient(profile, dir, e -> { }, prompt -> Optional.empty());
        try {
            await(() -> client.connectionInfo() != null, "client connects");
            assertEquals("10.77.0.50/24", client.connectionInfo().ipv4(), "static address from the ccd");
            await(() -> server.instances().stream().anyMatch(i -> i.commonName().equals("alice")), "server lists alice");

            ClientCertificate revoked = admin.revoke("office", "alice");
            assertTrue(revoked.revoked());
            await(() -> server.instances().isEmpty(), "revoked client is disconnected");
            assertTrue(admin.clients("office").getFirst().revoked());
            assertThrows(EngineException.class, () -> admin.exportProfile("office", "alice"));
            assertTrue(admin.log("office").stream().anyMatch(l -> l.contains("alice connected")), admin.log("office").toString());
        } finally {
            client.disconnect();
            client.awaitStopped(5000);
        }
        admin.stop("office");
        assertTrue(server.awaitStopped(1000));
        assertEquals(Optional.empty(), admin.running("office"));
        assertTrue(admin.log("office").getLast().endsWith("stopped"));
    }

    @Test
    void clientNetworkIsStoredAndReadBack() throws Exception {
        admin.create(spec("office"));
        admin.issueClient("office", "bob");
        ClientNetwork n = new ClientNetwork("10.77.0.9", List.of("192.168.50.0/24"), List.of("172.16.0.0/12"));
        String text = admin.setClientNetwork("office", "bob", n);
        assertEquals(n, admin.clientNetwork("office", "bob"));
        assertEquals(text, Files.readString(dir.resolve("servers/office/ccd/bob")));
        assertEquals(text, store.servers().find("office").orElseThrow().ccd().get("bob"));
        admin.setClientNetwork("office", "bob", ClientNetwork.NONE);
        assertEquals(ClientNetwork.NONE, admin.clientNetwork("office", "bob"));
        assertFalse(Files.exists(dir.resolve("servers/office/ccd/bob")));
        assertThrows(EngineException.class, () -> admin.setClientNetwork("office", "bob",
                new ClientNetwork("10.78.0.9", List.of(), List.of())), "outside the server's network");
    }

    @Test
    void deleteRemovesServerAndFolder() throws Exception {
        admin.create(spec("office"));
        admin.delete("office");
        assertEquals(List.of(), admin.servers());
        assertFalse(Files.exists(dir.resolve("servers/office")));
        assertThrows(EngineException.class, () -> admin.clients("office"));
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out: " + what);
            }
            Thread.sleep(50);
        }
    }
}
