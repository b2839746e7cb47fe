package io.culvert.engine.serveradmin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.api.ClientHandle;
import io.culvert.engine.api.ClientNetwork;
import io.culvert.engine.api.EngineException;
import io.culvert.engine.api.ServerEdit;
import io.culvert.engine.api.ServerHandle;
import io.culvert.engine.api.ServerSpec;
import io.culvert.engine.local.LocalEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12's server lifecycle on the engine side, over real loopback sockets with in-memory devices: backup and
 * restore into a fresh data folder (an old profile connects), wrong passphrase and tampered files, edit with restart
 * and re-import reasons, rename.
 */
class ServerLifecycleTest {
    private static final char[] PASSPHRASE = "correct horse battery staple".toCharArray();

    @TempDir
    Path dir;
    private LocalEngine engine;
    private LocalServerAdmin admin;

    @BeforeEach
    void open() {
        engine = new LocalEngine(LocalEngine.Devices.MEMORY, InstantSource.system());
        admin = LocalServerAdmin.open(engine, dir.resolve("old"), InstantSource.system());
    }

    @AfterEach
    void close() {
        admin.close();
    }

    private static ServerSpec spec(String name) throws Exception {
        return ServerSpec.builder(name, "127.0.0.1").network("10.77.0.0", "255.255.255.0")
                .port(LocalServerAdminTest.freeUdpPort()).bindAddress("127.0.0.1").build();
    }

