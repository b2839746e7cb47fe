package io.culvert.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.api.UserPass;
import io.culvert.engine.store.SavedCredentials.Location;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Properties;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Runs on SQLite and on PostgreSQL; the SQLite-only encrypted file is in {@link SealedPasswordFileTest}. */
@ParameterizedClass
@EnumSource(Backend.class)
class CredentialRepositoryTest {
    static final String PASSWORD = "correct-horse-battery-staple-7731";

    @Parameter
    Backend backend;
    @TempDir
    Path tmp;
    private Store store;
    private Backend.Target target;

    @BeforeEach
    void open() throws Exception {
        target = backend.target(tmp);
        store = target.open();
        store.profiles().add("work", StoreFixtures.clientProfile(), ProfileCheck.STRICT);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void passwordGoesToTheKeyringWhenOneIsRunningAndNeverIntoTheDatabase() throws Exception {
        FakeKeyring keyring = new FakeKeyring(true);
        CredentialRepository creds = store.credentials(keyring);
        assertEquals(Location.KEYRING, creds.save("work", "alice", PASSWORD, false).location());
        assertEquals(1, keyring.items.size());
        assertEquals(PASSWORD, keyring.items.values().iterator().next());
        SavedCredentials found = creds.find("work").orElseThrow();
        assertEquals(Optional.of(new UserPass("alice", PASSWORD)), found.userPass());
        assertFalse(found.toString().contains(PASSWORD));
        assertFalse(databaseContains(PASSWORD));
        store.file().ifPresent(db -> assertFalse(Files.exists(StoreFiles.keyFile(db)), "no key file when the keyring holds the password"));
    }

    @Test
    void withoutAKeyringAPasswordIsRefusedUnlessTheUserOptsIn() {
        CredentialRepository creds = store.credentials(Keyring.NONE);
        StoreException e = assertThrows(StoreException.class, () -> creds.save("work", "alice", PASSWORD, false));
        assertEquals(StoreException.Kind.NO_SECRET_STORAGE, e.kind());
        assertTrue(creds.find("work").isEmpty());
    }

    @Test
    void usernameAloneIsStoredWithoutAnySecretStorage() {
        CredentialRepository creds = store.credentials(Keyring.NONE);
        SavedCredentials saved = creds.save("work", "bob", null, false);
        assertEquals(Location.NONE, saved.location());
        SavedCredentials found = creds.find("work").orElseThrow();
        assertEquals("bob", found.username());
        assertNull(found.password());
        assertTrue(found.userPass().isEmpty());
    }

    @Test
    void keyringFailureRollsTheRowBackLeavingTheEarlierLogin() {
        FakeKeyring keyring = new FakeKeyring(true);
        CredentialRepository creds = store.credentials(keyring);
        creds.save("work", "alice", PASSWORD, false);
        keyring.failStores = true;
        assertThrows(StoreException.class, () -> creds.save("work", "mallory", "other", false));
        SavedCredentials found = creds.find("work").orElseThrow();
        assertEquals("alice", found.username());
        assertEquals(PASSWORD, found.password());
    }

    @Test
    void replacingAndDeletingClearTheOldKeyringItem() {
        FakeKeyring keyring = new FakeKeyring(true);
        CredentialRepository creds = store.credentials(keyring);
        creds.save("work", "alice", PASSWORD, false);
        creds.save("work", "alice", "second", false);
        assertEquals(1, keyring.items.size());
        assertEquals("second", creds.find("work").orElseThrow().password());
        assertTrue(creds.delete("work"));
        assertTrue(keyring.items.isEmpty());
        assertTrue(creds.find("work").isEmpty());
        assertFalse(creds.delete("work"));
    }

    @Test
    void deletingTheProfileDeletesItsLoginRow() {
        CredentialRepository creds = store.credentials(Keyring.NONE);
        creds.save("work", "bob", null, false);
        store.profiles().delete("work");
        assertTrue(creds.find("work").isEmpty());
        assertEquals(StoreException.Kind.NOT_FOUND, assertThrows(StoreException.class, () -> creds.save("work", "bob", null, false)).kind());
    }

    private boolean databaseContains(String s) throws Exception {
        store.close();
        store = target.open(); // SQLite: checkpoint, the WAL is folded into the main file on close
        if (store.file().isPresent()) {
            Path db = store.file().orElseThrow();
            byte[] needle = s.getBytes(StandardCharsets.UTF_8);
            for (Path p : new Path[] {db, db.resolveSibling("culvert.db-wal")}) {
                if (Files.exists(p) && indexOf(Files.readAllBytes(p), needle) >= 0) {
                    return true;
                }
            }
            return false;
        }
        Properties login = new Properties();
        login.setProperty("user", target.login().user());
        login.setProperty("password", target.login().password());
        try (Connection c = DriverManager.getConnection(target.url(), login); Statement st = c.createStatement()) {
            for (String table : new String[] {"profile", "credential", "setting"}) {
                try (ResultSet rs = st.executeQuery("SELECT t::text FROM " + table + " t")) {
                    while (rs.next()) {
                        if (rs.getString(1).contains(s)) {
                            return true;
                        }
                    }
                }
            }
        }
        return false;
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** An in-memory keyring that can be told to fail. */
    static final class FakeKeyring implements Keyring {
        final Map<String, String> items = new HashMap<>();
        final boolean available;
        boolean failStores;

        FakeKeyring(boolean available) {
            this.available = available;
        }

        @Override
        public boolean isAvailable() {
            return available;
        }

        @Override
        public void store(String account, String label, String secret) {
            if (failStores) {
                throw new StoreException(StoreException.Kind.SECRET_STORAGE_FAILED, "keyring locked");
            }
            items.put(account, secret);
        }

        @Override
        public Optional<String> lookup(String account) {
            return Optional.ofNullable(items.get(account));
        }

        @Override
        public void clear(String account) {
            items.remove(account);
        }
    }
}
