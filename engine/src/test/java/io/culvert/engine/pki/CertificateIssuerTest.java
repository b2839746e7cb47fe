package io.culvert.engine.pki;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.tls.PeerVerification;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.SignatureException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.junit.jupiter.api.Test;

class CertificateIssuerTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant T1 = Instant.parse("2027-01-01T00:00:00Z");
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    // KeyUsage bit positions as X509Certificate.getKeyUsage() reports them
    private static final int DIGITAL_SIGNATURE = 0;
    private static final int KEY_ENCIPHERMENT = 2;
    private static final int KEY_AGREEMENT = 4;
    private static final int KEY_CERT_SIGN = 5;
    private static final int CRL_SIGN = 6;

    private record Ca(X509Certificate cert, KeyPair keys) {}

    private static Ca ca(KeyAlgorithm alg) {
        KeyPair kp = alg.generate(RANDOM);
        return new Ca(CertificateIssuer.selfSignedCa("Test CA", kp.getPublic(), kp.getPrivate(), BigInteger.valueOf(7), T0, T1), kp);
    }

    private static X509Certificate leaf(Ca ca, CertKind kind, KeyPair subject) {
        return CertificateIssuer.leaf(ca.cert(), ca.keys().getPrivate(), kind == CertKind.SERVER ? "server" : "alice", kind,
                subject.getPublic(), BigInteger.valueOf(42), T0, T1);
    }

    @Test
    void caIsSelfSignedWithCaConstraintsAndCertSigningUsage() throws Exception {
        Ca ca = ca(KeyAlgorithm.EC_P256);
        X509Certificate c = ca.cert();
        c.verify(ca.keys().getPublic());
        assertEquals("CN=Test CA", c.getSubjectX500Principal().getName());
        assertEquals(c.getSubjectX500Principal(), c.getIssuerX500Principal());
        assertEquals(Integer.MAX_VALUE, c.getBasicConstraints(), "CA:TRUE without a path length");
        assertTrue(c.getCriticalExtensionOIDs().contains(Extension.basicConstraints.getId()));
        assertTrue(c.getCriticalExtensionOIDs().contains(Extension.keyUsage.getId()));
        boolean[] ku = c.getKeyUsage();
        assertTrue(ku[KEY_CERT_SIGN] && ku[CRL_SIGN]);
        assertTrue(!ku[DIGITAL_SIGNATURE] && !ku[KEY_ENCIPHERMENT]);
        assertNull(c.getExtendedKeyUsage());
        assertArrayEquals(ski(c), akiKeyId(c), "self-signed: AKI names its own key");
        assertEquals(BigInteger.valueOf(7), c.getSerialNumber());
        assertEquals(T0, c.getNotBefore().toInstant());
        assertEquals(T1, c.getNotAfter().toInstant());
        assertEquals("SHA256withECDSA", c.getSigAlgName());
    }

    @Test
    void serverCertificateHasServerAuthAndEcKeyAgreement() throws Exception {
        Ca ca = ca(KeyAlgorithm.EC_P256);
        X509Certificate s = leaf(ca, CertKind.SERVER, KeyAlgorithm.EC_P256.generate(RANDOM));
        s.verify(ca.keys().getPublic());
        assertEquals(-1, s.getBasicConstraints(), "CA:FALSE");
        assertTrue(s.getCriticalExtensionOIDs().contains(Extension.basicConstraints.getId()));
        assertEquals(List.of(SERVER_AUTH), s.getExtendedKeyUsage());
        boolean[] ku = s.getKeyUsage();
        assertTrue(ku[DIGITAL_SIGNATURE] && ku[KEY_AGREEMENT]);
        assertTrue(!ku[KEY_ENCIPHERMENT] && !ku[KEY_CERT_SIGN] && !ku[CRL_SIGN]);
        assertArrayEquals(ski(ca.cert()), akiKeyId(s), "AKI points at the CA's SKI");
        assertNotNull(ski(s));
        assertEquals("server", PeerVerification.commonName(s));
        assertEquals(ca.cert().getSubjectX500Principal(), s.getIssuerX500Principal());
    }

    @Test
    void rsaServerCertificateUsesKeyEnciphermentInstead() throws Exception {
        Ca ca = ca(KeyAlgorithm.RSA_2048);
        X509Certificate s = leaf(ca, CertKind.SERVER, KeyAlgorithm.RSA_2048.generate(RANDOM));
        s.verify(ca.keys().getPublic());
        boolean[] ku = s.getKeyUsage();
        assertTrue(ku[DIGITAL_SIGNATURE] && ku[KEY_ENCIPHERMENT] && !ku[KEY_AGREEMENT]);
        assertEquals("SHA256withRSA", s.getSigAlgName());
    }

    @Test
    void clientCertificateHasClientAuthOnly() throws Exception {
        Ca ca = ca(KeyAlgorithm.EC_P256);
        X509Certificate c = leaf(ca, CertKind.CLIENT, KeyAlgorithm.EC_P256.generate(RANDOM));
        assertEquals(List.of(CLIENT_AUTH), c.getExtendedKeyUsage());
        boolean[] ku = c.getKeyUsage();
        assertTrue(ku[DIGITAL_SIGNATURE]);
        for (int i = 1; i < ku.length; i++) {
            assertTrue(!ku[i], "only digitalSignature, bit " + i + " is set");
        }
        assertEquals(-1, c.getBasicConstraints());
    }

    @Test
    void openvpnRemoteCertTlsChecksAcceptTheRightKindOnly() throws Exception {
        Ca ca = ca(KeyAlgorithm.EC_P256);
        X509Certificate server = leaf(ca, CertKind.SERVER, KeyAlgorithm.EC_P256.generate(RANDOM));
        X509Certificate client = leaf(ca, CertKind.CLIENT, KeyAlgorithm.EC_P256.generate(RANDOM));
        new PeerVerification("server", null, null).check(server);
        new PeerVerification("client", null, null).check(client);
        assertThrows(CertificateException.class, () -> new PeerVerification("server", null, null).check(client));
        assertThrows(CertificateException.class, () -> new PeerVerification("client", null, null).check(server));
    }

    @Test
    void certificateSignedByAnotherCaDoesNotVerify() {
        Ca ca = ca(KeyAlgorithm.EC_P256);
        Ca other = ca(KeyAlgorithm.EC_P256);
        X509Certificate c = leaf(ca, CertKind.CLIENT, KeyAlgorithm.EC_P256.generate(RANDOM));
        assertThrows(SignatureException.class, () -> c.verify(other.keys().getPublic()));
    }

    @Test
    void rsa3072KeysHaveTheirSize() {
        KeyPair kp = KeyAlgorithm.RSA_3072.generate(RANDOM);
        assertEquals(3072, ((java.security.interfaces.RSAPublicKey) kp.getPublic()).getModulus().bitLength());
        assertEquals(KeyAlgorithm.RSA_3072, KeyAlgorithm.of(kp.getPublic()));
        assertEquals(KeyAlgorithm.EC_P256, KeyAlgorithm.of(KeyAlgorithm.EC_P256.generate(RANDOM).getPublic()));
    }

    @Test
    void randomSerialsArePositiveAndDistinct() {
        BigInteger a = CertificateIssuer.randomSerial(RANDOM);
        BigInteger b = CertificateIssuer.randomSerial(RANDOM);
        assertTrue(a.signum() > 0 && b.signum() > 0);
        assertTrue(a.bitLength() <= 127);
        assertTrue(!a.equals(b));
    }

    private static byte[] ski(X509Certificate c) {
        byte[] ext = c.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        return SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(ext).getOctets()).getKeyIdentifier();
    }

    private static byte[] akiKeyId(X509Certificate c) {
        byte[] ext = c.getExtensionValue(Extension.authorityKeyIdentifier.getId());
        return AuthorityKeyIdentifier.getInstance(ASN1OctetString.getInstance(ext).getOctets()).getKeyIdentifier();
    }
}
