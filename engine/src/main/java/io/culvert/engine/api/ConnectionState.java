package io.culvert.engine.api;

/** The client's connection states, named as OpenVPN's management interface names them. */
public enum ConnectionState {
    /** Resolving and opening the transport to a remote. */
    CONNECTING,
    /** Waiting for the server's first reply. */
    WAIT,
    /** TLS handshake and authentication in progress. */
    AUTH,
    /** Authenticated; waiting for the pushed configuration. */
    GET_CONFIG,
    /** Configuring the tun/tap device's addresses. */
    ASSIGN_IP,
    /** Installing routes. */
    ADD_ROUTES,
    /** Tunnel up, traffic flows. */
    CONNECTED,
    /** Lost the connection; retrying after a pause. */
    RECONNECTING,
    /** Shutting down on request or after a fatal error. */
    EXITING,
    /** Stopped; nothing left on the system. */
    DISCONNECTED
}
