package io.culvert.engine.store;

import io.culvert.engine.config.file.OvpnParseException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Client profiles. Text is validated with a {@link ProfileCheck} before it is written, so the store only
 * holds profiles that parse. Thread-safe; each method is one transaction.
 */
public final class ProfileRepository {
    private static final String COLUMNS = "id, name, ovpn_text, auto_connect, created_at, updated_at, last_used_at";

    private final Db db;
    private final InstantSource clock;

    ProfileRepository(Db db, InstantSource clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Validates and stores a new profile; DUPLICATE if the name is taken. */
    public StoredProfile add(String name, String text, ProfileCheck check) throws OvpnParseException {
        Sql.checkName(name, "profile");
        check.validate(text);
        Instant now = clock.instant();
        return db.tx(c -> {
            long id = Sql.insert(c, "INSERT INTO profile (name, ovpn_text, auto_connect, created_at, updated_at)"
                    + " VALUES (?, ?, 0, ?, ?)", name, text, now, now);
            return new StoredProfile(id, name, text, false, now, now, null);
        });
    }

    /** Validates and replaces the text of an existing profile. */
    public StoredProfile replaceText(String name, String text, ProfileCheck check) throws OvpnParseException {
        check.validate(text);
        Instant now = clock.instant();
        return db.tx(c -> {
            requireUpdated(Sql.update(c, "UPDATE profile SET ovpn_text = ?, updated_at = ? WHERE name = ?", text, now, name), name);
            return load(c, name).orElseThrow();
        });
    }

    public StoredProfile rename(String name, String newName) {
        Sql.checkName(newName, "profile");
        Instant now = clock.instant();
        return db.tx(c -> {
            requireUpdated(Sql.update(c, "UPDATE profile SET name = ?, updated_at = ? WHERE name = ?", newName, now, name), name);
            return load(c, newName).orElseThrow();
        });
    }

    public StoredProfile setAutoConnect(String name, boolean autoConnect) {
        Instant now = clock.instant();
        return db.tx(c -> {
            requireUpdated(Sql.update(c, "UPDATE profile SET auto_connect = ?, updated_at = ? WHERE name = ?",
                    autoConnect, now, name), name);
            return load(c, name).orElseThrow();
        });
    }

    /** Records that the profile was used at {@code when}. */
    public void markUsed(String name, Instant when) {
        db.tx(c -> requireUpdated(Sql.update(c, "UPDATE profile SET last_used_at = ? WHERE name = ?", when, name), name));
    }

    public Optional<StoredProfile> find(String name) {
        return db.tx(c -> load(c, name));
    }

    /** All profiles ordered by name. */
    public List<StoredProfile> list() {
        return db.tx(c -> {
            List<StoredProfile> out = new ArrayList<>();
            try (PreparedStatement ps = Sql.prepare(c, "SELECT " + COLUMNS + " FROM profile ORDER BY name");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row(rs));
                }
            }
            return out;
        });
    }

    /** Deletes the profile with its saved login row and history; false if there was none. Keyring entries: see {@link CredentialRepository#delete}. */
    public boolean delete(String name) {
        return db.tx(c -> Sql.update(c, "DELETE FROM profile WHERE name = ?", name) == 1);
    }

    private static Optional<StoredProfile> load(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = Sql.prepare(c, "SELECT " + COLUMNS + " FROM profile WHERE name = ?", name);
                ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(row(rs)) : Optional.empty();
        }
    }

    private static StoredProfile row(ResultSet rs) throws SQLException {
        return new StoredProfile(rs.getLong("id"), rs.getString("name"), rs.getString("ovpn_text"),
                rs.getInt("auto_connect") == 1, Sql.instant(rs, "created_at"), Sql.instant(rs, "updated_at"),
                Sql.instant(rs, "last_used_at"));
    }

    private static int requireUpdated(int rows, String name) {
        if (rows == 0) {
            throw new StoreException(StoreException.Kind.NOT_FOUND, "no profile named '" + name + "'");
        }
        return rows;
    }
}
