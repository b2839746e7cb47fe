package io.culvert.engine.pki;

import io.culvert.engine.crypto.StaticKey;
import io.culvert.engine.tls.PemReader;
import java.io.IOException;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The certificate authority: creates the CA, issues, renews and revokes certificates, keeps the CRL current and
 * holds the tls-crypt/tls-auth keys, all persisted through a {@link PkiStore}. Every operation reads the store
 * afresh, so instances hold no state of their own; not thread-safe (one administrator at a time).
 */
public final class Pki {
    private static final Logger LOG = LoggerFactory.getLogger(Pki.class);
    /** CA lifetime, as easy-rsa. */
    public static final int DEFAULT_CA_DAYS = 3650;
    /** Server and client certificate lifetime, as easy-rsa. */
    public static final int DEFAULT_CERT_DAYS = 825;
    /** CRL lifetime (nextUpdate), as easy-rsa. */
    public static final int DEFAULT_CRL_DAYS = 180;
    /** Certificates are back-dated this much so peers with a slightly slow clock accept them at once. */
    static final Duration BACKDATE = Duration.ofMinutes(10);
    private static final Pattern SAFE_CN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");

    private final PkiStore store;
    private final InstantSource clock;
    private final SecureRandom random;
    private int crlDays = DEFAULT_CRL_DAYS;

    public Pki(PkiStore store, InstantSource clock, SecureRandom random) {
        this.store = store;
        this.clock = clock;
        this.random = random;
    }

    /** The nextUpdate distance of CRLs written from now on. */
    public Pki crlDays(int days) {
        if (days < 1) {
            throw new IllegalArgumentException("CRL days must be at least 1");
        }
        this.crlDays = days;
        return this;
    }

    public PkiStore store() {
        return store;
    }

    /**
     * Creates the CA ({@code CN=caName}), the server certificate {@code serverCn}, a tls-crypt and a tls-auth key
     * and an empty CRL. Fails if the store already holds a CA.
     */
    public void init(String caName, KeyAlgorithm algorithm, int caDays, String serverCn, int serverDays) throws IOException {
        if (store.hasCa()) {
            throw new IOException("a CA already exists in " + store);
        }
        checkCommonName(serverCn);
        if (caName == null || caName.isBlank()) {
            throw new IllegalArgumentException("the CA needs a name");
        }
        Instant now = clock.instant();
        KeyPair kp = algorithm.generate(random);
        X509Certificate ca = CertificateIssuer.selfSignedCa(caName, kp.getPublic(), kp.getPrivate(),
                CertificateIssuer.randomSerial(random), now.minus(BACKDATE), now.plus(Duration.ofDays(caDays)));
        store.saveCa(PemText.certificate(ca), PemText.privateKey(kp.getPrivate()));
        store.saveStaticKey(PkiStore.StaticKeyKind.TLS_CRYPT, StaticKey.generate(random));
        store.saveStaticKey(PkiStore.StaticKeyKind.TLS_AUTH, StaticKey.generate(random));
        writeCrl();
        LOG.info("Created CA '{}' ({})", caName, algorithm);
        issue(serverCn, CertKind.SERVER, serverDays);
    }

    /** Issues a new key and certificate for {@code cn}; refuses while {@code cn} holds a valid certificate. */
    public IssuedCert issue(String cn, CertKind kind, int days) throws IOException {
        checkCommonName(cn);
        if (kind == CertKind.CA) {
            throw new IllegalArgumentException("the CA is created by init");
        }
        Instant now = clock.instant();
        if (store.index().stream().anyMatch(e -> e.commonName().equals(cn) && e.valid(now))) {
            throw new IOException("'" + cn + "' already has a valid certificate (renew or revoke it)");
        }
        return sign(cn, kind, days);
    }

    /** Issues a fresh key and certificate for {@code cn} with the same kind; the old one stays valid until revoked or expired. */
    public IssuedCert renew(String cn, int days) throws IOException {
        checkCommonName(cn);
        IssuedCert latest = latest(cn).orElseThrow(() -> new IOException("no certificate was issued to '" + cn + "'"));
        return sign(cn, latest.kind(), days);
    }

    /** Revokes every unrevoked certificate of {@code cn} and rewrites the CRL; returns the revoked entries. */
    public List<IssuedCert> revoke(String cn, RevokeReason reason) throws IOException {
        checkCommonName(cn);
        Instant now = clock.instant();
        List<IssuedCert> revoked = new ArrayList<>();
        for (IssuedCert e : store.index()) {
            if (e.commonName().equals(cn) && !e.revoked()) {
                IssuedCert r = e.revoke(now, reason);
                store.put(r);
                revoked.add(r);
            }
        }
        if (revoked.isEmpty()) {
            throw new IOException("'" + cn + "' has no unrevoked certificate");
        }
        writeCrl();
        LOG.info("Revoked {} certificate(s) of '{}' ({})", revoked.size(), cn, reason.label());
        return revoked;
    }

    /** Re-signs the CRL with a fresh thisUpdate/nextUpdate (run before nextUpdate passes). */
    public CrlInfo updateCrl() throws IOException {
        writeCrl();
        return crl().orElseThrow();
    }

    /** Every issued certificate, oldest first. */
    public List<IssuedCert> list() throws IOException {
        return store.index();
    }

