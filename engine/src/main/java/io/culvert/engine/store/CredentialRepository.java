package io.culvert.engine.store;

import io.culvert.engine.store.SavedCredentials.Location;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.InstantSource;
import java.util.Optional;
import java.util.UUID;

/**
 * Saved logins, one per profile. A password goes to the {@link Keyring} when it is available; otherwise
 * only with the caller's explicit opt-in into the database, sealed by {@link PasswordSealer}; otherwise
 * the save is refused. A username alone is stored in clear. Thread-safe; each method is one transaction
 * (a keyring failure rolls the row back).
 *
 * <p>Protection. Keyring: the password is held by the Secret Service, encrypted at rest by the login
 * keyring and unlocked with the desktop session; the database holds only a random item id. Opted-in file:
 * AES-256-GCM with a random 96-bit nonce per save, the profile id as associated data, and a random 256-bit
 * key in {@code culvert.key} (0600) beside the 0600 database in a 0700 folder. That protects against a
 * copy of the database alone (a backup, a synced or attached file) and against moving a sealed value to
 * another profile's row; it does not protect against anything that can read the user's files (the key file
 * sits next to the database), nor against root or malware running as the user.
 */
public final class CredentialRepository {
    private final Db db;
    private final Keyring keyring;
    private final PasswordSealer sealer; // null: no encrypted-file opt-in (PostgreSQL)
    private final InstantSource clock;

    CredentialRepository(Db db, Keyring keyring, PasswordSealer sealer, InstantSource clock) {
        this.db = db;
        this.keyring = keyring;
        this.sealer = sealer;
        this.clock = clock;
    }

    /**
     * Saves the login of {@code profileName}, replacing any earlier one. {@code password} may be null
     * (username only). {@code allowEncryptedFile} is the user's opt-in for when no keyring is available.
     */
    public SavedCredentials save(String profileName, String username, String password, boolean allowEncryptedFile) {
        if (username == null || username.isEmpty() || username.chars().anyMatch(ch -> ch == '\n' || ch == '\0')) {
            throw new StoreException(StoreException.Kind.INVALID, "username must be non-empty, one line");
        }
        Location location = password == null ? Location.NONE
                : keyring.isAvailable() ? Location.KEYRING
                : allowEncryptedFile && sealer != null ? Location.ENCRYPTED_FILE : null;
        if (location == null) {
            throw new StoreException(StoreException.Kind.NO_SECRET_STORAGE,
                    sealer == null ? "no desktop keyring is running; on PostgreSQL a password is saved only in the keyring"
                            : "no desktop keyring is running; saving the password needs the opt-in to the encrypted file");
        }
        return db.tx(c -> {
            long id = Sql.profileId(c, profileName);
            String oldAccount = keyringAccount(c, id);
            String account = location == Location.KEYRING ? UUID.randomUUID().toString() : null;
            PasswordSealer.Sealed sealed = location == Location.ENCRYPTED_FILE ? sealer.seal(id, password) : null;
            Sql.update(c, "INSERT INTO credential (profile_id, username, password_location, keyring_account,"
                    + " password_nonce, password_sealed, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (profile_id) DO UPDATE SET username = excluded.username,"
                    + " password_location = excluded.password_location, keyring_account = excluded.keyring_account,"
                    + " password_nonce = excluded.password_nonce, password_sealed = excluded.password_sealed,"
                    + " updated_at = excluded.updated_at",
                    id, username, location.name(), account, sealed == null ? null : sealed.nonce(),
                    sealed == null ? null : sealed.ciphertext(), clock.instant());
            if (account != null) {
                keyring.store(account, "Culvert VPN: " + profileName + " (" + username + ")", password);
            }
            if (oldAccount != null) {
                keyring.clear(oldAccount);
            }
            return new SavedCredentials(profileName, username, password, location);
        });
    }

    /** The saved login of {@code profileName}; the password is fetched from where it is kept. */
    public Optional<SavedCredentials> find(String profileName) {
        return db.tx(c -> {
            try (PreparedStatement ps = Sql.prepare(c, "SELECT p.id, c.username, c.password_location, c.keyring_account,"
                    + " c.password_nonce, c.password_sealed FROM credential c JOIN profile p ON p.id = c.profile_id"
                    + " WHERE p.name = ?", profileName); ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Location location = Location.valueOf(rs.getString("password_location"));
                String password = switch (location) {
                    case NONE -> null;
                    case KEYRING -> keyring.lookup(rs.getString("keyring_account")).orElse(null);
                    case ENCRYPTED_FILE -> sealer == null ? null : sealer.open(rs.getLong("id"),
                            new PasswordSealer.Sealed(rs.getBytes("password_nonce"), rs.getBytes("password_sealed")));
                };
                return Optional.of(new SavedCredentials(profileName, rs.getString("username"), password, location));
            }
        });
    }

    /** Forgets the login of {@code profileName}, keyring item included; false if none was saved. */
    public boolean delete(String profileName) {
        return db.tx(c -> {
            Optional<Long> id = Sql.findProfileId(c, profileName);
            if (id.isEmpty()) {
                return false;
            }
            String account = keyringAccount(c, id.get());
            boolean deleted = Sql.update(c, "DELETE FROM credential WHERE profile_id = ?", id.get()) == 1;
            if (account != null) {
                keyring.clear(account);
            }
            return deleted;
        });
    }

    private static String keyringAccount(Connection c, long profileId) throws SQLException {
        try (PreparedStatement ps = Sql.prepare(c, "SELECT keyring_account FROM credential WHERE profile_id = ?", profileId);
                ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
