package io.culvert.engine.store;

import io.culvert.engine.config.file.OvpnFile;
import io.culvert.engine.config.file.OvpnParseException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Servers with their client-config-dir entries. Config and ccd text must lex as OpenVPN config
 * ({@link OvpnFile#parse}); file references are not resolved here. Thread-safe; each method is one transaction.
 */
public final class ServerRepository {
    private final Db db;
    private final InstantSource clock;

    ServerRepository(Db db, InstantSource clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Stores a new server; DUPLICATE if the name is taken. */
    public StoredServer add(String name, String configText, String pkiRef) throws OvpnParseException {
        Sql.checkName(name, "server");
        OvpnFile.parse(configText);
        Instant now = clock.instant();
        return db.tx(c -> {
            long id = Sql.insert(c, "INSERT INTO server (name, config_text, pki_ref, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                    name, configText, pkiRef, now, now);
            return new StoredServer(id, name, configText, pkiRef, Map.of(), now, now);
        });
    }

    /** Replaces config text and PKI reference. */
    public StoredServer update(String name, String configText, String pkiRef) throws OvpnParseException {
        OvpnFile.parse(configText);
        Instant now = clock.instant();
        return db.tx(c -> {
            long id = Sql.serverId(c, name);
            Sql.update(c, "UPDATE server SET config_text = ?, pki_ref = ?, updated_at = ? WHERE id = ?", configText, pkiRef, now, id);
            return load(c, name).orElseThrow();
        });
    }

    /**
     * Renames a server, keeping its ccd entries and certificate records, and replaces its config text and PKI
     * reference in the same transaction; NOT_FOUND if there is none, DUPLICATE if {@code newName} is taken.
     */
    public StoredServer rename(String name, String newName, String configText, String pkiRef) throws OvpnParseException {
        Sql.checkName(newName, "server");
        OvpnFile.parse(configText);
        Instant now = clock.instant();
        return db.tx(c -> {
            long id = Sql.serverId(c, name);
            Sql.update(c, "UPDATE server SET name = ?, config_text = ?, pki_ref = ?, updated_at = ? WHERE id = ?", newName,
                    configText, pkiRef, now, id);
            return load(c, newName).orElseThrow();
        });
    }

    /** Sets (or replaces) the ccd entry of {@code commonName}. */
    public StoredServer putCcd(String serverName, String commonName, String ccdText) throws OvpnParseException {
        Sql.checkName(commonName, "common");
        OvpnFile.parse(ccdText);
        return db.tx(c -> {
            long id = Sql.serverId(c, serverName);
            Sql.update(c, "INSERT INTO ccd_entry (server_id, common_name, ccd_text) VALUES (?, ?, ?)"
                    + " ON CONFLICT (server_id, common_name) DO UPDATE SET ccd_text = excluded.ccd_text", id, commonName, ccdText);
            return load(c, serverName).orElseThrow();
        });
    }

    /** Removes the ccd entry of {@code commonName}; false if there was none. */
    public boolean removeCcd(String serverName, String commonName) {
        return db.tx(c -> Sql.update(c, "DELETE FROM ccd_entry WHERE server_id = ? AND common_name = ?",
                Sql.serverId(c, serverName), commonName) == 1);
    }

    public Optional<StoredServer> find(String name) {
        return db.tx(c -> load(c, name));
    }

    /** All servers ordered by name. */
    public List<StoredServer> list() {
        return db.tx(c -> {
            List<String> names = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT name FROM server ORDER BY name"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            List<StoredServer> out = new ArrayList<>();
            for (String n : names) {
                out.add(load(c, n).orElseThrow());
            }
            return out;
        });
    }

    /** Deletes the server with its ccd entries and issued-certificate records; false if there was none. */
    public boolean delete(String name) {
        return db.tx(c -> Sql.update(c, "DELETE FROM server WHERE name = ?", name) == 1);
    }

    private static Optional<StoredServer> load(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = Sql.prepare(c, "SELECT id, name, config_text, pki_ref, created_at, updated_at"
                + " FROM server WHERE name = ?", name); ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            long id = rs.getLong("id");
            Map<String, String> ccd = new TreeMap<>();
            try (PreparedStatement q = Sql.prepare(c, "SELECT common_name, ccd_text FROM ccd_entry WHERE server_id = ?", id);
                    ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    ccd.put(r.getString(1), r.getString(2));
                }
            }
            return Optional.of(new StoredServer(id, rs.getString("name"), rs.getString("config_text"), rs.getString("pki_ref"),
                    ccd, Sql.instant(rs, "created_at"), Sql.instant(rs, "updated_at")));
        }
    }
}
