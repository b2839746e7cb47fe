package io.culvert.engine.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.api.EngineException;
import io.culvert.engine.api.FleetRemote;
import io.culvert.engine.config.ServerConfig;
import io.culvert.engine.config.file.OvpnFile;
import io.culvert.engine.store.DatabaseLogin;
import io.culvert.engine.store.PostgresServer;
import io.culvert.engine.store.Store;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fleet server's agent against a real PostgreSQL ({@link PostgresServer}): pools claimed and an overlapping one
 * refused naming its owner, a server that comes back keeps its own pool, a revocation committed by another process
 * reaches the agent's revoked set through LISTEN/NOTIFY and lands in its 0600 cache.
 */
@Timeout(120)
class FleetAgentTest {
    private static final Path SERVER_DIR = Path.of("src/test/resources/ovpn/server");
    private static final String BASE = "port 11940\ndev tun\nca ca.crt\ncert server.crt\nkey server.key\ndh none\n";

    @TempDir
    Path dir;

    private String url;
    private DatabaseLogin login;

    @BeforeEach
    void database() {
        PostgresServer pg = PostgresServer.shared();
        url = pg.freshDatabase();
        login = DatabaseLogin.fromFile(PostgresServer.ROLE, pg.rolePasswordFile());
    }

    private static ServerConfig config(String addressing) throws Exception {
        return ServerConfig.from(OvpnFile.parse(BASE + addressing), SERVER_DIR, false);
    }

    private FleetOptions options(String name) {
        return new FleetOptions(url, login, name, dir.resolve(name), Duration.ofMinutes(10), false);
    }

    @Test
    void poolsAreTheNetworksTheConfigHandsOut() throws Exception {
        assertEquals(List.of("10.8.0.0/24"), FleetPools.of(config("server 10.8.0.0 255.255.255.0\n")));
        assertEquals(List.of("10.9.0.0/24", "fd00:9::/64"),
                FleetPools.of(config("server 10.9.0.0 255.255.255.0\nserver-ipv6 fd00:9::/64\n")));
        assertEquals("10.8.0.0/21", FleetPools.covering(0x0a080004, 0x0a0807fe));
    }

    @Test
    void theAddressesClientsDialAreTheOptionsElseTheConfigsLocalAddressesElseTheName() throws Exception {
        String pool = "server 10.8.0.0 255.255.255.0\n";
        assertEquals(List.of(new FleetRemote("vpn.example.net", 11940, "udp"), new FleetRemote("192.0.2.1", 443, "tcp")),
                FleetRemotes.of(options("site-a").withRemotes(List.of("vpn.example.net", "192.0.2.1:443:tcp")), config(pool)));
        assertEquals(List.of(new FleetRemote("192.0.2.7", 11940, "tcp")),
                FleetRemotes.of(options("site-a").withRemotes(List.of("192.0.2.7")), config("proto tcp-server\n" + pool)));
        ServerConfig locals = config("local 192.0.2.1\nlocal 2001:db8::1 1195 udp6\nlocal 0.0.0.0 443 tcp-server\n" + pool);
        assertEquals(List.of(new FleetRemote("192.0.2.1", 11940, "udp"), new FleetRemote("2001:db8::1", 1195, "udp")),
                FleetRemotes.of(options("site-a"), locals), "concrete local addresses, not the wildcard");
        assertFalse(FleetRemotes.dialsTheName(options("site-a"), locals));
        ServerConfig wildcard = config("local 0.0.0.0\n" + pool);
        assertEquals(List.of(new FleetRemote("site-a", 11940, "udp")), FleetRemotes.of(options("site-a"), wildcard));
        assertTrue(FleetRemotes.dialsTheName(options("site-a"), wildcard));
        try (FleetAgent a = FleetAgent.join(options("site-a").withRemotes(List.of("vpn-a.example.net:1194")), config(pool),
                InstantSource.system()); Store admin = Store.open(url, login, InstantSource.system())) {
            assertEquals(List.of(new FleetRemote("vpn-a.example.net", 1194, "udp")), admin.fleet().find("site-a").orElseThrow().remotes(),
                    "registered when it joins");
        }
    }

