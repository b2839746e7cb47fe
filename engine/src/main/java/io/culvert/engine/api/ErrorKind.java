package io.culvert.engine.api;

/**
 * The one catalogue of runtime failures that cross the engine boundary. The GUI and the CLI turn a
 * kind into words; the engine never builds user-facing prose.
 */
public enum ErrorKind {
    CONFIG_INVALID(true),
    NETWORK_UNREACHABLE(false),
    DNS_RESOLUTION_FAILED(false),
    CONNECTION_REFUSED(false),
    TLS_HANDSHAKE_FAILED(false),
    CERTIFICATE_REJECTED(true),
    TLS_AUTH_FAILED(false),
    AUTH_FAILED(true),
    HANDSHAKE_TIMEOUT(false),
    PUSH_TIMEOUT(false),
    KEEPALIVE_TIMEOUT(false),
    CIPHER_NEGOTIATION_FAILED(true),
    UNSUPPORTED_PUSH(true),
    /** The server pushed an option a {@code pull-filter reject} rule names; like openvpn, the client reconnects. */
    PUSH_REJECTED(false),
    SERVER_RESTART(false),
    SERVER_HALT(true),
    TUN_SETUP_FAILED(true),
    PERMISSION_DENIED(true),
    INTERNAL(false);

    private final boolean haltsReconnect;

    ErrorKind(boolean haltsReconnect) {
        this.haltsReconnect = haltsReconnect;
    }

    /** True when retrying cannot help (bad credentials, bad config) and the client should stop. */
    public boolean haltsReconnect() {
        return haltsReconnect;
    }
}
