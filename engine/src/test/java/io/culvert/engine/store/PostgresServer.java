package io.culvert.engine.store;

import io.culvert.engine.testkit.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real PostgreSQL for tests, from the distribution's packages: initdb in a fresh temp folder and postgres on a
 * free loopback port, run as {@code nobody} when the tests run as root (postgres refuses root), with scram
 * passwords for its superuser and for the test role {@code culvert} (the fleet's owner: CREATEROLE, so it can add
 * server roles, and pg_read_all_stats). One server per test JVM, started on first
 * use and stopped and removed at JVM exit (also after failing tests); each test gets a fresh database.
 * Missing binaries skip the test, or fail it with {@code CI=true}. Thread-safe.
 */
public final class PostgresServer {
    public static final String ROLE = "culvert";
    /** System property: start postgres with pg_stat_statements loaded (for {@link #enableStatementStats}). */
    public static final String STATEMENTS = "culvert.postgres.statements";
    private static final String SUPERUSER = "postgres";
    private static PostgresServer shared;

    private final Path dir;
    private final Path bin;
    private final List<String> asUser;
    private final int port;
    private final String superPassword;
    private final Path rolePasswordFile;
    private final AtomicInteger databases = new AtomicInteger();

    private PostgresServer(Path dir, Path bin, List<String> asUser, int port, String superPassword, Path rolePasswordFile) {
        this.dir = dir;
        this.bin = bin;
        this.asUser = asUser;
        this.port = port;
        this.superPassword = superPassword;
        this.rolePasswordFile = rolePasswordFile;
    }

