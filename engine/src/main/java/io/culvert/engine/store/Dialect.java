package io.culvert.engine.store;

import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;

/**
 * What differs between the two databases the store runs on: which migrations, how a connection is set up,
 * how a duplicate and a lost connection are recognised, how the database checks itself. Repository SQL is
 * written once for both (standard SQL that SQLite and PostgreSQL read alike: {@code INSERT ... ON CONFLICT},
 * integers for times and booleans); only what cannot be is here. Stateless.
 */
sealed interface Dialect permits Dialect.Sqlite, Dialect.Postgresql {

    /** The Flyway location of this database's migrations. */
    String migrations();

    /** Sets up a freshly opened connection. */
    void configure(Connection c) throws SQLException;

    /** Whether {@code e} reports a UNIQUE or PRIMARY KEY violation. */
    boolean isDuplicate(SQLException e);

    /** Whether {@code e} reports a value the database refused (a malformed network, a number out of range). */
    boolean isInvalidValue(SQLException e);

    /** Whether {@code e} reports that the role may not do it (a missing privilege, a row-level security policy). */
    default boolean isDenied(SQLException e) {
        return false;
    }

    /** Whether {@code e} means the connection itself is gone (the next unit of work should reconnect). */
    boolean isConnectionLost(SQLException e);

    /** The database's own consistency check: "ok" when it is sound, otherwise what it found. */
    String integrityCheck(Connection c) throws SQLException;

    /** SQLite: one file, WAL, foreign keys on. */
    record Sqlite() implements Dialect {
        @Override
        public String migrations() {
            return "classpath:db/migration/sqlite";
        }

        @Override
        public void configure(Connection c) throws SQLException {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=FULL");
                s.execute("PRAGMA foreign_keys=ON");
                s.execute("PRAGMA busy_timeout=5000");
            }
        }

        @Override
        public boolean isDuplicate(SQLException e) {
            String msg = String.valueOf(e.getMessage());
            return msg.contains("UNIQUE constraint failed") || msg.contains("PRIMARY KEY constraint failed");
        }

        @Override
        public boolean isInvalidValue(SQLException e) {
            return false;
        }

        @Override
        public boolean isConnectionLost(SQLException e) {
            return false;
        }

        @Override
        public String integrityCheck(Connection c) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement("PRAGMA integrity_check"); ResultSet rs = ps.executeQuery()) {
                StringBuilder sb = new StringBuilder();
                while (rs.next()) {
                    sb.append(sb.isEmpty() ? "" : "\n").append(rs.getString(1));
                }
                return sb.toString();
            }
        }
    }

    /** PostgreSQL over the network: login and TLS from the URL and a {@link DatabaseLogin}, never from argv. */
    record Postgresql() implements Dialect {
        /** The tables of the schema, read in full by {@link #integrityCheck}. */
        private static final List<String> TABLES = List.of("profile", "credential", "server", "ccd_entry", "issued_certificate",
                "connection_history", "setting", "fleet_server", "fleet_pool", "fleet_revocation",
                "fleet_instance", "fleet_flow", "fleet_client", "fleet_ca", "fleet_certificate");

        @Override
        public String migrations() {
            return "classpath:db/migration/postgresql";
        }

        @Override
        public void configure(Connection c) throws SQLException {
            try (Statement s = c.createStatement()) {
                s.execute("SET TIME ZONE 'UTC'");
            }
        }

        @Override
        public boolean isDuplicate(SQLException e) {
            // unique_violation (also primary keys); exclusion_violation (overlapping fleet pools)
            return "23505".equals(e.getSQLState()) || "23P01".equals(e.getSQLState());
        }

        @Override
        public boolean isInvalidValue(SQLException e) {
            return e.getSQLState() != null && e.getSQLState().startsWith("22"); // data_exception
        }

        @Override
        public boolean isDenied(SQLException e) {
            return "42501".equals(e.getSQLState()); // insufficient_privilege, also a row-level security violation
        }

        @Override
        public boolean isConnectionLost(SQLException e) {
            String state = e.getSQLState();
            return state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03"));
        }

        /** Reads every row of every table: a damaged page or a broken TOAST value fails the read. Not amcheck. */
        @Override
        public String integrityCheck(Connection c) throws SQLException {
            try (Statement s = c.createStatement()) {
                for (String table : TABLES) {
                    try (ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
                        int columns = rs.getMetaData().getColumnCount();
                        while (rs.next()) {
                            for (int i = 1; i <= columns; i++) {
                                rs.getObject(i);
                            }
                        }
                    }
                }
            }
            return "ok";
        }

        /**
         * The driver properties for {@code url}: user and password from {@code login} (never in the URL), and
         * {@code sslmode=verify-full} when the URL names no sslmode and the host is not the loopback.
         */
        static Properties properties(String url, DatabaseLogin login) {
            Properties p = new Properties();
            if (login.user() != null) {
                p.setProperty("user", login.user());
            }
            if (login.password() != null) {
                p.setProperty("password", login.password());
            }
            p.setProperty("ApplicationName", "culvert");
            p.setProperty("connectTimeout", "10");
            if (parameter(url, "sslmode") == null && !isLoopback(host(url))) {
                p.setProperty("sslmode", "verify-full");
            }
            return p;
        }

        /** Refuses URLs that carry a password or a user, or that are not {@code jdbc:postgresql://host[:port]/database}. */
        static void check(String url) {
            if (!url.startsWith("jdbc:postgresql://")) {
                throw new StoreException(StoreException.Kind.INVALID, "a PostgreSQL URL starts with jdbc:postgresql://");
            }
            if (parameter(url, "password") != null || parameter(url, "user") != null || host(url).contains("@")) {
                throw new StoreException(StoreException.Kind.INVALID,
                        "the database URL must not carry a user or password; give them as a login (a 0600 file or the keyring)");
            }
        }

        static String host(String url) {
            String rest = url.substring("jdbc:postgresql://".length());
            int end = rest.indexOf('/');
            return end < 0 ? rest : rest.substring(0, end);
        }

        static String parameter(String url, String name) {
            int q = url.indexOf('?');
            if (q < 0) {
                return null;
            }
            for (String pair : url.substring(q + 1).split("&")) {
                int eq = pair.indexOf('=');
                String key = eq < 0 ? pair : pair.substring(0, eq);
                if (key.equalsIgnoreCase(name)) {
                    return eq < 0 ? "" : pair.substring(eq + 1);
                }
            }
            return null;
        }

        private static boolean isLoopback(String hostPort) {
            String host;
            try {
                host = URI.create("//" + hostPort).getHost();
            } catch (IllegalArgumentException e) {
                return false;
            }
            return host != null && (host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]"));
        }
    }
}
