package io.culvert.engine.tls;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.testkit.TestCertificates;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.security.auth.x500.X500Principal;
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

    private static KeyPair keys() {
        return TestCertificates.ec();
    }

    private static X509Certificate cert(X500Principal subject, KeyPair subjectKeys, X500Principal issuer, KeyPair issuerKeys,
            long serial) {
        return TestCertificates.signedBy(issuer, issuerKeys).subject(subject, subjectKeys).ca(subject.equals(issuer))
                .serial(BigInteger.valueOf(serial)).validFor(Duration.ofDays(30)).issue();
    }

    private static String crl(KeyPair signer, long revokedSerial) throws Exception {
        return TestCertificates.pem("X509 CRL",
                TestCertificates.crl(CA, signer, List.of(BigInteger.valueOf(revokedSerial))).getEncoded());
    }
}
