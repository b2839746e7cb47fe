package io.culvert.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.api.FleetRemote;
import io.culvert.engine.api.FlowEdge;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fleet server's own database role (ADR 0058) on a real PostgreSQL: it does everything a server does for itself
 * (opens the fleet, registers, claims its pool, reports, reads revocations and routes) and nothing a broken-into
 * server could use against the rest of the fleet: it cannot revoke or un-revoke, set routes, publish a CA, record a
 * certificate, write another server's row, pool or report, or give itself another server's name.
 */
class FleetServerRoleTest {
    private static final Instant T1 = Instant.parse("2026-12-07T07:00:00Z");
    private static final AtomicInteger ROLES = new AtomicInteger();

    @TempDir
    Path tmp;
    private Backend.Target target;
    private Store admin;
    private FleetRepository fleet;
    private String role;

    @BeforeEach
    void open() {
        target = Backend.POSTGRESQL.target(tmp);
        admin = target.open();
        fleet = admin.fleet();
        // roles are cluster-wide and every test shares one cluster: a name of its own per test
        role = "culvert_srv_t" + ProcessHandle.current().pid() + "_" + ROLES.incrementAndGet();
    }

    @AfterEach
    void close() {
        admin.close();
    }

    private Store asServer(String password) throws Exception {
        Path file = tmp.resolve(role + ".pw");
        io.culvert.engine.common.PrivateFiles.writePrivate(file, password + "\n");
        return Store.open(target.url(), DatabaseLogin.fromFile(role, file), InstantSource.system());
    }

    @Test
    void aServerRoleReportsForItselfAndCannotTouchTheRestOfTheFleet() throws Exception {
        fleet.heartbeat("lisbon", T1);
        fleet.claimPool("lisbon", "10.9.0.0/24");
        fleet.revoke(BigInteger.valueOf(0x1234), "mallory", T1);
        fleet.setRoutes("alice", List.of("10.20.0.0/16"), T1);
        fleet.addServerRole("berlin", role, "s3cret-berlin-pw".toCharArray());
        assertEquals(Map.of("berlin", role), fleet.serverRoles());

        try (Store server = asServer("s3cret-berlin-pw")) {
            FleetRepository mine = server.fleet();
            // What a server does for itself.
            mine.heartbeat("berlin", T1.plusSeconds(1));
            mine.claimPool("berlin", "10.8.0.0/24");
            mine.report("berlin", T1.plusSeconds(2), List.of(new FleetInstance("berlin", 7, "alice", "192.0.2.7:1194",
                    List.of("10.8.0.2"), T1, 100, 200)), List.of(new FleetFlow("berlin", 7, FlowEdge.SERVER,
                    FlowEdge.Kind.UNICAST_VIA_SERVER, 3, 300)), List.of(new FleetRemoteFlow("berlin", 7, "10.9.0.2", 2, 168)));
            mine.registerRemotes("berlin", List.of(new FleetRemote("192.0.2.80", 1194, "udp")));
            assertTrue(mine.releasePool("berlin", "10.8.0.0/24"));
            mine.claimPool("berlin", "10.8.0.0/24");
            // It reads the whole fleet.
            assertEquals(List.of("berlin", "lisbon"), mine.servers().stream().map(FleetServer::name).toList());
            assertEquals(List.of(BigInteger.valueOf(0x1234)), mine.revocations().stream().map(FleetRevocation::serial).toList());
            assertEquals(List.of("10.20.0.0/16"), mine.client("alice").orElseThrow().routes());
            // An overlapping claim is still refused, naming the other server's pool it cannot otherwise touch.
            StoreException overlap = assertThrows(StoreException.class, () -> mine.claimPool("berlin", "10.9.0.0/16"));
            assertEquals(StoreException.Kind.DUPLICATE, overlap.kind());

            // What it may not do.
            assertDenied(() -> mine.revoke(BigInteger.TEN, "alice", T1));
            assertDenied(() -> mine.setRoutes("alice", List.of("0.0.0.0/1"), T1));
            assertDenied(() -> mine.publishCa("-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n", T1));
            assertDenied(() -> mine.recordIssued(new FleetCertificate(BigInteger.TWO, "eve", T1, T1.plusSeconds(60), "pem")));
            assertDenied(() -> mine.heartbeat("paris", T1)); // registering under another name
            assertDenied(() -> mine.claimPool("lisbon", "10.10.0.0/24"));
            assertDenied(() -> mine.report("lisbon", T1, List.of(new FleetInstance("lisbon", 1, "eve", "192.0.2.9:1194",
                    List.of("10.9.0.2"), T1, 1, 1)), List.of()));
            assertDenied(() -> mine.report("lisbon", T1, List.of(), List.of(), List.of(new FleetRemoteFlow("lisbon", 1, "10.8.0.2", 1, 84))));
            mine.report("lisbon", T1.plusSeconds(5), List.of(), List.of()); // sees no row of lisbon's to change
            mine.registerRemotes("lisbon", List.of(new FleetRemote("198.51.100.66", 1194, "udp"))); // nor here
            assertFalse(mine.forget("lisbon"), "another server's row is invisible to its delete");
            assertFalse(mine.releasePool("lisbon", "10.9.0.0/24"));
            // Straight SQL fares no better: no un-revoking, no deleting another server's pool.
            assertEquals("42501", sqlState(mine, "DELETE FROM fleet_revocation"));
            assertEquals("42501", sqlState(mine, "UPDATE fleet_client SET routes = ''"));
            assertEquals("42501", sqlState(mine, "DELETE FROM fleet_server_role"));
        }
        // Nothing of the rest of the fleet changed; the server's own report is there.
        assertEquals(List.of(BigInteger.valueOf(0x1234)), fleet.revocations().stream().map(FleetRevocation::serial).toList());
        assertEquals(List.of("10.20.0.0/16"), fleet.client("alice").orElseThrow().routes());
        assertEquals(List.of("10.9.0.0/24"), fleet.find("lisbon").orElseThrow().pools());
        assertEquals(Instant.EPOCH, fleet.find("lisbon").orElseThrow().reportedAt());
        assertEquals(List.of(), fleet.find("lisbon").orElseThrow().remotes(), "lisbon registered no address, nobody did for it");
        assertEquals(List.of(new FleetRemote("192.0.2.80", 1194, "udp")), fleet.find("berlin").orElseThrow().remotes());
        assertEquals(List.of(new FleetRemoteFlow("berlin", 7, "10.9.0.2", 2, 168)), fleet.remoteFlows());
        assertEquals(List.of("10.8.0.0/24"), fleet.find("berlin").orElseThrow().pools());
        assertEquals(List.of("alice"), fleet.instances().stream().map(FleetInstance::commonName).toList());
        assertTrue(fleet.issued().isEmpty());
        assertTrue(fleet.ca().isEmpty());
    }

