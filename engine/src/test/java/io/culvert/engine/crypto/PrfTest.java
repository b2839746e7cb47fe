package io.culvert.engine.crypto;

import static io.culvert.engine.crypto.Vectors.hex;
import static io.culvert.engine.crypto.Vectors.range;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PrfTest {

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void matchesOpenvpnBuiltInPrfSelfTest() {
        // check_tls_prf_working: expected bytes 'q' 'D' 0xfe '%' '@' 's' 'u' 0x95
        byte[] out = Prf.tls1Prf(ascii("tls1-prf-test-secret"), ascii("tls1-prf-test"), 8);
        assertEquals("7144fe2540737595", hex(out));
    }

    @Test
    void matchesUpstreamLoremIpsumVectorWithOddSecretLength() {
        byte[] secret = ascii("Lorem ipsum dolor sit amet, consectetur adipisici elit, sed eiusmod tempor incidunt "
                + "ut labore et dolore magna aliqua.");
        assertEquals(117, secret.length);
        byte[] seed = ascii("Quis aute iure reprehenderit in voluptate velit esse cillum dolore");
        assertEquals("d98c8518c85e946927916acfc2d592fbb1567e4b4b1459e6a904ac2ddab72d67",
                hex(Prf.tls1Prf(secret, seed, 32)));
    }

    @Test
    void shorterOutputIsPrefixOfLongerOutput() {
        byte[] secret = ascii("secret");
        byte[] seed = ascii("seed");
        byte[] longOut = Prf.tls1Prf(secret, seed, 100);
        assertArrayEquals(Arrays.copyOf(longOut, 37), Prf.tls1Prf(secret, seed, 37));
    }

    @Test
    void derivesX1MasterSecretAndKey2() {
        byte[] pre = range(0x00, 0x2f);
        byte[] cr1 = range(0x40, 0x5f);
        byte[] sr1 = range(0x80, 0x9f);
        byte[] cr2 = range(0x60, 0x7f);
        byte[] sr2 = range(0xa0, 0xbf);
        byte[] csid = hex("0102030405060708");
        byte[] ssid = hex("1112131415161718");

        assertEquals("9999e37f41b205a8183ce835da7daacfd52553e542564d04e4292100b00f5f1fe967f9d4f3888f285a5f119aff451e0d",
                hex(Prf.openvpnMasterSecret(pre, cr1, sr1)));
        byte[] key2 = Prf.openvpnKeyExpansion(pre, cr1, sr1, cr2, sr2, csid, ssid);
        assertEquals(256, key2.length);
        assertEquals("5f55fce5fcbf1345f7287765e26b01f7", hex(Arrays.copyOfRange(key2, 0, 16)));
        assertEquals("a1f4ec72dee73239", hex(Arrays.copyOfRange(key2, 64, 72)));
        assertEquals("72cd8a845d827854399052337a6f8cdf", hex(Arrays.copyOfRange(key2, 128, 144)));
        assertEquals("9aeadb982a7a6767", hex(Arrays.copyOfRange(key2, 192, 200)));
        assertEquals("b0c3440d1cec4058", hex(Arrays.copyOfRange(key2, 248, 256)));
    }

    @Test
    void swappingSessionIdsChangesKey2() {
        byte[] pre = range(0x00, 0x2f);
        byte[] r = range(0x40, 0x5f);
        byte[] a = Prf.openvpnKeyExpansion(pre, r, r, r, r, hex("0102030405060708"), hex("1112131415161718"));
        byte[] b = Prf.openvpnKeyExpansion(pre, r, r, r, r, hex("1112131415161718"), hex("0102030405060708"));
        assertEquals(false, Arrays.equals(a, b));
    }

    @Test
    void rejectsWrongInputLengths() {
        byte[] r = new byte[32];
        byte[] sid = new byte[8];
        assertThrows(IllegalArgumentException.class, () -> Prf.openvpnKeyExpansion(new byte[47], r, r, r, r, sid, sid));
        assertThrows(IllegalArgumentException.class, () -> Prf.openvpnKeyExpansion(new byte[48], r, r, r, r, new byte[7], sid));
    }
}