    @Test
    void anOverlappingPoolRefusesTheStartNamingTheOtherServer() throws Exception {
        try (FleetAgent a = FleetAgent.join(options("site-a"), config("server 10.8.0.0 255.255.255.0\n"), InstantSource.system())) {
            EngineException e = assertThrows(EngineException.class,
                    () -> FleetAgent.join(options("site-b"), config("server 10.8.0.0 255.255.0.0\n"), InstantSource.system()));
            assertTrue(e.getMessage().contains("'site-a'") && e.getMessage().contains("10.8.0.0/16"), e.getMessage());
            try (Store admin = Store.open(url, login, InstantSource.system())) {
                assertTrue(admin.fleet().find("site-b").isEmpty(), "a refused first start leaves no server behind");
            }
            FleetAgent.join(options("site-b"), config("server 10.9.0.0 255.255.255.0\n"), InstantSource.system()).close();
        }
    }

    @Test
    void aServerThatComesBackKeepsItsPoolAndGivesBackOneItNoLongerHas() throws Exception {
        FleetAgent.join(options("site-a"), config("server 10.8.0.0 255.255.255.0\n"), InstantSource.system()).close();
        FleetAgent.join(options("site-a"), config("server 10.8.0.0 255.255.255.0\n"), InstantSource.system()).close();
        try (FleetAgent again = FleetAgent.join(options("site-a"), config("server 10.10.0.0 255.255.255.0\n"), InstantSource.system());
                Store admin = Store.open(url, login, InstantSource.system())) {
            assertEquals(List.of("10.10.0.0/24"), admin.fleet().find("site-a").orElseThrow().pools());
        }
    }

    @Test
    void aRevocationCommittedElsewhereReachesTheServerAndItsCache() throws Exception {
        try (Store admin = Store.open(url, login, InstantSource.system())) {
            admin.fleet().revoke(BigInteger.valueOf(0x1001), "before", InstantSource.system().instant());
            try (FleetAgent a = FleetAgent.join(options("site-a"), config("server 10.8.0.0 255.255.255.0\n"), InstantSource.system())) {
                assertEquals(java.util.Set.of(BigInteger.valueOf(0x1001)), a.revoked(), "read at the start");
                a.start(() -> null);
                long t0 = System.nanoTime();
                admin.fleet().revoke(new BigInteger("abcdef0123456789", 16), "laptop", InstantSource.system().instant());
                while (!a.revoked().contains(new BigInteger("abcdef0123456789", 16))) {
                    Thread.sleep(10);
                }
                long ms = (System.nanoTime() - t0) / 1_000_000;
                System.out.println("fleet revocation reached the agent in " + ms + " ms");
                Path cache = dir.resolve("site-a").resolve("revocations");
                String text = "";
                for (int i = 0; i < 500 && !text.contains("abcdef0123456789"); i++) {
                    Thread.sleep(10);
                    text = Files.exists(cache) ? Files.readString(cache) : "";
                }
                assertTrue(text.contains("abcdef0123456789") && text.contains("1001") && text.contains("read-at "), text);
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cache)));

                // Twenty more, one at a time: how long each takes from commit to the server's revoked set.
                List<Long> micros = new java.util.ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    BigInteger serial = BigInteger.valueOf(0x2000 + i);
                    long t = System.nanoTime();
                    admin.fleet().revoke(serial, "client-" + i, InstantSource.system().instant());
                    while (!a.revoked().contains(serial)) {
                        Thread.sleep(1);
                    }
                    micros.add((System.nanoTime() - t) / 1000);
                }
                List<Long> sorted = micros.stream().sorted().toList();
                System.out.printf("fleet revocation to the server's revoked set over 20 revokes: median %.1f ms, max %.1f ms%n",
                        (sorted.get(9) + sorted.get(10)) / 2000.0, sorted.getLast() / 1000.0);
                assertEquals(22, a.revoked().size());
            }
        }
    }
}
