package io.culvert.engine.store;

import static io.culvert.engine.store.CredentialRepositoryTest.PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.culvert.engine.store.SavedCredentials.Location;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The opt-in encrypted password file next to a SQLite database (PostgreSQL has none: {@link PostgresStoreTest}). */
class SealedPasswordFileTest {
    @TempDir
    Path tmp;
    private Store store;
    private Path db;

    @BeforeEach
    void open() throws Exception {
        db = tmp.resolve("culvert.db");
        store = Store.open(db, StoreFixtures.CLOCK);
        store.profiles().add("work", StoreFixtures.clientProfile(), ProfileCheck.STRICT);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void optedInPasswordIsSealedWithA0600KeyFileAndReadBack() throws Exception {
        CredentialRepository creds = store.credentials(Keyring.NONE);
        assertEquals(Location.ENCRYPTED_FILE, creds.save("work", "alice", PASSWORD, true).location());
        Path key = StoreFiles.keyFile(db);
        assertEquals("rw-------", StoreTest.perms(key));
        assertEquals(32, Files.size(key));
        assertEquals(PASSWORD, creds.find("work").orElseThrow().password());
        store.close();
        store = Store.open(db, StoreFixtures.CLOCK); // checkpoint: the WAL is folded into the main file on close
        byte[] needle = PASSWORD.getBytes(StandardCharsets.UTF_8);
        for (Path p : new Path[] {db, db.resolveSibling("culvert.db-wal")}) {
            assertFalse(Files.exists(p) && CredentialRepositoryTest.indexOf(Files.readAllBytes(p), needle) >= 0,
                    "the database holds only ciphertext: " + p);
        }
    }

    @Test
    void aReplacedKeyFileMakesTheSealedPasswordUnreadable() throws Exception {
        CredentialRepository creds = store.credentials(Keyring.NONE);
        creds.save("work", "alice", PASSWORD, true);
        Files.write(StoreFiles.keyFile(db), new byte[32]);
        StoreException e = assertThrows(StoreException.class, () -> creds.find("work"));
        assertEquals(StoreException.Kind.SECRET_STORAGE_FAILED, e.kind());
    }
}
