package io.culvert.engine.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Application settings as string key/value pairs. Thread-safe; each method is one transaction. */
public final class SettingsRepository {
    private final Db db;

    SettingsRepository(Db db) {
        this.db = db;
    }

    public Optional<String> get(String key) {
        return db.tx(c -> {
            try (PreparedStatement ps = Sql.prepare(c, "SELECT value FROM setting WHERE key = ?", key); ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        });
    }

    public void put(String key, String value) {
        Sql.checkName(key, "setting");
        db.tx(c -> Sql.update(c, "INSERT INTO setting (key, value) VALUES (?, ?)"
                + " ON CONFLICT (key) DO UPDATE SET value = excluded.value", key, value));
    }

    /** Removes {@code key}; false if it was not set. */
    public boolean remove(String key) {
        return db.tx(c -> Sql.update(c, "DELETE FROM setting WHERE key = ?", key) == 1);
    }

    /** Every setting, sorted by key. */
    public Map<String, String> all() {
        return db.tx(c -> {
            Map<String, String> out = new TreeMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT key, value FROM setting"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
            return out;
        });
    }
}
