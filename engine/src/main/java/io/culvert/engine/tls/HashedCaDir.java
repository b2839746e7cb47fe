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
 * the folder (signed by it) that lists the peer refuses it; and, as OpenVPN's verify callback logs and ignores
 * "unable to get certificate CRL", a folder without such a CRL only warns. {@link #check} does that for the peer's
 * certificate, reading the folder's CRLs at each check, as OpenSSL looks them up at verification. Immutable and
 * thread-safe.
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
        List<X509CRL> crls;
        try {
            crls = crls();
        } catch (IOException e) {
            throw new CertificateException("capath " + dir + ": " + e.getMessage(), e);
        }
        boolean found = false;
        for (X509CRL crl : crls) {
            if (!crl.getIssuerX500Principal().equals(leaf.getIssuerX500Principal()) || !signedByIssuerOf(crl)) {
                continue;
            }
            found = true;
            if (crl.isRevoked(leaf)) {
                throw new CertificateException("certificate revoked: serial " + leaf.getSerialNumber() + " (CRL in capath " + dir + ")");
            }
        }
        if (!found) {
            LOG.warn("VERIFY WARNING: depth=0, unable to get certificate CRL: {} (capath {} holds no CRL of {})",
                    leaf.getSubjectX500Principal().getName(), dir, leaf.getIssuerX500Principal().getName());
        }
    }

    private boolean signedByIssuerOf(X509CRL crl) {
        for (X509Certificate ca : cas) {
            if (ca.getSubjectX500Principal().equals(crl.getIssuerX500Principal())) {
                try {
                    crl.verify(ca.getPublicKey());
                    return true;
                } catch (GeneralSecurityException e) {
                    // another CA with the same name may have signed it
                }
            }
        }
        return false;
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
