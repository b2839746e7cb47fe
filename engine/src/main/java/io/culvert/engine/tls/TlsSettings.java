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

    /**
     * A key manager offering this side's own certificate and key (e.g. to a reverse proxy doing mTLS in front of a
     * WebSocket endpoint, ADR 0050), or null when there is none.
     */
    public javax.net.ssl.X509ExtendedKeyManager keyManager() {
        return chain.isEmpty() || key == null ? null : new FixedKeyManager(chain, key);
    }

    /** These settings with {@code extra} checked as well as the configured revocation source. */
    public TlsSettings withRevocation(Revocation extra) {
        return toBuilder().revocation(Revocation.both(revocation, extra)).build();
    }

    public TlsSettings {
        trustAnchors = List.copyOf(trustAnchors);
        chain = List.copyOf(chain);
    }

    /** A builder for the TLS client's settings (the OpenVPN client is always the TLS client). */
    public static Builder forClient() {
        return new Builder(true);
    }

    /** A builder for the TLS server's settings. */
    public static Builder forServer() {
        return new Builder(false);
    }

    /** A builder holding these settings. */
    public Builder toBuilder() {
        return new Builder(client).trustAnchors(trustAnchors).chain(chain).key(key).peer(peer)
                .versions(minVersion, maxVersion).revocation(revocation).clientCerts(clientCerts);
    }

    /**
     * Builds {@link TlsSettings} by name. Starts with no CA, no certificate or key, no checks on the peer, the JDK's
     * TLS versions, no revocation checking and client certificates required.
     */
    public static final class Builder {
        private final boolean client;
        private List<X509Certificate> trustAnchors = List.of();
        private List<X509Certificate> chain = List.of();
        private PrivateKey key;
        private PeerVerification peer = PeerVerification.none();
        private String minVersion;
        private String maxVersion;
        private Revocation revocation = Revocation.none();
        private ClientCerts clientCerts = ClientCerts.REQUIRE;

        private Builder(boolean client) {
            this.client = client;
        }

        /** The certificates of {@code ca}. */
        public Builder trustAnchors(List<X509Certificate> trustAnchors) {
            this.trustAnchors = trustAnchors;
            return this;
        }

        /** Own certificate first, then {@code extra-certs}. */
        public Builder chain(List<X509Certificate> chain) {
            this.chain = chain;
            return this;
        }

        public Builder key(PrivateKey key) {
            this.key = key;
            return this;
        }

        /** Own certificate chain and its private key. */
        public Builder identity(List<X509Certificate> chain, PrivateKey key) {
            return chain(chain).key(key);
        }

        public Builder peer(PeerVerification peer) {
            this.peer = peer;
            return this;
        }

        /** {@code tls-version-min} and {@code tls-version-max}, each "1.2", "1.3" or null for the JDK's default. */
        public Builder versions(String minVersion, String maxVersion) {
            this.minVersion = minVersion;
            this.maxVersion = maxVersion;
            return this;
        }

        public Builder revocation(Revocation revocation) {
            this.revocation = revocation;
            return this;
        }

        public Builder clientCerts(ClientCerts clientCerts) {
            this.clientCerts = clientCerts;
            return this;
        }

        public TlsSettings build() {
            return new TlsSettings(client, trustAnchors, chain, key, peer, minVersion, maxVersion, revocation,
                    clientCerts);
        }
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
