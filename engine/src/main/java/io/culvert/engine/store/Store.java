package io.culvert.engine.store;

import io.culvert.engine.common.PrivateFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * The open database and its repositories, on SQLite (one file, the default) or PostgreSQL (a fleet, ADR 0048):
 * the same repositories and the same schema on both. {@link #open(Path, InstantSource)} creates the folder (0700)
 * and the file (0600) if needed, switches to WAL and migrates the schema with Flyway;
 * {@link #open(String, DatabaseLogin, InstantSource)} picks the database by its JDBC URL. Thread-safe; close it
 * once when done.
 */
public final class Store implements AutoCloseable {
    private static final String SQLITE = "jdbc:sqlite:";

    private final Path file;
    private final Db db;
    private final InstantSource clock;
    private final ProfileRepository profiles;
    private final ServerRepository servers;
    private final CertificateRepository certificates;
    private final HistoryRepository history;
    private final SettingsRepository settings;

    private Store(Path file, Db db, InstantSource clock) {
        this.file = file;
        this.db = db;
        this.clock = clock;
        this.profiles = new ProfileRepository(db, clock);
        this.servers = new ServerRepository(db, clock);
        this.certificates = new CertificateRepository(db);
        this.history = new HistoryRepository(db);
        this.settings = new SettingsRepository(db);
    }

    /** Opens (creating and migrating as needed) the SQLite database at {@code file}. */
    public static Store open(Path file, InstantSource clock) {
        Path abs = file.toAbsolutePath();
        try {
            PrivateFiles.createDirectories(abs.getParent());
            PrivateFiles.ensurePrivateFile(abs);
        } catch (IOException e) {
            throw new StoreException(StoreException.Kind.IO, "cannot create " + abs + ": " + e.getMessage(), e);
        }
        String url = SQLITE + abs;
        Dialect dialect = new Dialect.Sqlite();
        migrate(dialect, url, DatabaseLogin.NONE, abs.toString());
        Db db;
        try {
            db = Db.open(dialect, () -> DriverManager.getConnection(url));
        } catch (SQLException e) {
            throw new StoreException(StoreException.Kind.IO, "cannot open " + abs + ": " + e.getMessage(), e);
        }
        Store store = new Store(abs, db, clock);
        store.narrowSidecars();
        return store;
    }

    /**
     * Opens (migrating as needed) the database named by {@code jdbcUrl}: {@code jdbc:sqlite:/path/culvert.db}
     * (as {@link #open(Path, InstantSource)}, with {@link DatabaseLogin#NONE}) or
     * {@code jdbc:postgresql://host[:port]/database[?sslmode=verify-full&sslrootcert=/path/ca.crt]} with the role's
     * login. The URL must not carry a user or password. Without an sslmode, a server that is not on the loopback
     * is reached with {@code sslmode=verify-full}.
     */
    public static Store open(String jdbcUrl, DatabaseLogin login, InstantSource clock) {
        if (jdbcUrl.startsWith(SQLITE)) {
            String path = jdbcUrl.substring(SQLITE.length());
            if (path.isEmpty() || path.contains("?") || path.startsWith("file:") || path.startsWith(":")) {
                throw new StoreException(StoreException.Kind.INVALID, "a SQLite URL is jdbc:sqlite: and a file path");
            }
            if (!login.equals(DatabaseLogin.NONE)) {
                throw new StoreException(StoreException.Kind.INVALID, "a SQLite database takes no login");
            }
            return open(Path.of(path), clock);
        }
        Dialect.Postgresql.check(jdbcUrl);
        Dialect dialect = new Dialect.Postgresql();
        Properties props = Dialect.Postgresql.properties(jdbcUrl, login);
        String shown = jdbcUrl.replaceAll("\\?.*", "");
        migrate(dialect, jdbcUrl, login, shown);
        try {
            Db db = Db.open(dialect, () -> DriverManager.getConnection(jdbcUrl, props));
            return new Store(null, db, clock);
        } catch (SQLException e) {
            throw new StoreException(StoreException.Kind.IO, "cannot connect to " + shown + ": " + e.getMessage(), e);
        }
    }

    private static void migrate(Dialect dialect, String url, DatabaseLogin login, String shown) {
        try {
            Properties props = dialect instanceof Dialect.Postgresql ? Dialect.Postgresql.properties(url, login) : new Properties();
            Map<String, String> jdbcProperties = new HashMap<>();
            props.stringPropertyNames().stream().filter(k -> !k.equals("user") && !k.equals("password"))
                    .forEach(k -> jdbcProperties.put(k, props.getProperty(k)));
            Flyway.configure(Store.class.getClassLoader())
                    .dataSource(url, login.user(), login.password())
                    .jdbcProperties(jdbcProperties)
                    .locations(dialect.migrations())
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw new StoreException(StoreException.Kind.IO, "cannot migrate " + shown + ": " + e.getMessage(), e);
        }
    }

    /** The SQLite database file; empty for PostgreSQL. */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    public ProfileRepository profiles() {
        return profiles;
    }

    /**
     * Saved logins; {@code keyring} is where passwords go when it is available. The opt-in to an encrypted file
     * next to the database exists only for SQLite: on PostgreSQL a password goes to the keyring or is not saved.
     */
    public CredentialRepository credentials(Keyring keyring) {
        return new CredentialRepository(db, keyring, file == null ? null : new PasswordSealer(StoreFiles.keyFile(file)), clock);
    }

    /** The fleet's registry, pools and revocations; INVALID on a SQLite store (ADR 0048). */
    public FleetRepository fleet() {
        return new FleetRepository(db);
    }

    public ServerRepository servers() {
        return servers;
    }

    public CertificateRepository certificates() {
        return certificates;
    }

    public HistoryRepository history() {
        return history;
    }

    public SettingsRepository settings() {
        return settings;
    }

    /**
     * The database's own consistency check, "ok" when it is sound: SQLite's integrity_check; on PostgreSQL every
     * row of every table is read.
     */
    public String integrityCheck() {
        return db.tx(c -> db.dialect().integrityCheck(c));
    }

    /** SQLite's journal mode in effect ("wal"); empty for PostgreSQL. */
    public String journalMode() {
        if (file == null) {
            return "";
        }
        return db.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("PRAGMA journal_mode"); ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : "";
            }
        });
    }

    // SQLite gives -wal and -shm the main file's mode; this only repairs files left by another tool.
    private void narrowSidecars() {
        try {
            PrivateFiles.narrow(file);
            PrivateFiles.narrow(file.resolveSibling(file.getFileName() + "-wal"));
            PrivateFiles.narrow(file.resolveSibling(file.getFileName() + "-shm"));
        } catch (IOException e) {
            throw new StoreException(StoreException.Kind.IO, "cannot restrict " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        db.close();
    }
}
