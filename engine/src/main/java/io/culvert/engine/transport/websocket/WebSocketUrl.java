package io.culvert.engine.transport.websocket;

/**
 * A WebSocket server's URL, {@code ws://host[:port]/path} or {@code wss://host[:port]/path} (RFC 6455 section 3), as
 * the dialer needs it. Immutable.
 *
 * @param secure {@code wss}: TLS to the server (or the proxy in front of it)
 * @param host the server's name or address, also the TLS name checked and sent as SNI
 * @param port its port (443 for wss, 80 for ws when the URL names none)
 * @param path the request target, {@code /} at least
 */
public record WebSocketUrl(boolean secure, String host, int port, String path) {
    /** The {@code Host} header: the host, with the port unless it is the scheme's default. */
    public String hostHeader() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return port == (secure ? 443 : 80) ? h : h + ":" + port;
    }

    @Override
    public String toString() {
        return (secure ? "wss://" : "ws://") + hostHeader() + path;
    }
}
