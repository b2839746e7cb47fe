package io.culvert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.api.FleetRemote;
import io.culvert.engine.store.DatabaseLogin;
import io.culvert.engine.store.FleetCertificate;
import io.culvert.engine.store.PostgresServer;
import io.culvert.engine.store.Store;
import java.math.BigInteger;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@code culvert fleet revoke|routes|servers|forget} against a real PostgreSQL, and the usage errors of the fleet
 * options: what an admin types and sees.
 */
class FleetCommandTest {
    private final CliRun cli = new CliRun();

    private static String[] with(String url, PostgresServer pg, String... args) {
        List<String> a = new ArrayList<>(List.of(args));
        a.addAll(List.of("--db", url, "--db-user", PostgresServer.ROLE, "--db-password-file", pg.rolePasswordFile().toString()));
        return a.toArray(String[]::new);
    }

    @Test
    void revokesByCommonNameOrSerialSetsRoutesAndListsServers() {
        PostgresServer pg = PostgresServer.shared();
        String url = pg.freshDatabase();
        try (Store store = Store.open(url, DatabaseLogin.fromFile(PostgresServer.ROLE, pg.rolePasswordFile()), InstantSource.system())) {
            Instant now = Instant.ofEpochSecond(1_765_000_000L);
            store.fleet().recordIssued(new FleetCertificate(BigInteger.valueOf(0xa1), "laptop", now, now.plusSeconds(86400), "PEM"));
            store.fleet().recordIssued(new FleetCertificate(BigInteger.valueOf(0xa2), "laptop", now, now.plusSeconds(86400), "PEM"));
            store.fleet().heartbeat("site-a", InstantSource.system().instant());
            store.fleet().claimPool("site-a", "10.8.0.0/24");
            store.fleet().registerRemotes("site-a", List.of(new FleetRemote("192.0.2.1", 1194, "udp"),
                    new FleetRemote("vpn-a.example.net", 443, "tcp")));

            assertEquals(0, cli.run(with(url, pg, "fleet", "revoke", "laptop")), cli.err());
            assertTrue(cli.out().contains("revoked serial a1 (laptop)"), cli.out());
            assertEquals(0, cli.run(with(url, pg, "fleet", "revoke", "--serial", "0B:EE")));
            assertEquals(Set.of(BigInteger.valueOf(0xa1), BigInteger.valueOf(0xa2), BigInteger.valueOf(0xbee)),
                    store.fleet().revocations().stream().map(r -> r.serial()).collect(Collectors.toSet()));
            assertEquals(1, cli.run(with(url, pg, "fleet", "revoke", "nobody")));
            assertTrue(cli.err().contains("the fleet issued no certificate to 'nobody'"));

            assertEquals(0, cli.run(with(url, pg, "fleet", "routes", "laptop", "10.20.0.0/16", "fd00:20::/48")));
            assertEquals(List.of("10.20.0.0/16", "fd00:20::/48"), store.fleet().client("laptop").orElseThrow().routes());
            assertEquals(1, cli.run(with(url, pg, "fleet", "routes", "laptop", "10.20.0.1")));
            assertTrue(cli.err().contains("not a network in CIDR notation"));

            assertEquals(0, cli.run(with(url, pg, "fleet", "address", "laptop", "site-a", "10.8.0.50")), cli.err());
            assertEquals("laptop: 10.8.0.50 on site-a", cli.out().strip());
            assertEquals(1, cli.run(with(url, pg, "fleet", "address", "phone", "site-a", "10.9.0.50")));
            assertTrue(cli.err().contains("10.9.0.50 is not in the IPv4 pool of server 'site-a' (10.8.0.0/24)"), cli.err());
            assertEquals(1, cli.run(with(url, pg, "fleet", "address", "phone", "site-a", "10.8.0.50")));
            assertTrue(cli.err().contains("10.8.0.50 on server 'site-a' is already laptop's"), cli.err());
            assertEquals(1, cli.run(with(url, pg, "fleet", "address", "phone", "site-z", "10.8.0.51")));
            assertTrue(cli.err().contains("no fleet server named 'site-z'"), cli.err());
            assertEquals(2, cli.run(with(url, pg, "fleet", "address", "phone", "site-a", "10.8.0.51", "--clear")));
            assertEquals(0, cli.run(with(url, pg, "fleet", "address", "laptop", "site-a", "--clear")));
            assertEquals("laptop: no static address", cli.out().strip());
            assertEquals(0, cli.run(with(url, pg, "fleet", "address", "laptop", "site-a", "10.8.0.50")));

            assertEquals(0, cli.run(with(url, pg, "fleet", "servers")));
            String listed = cli.out();
            assertTrue(listed.lines().anyMatch(l -> l.startsWith("site-a ") && l.contains(" ok ")
                    && l.matches(".* 10\\.8\\.0\\.0/24 +192\\.0\\.2\\.1 1194 udp, vpn-a\\.example\\.net 443 tcp")), listed);
            assertTrue(listed.lines().findFirst().orElseThrow().endsWith("POOLS                REMOTES"), listed);
            assertEquals(0, cli.run(with(url, pg, "fleet", "forget", "site-a")));
            assertTrue(store.fleet().find("site-a").isEmpty());
        }
    }

