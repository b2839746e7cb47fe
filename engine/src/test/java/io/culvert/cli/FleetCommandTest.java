package io.culvert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.store.DatabaseLogin;
import io.culvert.engine.store.FleetCertificate;
import io.culvert.engine.store.PostgresServer;
import io.culvert.engine.store.Store;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@code culvert fleet revoke|routes|servers|forget} against a real PostgreSQL, and the usage errors of the fleet
 * options: what an admin types and sees.
 */
class FleetCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        out.reset();
        err.reset();
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of());
    }

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

            assertEquals(0, run(with(url, pg, "fleet", "revoke", "laptop")), err.toString(StandardCharsets.UTF_8));
            assertTrue(out.toString(StandardCharsets.UTF_8).contains("revoked serial a1 (laptop)"), out.toString(StandardCharsets.UTF_8));
            assertEquals(0, run(with(url, pg, "fleet", "revoke", "--serial", "0B:EE")));
            assertEquals(Set.of(BigInteger.valueOf(0xa1), BigInteger.valueOf(0xa2), BigInteger.valueOf(0xbee)),
                    store.fleet().revocations().stream().map(r -> r.serial()).collect(Collectors.toSet()));
            assertEquals(1, run(with(url, pg, "fleet", "revoke", "nobody")));
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("the fleet issued no certificate to 'nobody'"));

            assertEquals(0, run(with(url, pg, "fleet", "routes", "laptop", "10.20.0.0/16", "fd00:20::/48")));
            assertEquals(List.of("10.20.0.0/16", "fd00:20::/48"), store.fleet().client("laptop").orElseThrow().routes());
            assertEquals(1, run(with(url, pg, "fleet", "routes", "laptop", "10.20.0.1")));
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("not a network in CIDR notation"));

            assertEquals(0, run(with(url, pg, "fleet", "servers")));
            String listed = out.toString(StandardCharsets.UTF_8);
            assertTrue(listed.lines().anyMatch(l -> l.startsWith("site-a ") && l.contains(" ok ") && l.endsWith("10.8.0.0/24")), listed);
            assertEquals(0, run(with(url, pg, "fleet", "forget", "site-a")));
            assertTrue(store.fleet().find("site-a").isEmpty());
        }
    }

    @Test
    void theFleetOptionsAreCheckedBeforeAnythingRuns() {
        assertEquals(2, run("server", "--config", "x.conf", "--fleet-name", "a"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("the fleet options need --fleet JDBC_URL"));
        assertEquals(2, run("server", "--config", "x.conf", "--fleet", "jdbc:sqlite:/tmp/x.db"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--fleet needs a jdbc:postgresql:// URL"));
        assertEquals(2, run("fleet", "revoke", "laptop", "--serial", "a1", "--db", "jdbc:postgresql://127.0.0.1/x"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("give a CN or --serial HEX, not both"));
        assertEquals(2, run("fleet", "servers"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--db needs the fleet's jdbc:postgresql:// URL"));
    }
}
