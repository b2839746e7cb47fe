package io.culvert.engine.pki;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/** PEM encoding of certificates, PKCS#8 private keys and CRLs, and CRL decoding. Stateless and thread-safe. */
public final class PemText {
    private PemText() {}

    public static String certificate(X509Certificate cert) {
        try {
            return encode("CERTIFICATE", cert.getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encode certificate", e);
        }
    }

    /** Unencrypted PKCS#8 ("BEGIN PRIVATE KEY"), which openvpn and {@code PemReader} both read. */
    public static String privateKey(PrivateKey key) {
        return encode("PRIVATE KEY", key.getEncoded());
    }

    public static String crl(X509CRL crl) {
        try {
            return encode("X509 CRL", crl.getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encode CRL", e);
        }
    }

    /** The first CRL in {@code pem}. */
    public static X509CRL parseCrl(String pem) throws IOException {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object o;
            while ((o = parser.readObject()) != null) {
                if (o instanceof X509CRLHolder h) {
                    return new JcaX509CRLConverter().getCRL(h);
                }
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IOException("invalid CRL: " + e.getMessage(), e);
        }
        throw new IOException("no CRL found in PEM data");
    }

    private static String encode(String type, byte[] der) {
        StringWriter out = new StringWriter();
        try (PemWriter w = new PemWriter(out)) {
            w.writeObject(new PemObject(type, der));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
