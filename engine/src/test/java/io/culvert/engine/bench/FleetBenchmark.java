package io.culvert.engine.bench;

import io.culvert.engine.testkit.TestPki;
import io.culvert.engine.server.ScaleRig;
import io.culvert.engine.store.DatabaseLogin;
import io.culvert.engine.store.PostgresServer;
import io.culvert.engine.store.Store;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.slf4j.LoggerFactory;

/**
 * A fleet under load: one PostgreSQL (the tests' {@link PostgresServer}, with pg_stat_statements loaded) and N fleet
 * servers, each a Culvert server alone in a child JVM joined to the fleet as {@code culvert server --fleet} joins
 * ({@link ScaleRig}, loopback UDP, no root), with C in-process Culvert clients in all (default 2 servers, 200
 * clients). Prints the database load per server over a measured window (statements/s from pg_stat_statements,
 * transactions/s and rows written/s from pg_stat_database), the revocation propagation time over R revokes (default
 * 20: from the revoking transaction's commit until each server logs the serial as revoked, when its clients with that
 * certificate are dropped), and each server's resident memory. Usage:
 * {@code FleetBenchmark [--servers N] [--clients N] [--revokes N] [--window SECONDS]}. Single-threaded.
 */
public final class FleetBenchmark {
    private FleetBenchmark() { }