    @Test
    void theRoleIsMadeOncePerServerKeepsNoPasswordInTheCatalogueAndCanBeDropped() throws Exception {
        fleet.addServerRole("berlin", role, "first-pw-0123456789".toCharArray());
        StoreException again = assertThrows(StoreException.class,
                () -> fleet.addServerRole("berlin", role + "x", "pw".toCharArray()));
        assertEquals(StoreException.Kind.DUPLICATE, again.kind());
        assertTrue(again.getMessage().contains("already has the role " + role), again.getMessage());
        assertEquals(StoreException.Kind.INVALID,
                assertThrows(StoreException.class, () -> fleet.addServerRole("paris", "Robert'); DROP", "pw".toCharArray())).kind());
        assertEquals(StoreException.Kind.INVALID,
                assertThrows(StoreException.class, () -> fleet.addServerRole("paris", "pg_monitor", "pw".toCharArray())).kind());
        assertEquals("culvert_srv_site_a_1", FleetRepository.defaultRole("Site-A.1"));

        // The database keeps a SCRAM verifier, not the password (the statement never carried it either).
        String stored = superuserQuery("SELECT rolpassword FROM pg_authid WHERE rolname = '" + role + "'");
        assertTrue(stored.startsWith("SCRAM-SHA-256$"), stored);
        assertFalse(stored.contains("first-pw-0123456789"));

        try (Store server = asServer("first-pw-0123456789")) {
            server.fleet().heartbeat("berlin", T1);
        }
        assertEquals(Optional.of(role), fleet.removeServerRole("berlin"));
        assertEquals(Optional.empty(), fleet.removeServerRole("berlin"));
        assertTrue(fleet.serverRoles().isEmpty());
        StoreException gone = assertThrows(StoreException.class, () -> asServer("first-pw-0123456789").close());
        assertTrue(gone.getMessage().contains("authentication failed") || gone.getMessage().contains("does not exist"),
                gone.getMessage());
        assertEquals(List.of("berlin"), fleet.servers().stream().map(FleetServer::name).toList(), "its registry entry stays");
    }

    private static void assertDenied(org.junit.jupiter.api.function.Executable what) {
        StoreException e = assertThrows(StoreException.class, what);
        assertEquals(StoreException.Kind.DENIED, e.kind(), e.getMessage());
    }

    /** The SQLSTATE {@code sql} fails with when run by the server's role ("" if it succeeds). */
    private String sqlState(FleetRepository ignored, String sql) throws Exception {
        Path file = tmp.resolve(role + ".pw");
        Properties p = new Properties();
        p.setProperty("user", role);
        p.setProperty("password", Files.readString(file).strip());
        try (Connection c = DriverManager.getConnection(target.url(), p); Statement s = c.createStatement()) {
            s.executeUpdate(sql);
            return "";
        } catch (SQLException e) {
            return e.getSQLState();
        }
    }

    private String superuserQuery(String sql) {
        return PostgresServer.shared().superuserQuery(target.url(), sql);
    }
}