    @Test
    void addServerWritesAFreshPasswordFileAndTheRoleRunsOnlyAsThatServer(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        PostgresServer pg = PostgresServer.shared();
        String url = pg.freshDatabase();
        String role = "culvert_srv_cli" + ProcessHandle.current().pid();
        java.nio.file.Path pw = dir.resolve("site-a.pw");
        assertEquals(0, cli.run(with(url, pg, "fleet", "add-server", "site-a", "--role", role, "--password-out", pw.toString())), cli.err());
        assertTrue(cli.out().contains("server site-a may now run as role " + role), cli.out());
        assertTrue(cli.out().contains("--db-user " + role + " --db-password-file site-a.pw"), cli.out());
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(pw)));
        String password = java.nio.file.Files.readString(pw).strip();
        assertEquals(32, password.length());
        assertTrue(!cli.out().contains(password) && !cli.err().contains(password), "the password is never printed");

        // The new role runs server site-a, and only that.
        try (Store server = Store.open(url, DatabaseLogin.fromFile(role, pw), InstantSource.system())) {
            server.fleet().heartbeat("site-a", InstantSource.system().instant());
        }
        assertEquals(1, cli.run("fleet", "revoke", "--serial", "a1", "--db", url, "--db-user", role, "--db-password-file", pw.toString()));
        assertTrue(cli.err().contains("the database role may not do this"), cli.err());

        // Again for the same server, or into an existing file: refused, nothing written.
        assertEquals(2, cli.run(with(url, pg, "fleet", "add-server", "site-a", "--password-out", pw.toString())));
        assertTrue(cli.err().contains(pw + " exists; give a new file"), cli.err());
        java.nio.file.Path other = dir.resolve("other.pw");
        assertEquals(1, cli.run(with(url, pg, "fleet", "add-server", "site-a", "--role", role + "_2", "--password-out", other.toString())));
        assertTrue(cli.err().contains("already has the role " + role), cli.err());
        assertTrue(!java.nio.file.Files.exists(other), "no password file for a role that was not made");

        assertEquals(0, cli.run(with(url, pg, "fleet", "remove-server", "site-a")), cli.err());
        assertTrue(cli.out().contains("dropped role " + role + " of server site-a"), cli.out());
        assertEquals(1, cli.run(with(url, pg, "fleet", "remove-server", "site-a")));
        assertTrue(cli.err().contains("server 'site-a' has no role of its own"), cli.err());
    }

    @Test
    void theFleetOptionsAreCheckedBeforeAnythingRuns() {
        assertEquals(2, cli.run("server", "--config", "x.conf", "--fleet-name", "a"));
        assertTrue(cli.err().contains("the fleet options need --fleet JDBC_URL"));
        assertEquals(2, cli.run("server", "--config", "x.conf", "--fleet", "jdbc:sqlite:/tmp/x.db"));
        assertTrue(cli.err().contains("--fleet needs a jdbc:postgresql:// URL"));
        assertEquals(2, cli.run("fleet", "revoke", "laptop", "--serial", "a1", "--db", "jdbc:postgresql://127.0.0.1/x"));
        assertTrue(cli.err().contains("give a CN or --serial HEX, not both"));
        assertEquals(2, cli.run("fleet", "servers"));
        assertTrue(cli.err().contains("--db needs the fleet's jdbc:postgresql:// URL"));
        assertEquals(2, cli.run("server", "--config", "x.conf", "--fleet-remote", "192.0.2.1"));
        assertTrue(cli.err().contains("the fleet options need --fleet JDBC_URL"));
        for (String[] bad : new String[][] {{"192.0.2.1:99999", "not a port (1-65535): 99999"},
                {"192.0.2.1:1194:sctp", "not a protocol (udp or tcp): 'sctp'"}, {"2001:db8::1:1194", "[brackets]"}}) {
            assertEquals(2, cli.run("server", "--config", "x.conf", "--fleet", "jdbc:postgresql://127.0.0.1/x", "--fleet-remote", "vpn.example.net",
                    "--fleet-remote", bad[0]));
            assertTrue(cli.err().contains("--fleet-remote '" + bad[0] + "': ") && cli.err().contains(bad[1]), cli.err());
        }
    }
}
