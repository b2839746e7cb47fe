package io.culvert.engine.testkit;

import io.culvert.engine.crypto.StaticKey;
import io.culvert.engine.tls.PeerVerification;
import io.culvert.engine.tls.TlsSettings;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throwaway EC P-256 PKI that never touches the disk: a CA, a server and a client certificate with the
 * right EKUs, plus a tls-auth and a tls-crypt key. Immutable; {@link #shared()} is built once per JVM.
 */
public final class MemoryPki {
    private static MemoryPki shared;

    private final X509Certificate ca;
    private final X509Certificate serverCert;
    private final KeyPair serverKeys;
    private final X509Certificate clientCert;
    private final KeyPair clientKeys;
    private final StaticKey tlsAuthKey;
    private final StaticKey tlsCryptKey;

    private MemoryPki(SecureRandom random) throws Exception {
        KeyPair caKeys = keyPair(random);
        X500Principal caName = new X500Principal("CN=Scripted Test CA");
        ca = issue(random, caName, caKeys, caName, caKeys, null, KeyUsage.keyCertSign | KeyUsage.cRLSign);
        serverKeys = keyPair(random);
        serverCert = issue(random, new X500Principal("CN=server"), serverKeys, caName, caKeys, KeyPurposeId.id_kp_serverAuth,
                KeyUsage.digitalSignature | KeyUsage.keyAgreement);
        clientKeys = keyPair(random);
        clientCert = issue(random, new X500Principal("CN=client"), clientKeys, caName, caKeys, KeyPurposeId.id_kp_clientAuth,
                KeyUsage.digitalSignature);
        tlsAuthKey = StaticKey.generate(random);
        tlsCryptKey = StaticKey.generate(random);
    }

    /** One PKI per JVM (certificate generation costs a few milliseconds each). */
    public static synchronized MemoryPki shared() {
        if (shared == null) {
            try {
                shared = new MemoryPki(new SecureRandom());
            } catch (Exception e) {
                throw new IllegalStateException("cannot build in-memory PKI", e);
            }
        }
        return shared;
    }

    /** TLS client settings: client certificate, CA, and {@code remote-cert-tls server}. */
    public TlsSettings clientTls() {
        return new TlsSettings(true, List.of(ca), List.of(clientCert), clientKeys.getPrivate(),
                new PeerVerification("server", null, null), null, null);
    }

    /** TLS server settings: server certificate, CA, and {@code remote-cert-tls client}. */
    public TlsSettings serverTls() {
        return new TlsSettings(false, List.of(ca), List.of(serverCert), serverKeys.getPrivate(),
                new PeerVerification("client", null, null), null, null);
    }

    public X509Certificate ca() {
        return ca;
    }

    public StaticKey tlsAuthKey() {
        return tlsAuthKey;
    }

    public StaticKey tlsCryptKey() {
        return tlsCryptKey;
    }

    private static KeyPair keyPair(SecureRandom random) throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), random);
        return g.generateKeyPair();
    }

    private static X509Certificate issue(SecureRandom random, X500Principal subject, KeyPair subjectKeys, X500Principal issuer,
            KeyPair issuerKeys, KeyPurposeId eku, int keyUsage) throws Exception {
        Instant now = Instant.now();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, random).add(BigInteger.ONE),
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(365))), subject,
                subjectKeys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(eku == null));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
        if (eku != null) {
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(eku));
        }
        return new JcaX509CertificateConverter()
                .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
    }
}
