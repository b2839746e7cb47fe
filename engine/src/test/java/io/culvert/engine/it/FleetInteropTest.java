package io.culvert.engine.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.api.AppSettings;
import io.culvert.engine.api.Fleet;
import io.culvert.engine.crypto.StaticKey;
import io.culvert.engine.fleetadmin.LocalFleets;
import io.culvert.engine.pki.DirectoryPkiStore;
import io.culvert.engine.pki.PkiStore;
import io.culvert.engine.store.DatabaseLogin;
import io.culvert.engine.store.FleetCertificate;
import io.culvert.engine.store.FleetInstance;
import io.culvert.engine.store.FleetRemoteFlow;
import io.culvert.engine.store.PostgresServer;
import io.culvert.engine.store.Store;
import io.culvert.engine.testkit.Pause;
import io.culvert.engine.testkit.TestPki;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code ./culvert server --fleet ...} in two namespaces on one PostgreSQL (started by the test as an unprivileged
 * user, reached from each namespace through {@link UnixForward}), pools of five addresses 10.77.0.0/29 and
 * 10.78.0.0/29, a stock 2.6 and a Culvert client on each site (alice and carl on A, erin and bob on B). A third server
 * whose pool overlaps A's is refused, naming A. {@code culvert fleet servers} (a third process) shows both healthy with
 * two clients each. Three more stock clients fill each pool; a sixth is refused on each (AUTH_FAILED, "address pool
 * exhausted") and the registry's virtual addresses are distinct and inside each server's pool. Server A is killed with
 * SIGKILL while its report transaction is open and writing (held at a row lock the test takes); the registry keeps its
 * previous report whole, a certificate issued and revoked while it is dead is in its revocation list after the restart
 * and refused by it, its pool is kept, and its first reports replace the stale clients with the reconnected ones.
 * {@code culvert fleet routes} gives the Culvert client a route as a PUSH_UPDATE (its routing table shows it, same
 * process, no reconnect) and the stock 2.6 client one through a restart. Site B loses the database for 30 s: its client
 * keeps passing traffic, a new client is refused once the revocation list is older than {@code --fleet-max-age} (and
 * gets in when the database is back), and a revocation committed during the outage is enforced once it is back.
 * {@code culvert fleet revoke} drops the Culvert client and the stock client on B (the times are printed), and neither
 * certificate is accepted by either server afterwards. Failover (ADR 0057): the servers registered their addresses with
 * {@code --fleet-remote}; a profile exported through the fleet API for a fleet-issued client lists both, and a stock
 * client on it, in a namespace that reaches both, moves from site A to site B by itself when A's JVM is killed.
 */
@NetnsTest
@CulvertFeature
class FleetInteropTest {
    private static final Duration T = Duration.ofSeconds(60);
    private static final int DB_PORT = 15432;
    private static final String POOL_24 = "server 10.77.0.0 255.255.255.0";
    private static final String POOL_29 = "server 10.77.0.0 255.255.255.248";
    private static final String TUNNEL_B = "10.78.0.1";

    private final List<Process> forwards = new ArrayList<>();

    @Test
    void twoServersShareRevocationsRoutesAndPools(@TempDir Path dir) throws Exception {
        PostgresServer pg = PostgresServer.shared();
        String hostUrl = pg.freshDatabase();
        String database = hostUrl.replaceAll(".*/([^/?]+)\\?.*", "$1");
        String nsUrl = "jdbc:postgresql://127.0.0.1:" + DB_PORT + "/" + database + "?sslmode=disable";
        DatabaseLogin login = DatabaseLogin.fromFile(PostgresServer.ROLE, pg.rolePasswordFile());
        TestPki pki = TestPki.create(dir.resolve("pki"));
        Path[] alice = pki.issueClient("alice");
        Path[] bob = pki.issueClient("bob");
        Path[] carl = pki.issueClient("carl"); // Culvert, on site A
        Path[] erin = pki.issueClient("erin"); // stock 2.6, on site B
        Scenario scenario = Scenario.UDP_TLS_CRYPT_GCM;
        try (Store admin = Store.open(hostUrl, login, InstantSource.system());
                Netns srvA = Netns.create("fsa"); Netns cliA = Netns.create("fca");
                Netns srvB = Netns.create("fsb"); Netns cliB = Netns.create("fcb")) {
            for (Path[] c : List.of(alice, bob, carl, erin)) {
                X509Certificate x = certificate(c[0]);
                admin.fleet().recordIssued(new FleetCertificate(x.getSerialNumber(), c[0].getFileName().toString().replace(".crt", ""),
                        x.getNotBefore().toInstant(), x.getNotAfter().toInstant(), Files.readString(c[0])));
            }
            VethLink linkA = Netns.link(srvA, cliA);
            VethLink linkB = Netns.link(srvB, "10.201.2.1/24", cliB, "10.201.2.2/24"); // not A's: both are fleet remotes
            // Pools of five addresses (.2 to .6), so a handful of clients fills each.
            String confA = scenario.serverConfig(pki, linkA.addrA(), InteropRig.PORT).replace(POOL_24, POOL_29);
            String confB = scenario.serverConfig(pki, linkB.addrA(), InteropRig.PORT).replace(POOL_24, POOL_29)
                    .replace("10.77.0.0", "10.78.0.0");
            write(dir, "a.conf", confA);
            write(dir, "b.conf", confB);
            write(dir, "c.conf", confA.replace(POOL_29, "server 10.77.0.0 255.255.0.0"));
            write(dir, "alice.ovpn", scenario.clientConfig(pki, linkA.addrA(), InteropRig.PORT, true, alice[0], alice[1]));
            write(dir, "bob.ovpn", scenario.clientConfig(pki, linkB.addrA(), InteropRig.PORT, true, bob[0], bob[1]));
            write(dir, "bob-at-a.ovpn", scenario.clientConfig(pki, linkA.addrA(), InteropRig.PORT, true, bob[0], bob[1]));
            write(dir, "carl.ovpn", scenario.clientConfig(pki, linkA.addrA(), InteropRig.PORT, true, carl[0], carl[1]));
            write(dir, "erin.ovpn", scenario.clientConfig(pki, linkB.addrA(), InteropRig.PORT, true, erin[0], erin[1]));
            write(dir, "erin-at-a.ovpn", scenario.clientConfig(pki, linkA.addrA(), InteropRig.PORT, true, erin[0], erin[1]));

            // Each server logs in with a role of its own that can write only its own rows (ADR 0058).
            for (String site : List.of("a", "b")) {
                Result added = fleet(dir, hostUrl, pg, "add-server", "site-" + site, "--role", role(hostUrl, site),
                        "--password-out", dir.resolve("site-" + site + ".pw").toString());
                assertEquals(0, added.code(), added.output());
            }
            forward(srvA, pg, dir, "forward-a.log");
            Process forwardB = forward(srvB, pg, dir, "forward-b.log");
            OpenvpnProcess[] a = {server(srvA, dir, "a", "server-a.log", nsUrl, pg).awaitInitialized(T)};
            OpenvpnProcess serverB = server(srvB, dir, "b", "server-b.log", nsUrl, pg).awaitInitialized(T);
            Supplier<String> why = () -> "\nserver A:\n" + a[0].logTail(25) + "\nserver B:\n" + serverB.logTail(25);

            // An overlapping pool refuses the start, naming the server that has it.
            Result c = cli(dir, "server", "--config", dir.resolve("c.conf").toString(), "--fleet", hostUrl, "--fleet-name", "site-c",
                    "--db-user", PostgresServer.ROLE, "--db-password-file", pg.rolePasswordFile().toString(),
                    "--fleet-state", dir.resolve("state-c").toString());
            assertEquals(1, c.code(), c.output());
            assertTrue(c.output().contains("10.77.0.0/16 overlaps pool 10.77.0.0/29 of server 'site-a'"), c.output());

            OpenvpnProcess stockAlice = OpenvpnProcess.stock(cliA, dir.resolve("alice.ovpn"), dir).awaitInitialized(T);
            OpenvpnProcess culvertBob = OpenvpnProcess.command(cliB, dir, dir.resolve("bob.log"),
                    OpenvpnProcess.repoRoot().resolve("culvert").toString(), "client", "--config",
                    dir.resolve("bob.ovpn").toString()).awaitInitialized(T);
            OpenvpnProcess stockErin = OpenvpnProcess.stock(cliB, dir.resolve("erin.ovpn"), dir);
            OpenvpnProcess culvertCarl = OpenvpnProcess.command(cliA, dir, dir.resolve("carl.log"),
                    OpenvpnProcess.repoRoot().resolve("culvert").toString(), "client", "--config",
                    dir.resolve("carl.ovpn").toString());
            stockErin.awaitInitialized(T);
            culvertCarl.awaitInitialized(T);
            assertTrue(cliA.ping(Scenario.SERVER_TUNNEL_ADDR, 3).noLoss(), why);
            assertTrue(cliB.ping(TUNNEL_B, 3).noLoss(), why);

            // The fleet's health as an admin sees it, once both servers have reported their client.
            long deadline = System.nanoTime() + T.toNanos();
            Result servers;
            do {
                Pause.millis(1000);
                servers = fleet(dir, hostUrl, pg, "servers");
            } while (!(reports(servers.output(), "site-a") && reports(servers.output(), "site-b")) && System.nanoTime() < deadline);
            System.out.println("culvert fleet servers:\n" + servers.output());
            assertTrue(reports(servers.output(), "site-a") && reports(servers.output(), "site-b"), servers.output());

            // Flows across sites (ADR 0056): the two sites route each other's pools (a veth between the server
            // namespaces, ip_forward on, client-side routes through each tunnel); stock alice on A pings Culvert bob on
            // B, and each server reports its client's traffic to the other's pool: alice -> bob's address on A, bob ->
            // alice's address on B, at least one packet per ping.
            VethLink sites = Netns.link(srvA, "10.202.0.1/30", srvB, "10.202.0.2/30");
            siteRoute(srvA, "10.78.0.0/29", sites.addrB());
            siteRoute(srvB, "10.77.0.0/29", sites.addrA());
            siteRoute(cliA, "10.78.0.0/29", Scenario.SERVER_TUNNEL_ADDR);
            siteRoute(cliB, "10.77.0.0/29", TUNNEL_B);
            FleetInstance aliceAtA = registered(admin, "site-a", "alice");
            FleetInstance bobAtB = registered(admin, "site-b", "bob");
            String aliceAddr = aliceAtA.virtualAddresses().getFirst();
            String bobAddr = bobAtB.virtualAddresses().getFirst();
            int pings = 5;
            PingResult across = cliA.ping(bobAddr, pings);
            assertTrue(across.noLoss(), () -> "alice -> bob across sites: " + across + why.get());
            long flowsUntil = System.nanoTime() + T.toNanos();
            List<FleetRemoteFlow> remote;
            do {
                Pause.millis(500);
                remote = admin.fleet().remoteFlows();
            } while (!(remotePackets(remote, "site-a", aliceAtA.peerId(), bobAddr) >= pings
                    && remotePackets(remote, "site-b", bobAtB.peerId(), aliceAddr) >= pings) && System.nanoTime() < flowsUntil);
            System.out.println("fleet flows across sites after " + pings + " pings alice (" + aliceAddr + ", site-a) -> bob ("
                    + bobAddr + ", site-b): " + remote);
            List<FleetRemoteFlow> seen = remote;
            assertTrue(remotePackets(seen, "site-a", aliceAtA.peerId(), bobAddr) >= pings, () -> "A: " + seen + why.get());
            assertTrue(remotePackets(seen, "site-b", bobAtB.peerId(), aliceAddr) >= pings, () -> "B: " + seen + why.get());


            // Pools never overlap: fill both (three more stock clients each), a sixth client is refused on each, and
            // the registry's virtual addresses are disjoint and inside each server's pool.
            List<OpenvpnProcess> fillers = new ArrayList<>();
            List<OpenvpnProcess> overflow = new ArrayList<>();
            for (var site : List.of(new Object[] {"a", cliA, linkA}, new Object[] {"b", cliB, linkB})) {
                for (int i = 1; i <= 4; i++) {
                    String cn = "f" + site[0] + i;
                    Path[] f = pki.issueClient(cn);
                    write(dir, cn + ".ovpn", scenario.clientConfig(pki, ((VethLink) site[2]).addrA(), InteropRig.PORT, true, f[0], f[1]));
                    if (i < 4) {
                        fillers.add(OpenvpnProcess.stock((Netns) site[1], dir.resolve(cn + ".ovpn"), dir));
                    }
                }
            }
            for (OpenvpnProcess f : fillers) {
                f.awaitInitialized(T);
            }
            Map<String, List<String>> before = awaitRegistry(admin, 5, Instant.EPOCH, why);
            for (var site : List.of(new Object[] {"a", cliA}, new Object[] {"b", cliB})) {
                overflow.add(OpenvpnProcess.stock((Netns) site[1], dir.resolve("f" + site[0] + "4.ovpn"), dir));
            }
            for (OpenvpnProcess o : overflow) {
                o.awaitLine("AUTH_FAILED", T);
                assertTrue(!o.log().contains(OpenvpnProcess.READY), o.logTail(20));
                o.stop();
            }
            assertTrue(a[0].log().contains("address pool exhausted") && serverB.log().contains("address pool exhausted"), why);
            System.out.println("fleet pools full: " + before);

            // kill -9 of server A in the middle of a write: its report transaction is held at its first DELETE (a row
            // lock the test takes), the JVM is killed, a certificate is issued and revoked while it is dead.
            killMidReport(a[0], hostUrl, login, why);
            Path[] ginaFiles = pki.issueClient("gina");
            X509Certificate gina = certificate(ginaFiles[0]);
            write(dir, "gina-at-a.ovpn", scenario.clientConfig(pki, linkA.addrA(), InteropRig.PORT, true, ginaFiles[0], ginaFiles[1]));
            admin.fleet().recordIssued(new FleetCertificate(gina.getSerialNumber(), "gina", gina.getNotBefore().toInstant(),
                    gina.getNotAfter().toInstant(), Files.readString(ginaFiles[0])));
            admin.fleet().revoke(gina.getSerialNumber(), "gina", InstantSource.system().instant());
            assertEquals(before.get("site-a"), registry(admin).get("site-a"), "the killed report left the old roll-up whole");
            Instant restart = InstantSource.system().instant();
            a[0] = server(srvA, dir, "a", "server-a2.log", nsUrl, pg).awaitInitialized(T);
            // Its old instances are replaced by what it reports after the restart, once its five clients are back.
            awaitRegistry(admin, 5, restart, why);
            assertEquals(List.of("10.77.0.0/29"), admin.fleet().find("site-a").orElseThrow().pools());
            String cache = Files.readString(dir.resolve("state-a").resolve("revocations"));
            for (var r : admin.fleet().revocations()) {
                assertTrue(cache.lines().anyMatch(l -> l.equals(r.serial().toString(16))), () -> "not in the cache: " + r + "\n" + cache);
            }
            assertTrue(admin.fleet().issued().stream().anyMatch(x -> x.serial().equals(gina.getSerialNumber())));
            try (OpenvpnProcess g = OpenvpnProcess.stock(cliA, dir.resolve("gina-at-a.ovpn"), dir)) {
                awaitLog(a[0], "certificate serial " + gina.getSerialNumber() + " is revoked (fleet)", why,
                        "for the certificate revoked while the server was dead");
                assertTrue(!g.log().contains(OpenvpnProcess.READY), g.logTail(20));
            }
            for (OpenvpnProcess f : fillers) {
                f.stop();
            }

            // Routes: a PUSH_UPDATE for the Culvert client, a restart for the stock 2.6 client.
            long pidBob = culvertBob.process().pid();
            assertEquals(0, fleet(dir, hostUrl, pg, "routes", "bob", "10.99.0.0/24").code());
            awaitRoute(cliB, "10.99.0.0/24", why);
            assertTrue(culvertBob.isAlive() && culvertBob.process().pid() == pidBob, "the Culvert client was not restarted");
            assertTrue(culvertBob.log().contains("PUSH_UPDATE applied"), culvertBob.logTail(20));
            assertEquals(0, fleet(dir, hostUrl, pg, "routes", "alice", "10.98.0.0/24").code());
            awaitRoute(cliA, "10.98.0.0/24", () -> "\nstock alice:\n" + stockAlice.logTail(20) + why.get());

            // Static addresses (the fleet's ifconfig-push), set while both clients are connected to A: the Culvert
            // client moves to its address by PUSH_UPDATE without reconnecting; the stock 2.6 client is restarted by
            // the server and comes back with its address: two addresses of A's pool that neither holds now, read from
            // their own devices (the registry lags a report).
            List<String> heldOnA = List.of();
            long bothUp = System.nanoTime() + T.toNanos();
            while (System.nanoTime() < bothUp) {
                heldOnA = java.util.regex.Pattern.compile(" (10\\.77\\.0\\.[0-9]+)/29").matcher(
                        cliA.exec(Duration.ofSeconds(10), "ip", "-4", "-o", "addr", "show").output()).results()
                        .map(m -> m.group(1)).toList();
                if (heldOnA.size() == 2) {
                    break;
                }
                Pause.millis(200);
            }
            assertEquals(2, heldOnA.size(), "alice and carl on A: " + heldOnA);
            List<String> held = heldOnA;
            List<String> freeOnA = java.util.stream.IntStream.rangeClosed(2, 6).mapToObj(i -> "10.77.0." + i)
                    .filter(x -> !held.contains(x)).toList();
            long pidCarl = culvertCarl.process().pid();
            int aliceReady = count(stockAlice.log(), OpenvpnProcess.READY);
            Result carlAt = fleet(dir, hostUrl, pg, "address", "carl", "site-a", freeOnA.get(0));
            assertEquals(0, carlAt.code(), carlAt.output());
            Result aliceAt = fleet(dir, hostUrl, pg, "address", "alice", "site-a", freeOnA.get(1));
            assertEquals(0, aliceAt.code(), aliceAt.output());
            Supplier<String> both = () -> "\ncarl:\n" + culvertCarl.logTail(20) + "\nstock alice:\n" + stockAlice.logTail(30)
                    + "\nserver A:\n" + a[0].logTail(40);
            awaitAddress(cliA, freeOnA.get(0), both);
            awaitAddress(cliA, freeOnA.get(1), both);
            assertTrue(culvertCarl.isAlive() && culvertCarl.process().pid() == pidCarl, "the Culvert client was not restarted");
            assertTrue(count(stockAlice.log(), OpenvpnProcess.READY) > aliceReady, stockAlice.logTail(20));
            System.out.println("fleet static addresses on site-a: carl " + freeOnA.get(0) + " (PUSH_UPDATE), alice "
                    + freeOnA.get(1) + " (restarted)");

            // Site B loses the database for 30 s: traffic keeps flowing; past --fleet-max-age (8 s) a new client is
            // refused; a revocation made meanwhile is enforced once the database is back, and the new client gets in.
            Path[] dave = pki.issueClient("dave");
            write(dir, "dave.ovpn", scenario.clientConfig(pki, linkB.addrA(), InteropRig.PORT, true, dave[0], dave[1]));
            Netns.killTree(forwardB.toHandle());
            long outage = System.nanoTime();
            X509Certificate carol = certificate(pki.issueClient("carol")[0]);
            admin.fleet().revoke(carol.getSerialNumber(), "carol", InstantSource.system().instant());
            java.util.concurrent.ExecutorService pinger = java.util.concurrent.Executors.newSingleThreadExecutor();
            java.util.concurrent.Future<PingResult> during = pinger.submit(() -> cliB.ping(TUNNEL_B, 100)); // about 20 s
            Pause.millis(11_000);
            OpenvpnProcess daveClient = OpenvpnProcess.command(cliB, dir, dir.resolve("dave.log"),
                    OpenvpnProcess.repoRoot().resolve("culvert").toString(), "client", "--config", dir.resolve("dave.ovpn").toString());
            awaitLog(serverB, "(database unreachable); new clients are refused", why, "for the new client during the outage");
            PingResult ping = during.get(60, TimeUnit.SECONDS);
            pinger.shutdown();
            Pause.millis(Math.max(0, 30_000 - (System.nanoTime() - outage) / 1_000_000));
            assertTrue(ping.noLoss(), () -> "traffic during the outage: " + ping + why.get());
            assertTrue(!daveClient.log().contains(OpenvpnProcess.READY), daveClient.logTail(20));
            assertTrue(serverB.log().contains("the database is unreachable"), why);
            forward(srvB, pg, dir, "forward-b2.log");
            serverB.awaitLine("the database is back", T);
            awaitLog(serverB, "certificate serial " + carol.getSerialNumber().toString(16) + " revoked", why, "in the re-read revocations");
            daveClient.awaitInitialized(T);
            daveClient.stop();

            // Revoke from a third process: the Culvert client on site B is dropped.
            Result revoke = fleet(dir, hostUrl, pg, "revoke", "bob");
            long revoked = System.nanoTime();
            assertEquals(0, revoke.code(), revoke.output());
            while (culvertBob.isAlive() && System.nanoTime() - revoked < T.toNanos()) {
                Pause.millis(10);
            }
            long ms = (System.nanoTime() - revoked) / 1_000_000;
            System.out.println("fleet revoke: the client was dropped " + ms + " ms after `culvert fleet revoke` exited");
            assertTrue(!culvertBob.isAlive(), () -> "bob still connected" + why.get());
            assertTrue(serverB.log().contains("revoked (fleet)"), why);

            // The same for the stock 2.6 client on site B: told to HALT, it says so and exits.
            String halted = "Halt command was pushed by server ('certificate revoked')";
            Result revokeErin = fleet(dir, hostUrl, pg, "revoke", "erin");
            long revokedErin = System.nanoTime();
            assertEquals(0, revokeErin.code(), revokeErin.output());
            while (!stockErin.log().contains(halted) && System.nanoTime() - revokedErin < T.toNanos()) {
                Pause.millis(10);
            }
            System.out.println("fleet revoke: the stock client was told to halt " + (System.nanoTime() - revokedErin) / 1_000_000
                    + " ms after `culvert fleet revoke` exited");
            assertTrue(stockErin.log().contains(halted), () -> "erin not halted\n" + stockErin.logTail(20) + why.get());
            assertTrue(stockErin.process().waitFor(30, TimeUnit.SECONDS), stockErin.logTail(20));

            // ... and cannot connect to either server again.
            for (var at : List.of(new Object[] {cliB, "bob.ovpn", serverB}, new Object[] {cliA, "bob-at-a.ovpn", a[0]},
                    new Object[] {cliB, "erin.ovpn", serverB}, new Object[] {cliA, "erin-at-a.ovpn", a[0]})) {
                OpenvpnProcess server = (OpenvpnProcess) at[2];
                int refusals = count(server.log(), "revoked (fleet)");
                String profile = (String) at[1];
                try (OpenvpnProcess again = profile.startsWith("erin")
                        ? OpenvpnProcess.command((Netns) at[0], dir, dir.resolve("again-" + profile + ".log"),
                                NetnsCondition.OPENVPN.toString(), "--cd", dir.toString(), "--config", dir.resolve(profile).toString())
                        : OpenvpnProcess.command((Netns) at[0], dir, dir.resolve("again-" + profile + ".log"),
                                OpenvpnProcess.repoRoot().resolve("culvert").toString(), "client", "--config",
                                dir.resolve(profile).toString())) {
                    long until = System.nanoTime() + T.toNanos();
                    while (count(server.log(), "revoked (fleet)") == refusals && System.nanoTime() < until) {
                        Pause.millis(200);
                    }
                    assertTrue(count(server.log(), "revoked (fleet)") > refusals, () -> "no refusal\n" + again.logTail(20) + why.get());
                    assertTrue(!again.log().contains(OpenvpnProcess.READY), again.logTail(20));
                }
            }
            assertTrue(cliA.ping(Scenario.SERVER_TUNNEL_ADDR, 3).noLoss(), () -> "alice is not affected" + why.get());

            // Failover (ADR 0057): each server registered the address it listens on (--fleet-remote); a profile the
            // admin exports for a fleet-issued client lists both as remotes, and a stock client on it, in a namespace
            // that reaches both, connects to A and, when A's JVM is killed, reconnects to B by itself. Leaves A dead.
            Result listed = fleet(dir, hostUrl, pg, "servers");
            for (String[] site : new String[][] {{"site-a", linkA.addrA()}, {"site-b", linkB.addrA()}}) {
                assertTrue(listed.output().lines().anyMatch(l -> l.startsWith(site[0] + " ") && l.endsWith(" " + site[1] + " "
                        + InteropRig.PORT + " udp")), listed.output());
            }
            Path frankProfile = exportFleetProfile(dir, pki, hostUrl, pg, "frank");
            String exported = Files.readString(frankProfile);
            assertTrue(exported.contains("remote " + linkA.addrA() + " " + InteropRig.PORT + " udp\nremote " + linkB.addrA() + " "
                    + InteropRig.PORT + " udp\n"), exported);
            try (Netns cliX = Netns.create("fcx")) {
                VethLink toA = Netns.link(srvA, "10.201.3.1/24", cliX, "10.201.3.2/24");
                VethLink toB = Netns.link(srvB, "10.201.4.1/24", cliX, "10.201.4.2/24");
                cliX.exec(T, "ip", "route", "add", linkA.addrA() + "/32", "via", toA.addrA()).orThrow("route to A");
                cliX.exec(T, "ip", "route", "add", linkB.addrA() + "/32", "via", toB.addrA()).orThrow("route to B");
                try (OpenvpnProcess frank = OpenvpnProcess.stock(cliX, frankProfile, dir).awaitInitialized(T)) {
                    assertTrue(frank.log().contains(linkA.addrA() + ":" + InteropRig.PORT), frank.logTail(20));
                    assertTrue(cliX.ping(Scenario.SERVER_TUNNEL_ADDR, 3).noLoss(), () -> "frank on A\n" + frank.logTail(20) + why.get());
                    sigkill(a[0]);
                    long killed = System.nanoTime();
                    Duration failover = Duration.ofSeconds(120); // ping-restart, then server-poll-timeout on A, then B
                    while (count(frank.log(), OpenvpnProcess.READY) < 2 && System.nanoTime() - killed < failover.toNanos()) {
                        Pause.millis(200);
                    }
                    String log = frank.log();
                    assertEquals(2, count(log, OpenvpnProcess.READY), () -> "no failover\n" + frank.logTail(40) + why.get());
                    String after = log.substring(log.indexOf(OpenvpnProcess.READY) + 1);
                    assertTrue(after.contains(linkB.addrA() + ":" + InteropRig.PORT), () -> "not on B\n" + frank.logTail(40));
                    System.out.println("fleet failover: the stock client was on site B " + (System.nanoTime() - killed) / 1_000_000
                            + " ms after site A was killed");
                    assertTrue(cliX.ping(TUNNEL_B, 3).noLoss(), () -> "frank on B\n" + frank.logTail(20) + why.get());
                }
            }
        } finally {
            for (Process p : forwards) {
                Netns.killTree(p.toHandle());
            }
        }
    }

    /** Routes {@code net} via {@code gateway} in {@code ns}, and turns on forwarding there (the sites' routes; ADR 0056). */
    private static void siteRoute(Netns ns, String net, String gateway) {
        ns.exec(Duration.ofSeconds(10), "sysctl", "-qw", "net.ipv4.ip_forward=1").orThrow("ip_forward in " + ns.name());
        ns.exec(Duration.ofSeconds(10), "ip", "route", "add", net, "via", gateway).orThrow("route " + net + " in " + ns.name());
    }

    /** The instance of {@code commonName} on {@code server} as the registry holds it. */
    private static FleetInstance registered(Store admin, String server, String commonName) {
        return admin.fleet().instances().stream().filter(i -> i.server().equals(server) && i.commonName().equals(commonName))
                .findFirst().orElseThrow(() -> new AssertionError(commonName + " not on " + server + ": " + admin.fleet().instances()));
    }

    /** Packets {@code server} reported from its peer {@code source} to {@code destination} in another server's pool. */
    private static long remotePackets(List<FleetRemoteFlow> flows, String server, int source, String destination) {
        return flows.stream().filter(f -> f.server().equals(server) && f.source() == source && f.destination().equals(destination))
                .mapToLong(FleetRemoteFlow::packets).sum();
    }

    private static boolean reports(String servers, String name) {
        return servers.lines().anyMatch(l -> l.startsWith(name + " ") && l.matches(".*\\bok\\b.*\\s2\\s+10\\.7.*"));
    }

    /** Every server's reported virtual addresses, by server name (the fleet_instance registry). */
    private static Map<String, List<String>> registry(Store admin) {
        Map<String, List<String>> out = new TreeMap<>();
        for (FleetInstance i : admin.fleet().instances()) {
            out.computeIfAbsent(i.server(), k -> new ArrayList<>()).addAll(i.virtualAddresses());
        }
        out.values().forEach(java.util.Collections::sort);
        return out;
    }

    /**
     * Waits until the registry holds {@code perServer} instances of each site, site A's connected at or after
     * {@code since} (so none is left from before its restart), and checks their virtual addresses: all distinct, site A's in its pool
     * 10.77.0.2-6, site B's in 10.78.0.2-6. Returns them by server.
     */
    private static Map<String, List<String>> awaitRegistry(Store admin, int perServer, Instant since, Supplier<String> why) {
        long deadline = System.nanoTime() + T.toNanos();
        List<FleetInstance> all;
        while (true) {
            all = admin.fleet().instances();
            boolean fresh = all.stream().allMatch(i -> !i.server().equals("site-a") || !i.connectedAt().isBefore(since.minusSeconds(1)));
            long a = all.stream().filter(i -> i.server().equals("site-a")).count();
            long b = all.stream().filter(i -> i.server().equals("site-b")).count();
            if (fresh && a == perServer && b == perServer || System.nanoTime() > deadline) {
                break;
            }
            Pause.millis(500);
        }
        List<FleetInstance> seen = all;
        Map<String, List<String>> by = registry(admin);
        Supplier<String> what = () -> "registry: " + seen + why.get();
        assertEquals(perServer, by.getOrDefault("site-a", List.of()).size(), what);
        assertEquals(perServer, by.getOrDefault("site-b", List.of()).size(), what);
        assertTrue(seen.stream().allMatch(i -> !i.server().equals("site-a") || !i.connectedAt().isBefore(since.minusSeconds(1))), what);
        assertTrue(by.get("site-a").stream().allMatch(v -> v.matches("10\\.77\\.0\\.[2-6]")), what);
        assertTrue(by.get("site-b").stream().allMatch(v -> v.matches("10\\.78\\.0\\.[2-6]")), what);
        assertEquals(2L * perServer, seen.stream().flatMap(i -> i.virtualAddresses().stream()).distinct().count(), what);
        return by;
    }

    /**
     * Kills server {@code server}'s JVM with SIGKILL while its report transaction is open and writing: the test holds
     * a row lock on site A's instances, waits until the server's DELETE of them waits for it, kills, then lets go.
     */
    private static void killMidReport(OpenvpnProcess server, String url, DatabaseLogin login, Supplier<String> why) throws Exception {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("user", login.user());
        p.setProperty("password", login.password());
        try (java.sql.Connection lock = java.sql.DriverManager.getConnection(url, p);
                java.sql.Connection look = java.sql.DriverManager.getConnection(url, p)) {
            lock.setAutoCommit(false);
            try (java.sql.Statement st = lock.createStatement()) {
                st.executeQuery("SELECT 1 FROM fleet_instance i JOIN fleet_server s ON s.id = i.server_id WHERE s.name = 'site-a'"
                        + " FOR UPDATE OF i").close();
            }
            long deadline = System.nanoTime() + T.toNanos();
            boolean waiting = false;
            while (!waiting && System.nanoTime() < deadline) {
                try (java.sql.Statement st = look.createStatement();
                        java.sql.ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                                + " AND state = 'active' AND query LIKE 'DELETE FROM fleet_instance%'")) {
                    rs.next();
                    waiting = rs.getInt(1) > 0;
                }
                Pause.millis(100);
            }
            assertTrue(waiting, () -> "server A's report never waited for the lock" + why.get());
            sigkill(server);
            System.out.println("fleet: server A killed (SIGKILL) in the middle of its report");
            lock.rollback();
        }
    }

    /**
     * The admin's machine for the test's PKI, as ADR 0054 keeps a fleet CA: its certificate and key and the tls-crypt
     * key in {@code fleets/<fingerprint>/pki} of a data folder, the certificate published in the fleet; then
     * {@code commonName} is issued and its profile exported through the fleet API the app uses.
     */
    private static Path exportFleetProfile(Path dir, TestPki pki, String url, PostgresServer pg, String commonName) throws Exception {
        Path data = dir.resolve("admin-data");
        String caPem = Files.readString(pki.ca());
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(caPem.strip().getBytes(StandardCharsets.US_ASCII));
        DirectoryPkiStore ca = new DirectoryPkiStore(data.resolve("fleets").resolve(HexFormat.of().formatHex(digest, 0, 16)).resolve("pki"));
        ca.saveCa(caPem, pki.caKeyPem());
        ca.saveStaticKey(PkiStore.StaticKeyKind.TLS_CRYPT, StaticKey.parse(Files.readString(pki.tcKey())));
        Map<String, String> settings = new java.util.HashMap<>();
        AppSettings remembered = new AppSettings() {
            @Override
            public java.util.Optional<String> get(String key) {
                return java.util.Optional.ofNullable(settings.get(key));
            }

            @Override
            public void put(String key, String value) {
                settings.put(key, value);
            }
        };
        String password = Files.readAllLines(pg.rolePasswordFile()).getFirst().strip();
        try (Fleet fleet = LocalFleets.open(data, remembered, false, InstantSource.system()).open(url, PostgresServer.ROLE, password)) {
            try (Store store = Store.open(url, DatabaseLogin.fromFile(PostgresServer.ROLE, pg.rolePasswordFile()), InstantSource.system())) {
                store.fleet().publishCa(caPem, InstantSource.system().instant());
            }
            fleet.issueClient(commonName);
            Path profile = dir.resolve(commonName + "-fleet.ovpn");
            Files.writeString(profile, fleet.exportProfile(commonName, false));
            return profile;
        }
    }

    /** SIGKILL to the JVM of a server started by {@code ./culvert}; waits until it is gone. */
    private static void sigkill(OpenvpnProcess server) throws Exception {
        ProcessHandle jvm = java.util.stream.Stream.concat(java.util.stream.Stream.of(server.process().toHandle()),
                server.process().toHandle().descendants()).filter(h -> h.info().command().orElse("").endsWith("/java"))
                .findFirst().orElseThrow(() -> new AssertionError("no JVM under " + server));
        jvm.destroyForcibly();
        jvm.onExit().get(30, TimeUnit.SECONDS);
        server.process().waitFor(30, TimeUnit.SECONDS);
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    private static void awaitLog(OpenvpnProcess p, String text, Supplier<String> why, String what) {
        long deadline = System.nanoTime() + T.toNanos();
        while (!p.log().contains(text) && System.nanoTime() < deadline) {
            Pause.millis(200);
        }
        assertTrue(p.log().contains(text), () -> "no '" + text + "' " + what + why.get());
    }

    /** Waits until an interface in {@code ns} has the IPv4 address {@code address}. */
    private static void awaitAddress(Netns ns, String address, Supplier<String> why) {
        long deadline = System.nanoTime() + T.toNanos();
        String shown = "";
        while (System.nanoTime() < deadline) {
            shown = ns.exec(Duration.ofSeconds(10), "ip", "-4", "-o", "addr", "show").output();
            if (shown.contains(" " + address + "/")) {
                return;
            }
            Pause.millis(200);
        }
        String last = shown;
        throw new AssertionError("no interface in " + ns.name() + " has " + address + ":\n" + last + why.get());
    }

    private static void awaitRoute(Netns ns, String net, Supplier<String> why) {
        long deadline = System.nanoTime() + T.toNanos();
        while (System.nanoTime() < deadline) {
            if (ns.exec(Duration.ofSeconds(10), "ip", "-4", "route", "show").output().lines().anyMatch(l -> l.startsWith(net + " "))) {
                return;
            }
            Pause.millis(200);
        }
        throw new AssertionError("no route to " + net + " in " + ns + why.get());
    }

    private Process forward(Netns ns, PostgresServer pg, Path dir, String log) {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = ns.spawn(dir.resolve(log), java, "-cp", System.getProperty("java.class.path"),
                UnixForward.class.getName(), Integer.toString(DB_PORT), pg.unixSocket().toString());
        forwards.add(p);
        long deadline = System.nanoTime() + T.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (Files.readString(dir.resolve(log)).contains("forwarding")) {
                    return p;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Pause.millis(100);
        }
        throw new AssertionError("the database forwarder did not start in " + ns);
    }

    private static OpenvpnProcess server(Netns ns, Path dir, String site, String log, String url, PostgresServer pg) {
        return OpenvpnProcess.command(ns, dir, dir.resolve(log),
                OpenvpnProcess.repoRoot().resolve("culvert").toString(), "server", "--config", dir.resolve(site + ".conf").toString(),
                "--fleet", url, "--fleet-name", "site-" + site, "--db-user", role(url, site),
                "--db-password-file", dir.resolve("site-" + site + ".pw").toString(), "--fleet-state", dir.resolve("state-" + site).toString(),
                "--fleet-max-age", "8", "--fleet-remote", local(dir.resolve(site + ".conf")) + ":" + InteropRig.PORT + ":udp");
    }

    /** The address a server config's {@code local} line names (where clients dial it). */
    private static String local(Path conf) {
        try {
            return Files.readAllLines(conf).stream().filter(l -> l.startsWith("local ")).map(l -> l.split(" ")[1]).findFirst()
                    .orElseThrow(() -> new AssertionError("no local line in " + conf));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The database role of server {@code site} in the fleet at {@code url} (roles are cluster-wide: the database names it). */
    private static String role(String url, String site) {
        return "culvert_srv_" + url.replaceAll(".*/([^/?]+)(\\?.*)?$", "$1") + "_" + site;
    }

    private static Result fleet(Path dir, String url, PostgresServer pg, String... args) {
        List<String> argv = new ArrayList<>(List.of("fleet", args[0], "--db", url, "--db-user", PostgresServer.ROLE,
                "--db-password-file", pg.rolePasswordFile().toString()));
        argv.addAll(List.of(args).subList(1, args.length));
        return cli(dir, argv.toArray(String[]::new));
    }

    /** Runs {@code ./culvert ARGS} in the host's namespace (the admin's machine) to completion. */
    private static Result cli(Path dir, String... args) {
        List<String> cmd = new ArrayList<>(List.of(OpenvpnProcess.repoRoot().resolve("culvert").toString()));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private record Result(int code, String output) {}

    private static X509Certificate certificate(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static void write(Path dir, String name, String text) throws IOException {
        Files.writeString(dir.resolve(name), text);
    }
}
