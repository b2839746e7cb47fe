package io.culvert.engine.tls;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.openssl.PEMParser;

/**
 * {@code crl-verify}: refuses peers whose certificate a CRL lists. Either CRLs (checked against the CA that
 * signed them), a CRL file that is re-read when it changes, or OpenVPN's directory form, where a file named
 * after the decimal serial marks it revoked. Thread-safe; all but {@link CrlFile} are immutable.
 */
public sealed interface Revocation permits Revocation.None, Revocation.Crls, Revocation.Directory, CrlFile, HashedCaDir,
        Revocation.Both, RevokedSerials {

    /** Throws when {@code leaf} is revoked. */
    void check(X509Certificate leaf) throws CertificateException;

    /**
     * Throws when the verified {@code chain} (the peer's certificate first, then each issuer up to the trust anchor)
     * is revoked where this source looks: the peer's certificate only, unless the source checks the whole chain.
     */
    default void checkChain(List<X509Certificate> chain) throws CertificateException {
        check(chain.getFirst());
    }

    /**
     * Throws when the certificate of a client already connected is revoked: {@link #check} without the checks that
     * only gate new connections ({@link RevokedSerials#refuseNew}). A server calls it on its clients when
     * {@link #refresh()} says the set changed.
     */
    default void checkConnected(X509Certificate leaf) throws CertificateException {
        check(leaf);
    }

    /**
     * Re-reads the revocation source if it changed on disk and returns a stamp that differs from the previous
     * one whenever the set of revoked certificates may have changed (a server then re-checks its clients).
     */
    long refresh();

    static Revocation none() {
        return new None();
    }

    /** CRLs in PEM; each must verify against one of {@code issuers}. */
    static Revocation crls(String pem, List<X509Certificate> issuers) throws IOException {
        List<X509CRL> crls = new ArrayList<>();
        JcaX509CRLConverter converter = new JcaX509CRLConverter();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object o;
            while ((o = parser.readObject()) != null) {
                if (o instanceof X509CRLHolder h) {
                    X509CRL crl = converter.getCRL(h);
                    if (!signedByOneOf(crl, issuers)) {
                        throw new IOException("CRL issued by " + crl.getIssuerX500Principal() + " is not signed by the CA");
                    }
                    crls.add(crl);
                }
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IOException("invalid CRL: " + e.getMessage(), e);
        }
        if (crls.isEmpty()) {
            throw new IOException("no CRL found in crl-verify file");
        }
        return new Crls(List.copyOf(crls));
    }

    static Revocation directory(Path dir) {
        return new Directory(dir);
    }

    /** A CRL file (as {@link #crls}) that is re-read whenever its modification time, size or inode changes. */
    static Revocation crlFile(Path file, List<X509Certificate> issuers) throws IOException {
        return CrlFile.load(file, issuers);
    }

    private static boolean signedByOneOf(X509CRL crl, List<X509Certificate> issuers) {
        for (X509Certificate ca : issuers) {
            try {
                crl.verify(ca.getPublicKey());
                return true;
            } catch (GeneralSecurityException e) {
                // try the next CA certificate
            }
        }
        return false;
    }

    /** {@code first}, then {@code second} (crl-verify beside capath's CRLs). */
    static Revocation both(Revocation first, Revocation second) {
        return first instanceof None ? second : second instanceof None ? first : new Both(first, second);
    }

    /** Two checks; a peer either refuses is refused. */
    record Both(Revocation first, Revocation second) implements Revocation {
        @Override
        public void check(X509Certificate leaf) throws CertificateException {
            first.check(leaf);
            second.check(leaf);
        }

        @Override
        public void checkChain(List<X509Certificate> chain) throws CertificateException {
            first.checkChain(chain);
            second.checkChain(chain);
        }

        @Override
        public void checkConnected(X509Certificate leaf) throws CertificateException {
            first.checkConnected(leaf);
            second.checkConnected(leaf);
        }

        @Override
        public long refresh() {
            return first.refresh() * 31 + second.refresh();
        }
    }

    /** No revocation checking. */
    record None() implements Revocation {
        @Override
        public void check(X509Certificate leaf) {}

        @Override
        public long refresh() {
            return 0;
        }
    }

    /** A fixed set of CRLs. */
    record Crls(List<X509CRL> crls) implements Revocation {
        @Override
        public void check(X509Certificate leaf) throws CertificateException {
            for (X509CRL crl : crls) {
                if (crl.getIssuerX500Principal().equals(leaf.getIssuerX500Principal()) && crl.isRevoked(leaf)) {
                    throw new CertificateException("certificate serial " + leaf.getSerialNumber() + " is revoked (CRL)");
                }
            }
        }

        @Override
        public long refresh() {
            return 0;
        }
    }

    /** {@code crl-verify DIR dir}: a file named after the decimal serial means revoked. */
    record Directory(Path dir) implements Revocation {
        @Override
        public void check(X509Certificate leaf) throws CertificateException {
            BigInteger serial = leaf.getSerialNumber();
            if (Files.exists(dir.resolve(serial.toString()))) {
                throw new CertificateException("certificate serial " + serial + " is revoked (" + dir + ")");
            }
        }

        /** The folder's modification time, which changes when a serial file is added. */
        @Override
        public long refresh() {
            return folderStamp(dir);
        }
    }

    /** A folder's modification time, which changes when a file is added or removed; 0 when it cannot be read. */
    static long folderStamp(Path dir) {
        try {
            return Files.getLastModifiedTime(dir).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }
}
