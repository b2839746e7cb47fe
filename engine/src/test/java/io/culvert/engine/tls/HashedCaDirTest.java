package io.culvert.engine.tls;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.testkit.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link HashedCaDir} checks the whole chain, as OpenVPN's capath does with {@code X509_V_FLAG_CRL_CHECK_ALL}: a client of
 * an intermediate CA in the folder is refused when the root's CRL revokes the intermediate (depth 1) or the
 * intermediate's CRL revokes the client (depth 0), given only the client's certificate, as a peer that does not send
 * its intermediate is.
 */
class HashedCaDirTest {
    @Test
    void aRevokedIntermediateOrClientRefusesTheChain(@TempDir Path dir) throws Exception {
        TestPki pki = TestPki.create(dir.resolve("pki"));
        TestPki.Intermediate sub = pki.issueIntermediate("sub-ca");
        Path[] client = sub.issueClient("sub-client");
        Path rootEmpty = pki.writeCrl(dir.resolve("root-empty.crl"));
        Path subEmpty = sub.writeCrl(dir.resolve("sub-empty.crl"));
        X509Certificate leaf = PemReader.certificates(Files.readString(client[0])).getFirst();

        HashedCaDir open = folder(dir.resolve("open"), pki, sub, rootEmpty, subEmpty);
        assertDoesNotThrow(() -> open.checkChain(List.of(leaf)));

        HashedCaDir subRevoked = folder(dir.resolve("sub-revoked"), pki, sub,
                pki.writeCrl(dir.resolve("root-revokes-sub.crl"), sub.cert()), subEmpty);
        CertificateException e1 = assertThrows(CertificateException.class, () -> subRevoked.checkChain(List.of(leaf)));
        assertTrue(e1.getMessage().contains("depth=1, CN=sub-ca"), e1.getMessage());

        HashedCaDir leafRevoked = folder(dir.resolve("leaf-revoked"), pki, sub, rootEmpty,
                sub.writeCrl(dir.resolve("sub-revokes-client.crl"), client[0]));
        CertificateException e0 = assertThrows(CertificateException.class, () -> leafRevoked.check(leaf));
        assertTrue(e0.getMessage().contains("depth=0, CN=sub-client"), e0.getMessage());
    }

    /** The root and the intermediate, and their CRLs, under names of the form {@code openssl rehash} gives. */
    private static HashedCaDir folder(Path folder, TestPki pki, TestPki.Intermediate sub, Path rootCrl, Path subCrl)
            throws Exception {
        Files.createDirectories(folder);
        Files.copy(pki.ca(), folder.resolve("0000000a.0"));
        Files.copy(sub.cert(), folder.resolve("0000000b.0"));
        Files.copy(rootCrl, folder.resolve("0000000a.r0"));
        Files.copy(subCrl, folder.resolve("0000000b.r0"));
        return HashedCaDir.load(folder);
    }
}
