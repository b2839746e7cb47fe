package io.culvert.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Runs on SQLite and on PostgreSQL. */
@ParameterizedClass
@EnumSource(Backend.class)
class ServerAndCertificateRepositoryTest {
    @Parameter
    Backend backend;

    private static final String SERVER_CONF = "port 1194\nproto udp\ndev tun\nserver 10.8.0.0 255.255.255.0\nca ca.crt\n";
    private static final Instant NB = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant NA = Instant.parse("2027-01-01T00:00:00Z");

    private static final BigInteger BIG = new BigInteger("abcdef0123456789abcdef", 16);

    @TempDir
    Path tmp;
    private Store store;
    private String pem;

    @BeforeEach
    void open() throws Exception {
        store = backend.target(tmp).open();
        pem = Files.readString(Path.of("/work/shared/protocol/captures/pki/client.crt"));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private IssuedCertificate cert(long serial, String cn) {
        return cert(BigInteger.valueOf(serial), cn);
    }

    private IssuedCertificate cert(BigInteger serial, String cn) {
        return new IssuedCertificate("hq", serial, cn, NB, NA, null, pem);
    }

    @Test
    void serverKeepsConfigPkiReferenceAndCcdEntries() throws Exception {
        ServerRepository servers = store.servers();
        servers.add("hq", SERVER_CONF, "pki:hq");
        servers.putCcd("hq", "alice", "ifconfig-push 10.8.0.9 255.255.255.0\n");
        StoredServer s = servers.putCcd("hq", "bob", "iroute 192.168.5.0 255.255.255.0\n");
        assertEquals(Map.of("alice", "ifconfig-push 10.8.0.9 255.255.255.0\n", "bob", "iroute 192.168.5.0 255.255.255.0\n"), s.ccd());
        assertEquals("pki:hq", s.pkiRef());
        assertTrue(servers.removeCcd("hq", "bob"));
        assertEquals(List.of("alice"), List.copyOf(servers.find("hq").orElseThrow().ccd().keySet()));
        assertEquals("port 1195\n", servers.update("hq", "port 1195\n", null).configText());
        assertEquals(1, servers.list().size());
    }

    @Test
    void certificatesAreRecordedRevokedAndListedForTheCrl() throws Exception {
        store.servers().add("hq", SERVER_CONF, null);
        CertificateRepository certs = store.certificates();
        certs.add(cert(0x1001, "alice"));
        certs.add(cert(0x1002, "bob"));
        certs.add(cert(BIG, "alice"));
        Instant at = Instant.parse("2026-06-01T12:00:00Z");
        IssuedCertificate revoked = certs.revoke("hq", BigInteger.valueOf(0x1002), at);
        assertEquals(at, revoked.revokedAt());
        assertEquals(at, certs.revoke("hq", BigInteger.valueOf(0x1002), at.plusSeconds(60)).revokedAt(), "first revocation time kept");
        assertEquals(List.of(BigInteger.valueOf(0x1002)), certs.revoked("hq").stream().map(IssuedCertificate::serial).toList());
        assertEquals(2, certs.byCommonName("hq", "alice").size());
        assertEquals(cert(BIG, "alice"), certs.find("hq", BIG).orElseThrow());
        assertEquals(3, certs.list("hq").size());
        assertFalse(revoked.isValidAt(NB.plusSeconds(1)));
        assertTrue(cert(1, "x").isValidAt(NB.plusSeconds(1)));
        assertFalse(cert(1, "x").isValidAt(NA.plusSeconds(1)));
    }

    @Test
    void duplicateSerialFailsAndLeavesTheFirstRecord() throws Exception {
        store.servers().add("hq", SERVER_CONF, null);
        store.certificates().add(cert(7, "alice"));
        StoreException e = assertThrows(StoreException.class, () -> store.certificates().add(cert(7, "mallory")));
        assertEquals(StoreException.Kind.DUPLICATE, e.kind());
        assertEquals("alice", store.certificates().find("hq", BigInteger.valueOf(7)).orElseThrow().commonName());
    }

    @Test
    void privateKeyPemIsNeverAccepted() throws Exception {
        String key = Files.readString(Path.of("/work/shared/protocol/captures/pki/client.key"));
        StoreException e = assertThrows(StoreException.class,
                () -> new IssuedCertificate("hq", BigInteger.ONE, "a", NB, NA, null, pem + key));
        assertEquals(StoreException.Kind.INVALID, e.kind());
    }

    @Test
    void unknownServerOrSerialIsNotFound() throws Exception {
        assertEquals(StoreException.Kind.NOT_FOUND, assertThrows(StoreException.class, () -> store.certificates().add(cert(1, "a"))).kind());
        store.servers().add("hq", SERVER_CONF, null);
        assertEquals(StoreException.Kind.NOT_FOUND,
                assertThrows(StoreException.class, () -> store.certificates().revoke("hq", BigInteger.TEN, NB)).kind());
    }

    @Test
    void deletingAServerDeletesItsCertificatesAndCcd() throws Exception {
        store.servers().add("hq", SERVER_CONF, null);
        store.servers().putCcd("hq", "alice", "push-reset\n");
        store.certificates().add(cert(1, "alice"));
        assertTrue(store.servers().delete("hq"));
        store.servers().add("hq", SERVER_CONF, null);
        assertTrue(store.certificates().list("hq").isEmpty());
        assertTrue(store.servers().find("hq").orElseThrow().ccd().isEmpty());
    }

    @Test
    void historyRecordsConnectionsAndMarksTheProfileUsed() throws Exception {
        store.profiles().add("work", StoreFixtures.clientProfile(), ProfileCheck.STRICT);
        HistoryRepository history = store.history();
        Instant t1 = Instant.parse("2026-03-01T10:00:00Z");
        long first = history.started("work", t1);
        history.ended(first, t1.plusSeconds(3600), "user disconnect", 1_000_000L, 20_000L);
        long second = history.started("work", t1.plusSeconds(7200));
        List<ConnectionRecord> recent = history.recent("work", 10);
        assertEquals(List.of(second, first), recent.stream().map(ConnectionRecord::id).toList());
        assertEquals(new ConnectionRecord(first, "work", t1, t1.plusSeconds(3600), "user disconnect", 1_000_000L, 20_000L), recent.get(1));
        assertEquals(null, recent.get(0).endedAt());
        assertEquals(t1.plusSeconds(7200), store.profiles().find("work").orElseThrow().lastUsedAt());
        assertEquals(1, history.recent("work", 1).size());
        assertEquals(StoreException.Kind.NOT_FOUND, assertThrows(StoreException.class, () -> history.ended(999, t1, "x", 0, 0)).kind());
    }

    @Test
    void settingsAreKeyValuePairs() {
        SettingsRepository settings = store.settings();
        settings.put("ui.theme", "dark");
        settings.put("ui.theme", "light");
        settings.put("a", "1");
        assertEquals(Map.of("a", "1", "ui.theme", "light"), settings.all());
        assertEquals(List.of("a", "ui.theme"), List.copyOf(settings.all().keySet()));
        assertTrue(settings.remove("a"));
        assertFalse(settings.remove("a"));
        assertTrue(settings.get("a").isEmpty());
    }
}
