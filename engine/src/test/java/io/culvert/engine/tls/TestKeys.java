package io.culvert.engine.tls;

import io.culvert.engine.testkit.TestCertificates;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.openssl.PKCS8Generator;

/** Generates keys, certificates, encrypted PEM keys and PKCS#12 files for tests. Stateless. */
public final class TestKeys {
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();

    private TestKeys() {}

    public static KeyPair rsa() throws GeneralSecurityException {
        return TestCertificates.rsa();
    }

    public static KeyPair ec() throws GeneralSecurityException {
        return TestCertificates.ec();
    }

    /**
     * A certificate for {@code subject} named {@code cn}, signed by {@code issuerKey} as {@code issuerCn}: basic
     * constraints only, valid from a minute ago for a day.
     */
    public static X509Certificate certificate(KeyPair subject, String cn, KeyPair issuerKey, String issuerCn, boolean ca)
            throws Exception {
        Instant now = Instant.now();
        return TestCertificates.signedBy(new X500Principal("CN=" + issuerCn), issuerKey).subject("CN=" + cn, subject).ca(ca)
                .serial(BigInteger.valueOf(now.toEpochMilli())).validity(now.minusSeconds(60), now.plus(Duration.ofDays(1)))
                .issue();
    }

    public static String pem(Object o) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(o);
        }
        return out.toString();
    }

    /** "BEGIN ENCRYPTED PRIVATE KEY" (PBES2, AES-256-CBC), as easy-rsa 3 writes without nopass. */
    public static String pkcs8Encrypted(PrivateKey key, String pass) throws Exception {
        var enc = new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC).setProvider(BC)
                .setPassword(pass.toCharArray()).build();
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(new JcaPKCS8Generator(key, enc));
        }
        return out.toString();
    }

    /** Traditional OpenSSL "Proc-Type: 4,ENCRYPTED" / "DEK-Info" PEM with {@code cipher} (e.g. AES-256-CBC, DES-EDE3-CBC). */
    public static String traditionalEncrypted(PrivateKey key, String pass, String cipher) throws Exception {
        if (key.getAlgorithm().equals("EC")) {
            // the JDK's encoding leaves the curve out of the SEC1 structure; OpenSSL (and BouncyCastle) put it in
            key = java.security.KeyFactory.getInstance("EC", BC)
                    .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(key.getEncoded()));
        }
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(new JcaMiscPEMGenerator(key,
                    new JcePEMEncryptorBuilder(cipher).setProvider(BC).build(pass.toCharArray())));
        }
        return out.toString();
    }

    /** A PKCS#12 file with one key entry ({@code chain}) and {@code trusted} certificates, under {@code pass}. */
    public static byte[] pkcs12(PrivateKey key, Certificate[] chain, String pass, X509Certificate... trusted)
            throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("client", key, pass.toCharArray(), chain);
        for (int i = 0; i < trusted.length; i++) {
            ks.setCertificateEntry("ca" + i, trusted[i]);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ks.store(out, pass.toCharArray());
        return out.toByteArray();
    }
}