    public static void main(String[] args) throws Exception {
        int servers = 2;
        int clients = 200;
        int revokes = 20;
        int window = 30;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--servers" -> servers = Integer.parseInt(args[++i]);
                case "--clients" -> clients = Integer.parseInt(args[++i]);
                case "--revokes" -> revokes = Integer.parseInt(args[++i]);
                case "--window" -> window = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
            }
        }
        if (LoggerFactory.getLogger("io.culvert") instanceof ch.qos.logback.classic.Logger l) {
            l.setLevel(ch.qos.logback.classic.Level.WARN);
        }
        if (LoggerFactory.getLogger("org.flywaydb") instanceof ch.qos.logback.classic.Logger l) {
            l.setLevel(ch.qos.logback.classic.Level.WARN);
        }
        System.setProperty(PostgresServer.STATEMENTS, "true");
        PostgresServer pg = PostgresServer.shared();
        String url = pg.freshDatabase();
        pg.enableStatementStats(url);
        DatabaseLogin login = DatabaseLogin.fromFile(PostgresServer.ROLE, pg.rolePasswordFile());
        Path dir = Files.createTempDirectory("fleet-bench");
        TestPki pki = TestPki.create(dir.resolve("pki"));
        List<ScaleRig> rigs = new ArrayList<>();
        try (Store admin = Store.open(url, login, InstantSource.system())) {
            for (int s = 0; s < servers; s++) {
                rigs.add(ScaleRig.start(dir.resolve("server-" + s), clients, "10." + (100 + s) + ".0.0 255.255.255.0", pki,
                        "--fleet", url, "site-" + s, pg.rolePasswordFile().toString(), dir.resolve("state-" + s).toString()));
            }
            long t0 = System.nanoTime();
            for (int s = 0; s < servers; s++) {
                rigs.get(s).connect(clients / servers + (s < clients % servers ? 1 : 0), 50, Duration.ofMinutes(3));
            }
            System.out.printf(Locale.ROOT, "fleet-bench: %d servers, %d clients connected in %.1f s%n", servers, clients,
                    (System.nanoTime() - t0) / 1e9);
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            while (admin.fleet().instances().size() < clients && System.nanoTime() < deadline) {
                Thread.sleep(500);
            }
            System.out.printf(Locale.ROOT, "fleet-bench: the registry lists %d instances%n", admin.fleet().instances().size());

            // Database load: a window with no admin activity, so what is counted is the servers'.
            Properties p = new Properties();
            p.setProperty("user", login.user());
            p.setProperty("password", login.password());
            try (Connection c = DriverManager.getConnection(url, p)) {
                Map<String, Long> callsBefore = calls(c);
                long[] before = counters(c);
                long start = System.nanoTime();
                Thread.sleep(window * 1000L);
                long[] after = counters(c);
                Map<String, Long> callsAfter = calls(c);
                double sec = (System.nanoTime() - start) / 1e9;
                // Counted between the readings and the bench's own: one statement and two transactions of the readings.
                System.out.printf(Locale.ROOT, "fleet-bench: database load per server over %.0f s with %d clients each:"
                        + " %.2f statements/s, %.2f transactions/s, %.1f rows written/s%n", sec, clients / servers,
                        (after[0] - before[0] - 1) / sec / servers, (after[1] - before[1] - 2) / sec / servers,
                        (after[2] - before[2]) / sec / servers);
                System.out.println("fleet-bench: statements in the window (calls, all servers; a JDBC batch counts each row):");
                callsAfter.forEach((q, n) -> {
                    long d = n - callsBefore.getOrDefault(q, 0L);
                    if (d > 0 && !q.contains("pg_stat")) {
                        System.out.printf(Locale.ROOT, "  %7d  %s%n", d, q.substring(0, Math.min(110, q.length())));
                    }
                });
            }

            // Revocation propagation: commit to every server's "revoked" line, one revoke every half second.
            List<Double> perServer = new ArrayList<>();
            List<Double> slowest = new ArrayList<>();
            SecureRandom random = new SecureRandom();
            for (int r = 0; r < revokes; r++) {
                BigInteger serial = new BigInteger(120, random);
                int[] from = new int[rigs.size()];
                for (int s = 0; s < rigs.size(); s++) {
                    from[s] = rigs.get(s).outputLines();
                }
                admin.fleet().revoke(serial, "bench-" + r, InstantSource.system().instant());
                long committed = System.nanoTime();
                double worst = 0;
                for (int s = 0; s < rigs.size(); s++) {
                    long at = rigs.get(s).awaitOutput("certificate serial " + serial.toString(16) + " revoked", from[s],
                            Duration.ofSeconds(60));
                    if (at < 0) {
                        throw new AssertionError("server " + s + " did not hear revoke " + r + ":\n" + rigs.get(s).serverLog());
                    }
                    double ms = Math.max(0, at - committed) / 1e6;
                    perServer.add(ms);
                    worst = Math.max(worst, ms);
                }
                slowest.add(worst);
                Thread.sleep(500);
            }
            Collections.sort(perServer);
            Collections.sort(slowest);
            System.out.printf(Locale.ROOT, "fleet-bench: revocation propagation over %d revokes (commit to the server's log"
                    + " line): per server median %.0f ms, max %.0f ms; all servers median %.0f ms, max %.0f ms%n", revokes,
                    median(perServer), perServer.getLast(), median(slowest), slowest.getLast());

            for (int s = 0; s < rigs.size(); s++) {
                ScaleRig.ServerStats st = rigs.get(s).serverStats();
                System.out.printf(Locale.ROOT, "fleet-bench: server site-%d: %d instances, RSS %.0f MiB, heap after GC %.1f MiB%n",
                        s, st.instances(), st.rss() / 1048576.0, st.heapUsed() / 1048576.0);
            }
        } finally {
            for (ScaleRig r : rigs) {
                r.close();
            }
        }
        System.exit(0); // PostgresServer stops in its shutdown hook
    }

    /** Statement calls (pg_stat_statements), commits and rows written (pg_stat_database) in this database so far. */
    private static long[] counters(Connection c) throws SQLException {
        long calls;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT coalesce(sum(calls), 0) FROM pg_stat_statements"
                + " WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())")) {
            rs.next();
            calls = rs.getLong(1);
        }
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_stat_force_next_flush(), xact_commit,"
                + " tup_inserted + tup_updated + tup_deleted FROM pg_stat_database WHERE datname = current_database()")) {
            rs.next();
            return new long[] {calls, rs.getLong(2), rs.getLong(3)};
        }
    }

    /** Calls so far per statement text in this database (pg_stat_statements). */
    private static Map<String, Long> calls(Connection c) throws SQLException {
        Map<String, Long> out = new TreeMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT calls, query FROM pg_stat_statements"
                + " WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())")) {
            while (rs.next()) {
                out.merge(rs.getString(2).replaceAll("\\s+", " "), rs.getLong(1), Long::sum);
            }
        }
        return out;
    }

    private static double median(List<Double> sorted) {
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
