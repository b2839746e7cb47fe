package io.culvert.engine.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StaticKeyTest {

    static String resource(String path) {
        try (InputStream in = StaticKeyTest.class.getResourceAsStream("/captures/" + path)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void parsesGenkeyFileAndWritesItBackByteForByte() {
        String text = resource("pki/ta.key");
        StaticKey key = StaticKey.parse(text);
        assertEquals("0c153e4733a8ef3d", Vectors.hex(Arrays.copyOf(key.bytes(), 8)));
        assertEquals(text, key.toFileText());
    }

    @Test
    void slotsFollowTheTwoKeyLayout() {
        StaticKey key = new StaticKey(Vectors.sk());
        assertArrayEquals(Vectors.range(0, 63), key.cipherSlot(0));
        assertArrayEquals(Vectors.range(64, 127), key.hmacSlot(0));
        assertArrayEquals(Vectors.range(128, 191), key.cipherSlot(1));
        assertArrayEquals(Vectors.range(192, 255), key.hmacSlot(1));
        assertThrows(IllegalArgumentException.class, () -> key.cipherSlot(2));
    }

    @Test
    void tlsCryptSlotsMatchKeysOpenvpnLogged() {
        StaticKey tc = StaticKey.parse(resource("pki/tc.key"));
        String log = resource("udp-tls-crypt-aes256gcm/client.log");
        // client = INVERSE: outgoing uses keys[1], incoming keys[0]
        assertEquals(logged(log, "Outgoing Control Channel Encryption: CIPHER KEY"), Vectors.hex(Arrays.copyOf(tc.cipherSlot(1), 32)));
        assertEquals(logged(log, "Outgoing Control Channel Encryption: HMAC KEY"), Vectors.hex(Arrays.copyOf(tc.hmacSlot(1), 32)));
        assertEquals(logged(log, "Incoming Control Channel Encryption: CIPHER KEY"), Vectors.hex(Arrays.copyOf(tc.cipherSlot(0), 32)));
    }

    @Test
    void tlsAuthSlotsMatchKeysOpenvpnLogged() {
        StaticKey ta = StaticKey.parse(resource("pki/ta.key"));
        String log = resource("udp-tls-auth-aes256gcm/server.log");
        // server = direction 0: outgoing keys[0].hmac, incoming keys[1].hmac, 20 bytes for SHA1
        assertEquals(logged(log, "Outgoing Control Channel Authentication: HMAC KEY"), Vectors.hex(Arrays.copyOf(ta.hmacSlot(0), 20)));
        assertEquals(logged(log, "Incoming Control Channel Authentication: HMAC KEY"), Vectors.hex(Arrays.copyOf(ta.hmacSlot(1), 20)));
    }

    static String logged(String log, String label) {
        int i = log.indexOf(label + ": ");
        assertTrue(i >= 0, "log line " + label);
        int end = log.indexOf('\n', i);
        return log.substring(i + label.length() + 2, end).replace(" ", "").strip();
    }

    @Test
    void generatedKeyRoundTripsThroughFileText() {
        StaticKey key = StaticKey.generate(new SecureRandom());
        String text = key.toFileText();
        assertEquals(16 + 5, text.lines().count());
        assertEquals(key, StaticKey.parse(text));
        assertNotEquals(key, StaticKey.generate(new SecureRandom()));
    }

    @Test
    void toStringHidesKeyMaterial() {
        StaticKey key = new StaticKey(Vectors.sk());
        assertFalse(key.toString().contains("0001020304"));
        assertFalse(key.toString().contains("[0, 1"));
    }

    @Test
    void isImmutable() {
        byte[] raw = Vectors.sk();
        StaticKey key = new StaticKey(raw);
        raw[0] = 99;
        key.bytes()[1] = 99;
        assertArrayEquals(Vectors.sk(), key.bytes());
        assertEquals(new StaticKey(Vectors.sk()).hashCode(), key.hashCode());
    }

    @Test
    void ignoresTextAroundTheBlockAndWhitespaceInside() {
        String body = StaticKey.parse(resource("pki/ta.key")).toFileText();
        String messy = "garbage before\r\n" + body.replace("\n", "\r\n").replace("0c15", "0c 15\t") + "trailing text\n";
        assertEquals(StaticKey.parse(body), StaticKey.parse(messy));
    }

    @Test
    void reportsPreciseParseErrors() {
        String good = new StaticKey(Vectors.sk()).toFileText();
        assertMessage("missing header", good.replace("-----BEGIN OpenVPN Static key V1-----", ""));
        assertMessage("missing footer", good.replace("-----END OpenVPN Static key V1-----", ""));
        assertMessage("invalid character 'x' at line 5 column 3", good.replaceFirst("000102", "00x102"));
        assertMessage("static key has 240 bytes, expected 256", good.replace("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff\n", ""));
        assertMessage("odd number of hex digits", good.replaceFirst("000102", "00102"));
        assertMessage("not the footer", good.replace("-----END OpenVPN Static key V1-----", "-----END RSA KEY-----"));
    }

    private static void assertMessage(String fragment, String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StaticKey.parse(text));
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    @Test
    void keyDirectionFromConfig() {
        assertEquals(KeyDirection.NORMAL, KeyDirection.fromConfig("0"));
        assertEquals(KeyDirection.INVERSE, KeyDirection.fromConfig("1"));
        assertEquals(KeyDirection.BIDIRECTIONAL, KeyDirection.fromConfig(null));
        assertThrows(IllegalArgumentException.class, () -> KeyDirection.fromConfig("2"));
    }

    @Test
    void cipherAndDigestNamesAreCaseInsensitive() {
        assertEquals(Optional.of(DataCipher.AES_256_GCM), DataCipher.byName("aes-256-gcm"));
        assertEquals(Optional.of(DataCipher.CHACHA20_POLY1305), DataCipher.byName("ChaCha20-Poly1305"));
        assertEquals(Optional.empty(), DataCipher.byName("BF-CBC"));
        assertEquals(32, DataCipher.AES_256_CBC.keyLength());
        assertFalse(DataCipher.AES_256_CBC.aead());
        assertTrue(DataCipher.isKnownDigest("sha512"));
        assertTrue(DataCipher.isKnownDigest("none"));
        assertFalse(DataCipher.isKnownDigest("MD5"));
        assertEquals("HmacSHA384", AuthDigest.byName("SHA384").orElseThrow().jceName());
    }
}
