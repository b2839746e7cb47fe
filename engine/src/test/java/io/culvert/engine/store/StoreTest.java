package io.culvert.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreTest {
    @TempDir
    Path tmp;

    @Test
    void createsFolderOwnerOnlyAndDatabaseFilesReadableByOwnerOnly() throws Exception {
        Path db = tmp.resolve("data/culvert/culvert.db");
        try (Store store = Store.open(db, StoreFixtures.CLOCK)) {
            store.profiles().add("work", StoreFixtures.clientProfile(), ProfileCheck.STRICT);
            assertEquals("rwx------", perms(db.getParent()));
            assertEquals("rwx------", perms(tmp.resolve("data")));
            assertEquals("rw-------", perms(db));
            Path wal = db.resolveSibling("culvert.db-wal");
            Path shm = db.resolveSibling("culvert.db-shm");
            assertTrue(Files.exists(wal), "WAL file exists while open");
            assertEquals("rw-------", perms(wal));
            assertEquals("rw-------", perms(shm));
        }
    }

    @Test
    void narrowsAnExistingDatabaseFileTo0600() throws Exception {
        Path db = tmp.resolve("culvert.db");
        Files.createFile(db, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
        try (Store store = Store.open(db, StoreFixtures.CLOCK)) {
            assertEquals("rw-------", perms(db));
        }
    }

    @Test
    void usesWalAndMigratesTheSchemaWithFlyway() throws Exception {
        Path db = tmp.resolve("culvert.db");
        try (Store store = Store.open(db, StoreFixtures.CLOCK)) {
            assertEquals("wal", store.journalMode());
            assertEquals("ok", store.integrityCheck());
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT version, success FROM flyway_schema_history WHERE version IS NOT NULL")) {
            assertTrue(rs.next());
            assertEquals("1", rs.getString(1));
            assertEquals(1, rs.getInt(2));
        }
    }

    @Test
    void reopeningKeepsDataAndDoesNotMigrateTwice() throws Exception {
        Path db = tmp.resolve("culvert.db");
        try (Store store = Store.open(db, StoreFixtures.CLOCK)) {
            store.settings().put("theme", "dark");
        }
        try (Store store = Store.open(db, StoreFixtures.CLOCK)) {
            assertEquals("dark", store.settings().get("theme").orElseThrow());
        }
    }

    @Test
    void defaultDatabaseFollowsXdgDataHome() {
        assertEquals(Path.of("/x/data/culvert/culvert.db"),
                StoreFiles.defaultDatabase(Map.of("XDG_DATA_HOME", "/x/data", "HOME", "/home/u")));
        assertEquals(Path.of("/home/u/.local/share/culvert/culvert.db"), StoreFiles.defaultDatabase(Map.of("HOME", "/home/u")));
        assertEquals(Path.of("/home/u/.local/share/culvert/culvert.db"),
                StoreFiles.defaultDatabase(Map.of("XDG_DATA_HOME", "relative/path", "HOME", "/home/u")));
        assertEquals(Path.of("/x/culvert.key"), StoreFiles.keyFile(Path.of("/x/culvert.db")));
    }

    static String perms(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    /**
     * Databases made before the migrations were split per dialect recorded V1 from db/migration/V1__init.sql with
     * this checksum; sqlite/V1__init.sql must keep it byte for byte, or Flyway refuses to open those databases.
     */
    @Test
    void sqliteSchemaOneKeepsTheChecksumOfDatabasesMadeBeforeTheSplit() throws Exception {
        Path db = tmp.resolve("culvert.db");
        Store.open(db, StoreFixtures.CLOCK).close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT script, checksum FROM flyway_schema_history WHERE version = '1'")) {
            assertTrue(rs.next());
            assertEquals("V1__init.sql", rs.getString(1));
            assertEquals(V1_CHECKSUM, rs.getInt(2));
        }
    }

    private static final int V1_CHECKSUM = 1663316635;
}
