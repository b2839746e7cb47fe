package io.culvert.engine.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.crypto.StaticKey;
import io.culvert.engine.testkit.ManualClock;
import io.culvert.engine.tls.PemReader;
import io.culvert.engine.tls.Revocation;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x509.Extension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PkiTest {
    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    @TempDir
    Path dir;
    private final ManualClock clock = ManualClock.at(T0);
    private DirectoryPkiStore store;
    private Pki pki;

    @BeforeEach
    void init() throws IOException {
        store = new DirectoryPkiStore(dir.resolve("pki"));
        pki = new Pki(store, clock, new SecureRandom());
        pki.init("Culvert Test CA", KeyAlgorithm.EC_P256, Pki.DEFAULT_CA_DAYS, "server", Pki.DEFAULT_CERT_DAYS);
    }

    @Test
    void initWritesTheEasyRsaLayout() {
        Path root = store.root();
        for (String f : List.of("ca.crt", "ca.key", "issued/server.crt", "private/server.key", "index.txt", "crl.pem",
                "tc.key", "ta.key")) {
            assertTrue(Files.isRegularFile(root.resolve(f)), f);
        }
        try (Stream<Path> files = Files.list(root)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary files left behind");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void privateKeysAre0600AndFoldersAre0700() throws IOException {
        pki.issue("alice", CertKind.CLIENT, 30);
        Path root = store.root();
        for (String f : List.of("ca.key", "private/server.key", "private/alice.key", "tc.key", "ta.key")) {
            assertEquals("rw-------", perms(root.resolve(f)), f);
            assertEquals(Files.getOwner(root), Files.getOwner(root.resolve(f)));
        }
        for (String d : List.of(".", "private", "issued")) {
            assertEquals("rwx------", perms(root.resolve(d)), d);
        }
        for (String f : List.of("ca.crt", "issued/alice.crt", "crl.pem", "index.txt")) {
            assertEquals("rw-r--r--", perms(root.resolve(f)), f);
        }
    }

    @Test
    void rewritingAKeyKeepsItPrivate() throws IOException {
        Path tc = store.staticKeyFile(PkiStore.StaticKeyKind.TLS_CRYPT);
        StaticKey before = pki.staticKey(PkiStore.StaticKeyKind.TLS_CRYPT);
        StaticKey after = pki.regenerate(PkiStore.StaticKeyKind.TLS_CRYPT);
        assertNotEquals(before, after);
        assertEquals(after, StaticKey.parse(Files.readString(tc)));
        assertEquals("rw-------", perms(tc));
    }

    @Test
    void issuedKeyMatchesItsCertificateAndChainsToTheCa() throws Exception {
        IssuedCert alice = pki.issue("alice", CertKind.CLIENT, 30);
        Credentials creds = pki.credentials("alice");
        X509Certificate cert = PemReader.certificates(creds.certificatePem()).getFirst();
        PrivateKey key = PemReader.privateKey(creds.keyPem());
        cert.verify(pki.caCertificate().getPublicKey());
        assertEquals(alice.serial(), cert.getSerialNumber());
        assertEquals(T0.plus(Duration.ofDays(30)), cert.getNotAfter().toInstant());
        assertEquals(T0.minus(Pki.BACKDATE), cert.getNotBefore().toInstant());
        assertEquals(List.of("1.3.6.1.5.5.7.3.2"), cert.getExtendedKeyUsage());
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(key);
        s.update(new byte[] {1, 2, 3});
        byte[] sig = s.sign();
        s.initVerify(cert.getPublicKey());
        s.update(new byte[] {1, 2, 3});
        assertTrue(s.verify(sig), "the stored key is the certificate's key");
        assertFalse(creds.toString().contains("PRIVATE"));
    }

    @Test
    void emptyCrlIsSignedAndHasNextUpdate() throws Exception {
        X509CRL crl = PemText.parseCrl(store.crl().orElseThrow());
        crl.verify(pki.caCertificate().getPublicKey());
        assertEquals(pki.caCertificate().getSubjectX500Principal(), crl.getIssuerX500Principal());
        assertNull(crl.getRevokedCertificates());
        assertEquals(T0, crl.getThisUpdate().toInstant());
        assertEquals(T0.plus(Duration.ofDays(Pki.DEFAULT_CRL_DAYS)), crl.getNextUpdate().toInstant());
        assertEquals(BigInteger.ONE, CrlIssuer.number(crl));
        assertEquals(2, crl.getVersion());
        assertTrue(crl.getNonCriticalExtensionOIDs().contains(Extension.authorityKeyIdentifier.getId()));
    }

    @Test
    void revokeListsTheSerialInANewSignedCrl() throws Exception {
        IssuedCert alice = pki.issue("alice", CertKind.CLIENT, 30);
        IssuedCert bob = pki.issue("bob", CertKind.CLIENT, 30);
        clock.set(T0.plusSeconds(3600));
        List<IssuedCert> revoked = pki.revoke("alice", RevokeReason.KEY_COMPROMISE);
        assertEquals(1, revoked.size());
        assertEquals(clock.instant(), revoked.getFirst().revokedAt());

        String pem = store.crl().orElseThrow();
        X509CRL crl = PemText.parseCrl(pem);
        crl.verify(pki.caCertificate().getPublicKey());
        assertEquals(BigInteger.TWO, CrlIssuer.number(crl));
        assertEquals(1, crl.getRevokedCertificates().size());
        X509CRLEntry entry = crl.getRevokedCertificate(alice.serial());
        assertEquals(clock.instant(), entry.getRevocationDate().toInstant());
        assertEquals(java.security.cert.CRLReason.KEY_COMPROMISE, entry.getRevocationReason());
        assertNull(crl.getRevokedCertificate(bob.serial()));
        assertEquals(clock.instant().plus(Duration.ofDays(Pki.DEFAULT_CRL_DAYS)), crl.getNextUpdate().toInstant());

        // the engine's crl-verify reads it and refuses exactly alice
        Revocation r = Revocation.crls(pem, List.of(pki.caCertificate()));
        X509Certificate aliceCert = PemReader.certificates(pki.credentials("alice").certificatePem()).getFirst();
        X509Certificate bobCert = PemReader.certificates(pki.credentials("bob").certificatePem()).getFirst();
        assertThrows(CertificateException.class, () -> r.check(aliceCert));
        r.check(bobCert);
    }

    @Test
    void crlFromAnotherCaIsRejected() throws Exception {
        DirectoryPkiStore otherStore = new DirectoryPkiStore(dir.resolve("other"));
        new Pki(otherStore, clock, new SecureRandom()).init("Other CA", KeyAlgorithm.EC_P256, 365, "server", 30);
        X509CRL foreign = PemText.parseCrl(otherStore.crl().orElseThrow());
        assertThrows(GeneralSecurityException.class, () -> foreign.verify(pki.caCertificate().getPublicKey()));
        assertThrows(IOException.class, () -> Revocation.crls(otherStore.crl().orElseThrow(), List.of(pki.caCertificate())));
    }

    @Test
    void unspecifiedReasonIsLeftOutOfTheEntry() throws Exception {
        IssuedCert alice = pki.issue("alice", CertKind.CLIENT, 30);
        pki.revoke("alice", RevokeReason.UNSPECIFIED);
        X509CRLEntry entry = PemText.parseCrl(store.crl().orElseThrow()).getRevokedCertificate(alice.serial());
        assertNull(entry.getRevocationReason());
        assertEquals(RevokeReason.UNSPECIFIED, pki.latest("alice").orElseThrow().reason());
    }

    @Test
    void issuingTwiceForAValidNameIsRefusedButAfterRevocationAllowed() throws IOException {
        pki.issue("alice", CertKind.CLIENT, 30);
        assertThrows(IOException.class, () -> pki.issue("alice", CertKind.CLIENT, 30));
        pki.revoke("alice", RevokeReason.SUPERSEDED);
        IssuedCert again = pki.issue("alice", CertKind.CLIENT, 30);
        assertFalse(again.revoked());
        assertEquals(3, pki.list().size()); // server + two alice
    }

    @Test
    void renewIssuesANewSerialAndKeyForTheSameKind() throws Exception {
        IssuedCert first = pki.issue("alice", CertKind.CLIENT, 30);
        String firstKey = pki.credentials("alice").keyPem();
        clock.set(T0.plus(Duration.ofDays(20)));
        IssuedCert renewed = pki.renew("alice", 60);
        assertNotEquals(first.serial(), renewed.serial());
        assertEquals(CertKind.CLIENT, renewed.kind());
        assertEquals(clock.instant().plus(Duration.ofDays(60)), renewed.notAfter());
        assertNotEquals(firstKey, pki.credentials("alice").keyPem());
        X509Certificate current = PemReader.certificates(pki.credentials("alice").certificatePem()).getFirst();
        assertEquals(renewed.serial(), current.getSerialNumber());
        assertEquals(renewed, pki.latest("alice").orElseThrow());
        // revoking the name revokes both generations
        assertEquals(2, pki.revoke("alice", RevokeReason.CESSATION_OF_OPERATION).size());
    }

    @Test
    void renewOfAnUnknownNameFails() {
        assertThrows(IOException.class, () -> pki.renew("nobody", 30));
        assertThrows(IOException.class, () -> pki.revoke("nobody", RevokeReason.UNSPECIFIED));
    }

    @Test
    void namesThatCouldEscapeTheFolderAreRejected() {
        for (String bad : List.of("../evil", "a/b", ".hidden", "", "a b", "x..y", "tab\tname", "a".repeat(65))) {
            assertThrows(IllegalArgumentException.class, () -> pki.issue(bad, CertKind.CLIENT, 30), bad);
        }
        assertTrue(Pki.isSafeCommonName("alice.example-1@corp_x"));
    }

    @Test
    void initRefusesAnExistingCa() {
        assertThrows(IOException.class, () -> pki.init("again", KeyAlgorithm.EC_P256, 10, "server", 10));
    }

    @Test
    void expiryWarningsNameSoonExpiringCertificatesAndTheCrl() throws IOException {
        pki.issue("alice", CertKind.CLIENT, 10);
        pki.issue("bob", CertKind.CLIENT, 400);
        List<String> w = pki.expiryWarnings(Duration.ofDays(30));
        assertEquals(1, w.size(), w::toString);
        assertTrue(w.getFirst().contains("'alice'"));

        clock.set(T0.plus(Duration.ofDays(170)));
        w = pki.expiryWarnings(Duration.ofDays(30));
        assertTrue(w.stream().anyMatch(s -> s.startsWith("CRL expires")), w::toString);
        assertFalse(w.stream().anyMatch(s -> s.contains("'alice'")), "expired certificates are listed, not warned about");

        clock.set(T0.plus(Duration.ofDays(181)));
        assertTrue(pki.expiryWarnings(Duration.ofDays(30)).stream().anyMatch(s -> s.startsWith("CRL expired")));
        CrlInfo info = pki.updateCrl();
        assertEquals(clock.instant().plus(Duration.ofDays(180)), info.nextUpdate());
        assertEquals(BigInteger.TWO, info.number());
        assertFalse(pki.expiryWarnings(Duration.ofDays(30)).stream().anyMatch(s -> s.startsWith("CRL")));
    }

    @Test
    void staticKeysAreTwoDistinctOpenvpnKeyFiles() throws IOException {
        String tc = Files.readString(store.staticKeyFile(PkiStore.StaticKeyKind.TLS_CRYPT));
        String ta = Files.readString(store.staticKeyFile(PkiStore.StaticKeyKind.TLS_AUTH));
        assertTrue(tc.contains("-----BEGIN OpenVPN Static key V1-----"));
        assertEquals(16, tc.lines().filter(l -> l.matches("[0-9a-f]{32}")).count());
        assertNotEquals(StaticKey.parse(tc), StaticKey.parse(ta));
    }

    @Test
    void rsaCaIssuesRsaCertificates() throws Exception {
        DirectoryPkiStore rsaStore = new DirectoryPkiStore(dir.resolve("rsa"));
        Pki rsa = new Pki(rsaStore, clock, new SecureRandom());
        rsa.init("RSA CA", KeyAlgorithm.RSA_2048, 365, "vpn.example.org", 30);
        X509Certificate server = PemReader.certificates(rsa.credentials("vpn.example.org").certificatePem()).getFirst();
        assertEquals("RSA", server.getPublicKey().getAlgorithm());
        assertEquals("SHA256withRSA", server.getSigAlgName());
        assertEquals(List.of("1.3.6.1.5.5.7.3.1"), server.getExtendedKeyUsage());
        assertEquals("RSA", PemReader.privateKey(rsa.credentials("vpn.example.org").keyPem()).getAlgorithm());
    }

    @Test
    void indexRoundTripsThroughItsTextForm() throws IOException {
        pki.issue("alice", CertKind.CLIENT, 30);
        pki.revoke("alice", RevokeReason.AFFILIATION_CHANGED);
        List<IssuedCert> entries = pki.list();
        String text = IndexFile.format(entries);
        assertTrue(text.startsWith(IndexFile.HEADER));
        assertTrue(text.contains("\talice\tclient\t"));
        assertTrue(text.contains("\taffiliationChanged\n"));
        assertEquals(entries, IndexFile.parse(text));
        assertThrows(IOException.class, () -> IndexFile.parse("ABC\talice\tclient\n"));
    }

    private static String perms(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.readAttributes(p, PosixFileAttributes.class).permissions());
    }

}