    @Test
    void aRestoredServerOnAFreshDataFolderTakesTheOldProfile() throws Exception {
        admin.create(spec("office"));
        admin.issueClient("office", "alice");
        admin.issueClient("office", "mallory");
        admin.revoke("office", "mallory");
        admin.setClientNetwork("office", "alice", new ClientNetwork("10.77.0.50", List.of(), List.of()));
        String profile = admin.exportProfile("office", "alice");
        Files.writeString(dir.resolve("old/servers/office/ipp.txt"), "alice,10.77.0.50,\n"); // a pool-persist file
        byte[] backup = admin.backup("office", PASSPHRASE);
        admin.delete("office");
        assertFalse(new String(backup, java.nio.charset.StandardCharsets.ISO_8859_1).contains("PRIVATE KEY"), "encrypted");

        try (LocalServerAdmin fresh = LocalServerAdmin.open(engine, dir.resolve("new"), InstantSource.system())) {
            ServerSpec restored = fresh.restore(backup, PASSPHRASE, null);
            assertEquals("office", restored.name());
            assertEquals(List.of(restored), fresh.servers());
            assertEquals(List.of("alice", "mallory"), fresh.clients("office").stream().map(c -> c.commonName()).sorted().toList());
            assertTrue(fresh.clients("office").stream().filter(c -> c.commonName().equals("mallory")).allMatch(c -> c.revoked()),
                    "the revocation survives");
            assertEquals("10.77.0.50", fresh.clientNetwork("office", "alice").staticAddress());
            Path pki = dir.resolve("new/servers/office/pki");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(pki.resolve("ca.key"))));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(pki.resolve("private/server.key"))));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(pki.resolve("tc.key"))));
            assertEquals(Files.readString(dir.resolve("new/servers/office/server.conf")), ServerConfigText.render(restored));
            assertEquals("alice,10.77.0.50,\n", Files.readString(dir.resolve("new/servers/office/ipp.txt")), "every folder file");
            assertTrue(Files.size(dir.resolve("new/servers/office/pki/crl.pem")) > 0, "the CRL");
            assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(pki.resolve("crl.pem"))));

            ServerHandle server = fresh.start("office", e -> { });
            ClientHandle client = engine.startClient(profile, dir, e -> { }, prompt -> Optional.empty());
            try {
                await(() -> client.connectionInfo() != null, "the old profile connects to the restored server");
                assertEquals("10.77.0.50/24", client.connectionInfo().ipv4(), "static address from the restored ccd");
            } finally {
                client.disconnect();
                client.awaitStopped(5000);
            }
            fresh.stop("office");
            assertTrue(server.awaitStopped(1000));
            assertEquals(List.of("alice"), fresh.clients("office").stream().filter(c -> !c.revoked()).map(c -> c.commonName()).toList());
            assertTrue(fresh.exportProfile("office", "alice").contains("<ca>"), "a restored CA still exports profiles");
        }
    }

    @Test
    void aWrongPassphraseOrATamperedFileIsRefusedAndChangesNothing() throws Exception {
        admin.create(spec("office"));
        byte[] backup = admin.backup("office", PASSPHRASE);
        try (LocalServerAdmin fresh = LocalServerAdmin.open(engine, dir.resolve("new"), InstantSource.system())) {
            EngineException wrong = assertThrows(EngineException.class, () -> fresh.restore(backup, "wrong".toCharArray(), null));
            assertTrue(wrong.getMessage().endsWith("the passphrase is wrong, or the backup file was changed or damaged"),
                    wrong.getMessage());
            byte[] tampered = backup.clone();
            tampered[tampered.length / 2] ^= 1;
            EngineException changed = assertThrows(EngineException.class, () -> fresh.restore(tampered, PASSPHRASE, null));
            assertEquals(wrong.getMessage(), changed.getMessage());
            byte[] header = backup.clone();
            header[20] ^= 1; // inside the iteration count: authenticated too
            assertThrows(EngineException.class, () -> fresh.restore(header, PASSPHRASE, null));
            EngineException notOne = assertThrows(EngineException.class, () -> fresh.restore("client\n".getBytes(), PASSPHRASE, null));
            assertTrue(notOne.getMessage().endsWith("this is not a Culvert server backup"), notOne.getMessage());
            assertEquals(List.of(), fresh.servers());
            assertTrue(isEmptyOrAbsent(dir.resolve("new/servers")), "no partial server on disk");
        }
    }

    @Test
    void restoringATakenNameIsRefusedUnlessGivenAnotherName() throws Exception {
        admin.create(spec("office"));
        admin.issueClient("office", "alice");
        byte[] backup = admin.backup("office", PASSPHRASE);
        EngineException taken = assertThrows(EngineException.class, () -> admin.restore(backup, PASSPHRASE, null));
        assertTrue(taken.getMessage().contains("a server named 'office' already exists"), taken.getMessage());
        ServerSpec copy = admin.restore(backup, PASSPHRASE, "office-copy");
        assertEquals("office-copy", copy.name());
        assertEquals(List.of("office", "office-copy"), admin.servers().stream().map(ServerSpec::name).toList());
        assertEquals(List.of("alice"), admin.clients("office-copy").stream().map(c -> c.commonName()).toList());
        assertTrue(Files.readString(dir.resolve("old/servers/office-copy/server.conf")).startsWith("# Server 'office-copy',"));
        assertArrayEquals(Files.readAllBytes(dir.resolve("old/servers/office/pki/ca.crt")),
                Files.readAllBytes(dir.resolve("old/servers/office-copy/pki/ca.crt")), "the same CA");
    }

    @Test
    void editingThePortRestartsTheServerThereAndSaysWhyClientsReimport() throws Exception {
        ServerSpec s = admin.create(spec("office"));
        admin.issueClient("office", "alice");
        ServerHandle before = admin.start("office", e -> { });
        int newPort = LocalServerAdminTest.freeUdpPort();
        ServerEdit edit = admin.edit(s.withPort(newPort));
        assertTrue(edit.restarted());
        assertTrue(before.awaitStopped(1000), "the old instance stopped");
        assertEquals(List.of("port " + s.port() + " → " + newPort + " (the profile's remote line)"), edit.reimportReasons());
        ServerHandle after = admin.running("office").orElseThrow();
        assertEquals("127.0.0.1:" + newPort + "/udp", after.listenAddress());
        assertEquals(List.of(s.withPort(newPort)), admin.servers());
        String profile = admin.exportProfile("office", "alice");
        assertTrue(profile.contains("remote 127.0.0.1 " + newPort), profile);
        ClientHandle client = engine.startClient(profile, dir, e -> { }, prompt -> Optional.empty());
        try {
            await(() -> client.connectionInfo() != null, "a re-exported profile connects on the new port");
        } finally {
            client.disconnect();
            client.awaitStopped(5000);
        }

        ServerEdit c2c = admin.edit(ServerSpec.builder("office", "127.0.0.1").network("10.77.0.0", "255.255.255.0")
                .port(newPort).clientToClient(true).bindAddress("127.0.0.1").build());
        assertTrue(c2c.restarted());
        assertFalse(c2c.clientsMustReimport(), "client-to-client does not touch profiles");
        assertTrue(Files.readString(dir.resolve("old/servers/office/server.conf")).contains("client-to-client\n"));
        ServerEdit host = admin.edit(ServerSpec.builder("office", "vpn.example.org")
                .network("10.77.0.0", "255.255.255.0").port(newPort).clientToClient(true).bindAddress("127.0.0.1")
                .build());
        assertFalse(host.restarted(), "the public address is not in the server's config");
        assertEquals(List.of("public address 127.0.0.1 → vpn.example.org (the profile's remote line)"), host.reimportReasons());
    }

    /** Issue 12: keepalive and DNS edits restart the server; a connected Culvert client is pushed the new DNS servers. */
    @Test
    void editingKeepaliveAndDnsRestartsTheServerAndTheConnectedClientGetsTheNewDns() throws Exception {
        ServerSpec s = admin.create(spec("office"));
        admin.issueClient("office", "alice");
        admin.start("office", e -> { });
        ClientHandle client = engine.startClient(admin.exportProfile("office", "alice"), dir, e -> { }, prompt -> Optional.empty());
        try {
            await(() -> client.connectionInfo() != null, "the client connects");
            assertEquals(List.of(), client.connectionInfo().dns());
            ServerEdit edit = admin.edit(s.withClientSettings(5, 40, List.of("10.77.0.53")));
            assertTrue(edit.restarted(), "pushed values change the server's config");
            assertFalse(edit.clientsMustReimport(), "they are pushed, not in the profile");
            String conf = Files.readString(dir.resolve("old/servers/office/server.conf"));
            assertTrue(conf.contains("keepalive 5 40\npush \"dhcp-option DNS 10.77.0.53\"\n"), conf);
            assertEquals(List.of(s.withClientSettings(5, 40, List.of("10.77.0.53"))), admin.servers());
            await(() -> client.connectionInfo() != null && client.connectionInfo().dns().contains("10.77.0.53"),
                    "the client reconnects and is pushed the new DNS server");
        } finally {
            client.disconnect();
            client.awaitStopped(5000);
        }
    }

    @Test
    void renameMovesTheServerWithItsPkiAndKeepsItRunning() throws Exception {
        admin.create(spec("office"));
        admin.issueClient("office", "alice");
        admin.setClientNetwork("office", "alice", new ClientNetwork("10.77.0.50", List.of(), List.of()));
        String profile = admin.exportProfile("office", "alice");
        admin.start("office", e -> { });
        assertThrows(EngineException.class, () -> admin.rename("office", "../x"));
        ServerSpec renamed = admin.rename("office", "branch");
        assertEquals("branch", renamed.name());
        assertEquals(List.of(renamed), admin.servers());
        assertFalse(Files.exists(dir.resolve("old/servers/office")));
        assertTrue(Files.readString(dir.resolve("old/servers/branch/server.conf")).startsWith("# Server 'branch',"));
        assertEquals(List.of("alice"), admin.clients("branch").stream().map(c -> c.commonName()).toList());
        assertEquals("10.77.0.50", admin.clientNetwork("branch", "alice").staticAddress());
        assertTrue(admin.running("branch").isPresent(), "it runs on under the new name");
        assertEquals(Optional.empty(), admin.running("office"));
        ClientHandle client = engine.startClient(profile, dir, e -> { }, prompt -> Optional.empty());
        try {
            await(() -> client.connectionInfo() != null, "the profile exported before the rename connects");
        } finally {
            client.disconnect();
            client.awaitStopped(5000);
        }
        admin.create(spec("office"));
        EngineException taken = assertThrows(EngineException.class, () -> admin.rename("branch", "office"));
        assertTrue(taken.getMessage().contains("already exists"), taken.getMessage());
    }

    private static boolean isEmptyOrAbsent(Path d) throws Exception {
        if (!Files.exists(d)) {
            return true;
        }
        try (Stream<Path> s = Files.list(d)) {
            return s.findAny().isEmpty();
        }
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
