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
        return bind(c.prepareStatement(sql), args);
    }

    /**
     * Binds {@code args} in order: instants as epoch milliseconds, booleans as 0/1, the rest as they are. Text with
     * a NUL character is refused on both databases (PostgreSQL cannot store it, SQLite cuts it short in places).
     */
    private static PreparedStatement bind(PreparedStatement ps, Object... args) throws SQLException {
        try {
            for (int i = 0; i < args.length; i++) {
                Object a = args[i];
                switch (a) {
                    case null -> ps.setNull(i + 1, Types.NULL);
                    case Instant t -> ps.setLong(i + 1, t.toEpochMilli());
                    case Boolean b -> ps.setInt(i + 1, b ? 1 : 0);
                    case String text when text.indexOf('\0') >= 0 ->
                            throw new StoreException(StoreException.Kind.INVALID, "text must not contain NUL characters");
                    default -> ps.setObject(i + 1, a);
                }
            }
            return ps;
        } catch (SQLException | RuntimeException e) {
            ps.close();
            throw e;
        }
    }

    static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, args)) {
            return ps.executeUpdate();
        }
    }

    /** Runs an INSERT into a table whose key column is {@code id} and returns the new row's id. */
    static long insert(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = bind(c.prepareStatement(sql, new String[] {"id"}), args)) {
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                if (!keys.next()) {
                    throw new SQLException("the database returned no id for: " + sql);
                }
                return keys.getLong(1);
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
    /** {@code text} if it holds no NUL character (neither database can keep one whole); INVALID otherwise. */
    static String checkText(String text) {
        if (text.indexOf('\0') >= 0) {
            throw new StoreException(StoreException.Kind.INVALID, "text must not contain NUL characters");
        }
        return text;
    }

    static String checkName(String name, String what) {
        if (name == null || name.isBlank() || name.length() > 128 || name.chars().anyMatch(Character::isISOControl)
                || !name.strip().equals(name)) {
            throw new StoreException(StoreException.Kind.INVALID,
                    what + " name must be 1-128 printable characters without leading or trailing spaces");
        }
        return name;
    }
}
