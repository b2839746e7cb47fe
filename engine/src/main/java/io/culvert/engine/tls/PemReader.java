package io.culvert.engine.tls;

import java.io.IOException;
import java.io.StringReader;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Reads certificates and private keys from PEM text (PKCS#8, SEC1 "EC PRIVATE KEY" and PKCS#1 "RSA PRIVATE KEY",
 * each also encrypted). Stateless and thread-safe.
 */
public final class PemReader {
    private PemReader() {}

    public static List<X509Certificate> certificates(String pem) throws IOException {
        List<X509Certificate> out = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object o;
            while ((o = parser.readObject()) != null) {
                if (o instanceof X509CertificateHolder holder) {
                    out.add(converter.getCertificate(holder));
                }
            }
        } catch (CertificateException | RuntimeException e) {
            throw new IOException("invalid certificate PEM: " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new IOException("no certificate found in PEM data");
        }
        return out;
    }

    /** The private key in {@code pem}; an encrypted key is an error (see the three-argument form). */
    public static PrivateKey privateKey(String pem) throws IOException {
        return privateKey(pem, "the PEM data", PassphraseSource.none());
    }

    /**
     * The private key in {@code pem}, decrypting an encrypted PKCS#8 or traditional OpenSSL key with a passphrase
     * from {@code passphrase}, which is asked only then. {@code source} names the key in messages.
     */
    public static PrivateKey privateKey(String pem, String source, PassphraseSource passphrase) throws IOException {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        Object encrypted = null;
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object o;
            while ((o = parser.readObject()) != null) {
                if (o instanceof PEMKeyPair pair) {
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                }
                if (o instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (KeyDecryption.isEncrypted(o)) {
                    encrypted = o;
                    break;
                }
            }
        } catch (RuntimeException e) {
            throw new IOException("invalid private key PEM in " + source + ": " + e.getMessage(), e);
        }
        if (encrypted != null) {
            return KeyDecryption.decrypt(encrypted, source, passphrase);
        }
        throw new IOException("no private key found in " + source);
    }
}
