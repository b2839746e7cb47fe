package io.culvert.engine.tls;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RevocationTest {
    private static final X500Principal CA = new X500Principal("CN=Revocation Test CA");

    @Test
    void crlRefusesTheRevokedSerialAndAcceptsOthers() throws Exception {
        KeyPair caKeys = keys();
        X509Certificate ca = cert(CA, caKeys, CA, caKeys, 1);
        X509Certificate revoked = cert(new X500Principal("CN=alice"), keys(), CA, caKeys, 42);
        X509Certificate fine = cert(new X500Principal("CN=bob"), keys(), CA, caKeys, 43);
        Revocation r = Revocation.crls(crl(caKeys, 42), List.of(ca));

        CertificateException e = assertThrows(CertificateException.class, () -> r.check(revoked));
        assertTrue(e.getMessage().contains("42"), e.getMessage());
        assertDoesNotThrow(() -> r.check(fine));
    }

    @Test
    void crlSignedByAnotherKeyIsRejectedAtLoad() throws Exception {
        KeyPair caKeys = keys();
        X509Certificate ca = cert(CA, caKeys, CA, caKeys, 1);
        IOException e = assertThrows(IOException.class, () -> Revocation.crls(crl(keys(), 42), List.of(ca)));
        assertTrue(e.getMessage().contains("not signed by the CA"), e.getMessage());
    }

    @Test
    void directoryFormRevokesByDecimalSerialFileName(@TempDir Path dir) throws Exception {
        KeyPair caKeys = keys();
        X509Certificate leaf = cert(new X500Principal("CN=carol"), keys(), CA, caKeys, 4711);
        Revocation r = Revocation.directory(dir);
        assertDoesNotThrow(() -> r.check(leaf));
        Files.writeString(dir.resolve("4711"), "");
        assertThrows(CertificateException.class, () -> r.check(leaf));
    }

    private static KeyPair keys() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static X509Certificate cert(X500Principal subject, KeyPair subjectKeys, X500Principal issuer, KeyPair issuerKeys,
            long serial) throws Exception {
        Instant now = Instant.now();
        var b = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(serial), Date.from(now.minus(Duration.ofDays(1))),
                Date.from(now.plus(Duration.ofDays(30))), subject, subjectKeys.getPublic());
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
    }

    private static String crl(KeyPair signer, long revokedSerial) throws Exception {
        var b = new X509v2CRLBuilder(new org.bouncycastle.asn1.x500.X500Name(CA.getName()), new Date());
        b.addCRLEntry(BigInteger.valueOf(revokedSerial), new Date(), CRLReason.keyCompromise);
        var crl = new JcaX509CRLConverter().getCRL(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(crl);
        }
        return out.toString();
    }
}
