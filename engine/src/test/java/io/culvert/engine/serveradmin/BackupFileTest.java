package io.culvert.engine.serveradmin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The backup file format of ADR 0028: round trip, header layout, and what a reader refuses. */
class BackupFileTest {
    private static final char[] PASS = "passphrase".toCharArray();

    @Test
    void roundTripsAndWritesTheDocumentedHeader() throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("server.conf", "port 1194\n".getBytes(StandardCharsets.UTF_8));
        entries.put("files/pki/private/server.key", new byte[] {1, 2, 3});
        byte[] file = BackupFile.seal(entries, PASS, new SecureRandom());
        ByteBuffer b = ByteBuffer.wrap(file);
        byte[] magic = new byte[15];
        b.get(magic);
        assertEquals("CULVERT-BACKUP\0", new String(magic, StandardCharsets.US_ASCII));
        assertEquals(1, b.get(), "version");
        assertEquals(1, b.get(), "kdf: PBKDF2-HMAC-SHA256");
        assertEquals(BackupFile.ITERATIONS, b.getInt());
        assertEquals(16, b.get(), "salt length");
        Map<String, byte[]> back = BackupFile.open(file, PASS);
        assertEquals(entries.keySet(), back.keySet());
        assertArrayEquals(entries.get("files/pki/private/server.key"), back.get("files/pki/private/server.key"));
        assertFalse(Arrays.equals(file, BackupFile.seal(entries, PASS, new SecureRandom())), "fresh salt and nonce per file");
    }

    @Test
    void refusesUnsafeNamesAnEmptyPassphraseAndShortOrForeignFiles() throws Exception {
        for (String bad : new String[] {"../x", "a/../b", "/etc/passwd", "a//b", ".hidden", "a/./b", ""}) {
            assertFalse(BackupFile.isSafeName(bad), bad);
            assertThrows(IOException.class, () -> BackupFile.seal(Map.of(bad, new byte[0]), PASS, new SecureRandom()), bad);
        }
        assertTrue(BackupFile.isSafeName("files/pki/issued/laptop-alice@home.crt"));
        assertThrows(IOException.class, () -> BackupFile.seal(Map.of("a", new byte[0]), new char[0], new SecureRandom()));
        byte[] file = BackupFile.seal(Map.of("a", new byte[] {7}), PASS, new SecureRandom());
        BackupFile.BadBackupException cut = assertThrows(BackupFile.BadBackupException.class,
                () -> BackupFile.open(Arrays.copyOf(file, 30), PASS));
        assertEquals("the backup is cut short", cut.getMessage());
        byte[] v2 = file.clone();
        v2[15] = 2;
        assertTrue(assertThrows(BackupFile.BadBackupException.class, () -> BackupFile.open(v2, PASS)).getMessage()
                .contains("format version 2"));
    }
}
