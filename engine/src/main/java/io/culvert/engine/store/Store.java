package io.culvert.engine.store;

import io.culvert.engine.common.PrivateFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.InstantSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * The open database and its repositories. {@link #open} creates the folder (0700) and the file (0600) if
 * needed, switches to WAL and migrates the schema with Flyway. Thread-safe; close it once when done.
 */
public final class Store implements AutoCloseable {
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

    /** Opens (creating and migrating as needed) the database at {@code file}. */
    public static Store open(Path file, InstantSource clock) {
        Path abs = file.toAbsolutePath();
        try {
            PrivateFiles.createDirectories(abs.getParent());
            PrivateFiles.ensurePrivateFile(abs);
        } catch (IOException e) {
            throw new StoreException(StoreException.Kind.IO, "cannot create " + abs + ": " + e.getMessage(), e);
        }
        String url = "jdbc:sqlite:" + abs;
        try {
            Flyway.configure(Store.class.getClassLoader())
                    .dataSource(url, null, null)
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw new StoreException(StoreException.Kind.IO, "cannot migrate " + abs + ": " + e.getMessage(), e);
        }
        Db db;
        try {
            db = Db.open(url);
        } catch (SQLException e) {
            throw new StoreException(StoreException.Kind.IO, "cannot open " + abs + ": " + e.getMessage(), e);
        }
        Store store = new Store(abs, db, clock);
        store.narrowSidecars();
        return store;
    }

    /** The database file. */
    public Path file() {
        return file;
    }

    public ProfileRepository profiles() {
        return profiles;
    }

    /** Saved logins; {@code keyring} is where passwords go when it is available. */
    public CredentialRepository credentials(Keyring keyring) {
        return new CredentialRepository(db, keyring, new PasswordSealer(StoreFiles.keyFile(file)), clock);
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

    /** SQLite's own consistency check: "ok" when the file is sound. */
    public String integrityCheck() {
        return db.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("PRAGMA integrity_check"); ResultSet rs = ps.executeQuery()) {
                StringBuilder sb = new StringBuilder();
                while (rs.next()) {
                    sb.append(sb.isEmpty() ? "" : "\n").append(rs.getString(1));
                }
                return sb.toString();
            }
        });
    }

    /** The journal mode in effect ("wal"). */
    public String journalMode() {
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
