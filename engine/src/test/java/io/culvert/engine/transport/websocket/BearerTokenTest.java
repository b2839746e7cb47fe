package io.culvert.engine.transport.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The WebSocket endpoint's bearer token (ADR 0046): read from its file, sent, checked, never shown. */
class BearerTokenTest {
    private static final String TOKEN = "0123456789abcdef-token";

    @Test
    void theFirstLineIsTheTokenTheRequestCarriesItAndOnlyItMatches(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("t");
        Files.writeString(f, "  " + TOKEN + "  \nsecond line\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("r--------"));
        BearerToken t = BearerToken.read(f);
        assertFalse(t.exposed());
        String req = new String(Handshake.request("h", "/vpn", "k", t), StandardCharsets.ISO_8859_1);
        assertTrue(req.contains("\r\nAuthorization: Bearer " + TOKEN + "\r\n"), req);
        assertTrue(t.matches("Bearer " + TOKEN));
        assertTrue(t.matches("bearer  " + TOKEN + " "));
        assertFalse(t.matches(null));
        assertFalse(t.matches(TOKEN));
        assertFalse(t.matches("Basic " + TOKEN));
        assertFalse(t.matches("Bearer " + TOKEN + "x"));
        assertFalse(t.matches("Bearer " + TOKEN.substring(1)));
        assertEquals("BearerToken[redacted]", t.toString());
    }

    @Test
    void aFileOthersMayReadIsFlaggedAShortOrEmptyTokenIsRefusedWithoutShowingIt(@TempDir Path dir) throws IOException {
        Path open = dir.resolve("open");
        Files.writeString(open, TOKEN);
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
        assertTrue(BearerToken.read(open).exposed());
        Path shortOne = dir.resolve("short");
        Files.writeString(shortOne, "tooshort\n");
        IOException e = assertThrows(IOException.class, () -> BearerToken.read(shortOne));
        assertTrue(e.getMessage().contains(shortOne.toString()) && !e.getMessage().contains("tooshort"), e.getMessage());
        Path spaced = dir.resolve("spaced");
        Files.writeString(spaced, "has a space in the token\n");
        assertThrows(IOException.class, () -> BearerToken.read(spaced));
    }
}
