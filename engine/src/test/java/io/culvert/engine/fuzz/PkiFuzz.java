package io.culvert.engine.fuzz;

import static io.culvert.engine.fuzz.Oracle.check;

import io.culvert.engine.crypto.StaticKey;
import io.culvert.engine.crypto.TlsCryptV2ClientKey;
import io.culvert.engine.crypto.TlsCryptV2ServerKey;
import io.culvert.engine.pki.PemText;
import io.culvert.engine.tls.PassphraseSource;
import io.culvert.engine.tls.PemReader;
import io.culvert.engine.tls.Pkcs12Bundle;
import io.culvert.engine.tls.Revocation;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * Fuzz target (ADR 0015) for the readers of key material a profile brings: PEM certificates, PEM private keys (plain
 * and encrypted, passphrase {@code pass}), PKCS#12 bundles, CRLs (alone and checked against the test CA), and
 * OpenVPN's own static and tls-crypt-v2 key files. The first byte picks the reader. Oracles: no exception but the
 * documented {@link IOException} (and {@link IllegalArgumentException} for OpenVPN key files); whatever we accept,
 * the JDK and BouncyCastle read from its encoding as the same certificate, CRL or key (a differential check of the
 * two libraries); OpenVPN key files re-read equal from their own text.
 */
public final class PkiFuzz {
    private static final X509Certificate CA = ca();

    private PkiFuzz() {}

    public static void fuzzerTestOneInput(byte[] data) {
        if (data.length < 1) {
            return;
        }
        byte[] body = Arrays.copyOfRange(data, 1, data.length);
        String text = new String(body, StandardCharsets.ISO_8859_1);
        try {
            switch ((data[0] & 0xFF) % 5) {
                case 0 -> PemReader.certificates(text).forEach(PkiFuzz::sameCertificate);
                case 1 -> sameKey(PemReader.privateKey(text, "fuzz", pass()));
                case 2 -> {
                    Pkcs12Bundle b = Pkcs12Bundle.read(body, "fuzz", pass());
                    check(b.key() != null && b.cert() != null, "bundle without key or certificate");
                    sameKey(b.key());
                    sameCertificate(b.cert());
                    b.others().forEach(PkiFuzz::sameCertificate);
                }
                case 3 -> {
                    sameCrl(PemText.parseCrl(text));
                    Revocation r = Revocation.crls(text, List.of(CA));
                    r.check(CA);
                }
                default -> openvpnKeys(text);
            }
        } catch (IOException e) {
            check(e.getMessage() != null, "error without a message");
        } catch (java.security.cert.CertificateException e) {
            // Revocation.check: the CA itself is listed as revoked by a CRL the CA signed
            check(e.getMessage() != null, "error without a message");
        }
    }

    private static PassphraseSource pass() {
        return source -> Optional.of("pass".toCharArray());
    }

    private static void openvpnKeys(String text) {
        try {
            StaticKey k = StaticKey.parse(text);
            check(StaticKey.parse(k.toFileText()).equals(k), "static key does not re-read equal");
        } catch (IllegalArgumentException e) {
            // documented
        }
        try {
            TlsCryptV2ServerKey k = TlsCryptV2ServerKey.parse(text);
            check(TlsCryptV2ServerKey.parse(k.toPem()).equals(k), "tls-crypt-v2 server key does not re-read equal");
        } catch (IllegalArgumentException e) {
            // documented
        }
        try {
            TlsCryptV2ClientKey k = TlsCryptV2ClientKey.parse(text);
            check(TlsCryptV2ClientKey.parse(k.toPem()).equals(k), "tls-crypt-v2 client key does not re-read equal");
        } catch (IllegalArgumentException e) {
            // documented
        }
    }

    private static void sameCertificate(X509Certificate c) {
        try {
            byte[] der = c.getEncoded();
            X509Certificate jdk = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
            check(jdk.equals(c), "the JDK reads the certificate differently");
            check(Arrays.equals(new X509CertificateHolder(der).getEncoded(), der), "BouncyCastle reads the certificate differently");
        } catch (GeneralSecurityException | IOException e) {
            throw new AssertionError("an accepted certificate does not re-read: " + e, e);
        }
    }

    private static void sameCrl(X509CRL crl) {
        try {
            byte[] der = crl.getEncoded();
            X509CRL jdk = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der));
            check(jdk.equals(crl), "the JDK reads the CRL differently");
            check(Arrays.equals(new X509CRLHolder(der).getEncoded(), der), "BouncyCastle reads the CRL differently");
        } catch (GeneralSecurityException | IOException e) {
            throw new AssertionError("an accepted CRL does not re-read: " + e, e);
        }
    }

    private static void sameKey(PrivateKey key) {
        check(key != null, "null key");
        byte[] der = key.getEncoded();
        check(der != null, "key without a PKCS#8 encoding");
        try {
            PrivateKey jdk = KeyFactory.getInstance(key.getAlgorithm()).generatePrivate(new PKCS8EncodedKeySpec(der));
            check(Arrays.equals(jdk.getEncoded(), der), "the JDK reads the key differently");
            check(Arrays.equals(PrivateKeyInfo.getInstance(der).getEncoded(), der), "BouncyCastle reads the key differently");
        } catch (GeneralSecurityException | IOException e) {
            throw new AssertionError("an accepted " + key.getAlgorithm() + " key does not re-read: " + e, e);
        }
    }

    private static X509Certificate ca() {
        try (InputStream in = PkiFuzz.class.getResourceAsStream("/fuzz-fixtures/pki-ca.crt")) {
            return PemReader.certificates(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).getFirst();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
