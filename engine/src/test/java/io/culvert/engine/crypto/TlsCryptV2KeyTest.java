package io.culvert.engine.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.common.Decoded;
import io.culvert.engine.common.DropReason;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Keys and WKc made by {@code openvpn 2.6.14 --genkey tls-crypt-v2-server / tls-crypt-v2-client}. */
class TlsCryptV2KeyTest {
    /** The Unix time {@code --genkey tls-crypt-v2-client} stamped into cli.key's metadata. */
    private static final long CLI_TIMESTAMP = 1_795_315_798L;

    static String resource(String name) {
        try (InputStream in = TlsCryptV2KeyTest.class.getResourceAsStream("/tls-crypt-v2/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static TlsCryptV2ServerKey server() {
        return TlsCryptV2ServerKey.parse(resource("srv.key"));
    }

    static TlsCryptV2ClientKey client() {
        return TlsCryptV2ClientKey.parse(resource("cli.key"));
    }

    @Test
    void readsTheBinarysKeysWithTheirLengths() {
        assertEquals(128, server().bytes().length);
        TlsCryptV2ClientKey c = client();
        assertEquals(299, c.wkc().length, "tag 32 + Kc 256 + timestamp metadata 9 + length 2");
        assertEquals(0x01, c.wkc()[297]);
        assertEquals(0x2b, c.wkc()[298]);
    }

    @Test
    void unwrapsTheBinarysWkcToItsKcAndTimestamp() {
        TlsCryptV2ClientKey c = client();
        Decoded<TlsCryptV2ServerKey.ClientKey> d = server().unwrap(c.wkc(), 0, c.wkc().length);
        assertTrue(d.isOk(), () -> "dropped: " + d.reason());
        assertEquals(c.key(), d.value().key());
        assertEquals(TlsCryptV2ServerKey.ClientKey.TYPE_TIMESTAMP, d.value().metadata()[0]);
        assertEquals(CLI_TIMESTAMP, d.value().timestampSeconds());
    }

    @Test
    void wrappingKcAgainReproducesTheBinarysWkcByteForByte() {
        TlsCryptV2ClientKey c = client();
        byte[] metadata = server().unwrap(c.wkc(), 0, c.wkc().length).value().metadata();
        assertArrayEquals(c.wkc(), server().wrap(c.key(), metadata));
    }

    @Test
    void userMetadataIsTypeZeroFollowedByTheDecodedBase64() {
        TlsCryptV2ClientKey c = TlsCryptV2ClientKey.parse(resource("cli-meta.key"));
        TlsCryptV2ServerKey.ClientKey k = server().unwrap(c.wkc(), 0, c.wkc().length).value();
        byte[] expected = ("\0hello culvert").getBytes(StandardCharsets.US_ASCII);
        assertArrayEquals(expected, k.metadata());
        assertEquals(-1, k.timestampSeconds());
        assertArrayEquals(c.wkc(), server().wrap(c.key(), expected));
    }

    @Test
    void keyMadeForAnotherServerKeyFailsAuthentication() {
        TlsCryptV2ServerKey other = TlsCryptV2ServerKey.parse(resource("srv2.key"));
        byte[] wkc = client().wkc();
        assertEquals(DropReason.CONTROL_AUTH_FAILED, other.unwrap(wkc, 0, wkc.length).reason());
    }

    @Test
    void everySingleBitFlipIsRejected() {
        byte[] wkc = client().wkc();
        for (int i = 0; i < wkc.length; i++) {
            byte[] bad = wkc.clone();
            bad[i] ^= 0x10;
            assertFalse(server().unwrap(bad, 0, bad.length).isOk(), "flip at " + i);
        }
    }

    @Test
    void lengthsAreCheckedBeforeAnyCrypto() {
        byte[] wkc = client().wkc();
        assertEquals(DropReason.TRUNCATED, server().unwrap(wkc, 0, 289).reason());
        assertEquals(DropReason.MALFORMED, server().unwrap(wkc, 0, wkc.length - 1).reason());
        byte[] longer = Arrays.copyOf(wkc, 1025);
        longer[1023] = 0x04;
        longer[1024] = 0x01;
        assertEquals(DropReason.OVERSIZED, server().unwrap(longer, 0, longer.length).reason());
    }

    @Test
    void garbageNeverThrows() {
        Random rnd = new Random(11);
        TlsCryptV2ServerKey s = server();
        for (int i = 0; i < 5000; i++) {
            byte[] b = new byte[rnd.nextInt(1100)];
            rnd.nextBytes(b);
            if (b.length >= 2 && rnd.nextBoolean()) {
                b[b.length - 2] = (byte) (b.length >>> 8);
                b[b.length - 1] = (byte) b.length;
            }
            assertFalse(s.unwrap(b, 0, b.length).isOk());
        }
    }

    @Test
    void maxAgeNeedsATimestampYoungEnough() {
        TlsCryptV2ServerKey.ClientKey k = server().unwrap(client().wkc(), 0, 299).value();
        assertTrue(k.youngerThan(1, CLI_TIMESTAMP + 86_400));
        assertFalse(k.youngerThan(1, CLI_TIMESTAMP + 86_401));
        TlsCryptV2ServerKey.ClientKey user = new TlsCryptV2ServerKey.ClientKey(k.key(), new byte[] {0, 1, 2});
        assertFalse(user.youngerThan(10_000, CLI_TIMESTAMP));
    }

    @Test
    void pemRoundTripsAndRejectsOtherLabels() {
        TlsCryptV2ServerKey s = TlsCryptV2ServerKey.generate(new SecureRandom());
        assertEquals(s, TlsCryptV2ServerKey.parse(s.toPem()));
        TlsCryptV2ClientKey c = client();
        assertEquals(c, TlsCryptV2ClientKey.parse(c.toPem()));
        assertThrows(IllegalArgumentException.class, () -> TlsCryptV2ServerKey.parse(resource("cli.key")));
        assertThrows(IllegalArgumentException.class, () -> TlsCryptV2ClientKey.parse(resource("srv.key")));
        assertThrows(IllegalArgumentException.class, () -> TlsCryptV2ClientKey.parse(new StaticKey(new byte[256]).toFileText()));
    }
}
