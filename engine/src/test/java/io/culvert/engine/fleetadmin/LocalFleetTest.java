package io.culvert.engine.fleetadmin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.api.AppSettings;
import io.culvert.engine.api.ClientCertificate;
import io.culvert.engine.api.EngineException;
import io.culvert.engine.api.Fleet;
import io.culvert.engine.api.FleetRemote;
import io.culvert.engine.api.FleetView;
import io.culvert.engine.config.ClientConfig;
import io.culvert.engine.store.DatabaseLogin;
import io.culvert.engine.store.FleetRepository;
import io.culvert.engine.store.FleetRevocation;
import io.culvert.engine.store.Keyring;
import io.culvert.engine.store.PostgresServer;
import io.culvert.engine.store.Store;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin side of a fleet on the test PostgreSQL: health, issue and revoke once, the CA key kept here (ADR 0054). */
class LocalFleetTest {
    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
    private final InstantSource clock = InstantSource.fixed(NOW);
    private final Map<String, String> settings = new HashMap<>();
    private final AppSettings appSettings = new AppSettings() {
        @Override
        public Optional<String> get(String key) {
            return Optional.ofNullable(settings.get(key));
        }

        @Override
        public void put(String key, String value) {
            settings.put(key, value);
        }
    };

    @TempDir
    Path dir;

    private String password() throws Exception {
        return Files.readAllLines(PostgresServer.shared().rolePasswordFile()).getFirst().strip();
    }

    @Test
    void healthIssueRevokeAndAProfileWithEveryServer() throws Exception {
        String url = PostgresServer.shared().freshDatabase();
        LocalFleets fleets = new LocalFleets(dir, appSettings, Keyring.NONE, clock);
        try (Fleet fleet = fleets.open(url, PostgresServer.ROLE, password());
                Store servers = Store.open(url, DatabaseLogin.fromFile(PostgresServer.ROLE, PostgresServer.shared().rolePasswordFile()), clock)) {
            FleetRepository repo = servers.fleet();
            repo.heartbeat("vpn-a.example.net", NOW.minusSeconds(3));
            repo.heartbeat("vpn-b.example.net", NOW.minusSeconds(30));
            repo.heartbeat("vpn-c.example.net", NOW.minusSeconds(600));
            repo.heartbeat("vpn-0.example.net", NOW.minusSeconds(600));
            repo.registerRemotes("vpn-a.example.net", List.of(new FleetRemote("192.0.2.10", 1194, "udp"),
                    new FleetRemote("vpn-a.example.net", 443, "tcp")));
            repo.registerRemotes("vpn-c.example.net", List.of(new FleetRemote("2001:db8::c", 1195, "udp")));
            repo.registerRemotes("vpn-0.example.net", List.of(new FleetRemote("198.51.100.7", 1194, "udp")));
            FleetView view = fleet.view();
            assertEquals(List.of(FleetView.Health.DOWN, FleetView.Health.HEALTHY, FleetView.Health.LATE, FleetView.Health.DOWN),
                    view.servers().stream().map(FleetView.Server::health).toList());
            assertEquals(List.of(new FleetRemote("192.0.2.10", 1194, "udp"), new FleetRemote("vpn-a.example.net", 443, "tcp")),
                    view.servers().get(1).remotes());

            ClientCertificate alice = fleet.issueClient("alice");
            assertTrue(repo.ca().isPresent(), "the CA certificate is published");
            Path caKey = dir.resolve("fleets").resolve(LocalFleet.fingerprint(repo.ca().get())).resolve("pki").resolve("ca.key");
            assertTrue(Files.isRegularFile(caKey), "the CA key stays on this machine");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(caKey)));
            assertFalse(repo.ca().get().contains("PRIVATE KEY"));
            assertEquals(1, repo.issued().size());
            assertEquals(new BigInteger(alice.serialHex(), 16), repo.issued().getFirst().serial());

            // Registry (name) order, each server's addresses as it gave them, with their own port and protocol; a server
            // that registered none by its name; the servers that are down last (vpn-0 and vpn-c).
            String profile = fleet.exportProfile("alice", true);
            assertTrue(profile.contains("""
                    remote 192.0.2.10 1194 udp
                    remote vpn-a.example.net 443 tcp
                    remote vpn-b.example.net 1194 udp
                    remote 198.51.100.7 1194 udp
                    remote 2001:db8::c 1195 udp
                    remote-random
                    server-poll-timeout 10
                    """), profile);
            Path file = Files.writeString(dir.resolve("alice.ovpn"), profile);
            assertEquals(List.of("192.0.2.10 1194 UDP", "vpn-a.example.net 443 TCP", "vpn-b.example.net 1194 UDP", "198.51.100.7 1194 UDP",
                    "2001:db8::c 1195 UDP"), ClientConfig.load(file, false).transport().remotes().stream()
                            .map(r -> r.host() + " " + r.port() + " " + r.proto()).toList(), "as our config parser reads it");
            assertTrue(profile.contains("remote-random\n"));
            assertTrue(profile.contains("<tls-crypt>"));

            EngineException taken = assertThrows(EngineException.class, () -> fleet.issueClient("alice"));
            assertTrue(taken.getMessage().contains("already"), taken.getMessage());

            fleet.revoke("alice");
            List<FleetRevocation> revoked = repo.revocations();
            assertEquals(1, revoked.size());
            assertEquals(new BigInteger(alice.serialHex(), 16), revoked.getFirst().serial());
            assertNotNull(fleet.clients().getFirst().revokedAt());
            assertThrows(EngineException.class, () -> fleet.exportProfile("alice", false));
        }
        assertEquals(url, settings.get(LocalFleets.URL_KEY));
        assertFalse(settings.containsValue(password()), "the password is not in the settings");
        Path pw = dir.resolve(LocalFleets.PASSWORD_FILE);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(pw)));
        try (Fleet again = new LocalFleets(dir, appSettings, Keyring.NONE, clock).reopen()) {
            assertEquals(4, again.view().servers().size());
        }
    }

    @Test
    void aSecondAdminMachineWithoutTheKeyCannotIssue(@TempDir Path other) throws Exception {
        String url = PostgresServer.shared().freshDatabase();
        try (Fleet first = new LocalFleets(dir, appSettings, Keyring.NONE, clock).open(url, PostgresServer.ROLE, password());
                Fleet second = new LocalFleets(other, appSettings, Keyring.NONE, clock).open(url, PostgresServer.ROLE, password())) {
            first.issueClient("alice");
            EngineException e = assertThrows(EngineException.class, () -> second.issueClient("bob"));
            assertTrue(e.getMessage().contains("not on this machine"), e.getMessage());
            second.revoke("alice"); // revoking needs no key: the database is what servers enforce
            assertTrue(first.clients().getFirst().revoked());
        }
    }
}
