package io.culvert.engine.store;

import io.culvert.engine.api.FleetRemote;
import io.culvert.engine.api.FlowEdge;
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
    /** The LISTEN/NOTIFY channel client changes are announced on (payload: the common name). */
    public static final String CLIENT_CHANNEL = "culvert_client";

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
     * Records the addresses clients dial to reach server {@code name}, in order (what exported profiles list as its
     * {@code remote}s), replacing what it registered before; NOT_FOUND if the server is not registered.
     */
    public FleetServer registerRemotes(String name, List<FleetRemote> remotes) {
        String text = String.join("\n", remotes.stream().map(FleetRemote::toString).toList());
        return db.tx(c -> {
            Sql.update(c, "UPDATE fleet_server SET remotes = ? WHERE id = ?", Sql.checkText(text), idOf(c, name));
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

    /**
     * Removes server {@code name} from the fleet with its pools and what it last reported (a retired server, or one
     * whose start was refused); false if no such server is registered.
     */
    public boolean forget(String name) {
        return db.tx(c -> Sql.update(c, "DELETE FROM fleet_server WHERE name = ?", name) == 1);
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

    /**
     * Creates the database role {@code role} (LOGIN, with {@code password}) that may run as server {@code serverName}
     * and nothing else (ADR 0058): it reads the fleet, and writes only that server's registry row, pools and reports.
     * The password reaches the database only as a SCRAM-SHA-256 verifier computed here, never as text in a statement.
     * Needs a login with CREATEROLE (the fleet's owner). DUPLICATE if the role or a role for that server exists.
     */
    public void addServerRole(String serverName, String role, char[] password) {
        Sql.checkName(serverName, "server");
        checkRole(role);
        db.tx(c -> {
            try (PreparedStatement ps = Sql.prepare(c, "SELECT role_name FROM fleet_server_role WHERE server_name = ?", serverName);
                    ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    throw new StoreException(StoreException.Kind.DUPLICATE,
                            "server '" + serverName + "' already has the role " + rs.getString(1));
                }
            }
            try (Statement st = c.createStatement()) {
                st.execute("CREATE ROLE \"" + role + "\" LOGIN NOINHERIT"); // checked above: [a-z_][a-z0-9_]*
            }
            c.unwrap(PGConnection.class).alterUserPassword(role, password, "scram-sha-256");
            Sql.update(c, "INSERT INTO fleet_server_role (role_name, server_name) VALUES (?, ?)", role, serverName);
            try (PreparedStatement ps = Sql.prepare(c, "SELECT fleet_grant_server(?)", role)) {
                ps.execute();
            }
            return null;
        });
    }

    /**
     * Drops the role of server {@code serverName} (its privileges in this database, then the role); its sessions
     * already open stay until they end. The role's name, or empty if the server had none.
     */
    public Optional<String> removeServerRole(String serverName) {
        return db.tx(c -> {
            String role;
            try (PreparedStatement ps = Sql.prepare(c, "DELETE FROM fleet_server_role WHERE server_name = ? RETURNING role_name",
                    serverName); ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.<String>empty();
                }
                role = checkRole(rs.getString(1));
            }
            try (PreparedStatement ps = Sql.prepare(c, "SELECT fleet_revoke_server(?)", role)) {
                ps.execute();
            }
            try (Statement st = c.createStatement()) {
                st.execute("DROP ROLE \"" + role + "\"");
            }
            return Optional.of(role);
        });
    }

    /** Server name to the role that may run it, for every server that has its own role, by server name. */
    public java.util.SortedMap<String, String> serverRoles() {
        return db.tx(c -> {
            java.util.SortedMap<String, String> out = new java.util.TreeMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT server_name, role_name FROM fleet_server_role");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
            return out;
        });
    }

    /** The role name a server's role gets by default: {@code culvert_srv_} and the name, folded to [a-z0-9_]. */
    public static String defaultRole(String serverName) {
        String folded = serverName.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        String role = "culvert_srv_" + folded;
        return role.length() > 63 ? role.substring(0, 63) : role;
    }

    /** {@code role} if it is a plain PostgreSQL identifier Culvert creates roles under, else INVALID. */
    static String checkRole(String role) {
        if (role == null || !role.matches("[a-z_][a-z0-9_]{0,62}") || role.startsWith("pg_")) {
            throw new StoreException(StoreException.Kind.INVALID,
                    "a server role is 1-63 of a-z, 0-9 and _, not starting with a digit or pg_: '" + role + "'");
        }
        return role;
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

    /** {@link #report(String, Instant, List, List, List)} with no traffic to other servers' pools. */
    public void report(String name, Instant at, List<FleetInstance> instances, List<FleetFlow> flows) {
        report(name, at, instances, flows, List.of());
    }

    /**
     * Replaces what server {@code name} last reported of its live state with {@code instances}, {@code flows} and
     * {@code remote} (its clients' traffic to other servers' pools), in one transaction (a reader sees the old roll-up
     * or the new one, never half), and stamps it {@code at}.
     */
    public void report(String name, Instant at, List<FleetInstance> instances, List<FleetFlow> flows, List<FleetRemoteFlow> remote) {
        db.tx(c -> {
            long id = idOf(c, name);
            Sql.update(c, "DELETE FROM fleet_instance WHERE server_id = ?", id);
            Sql.update(c, "DELETE FROM fleet_flow WHERE server_id = ?", id);
            Sql.update(c, "DELETE FROM fleet_remote_flow WHERE server_id = ?", id);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO fleet_instance (server_id, peer_id, common_name, real_address,"
                    + " virtual_address, connected_at, bytes_in, bytes_out) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (FleetInstance i : instances) {
                    ps.setLong(1, id);
                    ps.setInt(2, i.peerId());
                    ps.setString(3, Sql.checkText(i.commonName()));
                    ps.setString(4, Sql.checkText(i.realAddress()));
                    ps.setString(5, Sql.checkText(String.join(",", i.virtualAddresses())));
                    ps.setLong(6, i.connectedAt().toEpochMilli());
                    ps.setLong(7, i.bytesIn());
                    ps.setLong(8, i.bytesOut());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO fleet_flow (server_id, source, destination, kind, packets, bytes)"
                    + " VALUES (?, ?, ?, ?, ?, ?)")) {
                for (FleetFlow f : flows) {
                    ps.setLong(1, id);
                    ps.setInt(2, f.source());
                    ps.setInt(3, f.destination());
                    ps.setString(4, f.kind().name());
                    ps.setLong(5, f.packets());
                    ps.setLong(6, f.bytes());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO fleet_remote_flow (server_id, source, destination, packets, bytes)"
                    + " VALUES (?, ?, ?, ?, ?)")) {
                for (FleetRemoteFlow f : remote) {
                    ps.setLong(1, id);
                    ps.setInt(2, f.source());
                    ps.setString(3, Sql.checkText(f.destination()));
                    ps.setLong(4, f.packets());
                    ps.setLong(5, f.bytes());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            Sql.update(c, "UPDATE fleet_server SET reported_at = ? WHERE id = ?", at, id);
            return null;
        });
    }

    /** Every instance every server last reported, by server name then peer-id. */
    public List<FleetInstance> instances() {
        return db.tx(c -> {
            List<FleetInstance> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT s.name, i.peer_id, i.common_name, i.real_address, i.virtual_address,"
                    + " i.connected_at, i.bytes_in, i.bytes_out FROM fleet_instance i JOIN fleet_server s ON s.id = i.server_id"
                    + " ORDER BY s.name, i.peer_id"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String v = rs.getString(5);
                    out.add(new FleetInstance(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4),
                            v.isEmpty() ? List.of() : List.of(v.split(",")), Sql.instant(rs, "connected_at"), rs.getLong(7), rs.getLong(8)));
                }
            }
            return out;
        });
    }

    /** Every flow edge every server last reported, by server name. */
    public List<FleetFlow> flows() {
        return db.tx(c -> {
            List<FleetFlow> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT s.name, f.source, f.destination, f.kind, f.packets, f.bytes"
                    + " FROM fleet_flow f JOIN fleet_server s ON s.id = f.server_id ORDER BY s.name, f.source, f.destination, f.kind");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new FleetFlow(rs.getString(1), rs.getInt(2), rs.getInt(3), FlowEdge.Kind.valueOf(rs.getString(4)),
                            rs.getLong(5), rs.getLong(6)));
                }
            }
            return out;
        });
    }

    /** The pools of every server but {@code name}, CIDR text: where that server's clients reach other servers' clients. */
    public List<String> poolsOfOthers(String name) {
        return db.tx(c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = Sql.prepare(c, "SELECT p.network::text FROM fleet_pool p JOIN fleet_server s ON s.id = p.server_id"
                    + " WHERE s.name <> ? ORDER BY 1", name); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
    }

    /** Every server's last reported traffic from its clients to other servers' pools, by server, source, destination. */
    public List<FleetRemoteFlow> remoteFlows() {
        return db.tx(c -> {
            List<FleetRemoteFlow> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT s.name, f.source, f.destination, f.packets, f.bytes"
                    + " FROM fleet_remote_flow f JOIN fleet_server s ON s.id = f.server_id ORDER BY s.name, f.source, f.destination");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new FleetRemoteFlow(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getLong(4), rs.getLong(5)));
                }
            }
            return out;
        });
    }

    /**
     * Sets the routes pushed to client {@code commonName} on every server (creating the client's row); every
     * listener hears {@link FleetEvent.ClientChanged} on commit. INVALID if a route is not CIDR text.
     */
    public FleetClient setRoutes(String commonName, List<String> routes, Instant at) {
        Sql.checkName(commonName, "client");
        for (String r : routes) {
            if (!r.matches("[0-9A-Fa-f:.]+/[0-9]{1,3}")) {
                throw new StoreException(StoreException.Kind.INVALID, "not a network in CIDR notation: '" + r + "'");
            }
        }
        return db.tx(c -> {
            Sql.update(c, "INSERT INTO fleet_client (common_name, routes, changed_at) VALUES (?, ?, ?)"
                    + " ON CONFLICT (common_name) DO UPDATE SET routes = excluded.routes, changed_at = excluded.changed_at",
                    commonName, String.join("\n", routes), at);
            return client(c, commonName).orElseThrow();
        });
    }

    /**
     * Gives client {@code commonName} the static IPv4 address {@code address} on server {@code server} (the fleet's
     * {@code ifconfig-push}), or takes it away ({@code address} null), creating the client's row; every listener
     * hears {@link FleetEvent.ClientChanged} on commit. NOT_FOUND if the server is not registered; INVALID if the
     * address is not IPv4 text or not inside one of that server's pools; DUPLICATE if another client has it there.
     */
    public FleetClient setAddress(String commonName, String server, String address, Instant at) {
        Sql.checkName(commonName, "client");
        if (address != null && !address.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")) {
            throw new StoreException(StoreException.Kind.INVALID, "not an IPv4 address: '" + address + "'");
        }
        return db.tx(c -> {
            long id = idOf(c, server);
            Sql.update(c, "INSERT INTO fleet_client (common_name, routes, changed_at) VALUES (?, '', ?)"
                    + " ON CONFLICT (common_name) DO UPDATE SET changed_at = excluded.changed_at", commonName, at);
            if (address == null) {
                Sql.update(c, "DELETE FROM fleet_client_address WHERE common_name = ? AND server_id = ?", commonName, id);
                return client(c, commonName).orElseThrow();
            }
            try (PreparedStatement ps = Sql.prepare(c, "SELECT string_agg(network::text, ' ' ORDER BY network),"
                    + " bool_or(?::inet << network) FROM fleet_pool WHERE server_id = ? AND family(network) = 4", address, id);
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(2)) {
                    throw new StoreException(StoreException.Kind.INVALID, address + " is not in the IPv4 pool of server '"
                            + server + "' (" + (rs.getString(1) == null ? "it has none" : rs.getString(1)) + ")");
                }
            }
            try (PreparedStatement ps = Sql.prepare(c, "SELECT common_name FROM fleet_client_address WHERE server_id = ?"
                    + " AND address = ?::inet AND common_name <> ?", id, address, commonName); ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    throw new StoreException(StoreException.Kind.DUPLICATE, address + " on server '" + server
                            + "' is already " + rs.getString(1) + "'s");
                }
            }
            Sql.update(c, "INSERT INTO fleet_client_address (common_name, server_id, address) VALUES (?, ?, ?::inet)"
                    + " ON CONFLICT (common_name, server_id) DO UPDATE SET address = excluded.address", commonName, id, address);
            return client(c, commonName).orElseThrow();
        });
    }

    /** Client {@code commonName}'s fleet settings, empty if it has none. */
    public Optional<FleetClient> client(String commonName) {
        return db.tx(c -> client(c, commonName));
    }

    /** Every client with fleet settings, by common name (a server's re-read behind {@link FleetEvent.ClientChanged}). */
    public List<FleetClient> clients() {
        return db.tx(c -> clients(c, ""));
    }

    /**
     * Publishes the fleet's CA certificate (PEM). The first one published stays: publishing the same again is a no-op,
     * a different one is DUPLICATE (a fleet has one CA).
     */
    public String publishCa(String pem, Instant at) {
        return db.tx(c -> {
            Sql.update(c, "INSERT INTO fleet_ca (id, certificate, created_at) VALUES (1, ?, ?) ON CONFLICT (id) DO NOTHING", pem, at);
            String stored = ca(c).orElseThrow();
            if (!stored.equals(pem)) {
                throw new StoreException(StoreException.Kind.DUPLICATE, "the fleet already has a different CA");
            }
            return stored;
        });
    }

    /** The fleet's CA certificate (PEM), empty before an admin published one. */
    public Optional<String> ca() {
        return db.tx(FleetRepository::ca);
    }

    /** Records a certificate the fleet's CA issued; DUPLICATE if its serial is recorded already. */
    public FleetCertificate recordIssued(FleetCertificate cert) {
        return db.tx(c -> {
            Sql.update(c, "INSERT INTO fleet_certificate (serial, common_name, issued_at, not_after, certificate) VALUES (?, ?, ?, ?, ?)",
                    cert.serial().toString(16), cert.commonName(), cert.issuedAt(), cert.notAfter(), cert.pem());
            return cert;
        });
    }

    /** Every certificate the fleet's CA issued, oldest first. */
    public List<FleetCertificate> issued() {
        return db.tx(c -> {
            List<FleetCertificate> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT serial, common_name, issued_at, not_after, certificate"
                    + " FROM fleet_certificate ORDER BY issued_at, serial"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new FleetCertificate(new BigInteger(rs.getString(1), 16), rs.getString(2), Sql.instant(rs, "issued_at"),
                            Sql.instant(rs, "not_after"), rs.getString(5)));
                }
            }
            return out;
        });
    }

    /** A connection listening on {@link #REVOCATION_CHANNEL} and {@link #CLIENT_CHANNEL}; close it when done. */
    public FleetFeed listen() {
        try {
            Connection c = db.openSeparate();
            try (Statement s = c.createStatement()) {
                s.execute("LISTEN " + REVOCATION_CHANNEL);
                s.execute("LISTEN " + CLIENT_CHANNEL);
            } catch (SQLException e) {
                c.close();
                throw e;
            }
            return new FleetFeed(c);
        } catch (SQLException e) {
            throw new StoreException(StoreException.Kind.IO, "cannot listen to the fleet: " + e.getMessage(), e);
        }
    }

    /** Changes as they are committed anywhere in the fleet. Not thread-safe: one reader. */
    public static final class FleetFeed implements AutoCloseable {
        private final Connection connection;

        private FleetFeed(Connection connection) {
            this.connection = connection;
        }

        /** The changes committed since the last call, in order, waiting up to {@code timeout} for the first; empty if none came. */
        public List<FleetEvent> await(Duration timeout) {
            try {
                PGNotification[] got = connection.unwrap(PGConnection.class).getNotifications((int) Math.max(1, timeout.toMillis()));
                List<FleetEvent> out = new ArrayList<>();
                if (got != null) {
                    for (PGNotification n : got) {
                        switch (n.getName()) {
                            case REVOCATION_CHANNEL -> out.add(new FleetEvent.Revoked(new BigInteger(n.getParameter(), 16)));
                            case CLIENT_CHANNEL -> out.add(new FleetEvent.ClientChanged(n.getParameter()));
                            default -> { } // not ours
                        }
                    }
                }
                return out;
            } catch (SQLException e) {
                throw new StoreException(StoreException.Kind.IO, "lost the fleet feed: " + e.getMessage(), e);
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

    private static Optional<FleetClient> client(Connection c, String commonName) throws SQLException {
        return clients(c, " WHERE common_name = ?", commonName).stream().findFirst();
    }

    /**
     * The clients {@code where} selects (a SQL condition on fleet_client's columns, empty for all), by common name, with
     * their static addresses: two queries, however many clients.
     */
    private static List<FleetClient> clients(Connection c, String where, Object... args) throws SQLException {
        java.util.Map<String, java.util.SortedMap<String, String>> addresses = new java.util.HashMap<>();
        try (PreparedStatement ps = Sql.prepare(c, "SELECT a.common_name, s.name, host(a.address) FROM fleet_client_address a"
                + " JOIN fleet_server s ON s.id = a.server_id WHERE a.common_name IN (SELECT common_name FROM fleet_client" + where
                + ")", args); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                addresses.computeIfAbsent(rs.getString(1), k -> new java.util.TreeMap<>()).put(rs.getString(2), rs.getString(3));
            }
        }
        List<FleetClient> out = new ArrayList<>();
        try (PreparedStatement ps = Sql.prepare(c, "SELECT common_name, routes, changed_at FROM fleet_client" + where
                + " ORDER BY common_name", args); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String name = rs.getString(1);
                String r = rs.getString(2);
                out.add(new FleetClient(name, r.isEmpty() ? List.of() : List.of(r.split("\n")), Sql.instant(rs, "changed_at"),
                        addresses.getOrDefault(name, new java.util.TreeMap<>())));
            }
        }
        return out;
    }

    private static Optional<String> ca(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT certificate FROM fleet_ca WHERE id = 1"); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
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
        try (PreparedStatement ps = Sql.prepare(c, "SELECT id, registered_at, heartbeat_at, reported_at, remotes FROM fleet_server WHERE name = ?", name);
                ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            String remotes = rs.getString("remotes");
            List<String> pools = new ArrayList<>();
            try (PreparedStatement q = Sql.prepare(c, "SELECT network::text FROM fleet_pool WHERE server_id = ? ORDER BY network",
                    rs.getLong("id")); ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    pools.add(r.getString(1));
                }
            }
            return Optional.of(new FleetServer(name, Sql.instant(rs, "registered_at"), Sql.instant(rs, "heartbeat_at"),
                    Sql.instant(rs, "reported_at"), pools,
                    remotes.isEmpty() ? List.of() : remotes.lines().map(FleetRemote::ofLine).toList()));
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
