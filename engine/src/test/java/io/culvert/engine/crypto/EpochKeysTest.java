package io.culvert.engine.crypto;

import static io.culvert.engine.crypto.Vectors.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.KDF;
import javax.crypto.spec.HKDFParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The epoch key schedule against values computed elsewhere: OpenVPN 2.7.6's own published label-expansion vector, and
 * the JDK's HKDF-SHA256 fed the HkdfLabel structure 2.7 describes (uint16 length, "ovpn " + label, empty context).
 */
class EpochKeysTest {
    private static final byte[] SECRET = hex("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5");

    @Test
    void expandLabelMatchesTheVectorOpenvpn27Publishes() {
        // tests/unit_tests/openvpn/test_crypto.c of 2.7.6: ovpn_expand_label(secret, "unit test", no context, 16 bytes)
        assertEquals("185eaa1c7f228ab8eb29773214d92046", hex(EpochKeys.expandLabel(SECRET, "unit test", 16)));
    }

    @Test
    void scheduleMatchesJdkHkdfExpandOfTheHkdfLabel() throws GeneralSecurityException {
        byte[] e1 = Vectors.range(0x40, 0x5f);
        assertArrayEquals(jdkExpandLabel(e1, "datakey upd", 32), EpochKeys.next(e1));
        assertArrayEquals(jdkExpandLabel(e1, "data_key", 32), EpochKeys.dataKey(e1, 32));
        assertArrayEquals(jdkExpandLabel(e1, "data_key", 16), EpochKeys.dataKey(e1, 16));
        assertArrayEquals(jdkExpandLabel(e1, "data_iv", 12), EpochKeys.dataIv(e1));
        byte[] e2 = jdkExpandLabel(e1, "datakey upd", 32);
        assertArrayEquals(jdkExpandLabel(e2, "datakey upd", 32), EpochKeys.next(EpochKeys.next(e1)));
    }

    /** OVPN-Expand-Label done with javax.crypto.KDF, the label structure spelled out byte by byte. */
    static byte[] jdkExpandLabel(byte[] secret, String label, int length) throws GeneralSecurityException {
        byte[] full = ("ovpn " + label).getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream info = new ByteArrayOutputStream();
        info.write(length >> 8);
        info.write(length & 0xff);
        info.write(full.length);
        info.writeBytes(full);
        info.write(0); // empty context
        KDF hkdf = KDF.getInstance("HKDF-SHA256");
        return hkdf.deriveData(HKDFParameterSpec.expandOnly(new SecretKeySpec(secret, "HKDF"), info.toByteArray(), length));
    }
}
