package io.culvert.engine.testkit;

import io.culvert.engine.crypto.StaticKey;
import io.culvert.engine.tls.PeerVerification;
import io.culvert.engine.tls.TlsSettings;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;

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

    private MemoryPki(SecureRandom random) {
        KeyPair caKeys = TestCertificates.ec();
        X500Principal caName = new X500Principal("CN=Scripted Test CA");
        ca = TestCertificates.signedBy(caName, caKeys).subject(caName, caKeys).ca(true)
                .keyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign).issue();
        serverKeys = TestCertificates.ec();
        serverCert = TestCertificates.signedBy(caName, caKeys).subject("CN=server", serverKeys)
                .keyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement).eku(KeyPurposeId.id_kp_serverAuth).issue();
        clientKeys = TestCertificates.ec();
        clientCert = TestCertificates.signedBy(caName, caKeys).subject("CN=client", clientKeys)
                .keyUsage(KeyUsage.digitalSignature).eku(KeyPurposeId.id_kp_clientAuth).issue();
        tlsAuthKey = StaticKey.generate(random);
        tlsCryptKey = StaticKey.generate(random);
    }

    /** One PKI per JVM (certificate generation costs a few milliseconds each). */
    public static synchronized MemoryPki shared() {
        if (shared == null) {
            shared = new MemoryPki(new SecureRandom());
        }
        return shared;
    }

    /** TLS client settings: client certificate, CA, and {@code remote-cert-tls server}. */
    public TlsSettings clientTls() {
        return TlsSettings.forClient().trustAnchors(List.of(ca)).identity(List.of(clientCert), clientKeys.getPrivate())
                .peer(new PeerVerification("server", null, null)).build();
    }

    /** TLS server settings: server certificate, CA, and {@code remote-cert-tls client}. */
    public TlsSettings serverTls() {
        return TlsSettings.forServer().trustAnchors(List.of(ca)).identity(List.of(serverCert), serverKeys.getPrivate())
                .peer(new PeerVerification("client", null, null)).build();
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
}
