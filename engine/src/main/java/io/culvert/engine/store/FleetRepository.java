package io.culvert.engine.store;

import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * The fleet's shared state on PostgreSQL (ADR 0048): the registry of servers with their heartbeats, each server's
 * address pools (no two pools of the fleet overlap: checked here for a clear message and enforced by an exclusion
 * constraint, so two servers claiming at once cannot both win), and revocations, announced to every listener when
 * committed. Only on PostgreSQL; a SQLite store refuses it. Thread-safe; each method is one transaction.
 */
public final class FleetRepository {
    /** The LISTEN/NOTIFY channel revocations are announced on (payload: the serial in hex). */
    public static final String REVOCATION_CHANNEL = "culvert_revocation";

    private final Db db;

    FleetRepository(Db db) {
        if (!(db.dialect() instanceof Dialect.Postgresql)) {
            throw new StoreException(StoreException.Kind.INVALID, "the fleet needs a PostgreSQL store (jdbc:postgresql://...)");
        }
        this.db = db;
    }

    /** Registers {@code name} (or finds it registered) and records a heartbeat at {@code at}. */
    public FleetServer heartbeat(String name, Instant at) {
        Sql.checkName(name, "server");
        return db.tx(c -> {
            Sql.update(c, "INSERT INTO fleet_server (name, registered_at, heartbeat_at) VALUES (?, ?, ?)"
                    + " ON CONFLICT (name) DO UPDATE SET heartbeat_at = excluded.heartbeat_at", name, at, at);
            return load(c, name).orElseThrow();
        });
    }

    /**
     * Gives {@code network} (CIDR text, no host bits: "10.8.0.0/24") to server {@code name}; DUPLICATE naming the
     * owner if it overlaps any pool of the fleet, NOT_FOUND if the server is not registered, INVALID if malformed.
     */
    public FleetServer claimPool(String name, String network) {
        return db.tx(c -> {
            long id = idOf(c, name);
            try (PreparedStatement ps = Sql.prepare(c, "SELECT s.name, p.network::text FROM fleet_pool p JOIN fleet_server s"
                    + " ON s.id = p.server_id WHERE p.network::inet && ?::cidr::inet", network); ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    throw new StoreException(StoreException.Kind.DUPLICATE,
                            network + " overlaps pool " + rs.getString(2) + " of server '" + rs.getString(1) + "'");
                }
            }
            Sql.update(c, "INSERT INTO fleet_pool (server_id, network) VALUES (?, ?::cidr)", id, network);
            return load(c, name).orElseThrow();
        });
    }

    /** Gives pool {@code network} of server {@code name} back; false if it had none such. */
    public boolean releasePool(String name, String network) {
        return db.tx(c -> Sql.update(c, "DELETE FROM fleet_pool WHERE server_id = ? AND network = ?::cidr", idOf(c, name), network) == 1);
    }

    public Optional<FleetServer> find(String name) {
        return db.tx(c -> load(c, name));
    }

    /** Every registered server, by name. */
    public List<FleetServer> servers() {
        return db.tx(c -> {
            List<String> names = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT name FROM fleet_server ORDER BY name"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            List<FleetServer> out = new ArrayList<>();
            for (String n : names) {
                out.add(load(c, n).orElseThrow());
            }
            return out;
        });
    }

    /** Revokes {@code serial} for the whole fleet; a serial revoked before keeps its first record. Listeners hear of it on commit. */
    public FleetRevocation revoke(BigInteger serial, String commonName, Instant at) {
        return db.tx(c -> {
            Sql.update(c, "INSERT INTO fleet_revocation (serial, common_name, revoked_at) VALUES (?, ?, ?) ON CONFLICT (serial) DO NOTHING",
                    serial.toString(16), commonName, at);
            return revocations(c, " WHERE serial = ?", serial.toString(16)).getFirst();
        });
    }

    /** Every revocation, oldest first: the safety-net re-read behind the notifications. */
    public List<FleetRevocation> revocations() {
        return db.tx(c -> revocations(c, ""));
    }

    /** A connection listening on {@link #REVOCATION_CHANNEL}; close it when done. */
    public RevocationFeed listen() {
        try {
            Connection c = db.openSeparate();
            try (Statement s = c.createStatement()) {
                s.execute("LISTEN " + REVOCATION_CHANNEL);
            } catch (SQLException e) {
                c.close();
                throw e;
            }
            return new RevocationFeed(c);
        } catch (SQLException e) {
            throw new StoreException(StoreException.Kind.IO, "cannot listen for revocations: " + e.getMessage(), e);
        }
    }

    /** Revocations as they are committed anywhere in the fleet. Not thread-safe: one reader. */
    public static final class RevocationFeed implements AutoCloseable {
        private final Connection connection;

        private RevocationFeed(Connection connection) {
            this.connection = connection;
        }

        /** The serials revoked since the last call, waiting up to {@code timeout} for the first; empty if none came. */
        public List<BigInteger> await(Duration timeout) {
            try {
                PGNotification[] got = connection.unwrap(PGConnection.class).getNotifications((int) Math.max(1, timeout.toMillis()));
                List<BigInteger> out = new ArrayList<>();
                if (got != null) {
                    for (PGNotification n : got) {
                        if (n.getName().equals(REVOCATION_CHANNEL)) {
                            out.add(new BigInteger(n.getParameter(), 16));
                        }
                    }
                }
                return out;
            } catch (SQLException e) {
                throw new StoreException(StoreException.Kind.IO, "lost the revocation feed: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            try {
                connection.close();
            } catch (SQLException e) {
                // closing a listener; nothing to keep
            }
        }
    }

    private static long idOf(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = Sql.prepare(c, "SELECT id FROM fleet_server WHERE name = ?", name); ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new StoreException(StoreException.Kind.NOT_FOUND, "no fleet server named '" + name + "'");
            }
            return rs.getLong(1);
        }
    }

    private static Optional<FleetServer> load(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = Sql.prepare(c, "SELECT id, registered_at, heartbeat_at FROM fleet_server WHERE name = ?", name);
                ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            List<String> pools = new ArrayList<>();
            try (PreparedStatement q = Sql.prepare(c, "SELECT network::text FROM fleet_pool WHERE server_id = ? ORDER BY network",
                    rs.getLong("id")); ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    pools.add(r.getString(1));
                }
            }
            return Optional.of(new FleetServer(name, Sql.instant(rs, "registered_at"), Sql.instant(rs, "heartbeat_at"), pools));
        }
    }

    private static List<FleetRevocation> revocations(Connection c, String where, Object... args) throws SQLException {
        List<FleetRevocation> out = new ArrayList<>();
        try (PreparedStatement ps = Sql.prepare(c, "SELECT serial, common_name, revoked_at FROM fleet_revocation" + where + " ORDER BY id", args);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new FleetRevocation(new BigInteger(rs.getString(1), 16), rs.getString(2), Sql.instant(rs, "revoked_at")));
            }
        }
        return out;
    }
}
