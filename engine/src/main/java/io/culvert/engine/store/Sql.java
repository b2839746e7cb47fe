package io.culvert.engine.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;

/** Small JDBC helpers shared by the repositories. Stateless. */
final class Sql {
    private Sql() {}

    static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            switch (a) {
                case null -> ps.setNull(i + 1, Types.NULL);
                case Instant t -> ps.setLong(i + 1, t.toEpochMilli());
                case Boolean b -> ps.setInt(i + 1, b ? 1 : 0);
                default -> ps.setObject(i + 1, a);
            }
        }
        return ps;
    }

    static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, args)) {
            return ps.executeUpdate();
        }
    }

    static long insert(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, args)) {
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                return keys.next() ? keys.getLong(1) : -1;
            }
        }
    }

    /** The nullable instant in column {@code col}. */
    static Instant instant(ResultSet rs, String col) throws SQLException {
        long v = rs.getLong(col);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    /** The id of the profile named {@code name}, or a NOT_FOUND {@link StoreException}. */
    static long profileId(Connection c, String name) throws SQLException {
        return idOf(c, "SELECT id FROM profile WHERE name = ?", name, "profile");
    }

    static java.util.Optional<Long> findProfileId(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = prepare(c, "SELECT id FROM profile WHERE name = ?", name); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? java.util.Optional.of(rs.getLong(1)) : java.util.Optional.empty();
        }
    }

    /** The id of the server named {@code name}, or a NOT_FOUND {@link StoreException}. */
    static long serverId(Connection c, String name) throws SQLException {
        return idOf(c, "SELECT id FROM server WHERE name = ?", name, "server");
    }

    private static long idOf(Connection c, String sql, String name, String what) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, name); ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new StoreException(StoreException.Kind.NOT_FOUND, "no " + what + " named '" + name + "'");
            }
            return rs.getLong(1);
        }
    }

    /** Rejects empty, over-long or control-character names. */
    static String checkName(String name, String what) {
        if (name == null || name.isBlank() || name.length() > 128 || name.chars().anyMatch(Character::isISOControl)
                || !name.strip().equals(name)) {
            throw new StoreException(StoreException.Kind.INVALID,
                    what + " name must be 1-128 printable characters without leading or trailing spaces");
        }
        return name;
    }
}
