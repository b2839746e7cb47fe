package io.culvert.engine.tls;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.openssl.PEMParser;

/**
 * {@code capath DIR}: OpenSSL's hashed folder ({@code X509_LOOKUP_hash_dir}), as OpenVPN 2.7.6 uses it in
 * {@code tls_ctx_load_ca}: CA certificates in files named {@code HHHHHHHH.N} and CRLs in {@code HHHHHHHH.rN} (the
 * names {@code openssl rehash} gives). The certificates are trust anchors beside those of {@code ca}. OpenVPN turns on
 * {@code X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL} with it, so a CRL of the peer certificate's issuer in
 * the folder (signed by it) that lists a certificate of the chain (the peer's, an intermediate CA's) refuses it; and,
 * as OpenVPN's verify callback logs and ignores "unable to get certificate CRL", a certificate whose issuer has no
 * such CRL only warns. {@link #checkChain} does that for the whole verified chain, reading the folder's CRLs at each
 * check, as OpenSSL looks them up at verification. Immutable and thread-safe.
 */
public record HashedCaDir(Path dir, List<X509Certificate> cas) implements Revocation {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(HashedCaDir.class);
    private static final Pattern CERT = Pattern.compile("[0-9a-f]{8}\\.[0-9]+");
    private static final Pattern CRL = Pattern.compile("[0-9a-f]{8}\\.r[0-9]+");

    public HashedCaDir {
        cas = List.copyOf(cas);
    }

    /** Reads the CA certificates of {@code dir}; fails when the folder cannot be read. */
    public static HashedCaDir load(Path dir) throws IOException {
        List<X509Certificate> cas = new ArrayList<>();
        for (Path f : files(dir, CERT)) {
            cas.addAll(PemReader.certificates(Files.readString(f, StandardCharsets.US_ASCII)));
        }
        return new HashedCaDir(dir, cas);
    }

    @Override
    public void check(X509Certificate leaf) throws CertificateException {
        checkChain(List.of(leaf));
    }

    /**
     * Checks every certificate of {@code chain}, completed up to a self-signed root with the folder's certificates, as
     * {@code X509_V_FLAG_CRL_CHECK_ALL} does: a CRL of a certificate's issuer (signed by it) that lists the
     * certificate refuses the chain; a certificate whose issuer has no CRL in the folder only warns.
     */
    @Override
    public void checkChain(List<X509Certificate> chain) throws CertificateException {
        List<X509CRL> crls;
        try {
            crls = crls();
        } catch (IOException e) {
            throw new CertificateException("capath " + dir + ": " + e.getMessage(), e);
        }
        List<X509Certificate> full = completed(chain);
        for (int depth = 0; depth < full.size(); depth++) {
            X509Certificate cert = full.get(depth);
            X509Certificate issuer = depth + 1 < full.size() ? full.get(depth + 1) : cert;
            boolean found = false;
            for (X509CRL crl : crls) {
                if (!crl.getIssuerX500Principal().equals(cert.getIssuerX500Principal()) || !signedBy(crl, issuer)) {
                    continue;
                }
                found = true;
                if (crl.isRevoked(cert)) {
                    throw new CertificateException("certificate revoked: depth=" + depth + ", "
                            + cert.getSubjectX500Principal().getName() + ", serial " + cert.getSerialNumber()
                            + " (CRL in capath " + dir + ")");
                }
            }
            if (!found) {
                LOG.warn("VERIFY WARNING: depth={}, unable to get certificate CRL: {} (capath {} holds no CRL of {})",
                        depth, cert.getSubjectX500Principal().getName(), dir, cert.getIssuerX500Principal().getName());
            }
        }
    }

    /** {@code chain} with the folder's issuers appended until a self-signed certificate or one without an issuer here. */
    private List<X509Certificate> completed(List<X509Certificate> chain) {
        List<X509Certificate> full = new ArrayList<>(chain);
        while (full.size() <= cas.size() + chain.size()) {
            X509Certificate last = full.getLast();
            if (last.getIssuerX500Principal().equals(last.getSubjectX500Principal())) {
                break;
            }
            X509Certificate next = cas.stream().filter(ca -> !full.contains(ca)
                    && ca.getSubjectX500Principal().equals(last.getIssuerX500Principal()) && signedBy(last, ca))
                    .findFirst().orElse(null);
            if (next == null) {
                break;
            }
            full.add(next);
        }
        return full;
    }

    private static boolean signedBy(X509CRL crl, X509Certificate issuer) {
        try {
            crl.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static boolean signedBy(X509Certificate cert, X509Certificate issuer) {
        try {
            cert.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private List<X509CRL> crls() throws IOException {
        List<X509CRL> out = new ArrayList<>();
        JcaX509CRLConverter converter = new JcaX509CRLConverter();
        for (Path f : files(dir, CRL)) {
            try (PEMParser parser = new PEMParser(new StringReader(Files.readString(f, StandardCharsets.US_ASCII)))) {
                for (Object o; (o = parser.readObject()) != null; ) {
                    if (o instanceof X509CRLHolder h) {
                        out.add(converter.getCRL(h));
                    }
                }
            } catch (GeneralSecurityException | RuntimeException e) {
                throw new IOException("invalid CRL " + f.getFileName() + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    /** The folder's files whose names match {@code names}, in name order. */
    private static List<Path> files(Path dir, Pattern names) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> names.matcher(p.getFileName().toString()).matches() && Files.isRegularFile(p)).sorted().toList();
        }
    }

    /** The folder's modification time, which changes when a file is added (a server then re-checks its clients). */
    @Override
    public long refresh() {
        return Revocation.folderStamp(dir);
    }
}
