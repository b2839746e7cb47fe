package io.culvert.engine.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.pki.CertificateIssuer;
import io.culvert.engine.testkit.TestCertificates;
import java.math.BigInteger;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Issue 12: the "certificate about to expire" warning reads the profile's inline client certificate. */
class CertificateExpiryTest {

    @Test
    void readsTheInlineClientCertificatesNotAfter() throws Exception {
        KeyPair k = TestCertificates.ec();
        Instant notAfter = Instant.now().plus(Duration.ofDays(9)).truncatedTo(ChronoUnit.SECONDS);
        var ca = CertificateIssuer.selfSignedCa("ca", k.getPublic(), k.getPrivate(), BigInteger.ONE, Instant.now().minusSeconds(60),
                notAfter.plus(Duration.ofDays(400)));
        String caPem = pem(ca.getEncoded());
        String clientPem = pem(CertificateIssuer.selfSignedCa("alice", k.getPublic(), k.getPrivate(), BigInteger.TWO,
                Instant.now().minusSeconds(60), notAfter).getEncoded());
        String profile = "client\nremote vpn.example.com 1194\n<ca>\n" + caPem + "</ca>\n<cert>\n" + clientPem + "</cert>\n";
        assertEquals(Optional.of(notAfter), CertificateExpiry.ofProfile(profile), "the <cert> block, not the <ca>");
        assertTrue(CertificateExpiry.isSoon(notAfter, Instant.now()));
        assertTrue(CertificateExpiry.isSoon(notAfter, notAfter.minus(Duration.ofDays(29))), "30 days ahead");
        assertFalse(CertificateExpiry.isSoon(notAfter, notAfter.minus(Duration.ofDays(31))));
        assertTrue(CertificateExpiry.isSoon(notAfter, notAfter.plusSeconds(1)), "an expired one too");
        assertEquals(Optional.empty(), CertificateExpiry.ofProfile("client\n<ca>\n" + caPem + "</ca>\n"));
        assertEquals(Optional.empty(), CertificateExpiry.ofProfile("<cert>\n-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n</cert>\n"));
    }

    private static String pem(byte[] der) {
        return TestCertificates.pem("CERTIFICATE", der);
    }
}