    /** The server of this JVM, started on first call. */
    public static synchronized PostgresServer shared() {
        if (shared == null) {
            Optional<Path> bin = binaries();
            if (bin.isEmpty()) {
                String why = "PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin/initdb; apt-get install postgresql)";
                if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                    throw new AssertionError("CI=true but " + why);
                }
                Assumptions.abort(why);
            }
            shared = start(bin.get());
            PostgresServer s = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(s::stop, "postgres-test-stop"));
        }
        return shared;
    }

    /** A new, empty database owned by {@link #ROLE}: its JDBC URL. */
    public String freshDatabase() {
        String name = "culvert_test_" + databases.incrementAndGet();
        try (Connection c = superConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name + " OWNER " + ROLE);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name + ": " + e.getMessage(), e);
        }
        return url(name);
    }

    String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?sslmode=disable";
    }

    /**
     * The server's Unix socket, for a test that forwards a port inside a network namespace to it (postgres listens on
     * the host's loopback only).
     */
    public Path unixSocket() {
        return dir.resolve(".s.PGSQL." + port);
    }

    /**
     * Creates the pg_stat_statements view in the database of {@code jdbcUrl} (as the superuser) and empties it; the
     * server must have been started with {@value #STATEMENTS}=true (a benchmark's switch, off for tests).
     */
    public void enableStatementStats(String jdbcUrl) {
        String database = jdbcUrl.replaceAll(".*/([^/?]+)(\\?.*)?$", "$1");
        Properties p = new Properties();
        p.setProperty("user", SUPERUSER);
        p.setProperty("password", superPassword);
        try (Connection c = DriverManager.getConnection(url(database), p); Statement s = c.createStatement()) {
            s.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            s.execute("GRANT pg_read_all_stats TO " + ROLE);
            s.execute("SELECT pg_stat_statements_reset()");
        } catch (SQLException e) {
            throw new IllegalStateException("pg_stat_statements: " + e.getMessage(), e);
        }
    }

    /** The first column of the first row {@code sql} gives, run as the superuser in the database of {@code jdbcUrl}. */
    public String superuserQuery(String jdbcUrl, String sql) {
        String database = jdbcUrl.replaceAll(".*/([^/?]+)(\\?.*)?$", "$1");
        Properties p = new Properties();
        p.setProperty("user", SUPERUSER);
        p.setProperty("password", superPassword);
        try (Connection c = DriverManager.getConnection(url(database), p); Statement s = c.createStatement();
                java.sql.ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** The 0600 file holding the password of {@link #ROLE}. */
    public Path rolePasswordFile() {
        return rolePasswordFile;
    }

    DatabaseLogin login() {
        return DatabaseLogin.fromFile(ROLE, rolePasswordFile);
    }

    /** Ends every session of {@link #ROLE} (as a server restart or a network cut would). */
    void terminateSessions() {
        try (Connection c = superConnection(); Statement s = c.createStatement()) {
            s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '" + ROLE + "'");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The uid the postmaster runs as (from /proc). */
    int postmasterUid() throws IOException {
        String pid = Files.readAllLines(dir.resolve("data").resolve("postmaster.pid")).getFirst().strip();
        return (Integer) Files.getAttribute(Path.of("/proc", pid), "unix:uid");
    }

    private Connection superConnection() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", SUPERUSER);
        p.setProperty("password", superPassword);
        return DriverManager.getConnection(url("postgres"), p);
    }

    private static Optional<Path> binaries() {
        String env = System.getenv("CULVERT_PG_BIN");
        if (env != null && !env.isEmpty()) {
            return Optional.of(Path.of(env)).filter(b -> Files.isExecutable(b.resolve("initdb")));
        }
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparing(b -> versionOf(b.getParent())));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static int versionOf(Path versionDir) {
        try {
            return Integer.parseInt(versionDir.getFileName().toString());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static PostgresServer start(Path bin) {
        try {
            boolean root = "root".equals(System.getProperty("user.name"));
            List<String> asUser = root ? List.of("runuser", "-u", "nobody", "--") : List.of();
            // A folder of its own under /tmp (which nobody can traverse), owned by the user postgres runs as.
            Path dir = Files.createTempDirectory(Path.of("/tmp"), "culvert-pg-");
            String superPassword = randomPassword();
            String rolePassword = randomPassword();
            Path pw = dir.resolve("superuser.pw");
            Files.writeString(pw, superPassword + "\n");
            Path rolePasswordFile = Files.createTempFile("culvert-pg-role-", ".pw",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(rolePasswordFile, rolePassword + "\n");
            if (root) {
                run(List.of("chown", "-R", "nobody:nogroup", dir.toString()), dir);
            }
            Files.setPosixFilePermissions(pw, PosixFilePermissions.fromString("rw-------"));
            int port = FreePorts.tcp();
            PostgresServer server = new PostgresServer(dir, bin, asUser, port, superPassword, rolePasswordFile);
            try {
                server.initAndStart(pw);
                try (Connection c = server.superConnection(); Statement s = c.createStatement()) {
                    s.execute("SET password_encryption = 'scram-sha-256'");
                    s.execute("CREATE ROLE " + ROLE + " LOGIN CREATEROLE PASSWORD '" + rolePassword + "'");
                    // The admin sees what the fleet servers' own roles are doing (FleetInteropTest waits on a lock).
                    s.execute("GRANT pg_read_all_stats TO " + ROLE);
                }
                Files.delete(pw);
            } catch (IOException | SQLException | RuntimeException e) {
                String log = server.log();
                server.stop();
                throw new IllegalStateException("cannot start the test PostgreSQL: " + e.getMessage() + "\n" + log, e);
            }
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void initAndStart(Path pw) throws IOException {
        Path data = dir.resolve("data");
        List<String> init = new ArrayList<>(asUser);
        init.addAll(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", SUPERUSER, "--pwfile=" + pw,
                "--auth=scram-sha-256", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"));
        run(init, dir);
        List<String> start = new ArrayList<>(asUser);
        start.addAll(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("postgres.log").toString(),
                "-w", "-t", "120", "-o", "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=" + dir
                        + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
                        + (Boolean.getBoolean(STATEMENTS) ? " -c shared_preload_libraries=pg_stat_statements" : ""),
                "start"));
        run(start, dir);
    }

    /** Stops postgres (immediate) and removes its folder and the role's password file. */
    synchronized void stop() {
        Path data = dir.resolve("data");
        if (Files.exists(data.resolve("postmaster.pid"))) {
            List<String> stop = new ArrayList<>(asUser);
            stop.addAll(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop"));
            try {
                run(stop, dir);
            } catch (IOException | RuntimeException e) {
                System.err.println("PostgresServer: pg_ctl stop failed: " + e.getMessage());
            }
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            Files.deleteIfExists(rolePasswordFile);
        } catch (IOException e) {
            System.err.println("PostgresServer: cannot remove " + dir + ": " + e.getMessage());
        }
    }

    private String log() {
        try {
            Path log = dir.resolve("postgres.log");
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static void run(List<String> command, Path cwd) throws IOException {
        Process p = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(180, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(command.getFirst() + " did not finish: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " exited with " + p.exitValue() + ": " + out);
        }
    }

    private static String randomPassword() {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
