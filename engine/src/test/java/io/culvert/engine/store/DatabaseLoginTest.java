package io.culvert.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The login and URL rules of a PostgreSQL store; no server needed. */
class DatabaseLoginTest {
    @TempDir
    Path tmp;

    private Path passwordFile(String text, String perms) throws Exception {
        Path f = tmp.resolve("db.pw");
        Files.writeString(f, text);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(perms));
        return f;
    }

    @Test
    void passwordIsTheFirstLineOfAnOwnerOnlyFile() throws Exception {
        DatabaseLogin login = DatabaseLogin.fromFile("culvert", passwordFile("s3cret-Pw\nignored\n", "rw-------"));
        assertEquals("s3cret-Pw", login.password());
        assertEquals("culvert", login.user());
        assertFalse(login.toString().contains("s3cret"), login.toString());
        assertEquals("s3cret-Pw", DatabaseLogin.fromFile("culvert", passwordFile("s3cret-Pw", "r--------")).password());
    }

    @Test
    void fileOthersCanReadOrWriteIsRefused() throws Exception {
        for (String perms : new String[] {"rw-r-----", "rw----r--", "rw--w----", "rw-rw-rw-"}) {
            StoreException e = assertThrows(StoreException.class, () -> DatabaseLogin.fromFile("culvert", passwordFile("pw\n", perms)));
            assertEquals(StoreException.Kind.INVALID, e.kind(), perms);
            assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
            assertFalse(e.getMessage().contains("pw\n"));
        }
    }

    @Test
    void symlinkEmptyOrMissingFileIsRefused() throws Exception {
        Path real = passwordFile("pw\n", "rw-------");
        Path link = Files.createSymbolicLink(tmp.resolve("link.pw"), real);
        assertEquals(StoreException.Kind.INVALID, assertThrows(StoreException.class, () -> DatabaseLogin.fromFile("u", link)).kind());
        assertEquals(StoreException.Kind.INVALID,
                assertThrows(StoreException.class, () -> DatabaseLogin.fromFile("u", passwordFile("\n", "rw-------"))).kind());
        assertEquals(StoreException.Kind.INVALID,
                assertThrows(StoreException.class, () -> DatabaseLogin.fromFile("u", tmp.resolve("none"))).kind());
    }

    @Test
    void passwordFromTheKeyring() {
        CredentialRepositoryTest.FakeKeyring keyring = new CredentialRepositoryTest.FakeKeyring(true);
        keyring.store("culvert-db", "Culvert database", "from-keyring");
        assertEquals("from-keyring", DatabaseLogin.fromKeyring("culvert", keyring, "culvert-db").password());
        assertEquals(StoreException.Kind.SECRET_STORAGE_FAILED,
                assertThrows(StoreException.class, () -> DatabaseLogin.fromKeyring("culvert", keyring, "other")).kind());
        assertEquals(StoreException.Kind.NO_SECRET_STORAGE,
                assertThrows(StoreException.class, () -> DatabaseLogin.fromKeyring("culvert", Keyring.NONE, "culvert-db")).kind());
    }

    @Test
    void urlCarryingAUserOrPasswordIsRefusedBeforeAnyConnection() {
        for (String url : new String[] {"jdbc:postgresql://db.example/fleet?password=hunter2",
                "jdbc:postgresql://db.example/fleet?sslmode=require&user=culvert", "jdbc:postgresql://culvert:hunter2@db.example/fleet"}) {
            StoreException e = assertThrows(StoreException.class, () -> Store.open(url, DatabaseLogin.NONE, StoreFixtures.CLOCK));
            assertEquals(StoreException.Kind.INVALID, e.kind(), url);
            assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        }
        assertEquals(StoreException.Kind.INVALID,
                assertThrows(StoreException.class, () -> Store.open("jdbc:mysql://db/x", DatabaseLogin.NONE, StoreFixtures.CLOCK)).kind());
        assertEquals(StoreException.Kind.INVALID,
                assertThrows(StoreException.class, () -> Store.open("jdbc:sqlite::memory:", DatabaseLogin.NONE, StoreFixtures.CLOCK)).kind());
    }

    @Test
    void remoteServerWithoutAnSslmodeIsVerifiedAndTheUrlsModeIsKept() {
        DatabaseLogin login = new DatabaseLogin("culvert", "pw");
        Properties remote = Dialect.Postgresql.properties("jdbc:postgresql://db.example:5432/fleet", login);
        assertEquals("verify-full", remote.getProperty("sslmode"));
        assertEquals("culvert", remote.getProperty("user"));
        assertNull(Dialect.Postgresql.properties("jdbc:postgresql://db.example/fleet?sslmode=verify-ca&sslrootcert=/etc/ca.crt", login)
                .getProperty("sslmode"), "the URL's own sslmode is left to the driver");
        assertNull(Dialect.Postgresql.properties("jdbc:postgresql://127.0.0.1:5432/fleet", login).getProperty("sslmode"));
        assertNull(Dialect.Postgresql.properties("jdbc:postgresql://localhost/fleet", login).getProperty("sslmode"));
    }
}
