package io.culvert.engine.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.store.DatabaseLogin;
import io.culvert.engine.store.FleetCertificate;
import io.culvert.engine.store.PostgresServer;
import io.culvert.engine.store.Store;
import io.culvert.engine.testkit.Pause;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code ./culvert server --fleet ...} in two namespaces on one PostgreSQL (started by the test as an unprivileged
 * user, reached from each namespace through {@link UnixForward}), pools 10.77.0.0/24 and 10.78.0.0/24, a stock
 * openvpn client on site A and a Culvert client on site B. A third server whose pool overlaps A's is refused, naming
 * A. {@code culvert fleet servers} (a third process) shows both healthy with one client each. {@code culvert fleet
 * routes} gives the Culvert client a route as a PUSH_UPDATE (its routing table shows it, same process, no reconnect)
 * and the stock 2.6 client one through a restart. Site B loses the database for 30 s: its client keeps passing
 * traffic, a new client is refused once the revocation list is older than {@code --fleet-max-age} (and gets in when the
 * database is back), and a revocation committed during the outage is enforced once it is back. {@code culvert fleet revoke}
 * drops the Culvert client (the time is printed), and its certificate is refused by both servers afterwards.
 */
@NetnsTest
class FleetInteropTest {
    private static final Duration T = Duration.ofSeconds(60);
    private static final int DB_PORT = 15432;
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
        Scenario scenario = Scenario.UDP_TLS_CRYPT_GCM;
        try (Store admin = Store.open(hostUrl, login, InstantSource.system());
                Netns srvA = Netns.create("fsa"); Netns cliA = Netns.create("fca");
                Netns srvB = Netns.create("fsb"); Netns cliB = Netns.create("fcb")) {
            for (Path[] c : List.of(alice, bob)) {
                X509Certificate x = certificate(c[0]);
                admin.fleet().recordIssued(new FleetCertificate(x.getSerialNumber(), c[0].getFileName().toString().replace(".crt", ""),
                        x.getNotBefore().toInstant(), x.getNotAfter().toInstant(), Files.readString(c[0])));
            }
            VethLink linkA = Netns.link(srvA, cliA);
            VethLink linkB = Netns.link(srvB, cliB);
            String confA = scenario.serverConfig(pki, linkA.addrA(), InteropRig.PORT);
            String confB = scenario.serverConfig(pki, linkB.addrA(), InteropRig.PORT).replace("10.77.0.0", "10.78.0.0");
            write(dir, "a.conf", confA);
            write(dir, "b.conf", confB);
            write(dir, "c.conf", confA.replace("server 10.77.0.0 255.255.255.0", "server 10.77.0.0 255.255.0.0"));
            write(dir, "alice.ovpn", scenario.clientConfig(pki, linkA.addrA(), InteropRig.PORT, true, alice[0], alice[1]));
            write(dir, "bob.ovpn", scenario.clientConfig(pki, linkB.addrA(), InteropRig.PORT, true, bob[0], bob[1]));
            write(dir, "bob-at-a.ovpn", scenario.clientConfig(pki, linkA.addrA(), InteropRig.PORT, true, bob[0], bob[1]));

            forward(srvA, pg, dir, "forward-a.log");
            Process forwardB = forward(srvB, pg, dir, "forward-b.log");
            OpenvpnProcess serverA = server(srvA, dir, "a", nsUrl, pg).awaitInitialized(T);
            OpenvpnProcess serverB = server(srvB, dir, "b", nsUrl, pg).awaitInitialized(T);
            Supplier<String> why = () -> "\nserver A:\n" + serverA.logTail(25) + "\nserver B:\n" + serverB.logTail(25);

            // An overlapping pool refuses the start, naming the server that has it.
            Result c = cli(dir, "server", "--config", dir.resolve("c.conf").toString(), "--fleet", hostUrl, "--fleet-name", "site-c",
                    "--db-user", PostgresServer.ROLE, "--db-password-file", pg.rolePasswordFile().toString(),
                    "--fleet-state", dir.resolve("state-c").toString());
            assertEquals(1, c.code(), c.output());
            assertTrue(c.output().contains("10.77.0.0/16 overlaps pool 10.77.0.0/24 of server 'site-a'"), c.output());

            OpenvpnProcess stockAlice = OpenvpnProcess.stock(cliA, dir.resolve("alice.ovpn"), dir).awaitInitialized(T);
            OpenvpnProcess culvertBob = OpenvpnProcess.command(cliB, dir, dir.resolve("bob.log"),
                    OpenvpnProcess.repoRoot().resolve("culvert").toString(), "client", "--config",
                    dir.resolve("bob.ovpn").toString()).awaitInitialized(T);
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

            printLoadAndMemory(hostUrl, login, serverA, serverB);

            // Routes: a PUSH_UPDATE for the Culvert client, a restart for the stock 2.6 client.
            long pidBob = culvertBob.process().pid();
            assertEquals(0, fleet(dir, hostUrl, pg, "routes", "bob", "10.99.0.0/24").code());
            awaitRoute(cliB, "10.99.0.0/24", why);
            assertTrue(culvertBob.isAlive() && culvertBob.process().pid() == pidBob, "the Culvert client was not restarted");
            assertTrue(culvertBob.log().contains("PUSH_UPDATE applied"), culvertBob.logTail(20));
            assertEquals(0, fleet(dir, hostUrl, pg, "routes", "alice", "10.98.0.0/24").code());
            awaitRoute(cliA, "10.98.0.0/24", () -> "\nstock alice:\n" + stockAlice.logTail(20) + why.get());

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

            // ... and cannot connect to either server again.
            for (var at : List.of(new Object[] {cliB, "bob.ovpn", serverB}, new Object[] {cliA, "bob-at-a.ovpn", serverA})) {
                OpenvpnProcess server = (OpenvpnProcess) at[2];
                int before = count(server.log(), "revoked (fleet)");
                try (OpenvpnProcess again = OpenvpnProcess.command((Netns) at[0], dir, dir.resolve("again-" + at[1] + ".log"),
                        OpenvpnProcess.repoRoot().resolve("culvert").toString(), "client", "--config",
                        dir.resolve((String) at[1]).toString())) {
                    long until = System.nanoTime() + T.toNanos();
                    while (count(server.log(), "revoked (fleet)") == before && System.nanoTime() < until) {
                        Pause.millis(200);
                    }
                    assertTrue(count(server.log(), "revoked (fleet)") > before, () -> "no refusal\n" + again.logTail(20) + why.get());
                    assertTrue(!again.log().contains(OpenvpnProcess.READY), again.logTail(20));
                }
            }
            assertTrue(cliA.ping(Scenario.SERVER_TUNNEL_ADDR, 3).noLoss(), () -> "alice is not affected" + why.get());
        } finally {
            for (Process p : forwards) {
                Netns.killTree(p.toHandle());
            }
        }
    }

    /**
     * Prints what two idle fleet servers (one client each) cost: transactions per second on the fleet's database over
     * 15 s (from pg_stat_database; the admin's own connection is idle meanwhile) and each server JVM's resident memory.
     */
    private static void printLoadAndMemory(String url, DatabaseLogin login, OpenvpnProcess... servers) throws Exception {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("user", login.user());
        p.setProperty("password", login.password());
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, p)) {
            long before = commits(c);
            long t0 = System.nanoTime();
            Pause.millis(15_000);
            long after = commits(c);
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("fleet load: %.2f transactions/s per server (2 servers, 1 client each, over %.0f s)%n",
                    (after - before) / seconds / servers.length, seconds);
        }
        for (OpenvpnProcess s : servers) {
            java.util.stream.Stream.concat(java.util.stream.Stream.of(s.process().toHandle()), s.process().toHandle().descendants()).filter(h -> h.info().command().orElse("").endsWith("/java")).findFirst()
                    .ifPresent(h -> {
                        try {
                            String rss = Files.readAllLines(Path.of("/proc", Long.toString(h.pid()), "status")).stream()
                                    .filter(l -> l.startsWith("VmRSS:")).findFirst().orElse("VmRSS: ?");
                            System.out.println("fleet server " + s.logFile().getFileName() + " memory: " + rss.replaceAll("\\s+", " "));
                        } catch (IOException e) {
                            System.out.println("fleet server memory: " + e.getMessage());
                        }
                    });
        }
    }

    private static long commits(java.sql.Connection c) throws java.sql.SQLException {
        try (java.sql.Statement st = c.createStatement();
                java.sql.ResultSet rs = st.executeQuery("SELECT pg_stat_force_next_flush(), xact_commit FROM pg_stat_database"
                        + " WHERE datname = current_database()")) {
            rs.next();
            return rs.getLong(2);
        }
    }

    private static boolean reports(String servers, String name) {
        return servers.lines().anyMatch(l -> l.startsWith(name + " ") && l.matches(".*\\bok\\b.*\\s1\\s+10\\.7.*"));
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

    private static OpenvpnProcess server(Netns ns, Path dir, String site, String url, PostgresServer pg) {
        return OpenvpnProcess.command(ns, dir, dir.resolve("server-" + site + ".log"),
                OpenvpnProcess.repoRoot().resolve("culvert").toString(), "server", "--config", dir.resolve(site + ".conf").toString(),
                "--fleet", url, "--fleet-name", "site-" + site, "--db-user", PostgresServer.ROLE,
                "--db-password-file", pg.rolePasswordFile().toString(), "--fleet-state", dir.resolve("state-" + site).toString(),
                "--fleet-max-age", "8");
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
