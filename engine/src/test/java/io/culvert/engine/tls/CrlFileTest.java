package io.culvert.engine.tls;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.pki.CertKind;
import io.culvert.engine.pki.DirectoryPkiStore;
import io.culvert.engine.pki.KeyAlgorithm;
import io.culvert.engine.pki.Pki;
import io.culvert.engine.pki.RevokeReason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A crl-verify file is re-read when it is replaced, and an unusable file fails closed. */
class CrlFileTest {
    @TempDir
    Path dir;
    private DirectoryPkiStore store;
    private Pki pki;
    private List<X509Certificate> ca;
    private X509Certificate alice;
    private X509Certificate bob;

    @BeforeEach
    void init() throws Exception {
        store = new DirectoryPkiStore(dir.resolve("pki"));
        pki = new Pki(store, InstantSource.fixed(Instant.parse("2026-03-01T00:00:00Z")), new SecureRandom());
        pki.init("CRL CA", KeyAlgorithm.EC_P256, 365, "server", 365);
        pki.issue("alice", CertKind.CLIENT, 365);
        pki.issue("bob", CertKind.CLIENT, 365);
        ca = List.of(pki.caCertificate());
        alice = PemReader.certificates(pki.credentials("alice").certificatePem()).getFirst();
        bob = PemReader.certificates(pki.credentials("bob").certificatePem()).getFirst();
    }

    @Test
    void revocationWrittenAfterLoadingIsSeenAndChangesTheStamp() throws Exception {
        Revocation r = Revocation.crlFile(store.crlFile(), ca);
        long before = r.refresh();
        assertEquals(before, r.refresh(), "unchanged file, unchanged stamp");
        assertDoesNotThrow(() -> r.check(alice));

        pki.revoke("alice", RevokeReason.KEY_COMPROMISE);
        long after = r.refresh();
        assertNotEquals(before, after);
        assertThrows(CertificateException.class, () -> r.check(alice));
        assertDoesNotThrow(() -> r.check(bob));
        assertEquals(after, r.refresh());
    }

    @Test
    void checkAloneRereadsAChangedFile() throws Exception {
        Revocation r = Revocation.crlFile(store.crlFile(), ca);
        pki.revoke("bob", RevokeReason.UNSPECIFIED);
        assertThrows(CertificateException.class, () -> r.check(bob));
    }

    @Test
    void garbageOrMissingFileRefusesEveryoneUntilAValidCrlReturns() throws Exception {
        Revocation r = Revocation.crlFile(store.crlFile(), ca);
        long stamp = r.refresh();
        String good = Files.readString(store.crlFile());
        Files.writeString(store.crlFile(), "-----BEGIN X509 CRL-----\ngarbage\n-----END X509 CRL-----\n");
        assertEquals(stamp, r.refresh(), "a broken file is not a new revocation set");
        CertificateException e = assertThrows(CertificateException.class, () -> r.check(bob));
        assertTrue(e.getMessage().contains("unusable"), e.getMessage());

        Files.delete(store.crlFile());
        assertThrows(CertificateException.class, () -> r.check(bob));

        Files.writeString(store.crlFile(), good);
        assertDoesNotThrow(() -> r.check(bob));
        assertNotEquals(stamp, r.refresh());
    }

    @Test
    void loadingFailsForAMissingFileOrAForeignCrl() throws Exception {
        assertThrows(IOException.class, () -> Revocation.crlFile(dir.resolve("missing.pem"), ca));
        DirectoryPkiStore other = new DirectoryPkiStore(dir.resolve("other"));
        new Pki(other, InstantSource.fixed(Instant.parse("2026-03-01T00:00:00Z")), new SecureRandom())
                .init("Other", KeyAlgorithm.EC_P256, 30, "server", 30);
        assertThrows(IOException.class, () -> Revocation.crlFile(other.crlFile(), ca));
    }

    @Test
    void directoryStampFollowsNewSerialFiles() throws Exception {
        Path crlDir = Files.createDirectory(dir.resolve("crl.d"));
        Revocation r = Revocation.directory(crlDir);
        Files.setLastModifiedTime(crlDir, java.nio.file.attribute.FileTime.fromMillis(1_000_000));
        long before = r.refresh();
        Files.writeString(crlDir.resolve(alice.getSerialNumber().toString()), "");
        assertNotEquals(before, r.refresh());
        assertThrows(CertificateException.class, () -> r.check(alice));
    }
}
