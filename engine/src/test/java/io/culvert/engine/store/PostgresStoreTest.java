package io.culvert.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What only a PostgreSQL store does, on the test PostgreSQL ({@link PostgresServer}). */
class PostgresStoreTest {
    @TempDir
    Path tmp;

    @Test
    void serverRunsAsAnUnprivilegedUserWithItsFolderRemovedAtExit() throws Exception {
        PostgresServer server = PostgresServer.shared();
        int uid = server.postmasterUid();
        assertNotEquals(0, uid, "postgres must not run as root");
        assertEquals("rw-------", StoreTest.perms(server.rolePasswordFile()));
    }

    @Test
    void bothBackendsHaveTheSameTablesAndColumns() throws Exception {
        Backend.Target sqlite = Backend.SQLITE.target(tmp);
        Backend.Target pg = Backend.POSTGRESQL.target(tmp);
        sqlite.open().close();
        pg.open().close();
        assertEquals(columns(sqlite), columns(pg));
        assertTrue(columns(pg).containsKey("issued_certificate"));
    }

    @Test
    void encryptedFileOptInIsRefusedOnPostgresql() throws Exception {
        try (Store store = Backend.POSTGRESQL.target(tmp).open()) {
            assertTrue(store.file().isEmpty());
            store.profiles().add("work", StoreFixtures.clientProfile(), ProfileCheck.STRICT);
            StoreException e = assertThrows(StoreException.class,
                    () -> store.credentials(Keyring.NONE).save("work", "alice", "pw", true));
            assertEquals(StoreException.Kind.NO_SECRET_STORAGE, e.kind());
            assertTrue(e.getMessage().contains("PostgreSQL"), e.getMessage());
            assertTrue(store.credentials(Keyring.NONE).find("work").isEmpty());
        }
    }

    @Test
    void wrongPasswordIsRefusedWithoutShowingIt() {
        Backend.Target pg = Backend.POSTGRESQL.target(tmp);
        StoreException e = assertThrows(StoreException.class,
                () -> Store.open(pg.url(), new DatabaseLogin(PostgresServer.ROLE, "not-the-Password-4711"), StoreFixtures.CLOCK));
        assertEquals(StoreException.Kind.IO, e.kind());
        assertTrue(e.getMessage().contains("password authentication failed"), e.getMessage());
        assertFalse(e.getMessage().contains("not-the-Password-4711"), e.getMessage());
    }

    @Test
    void aLostConnectionFailsOneCallAndTheNextReconnects() throws Exception {
        try (Store store = Backend.POSTGRESQL.target(tmp).open()) {
            store.settings().put("a", "1");
            PostgresServer.shared().terminateSessions();
            StoreException e = assertThrows(StoreException.class, () -> store.settings().put("b", "2"));
            assertEquals(StoreException.Kind.IO, e.kind());
            store.settings().put("b", "2");
            assertEquals(java.util.Map.of("a", "1", "b", "2"), store.settings().all());
        }
    }

    @Test
    void textWithANulIsRefusedOnBothBackends() throws Exception {
        for (Backend backend : Backend.values()) {
            try (Store store = backend.target(tmp.resolve(backend.name())).open()) {
                StoreException e = assertThrows(StoreException.class, () -> store.settings().put("k", "a\0b"));
                assertEquals(StoreException.Kind.INVALID, e.kind(), backend.name());
                assertTrue(store.settings().all().isEmpty());
            }
        }
    }

    private static Set<String> primaryKey(DatabaseMetaData md, String table) throws Exception {
        Set<String> out = new TreeSet<>();
        try (ResultSet rs = md.getPrimaryKeys(null, null, table)) {
            while (rs.next()) {
                out.add(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
            }
        }
        return out;
    }

    /** table -> its column names with their broad JDBC type family (number, text, bytes). */
    private static TreeMap<String, Set<String>> columns(Backend.Target target) throws Exception {
        Properties p = new Properties();
        if (target.login().user() != null) {
            p.setProperty("user", target.login().user());
            p.setProperty("password", target.login().password());
        }
        TreeMap<String, Set<String>> out = new TreeMap<>();
        try (Connection c = DriverManager.getConnection(target.url(), p)) {
            DatabaseMetaData md = c.getMetaData();
            try (ResultSet rs = md.getColumns(null, null, "%", "%")) {
                while (rs.next()) {
                    String table = rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT);
                    String schema = rs.getString("TABLE_SCHEM");
                    if (table.startsWith("flyway_") || table.startsWith("sqlite_") || table.startsWith("fleet_") || (schema != null && !schema.equals("public"))) {
                        continue;
                    }
                    String type = rs.getString("TYPE_NAME").toLowerCase(Locale.ROOT);
                    String family = type.contains("int") || type.contains("serial") ? "number"
                            : type.contains("blob") || type.contains("bytea") ? "bytes" : type.contains("text") ? "text" : type;
                    String column = rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT);
                    // SQLite reports its primary key columns nullable (rowid aliases cannot be NULL); compare them as "pk".
                    String nulls = primaryKey(md, rs.getString("TABLE_NAME")).contains(column) ? " pk"
                            : rs.getInt("NULLABLE") == DatabaseMetaData.columnNoNulls ? " not null" : "";
                    out.computeIfAbsent(table, k -> new TreeSet<>()).add(column + ":" + family + nulls);
                }
            }
        }
        return out;
    }
}
