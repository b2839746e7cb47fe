package io.culvert.engine.tls;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Everything needed to build one TLS endpoint of the control channel. Instances are immutable.
 *
 * @param client true for the TLS client (the OpenVPN client is always the TLS client)
 * @param trustAnchors the certificates of {@code ca}
 * @param chain own certificate first, then {@code extra-certs}; empty when none
 * @param key own private key, or null
 * @param peer checks on the peer's leaf certificate
 * @param minVersion "1.2" or "1.3"
 * @param maxVersion "1.2" or "1.3"
 * @param revocation crl-verify for the peer's certificate
 * @param clientCerts whether a server asks for and insists on a client certificate (ignored by a client)
 */
public record TlsSettings(
        boolean client,
        List<X509Certificate> trustAnchors,
        List<X509Certificate> chain,
        PrivateKey key,
        PeerVerification peer,
        String minVersion,
        String maxVersion,
        Revocation revocation,
        ClientCerts clientCerts) {

    /** {@code verify-client-cert}: what a server does about client certificates. */
    public enum ClientCerts {
        /** Asks for one and fails the handshake without it (the default). */
        REQUIRE,
        /** Asks for one, verifies it when given, accepts a client without one. */
        OPTIONAL,
        /** Does not ask; clients authenticate by username and password only. */
        NONE
    }

    /** Settings that require a client certificate (servers) or present one (clients). */
    /**
     * A key manager offering this side's own certificate and key (e.g. to a reverse proxy doing mTLS in front of a
     * WebSocket endpoint, ADR 0050), or null when there is none.
     */
    public javax.net.ssl.X509ExtendedKeyManager keyManager() {
        return chain.isEmpty() || key == null ? null : new FixedKeyManager(chain, key);
    }

    public TlsSettings(boolean client, List<X509Certificate> trustAnchors, List<X509Certificate> chain, PrivateKey key,
            PeerVerification peer, String minVersion, String maxVersion, Revocation revocation) {
        this(client, trustAnchors, chain, key, peer, minVersion, maxVersion, revocation, ClientCerts.REQUIRE);
    }

    /** Settings without revocation checking. */
    public TlsSettings(boolean client, List<X509Certificate> trustAnchors, List<X509Certificate> chain, PrivateKey key,
            PeerVerification peer, String minVersion, String maxVersion) {
        this(client, trustAnchors, chain, key, peer, minVersion, maxVersion, Revocation.none(), ClientCerts.REQUIRE);
    }

    /** These settings with {@code extra} checked as well as the configured revocation source. */
    public TlsSettings withRevocation(Revocation extra) {
        return new TlsSettings(client, trustAnchors, chain, key, peer, minVersion, maxVersion,
                Revocation.both(revocation, extra), clientCerts);
    }

    public TlsSettings {
        trustAnchors = List.copyOf(trustAnchors);
        chain = List.copyOf(chain);
    }

    String[] protocols() {
        boolean only13 = "1.3".equals(minVersion);
        boolean only12 = "1.2".equals(maxVersion) || "1.1".equals(maxVersion) || "1.0".equals(maxVersion);
        if (only13 && !only12) {
            return new String[] {"TLSv1.3"};
        }
        if (only12) {
            return new String[] {"TLSv1.2"};
        }
        return new String[] {"TLSv1.3", "TLSv1.2"};
    }
}