    public Optional<CrlInfo> crl() throws IOException {
        Optional<String> pem = store.crl();
        if (pem.isEmpty()) {
            return Optional.empty();
        }
        X509CRL crl = PemText.parseCrl(pem.get());
        int count = crl.getRevokedCertificates() == null ? 0 : crl.getRevokedCertificates().size();
        return Optional.of(new CrlInfo(CrlIssuer.number(crl), crl.getThisUpdate().toInstant(),
                crl.getNextUpdate().toInstant(), count));
    }

    /** Human-readable warnings: certificates and the CRL that expire within {@code window} or already did. */
    public List<String> expiryWarnings(Duration window) throws IOException {
        Instant now = clock.instant();
        List<String> out = new ArrayList<>();
        X509Certificate ca = caCertificate();
        if (ca.getNotAfter().toInstant().isBefore(now.plus(window))) {
            out.add("CA certificate expires " + ca.getNotAfter().toInstant());
        }
        for (IssuedCert e : store.index()) {
            if (e.expiresWithin(now, window) && isLatest(e)) {
                out.add("certificate '" + e.commonName() + "' (serial " + e.serialHex() + ") expires " + e.notAfter());
            }
        }
        Optional<CrlInfo> crl = crl();
        if (crl.isEmpty()) {
            out.add("no CRL: servers using crl-verify cannot start");
        } else if (crl.get().expired(now)) {
            out.add("CRL expired at " + crl.get().nextUpdate() + ": servers refuse every client; run 'culvert pki crl'");
        } else if (crl.get().expiresWithin(now, window)) {
            out.add("CRL expires " + crl.get().nextUpdate() + "; run 'culvert pki crl' to re-sign it");
        }
        return out;
    }

    public X509Certificate caCertificate() throws IOException {
        return PemReader.certificates(store.caCertificate()).getFirst();
    }

    public String caPem() throws IOException {
        return store.caCertificate();
    }

    /** The current certificate and key of {@code cn}. */
    public Credentials credentials(String cn) throws IOException {
        checkCommonName(cn);
        String cert = store.certificate(cn).orElseThrow(() -> new IOException("no certificate for '" + cn + "'"));
        String key = store.privateKey(cn).orElseThrow(() -> new IOException("no private key for '" + cn + "'"));
        return new Credentials(cn, cert, key);
    }

    /** The latest index entry of {@code cn}. */
    public Optional<IssuedCert> latest(String cn) throws IOException {
        return store.index().stream().filter(e -> e.commonName().equals(cn))
                .max(Comparator.comparing(IssuedCert::notBefore));
    }

    public StaticKey staticKey(PkiStore.StaticKeyKind kind) throws IOException {
        return store.staticKey(kind).orElseThrow(() -> new IOException("no " + kind + " key in " + store));
    }

    /** Generates and stores a new static key, replacing the old one (every client profile must then be re-exported). */
    public StaticKey regenerate(PkiStore.StaticKeyKind kind) throws IOException {
        StaticKey key = StaticKey.generate(random);
        store.saveStaticKey(kind, key);
        return key;
    }

    /** True for names that are safe as a file name and as an OpenVPN common name. */
    public static boolean isSafeCommonName(String cn) {
        return cn != null && SAFE_CN.matcher(cn).matches() && !cn.contains("..");
    }

    static void checkCommonName(String cn) {
        if (!isSafeCommonName(cn)) {
            throw new IllegalArgumentException("invalid common name '" + cn
                    + "': use 1-64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit");
        }
    }

    private boolean isLatest(IssuedCert e) throws IOException {
        return latest(e.commonName()).map(l -> l.serial().equals(e.serial())).orElse(false);
    }

    private IssuedCert sign(String cn, CertKind kind, int days) throws IOException {
        if (days < 1) {
            throw new IllegalArgumentException("days must be at least 1");
        }
        X509Certificate ca = caCertificate();
        PrivateKey caKey = PemReader.privateKey(store.caKey());
        KeyPair kp = KeyAlgorithm.of(ca.getPublicKey()).generate(random);
        Instant now = clock.instant();
        BigInteger serial = CertificateIssuer.randomSerial(random);
        Instant notAfter = now.plus(Duration.ofDays(days));
        PublicKey pub = kp.getPublic();
        X509Certificate cert = CertificateIssuer.leaf(ca, caKey, cn, kind, pub, serial, now.minus(BACKDATE), notAfter);
        IssuedCert entry = new IssuedCert(serial, cn, kind, cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant(),
                null, null);
        store.saveIssued(cn, PemText.certificate(cert), PemText.privateKey(kp.getPrivate()));
        store.put(entry);
        LOG.info("Issued {} certificate for '{}', serial {}, valid until {}", kind.label(), cn, entry.serialHex(), notAfter);
        return entry;
    }

    private void writeCrl() throws IOException {
        X509Certificate ca = caCertificate();
        PrivateKey caKey = PemReader.privateKey(store.caKey());
        Instant now = clock.instant();
        List<CrlIssuer.Entry> revoked = store.index().stream().filter(IssuedCert::revoked)
                .map(e -> new CrlIssuer.Entry(e.serial(), e.revokedAt(), e.reason())).toList();
        BigInteger number = BigInteger.ONE;
        Optional<String> old = store.crl();
        if (old.isPresent()) {
            try {
                number = CrlIssuer.number(PemText.parseCrl(old.get())).add(BigInteger.ONE);
            } catch (IOException e) {
                LOG.warn("Existing CRL is unreadable ({}); starting the CRL number at 1", e.getMessage());
            }
        }
        X509CRL crl = CrlIssuer.build(ca, caKey, revoked, number, now, now.plus(Duration.ofDays(crlDays)));
        store.saveCrl(PemText.crl(crl));
    }
}
