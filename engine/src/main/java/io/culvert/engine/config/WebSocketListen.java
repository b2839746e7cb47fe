package io.culvert.engine.config;

import io.culvert.engine.config.file.Directive;
import io.culvert.engine.config.file.OvpnParseException;
import java.net.InetAddress;
import java.util.List;

/**
 * The server's WebSocket endpoint ({@code culvert-websocket HOST:PORT PATH}, a Culvert directive; ADR 0042): a
 * loopback TCP port a reverse proxy such as nginx forwards {@code wss} upgrades for {@code PATH} to, beside the
 * server's UDP/TCP sockets. {@code culvert-websocket-trusted-proxy ADDRESS} lines name the proxies whose
 * {@code X-Real-IP} / {@code X-Forwarded-For} are believed. Stock OpenVPN skips both written as
 * {@code setenv opt culvert-websocket ...}. Instances are immutable.
 *
 * @param host the loopback address to listen on, as written ({@code 127.0.0.1}, {@code ::1})
 * @param port its port
 * @param path the request path upgrades must name, starting with {@code /}
 * @param trustedProxies the proxies' addresses, IP literals
 * @param line the directive's line
 */
public record WebSocketListen(String host, int port, String path, List<String> trustedProxies, int line) {
    /** The endpoint's directive. */
    public static final String DIRECTIVE = "culvert-websocket";
    /** A trusted proxy's directive. */
    public static final String TRUSTED_PROXY = "culvert-websocket-trusted-proxy";

    public WebSocketListen {
        trustedProxies = List.copyOf(trustedProxies);
    }

    /** Reads {@code culvert-websocket HOST:PORT PATH}; errors name the line. */
    static WebSocketListen read(Directive d) throws OvpnParseException {
        String hp = d.arg(0);
        int colon = hp.lastIndexOf(':');
        if (colon <= 0) {
            throw ArgValues.invalid(d, "'" + hp + "' is not HOST:PORT, e.g. 127.0.0.1:8081");
        }
        String host = hp.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        String portText = hp.substring(colon + 1);
        int port = portText.matches("[0-9]{1,5}") ? Integer.parseInt(portText) : -1;
        if (port < 1 || port > 65535) {
            throw ArgValues.invalid(d, "'" + portText + "' is not a port (1-65535)");
        }
        InetAddress a = literal(host);
        if (a == null || !a.isLoopbackAddress()) {
            throw ArgValues.invalid(d, "'" + host + "' is not a loopback address: the WebSocket endpoint is for a"
                    + " reverse proxy on this host (127.0.0.1 or ::1)");
        }
        String path = d.arg(1);
        if (!path.startsWith("/") || !path.matches("[!-~]+")) {
            throw ArgValues.invalid(d, "'" + path + "' is not a path starting with /");
        }
        return new WebSocketListen(host, port, path, List.of(), d.line());
    }

    /** Checks {@code culvert-websocket-trusted-proxy ADDRESS}; returns the address. */
    static String trustedProxy(Directive d) throws OvpnParseException {
        if (literal(d.arg(0)) == null) {
            throw ArgValues.invalid(d, "'" + d.arg(0) + "' is not an IP address");
        }
        return d.arg(0);
    }

    /** This endpoint trusting {@code proxies}. */
    WebSocketListen trusting(List<String> proxies) {
        return new WebSocketListen(host, port, path, proxies, line);
    }

    private static InetAddress literal(String s) {
        try {
            return InetAddress.ofLiteral(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
