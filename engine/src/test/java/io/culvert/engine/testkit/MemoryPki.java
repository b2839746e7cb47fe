package io.culvert.engine.testkit;

import io.culvert.engine.crypto.StaticKey;
import io.culvert.engine.tls.PeerVerification;
import io.culvert.engine.tls.TlsSettings;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The in-memory view of a throwaway EC P-256 test PKI ({@link PkiMaterial}, the same certificates {@link TestPki}
 * writes to files): a CA, a server and a client certificate with the right EKUs, plus a tls-auth and a tls-crypt key.
 * Immutable; {@link #shared()} is built once per JVM.
 */
public final class MemoryPki {
    private static MemoryPki shared;

    private final PkiMaterial material;

    private MemoryPki(PkiMaterial material) {
        this.material = material;
    }

    /** One PKI per JVM (certificate generation costs a few milliseconds each). */
    public static synchronized MemoryPki shared() {
        if (shared == null) {
            shared = new MemoryPki(PkiMaterial.generate(TestCertificates::ec));
        }
        return shared;
    }

    /** TLS client settings: client certificate, CA, and {@code remote-cert-tls server}. */
    public TlsSettings clientTls() {
        return TlsSettings.forClient().trustAnchors(List.of(ca())).identity(List.of(material.client().cert()),
                        material.client().keys().getPrivate())
                .peer(new PeerVerification("server", null, null)).build();
    }

    /** TLS server settings: server certificate, CA, and {@code remote-cert-tls client}. */
    public TlsSettings serverTls() {
        return TlsSettings.forServer().trustAnchors(List.of(ca())).identity(List.of(material.server().cert()),
                        material.server().keys().getPrivate())
                .peer(new PeerVerification("client", null, null)).build();
    }

    public X509Certificate ca() {
        return material.ca().cert();
    }

    public StaticKey tlsAuthKey() {
        return material.tlsAuthKey();
    }

    public StaticKey tlsCryptKey() {
        return material.tlsCryptKey();
    }
}
