package io.culvert.engine.tls;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.InstantSource;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A key pair made on the spot and a self-signed certificate for it (valid one day, never written anywhere),
 * presented and trusted by both ends: TLS settings for in-memory handshakes that only exercise code, such as the
 * JIT warm-up. Immutable.
 *
 * @param client settings of the TLS client
 * @param server settings of the TLS server (client certificate required, as by default)
 */
public record ThrowawayIdentity(TlsSettings client, TlsSettings server) {

    /** A fresh identity; {@code algorithm} is "RSA" (2048 bits) or "EC" (P-256). */
    public static ThrowawayIdentity create(String algorithm, InstantSource clock) throws GeneralSecurityException {
        boolean ec = "EC".equals(algorithm);
        KeyPairGenerator g = KeyPairGenerator.getInstance(ec ? "EC" : "RSA");
        if (ec) {
            g.initialize(new ECGenParameterSpec("secp256r1"));
        } else {
            g.initialize(2048);
        }
        KeyPair keys = g.generateKeyPair();
        long now = clock.millis();
        X500Name name = new X500Name("CN=culvert-throwaway");
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now),
                new Date(now - 60_000), new Date(now + 86_400_000L), name, keys.getPublic());
        X509Certificate cert;
        try {
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            cert = new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder(ec ? "SHA256withECDSA" : "SHA256withRSA").build(keys.getPrivate())));
        } catch (IOException | OperatorCreationException e) {
            throw new GeneralSecurityException("cannot make a throwaway certificate", e);
        }
        List<X509Certificate> chain = List.of(cert);
        return new ThrowawayIdentity(
                TlsSettings.forClient().trustAnchors(chain).identity(chain, keys.getPrivate()).build(),
                TlsSettings.forServer().trustAnchors(chain).identity(chain, keys.getPrivate()).build());
    }
}
