package io.culvert.engine.api;

/** How a client's OpenVPN packets reach the server: the pipe under the session. */
public enum LinkTransport {
    UDP("UDP"),
    TCP("TCP"),
    /** The TCP stream in binary WebSocket messages, usually over HTTPS through a web server (ADR 0042). */
    WEBSOCKET("WebSocket");

    private final String label;

    LinkTransport(String label) {
        this.label = label;
    }

    /** The name a user reads: UDP, TCP or WebSocket. */
    public String label() {
        return label;
    }
}
