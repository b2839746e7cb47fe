package io.culvert.engine.tls;

import java.io.IOException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * One end's trust anchors, certificate chain and private key, loaded from PEM ({@code ca}, {@code cert},
 * {@code extra-certs}, {@code key}) or from a PKCS#12 bundle as OpenVPN combines them: the bundle's other
 * certificates are the CAs when no {@code ca} is given, and extra chain certificates when one is. Immutable.
 *
 * @param ca the certificates that verify the peer
 * @param chain this end's certificate first, then extra certificates; empty without a certificate
 * @param key this end's private key, or null without a certificate
 */
public record OwnIdentity(List<X509Certificate> ca, List<X509Certificate> chain, PrivateKey key) {
    public OwnIdentity {
        ca = List.copyOf(ca);
        chain = List.copyOf(chain);
    }

    /**
     * Where the material comes from. PEM fields may be null; {@code pkcs12} (DER bytes) replaces {@code certPem} and
     * {@code keyPem}. {@code keyName} and {@code pkcs12Name} name the sources in messages and prompts.
     */
    public record Source(String caPem, String certPem, String extraCertsPem, String keyPem, String keyName,
            byte[] pkcs12, String pkcs12Name) {
        @Override
        public String toString() {
            return "OwnIdentity.Source[key=" + keyName + ", pkcs12=" + pkcs12Name + "]";
        }
    }

    /** Loads {@code s}, asking {@code passphrase} only for an encrypted key or a password-protected bundle. */
    public static OwnIdentity load(Source s, PassphraseSource passphrase) throws IOException {
        return load(s, passphrase, List.of());
    }

    /** Like {@link #load(Source, PassphraseSource)}, with {@code moreCa} (those of {@code capath}) trusted too. */
    public static OwnIdentity load(Source s, PassphraseSource passphrase, List<X509Certificate> moreCa) throws IOException {
        List<X509Certificate> ca = new ArrayList<>(moreCa);
        if (s.caPem() != null) {
            ca.addAll(PemReader.certificates(s.caPem()));
        }
        List<X509Certificate> chain = new ArrayList<>();
        PrivateKey key = null;
        if (s.pkcs12() != null) {
            Pkcs12Bundle bundle = Pkcs12Bundle.read(s.pkcs12(), s.pkcs12Name(), passphrase);
            key = bundle.key();
            chain.add(bundle.cert());
            if (s.caPem() == null) {
                ca.addAll(bundle.others());
            } else {
                chain.addAll(bundle.others());
            }
        } else if (s.certPem() != null) {
            chain.addAll(PemReader.certificates(s.certPem()));
        }
        if (s.extraCertsPem() != null && !chain.isEmpty()) {
            chain.addAll(PemReader.certificates(s.extraCertsPem()));
        }
        if (s.pkcs12() == null && s.keyPem() != null) {
            key = PemReader.privateKey(s.keyPem(), s.keyName(), passphrase);
        }
        if (ca.isEmpty()) {
            throw new IOException("no CA certificate: give ca (or capath with certificates), or a pkcs12 file that contains the CA");
        }
        return new OwnIdentity(ca, chain, key);
    }
}
