package io.culvert.engine.config;

import io.culvert.engine.config.file.Directive;
import io.culvert.engine.config.file.OvpnParseException;
import java.net.InetAddress;
import java.util.List;

/**
 * The server's WebSocket endpoint ({@code culvert-websocket HOST:PORT PATH} or {@code culvert-websocket
 * unix:/SOCKET PATH}, a Culvert directive; ADR 0042, 0046): a loopback TCP port or a Unix socket a reverse proxy such
 * as nginx forwards {@code wss} upgrades for {@code PATH} to, beside the server's UDP/TCP sockets.
 * {@code culvert-websocket-trusted-proxy ADDRESS} lines name the proxies whose {@code X-Real-IP} /
 * {@code X-Forwarded-For} are believed (on a Unix socket the proxy is trusted by the socket's group);
 * {@code culvert-websocket-group GROUP} owns the Unix socket; {@code culvert-websocket-token-file FILE} holds a bearer
 * token every upgrade must carry; {@code culvert-websocket-client-cn-header HEADER} names the header in which a trusted
 * proxy passes the client certificate it verified (ADR 0050). Stock OpenVPN skips them written as {@code setenv opt culvert-websocket ...}.
 * Instances are immutable.
 *
 * @param host the loopback address to listen on, as written ({@code 127.0.0.1}, {@code ::1}); null on a Unix socket
 * @param port its port; 0 on a Unix socket
 * @param unixPath the Unix socket's absolute path, or null on a TCP port
 * @param path the request path upgrades must name, starting with {@code /}
 * @param trustedProxies the proxies' addresses, IP literals
 * @param group the group that owns the Unix socket (mode 0660), or null for the server's own group
 * @param tokenFile the file holding the bearer token upgrades must carry, or null for none
 * @param clientCnHeader the header a trusted proxy names the verified client certificate in (its subject DN or common
 *     name), which the OpenVPN certificate's common name must match; or null for none
 * @param line the directive's line
 */
public record WebSocketListen(String host, int port, String unixPath, String path, List<String> trustedProxies,
        String group, String tokenFile, String clientCnHeader, int line) {
    /** The endpoint's directive. */
    public static final String DIRECTIVE = "culvert-websocket";
    /** A trusted proxy's directive. */
    public static final String TRUSTED_PROXY = "culvert-websocket-trusted-proxy";
    /** The Unix socket's group. */
    public static final String GROUP = "culvert-websocket-group";
    /** The bearer token's file (the same directive names the client's copy). */
    public static final String TOKEN_FILE = "culvert-websocket-token-file";
    /** The header carrying the client certificate a trusted proxy verified. */
    public static final String CLIENT_CN_HEADER = "culvert-websocket-client-cn-header";
    /** How a Unix socket endpoint is written. */
    public static final String UNIX_PREFIX = "unix:";

    public WebSocketListen {
        trustedProxies = List.copyOf(trustedProxies);
    }

    /** An endpoint without a proxy-verified client name. */
    public WebSocketListen(String host, int port, String unixPath, String path, List<String> trustedProxies,
            String group, String tokenFile, int line) {
        this(host, port, unixPath, path, trustedProxies, group, tokenFile, null, line);
    }

    /** A loopback TCP endpoint without group or token. */
    public WebSocketListen(String host, int port, String path, List<String> trustedProxies, int line) {
        this(host, port, null, path, trustedProxies, null, null, line);
    }

    /** Whether the endpoint is a Unix socket. */
    public boolean unix() {
        return unixPath != null;
    }

    /** The endpoint as written: {@code HOST:PORT} or {@code unix:/path}. */
    public String where() {
        return unix() ? UNIX_PREFIX + unixPath : (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** Reads {@code culvert-websocket HOST:PORT PATH} or {@code culvert-websocket unix:/SOCKET PATH}; errors name the line. */
    static WebSocketListen read(Directive d) throws OvpnParseException {
        String hp = d.arg(0);
        String path = d.arg(1);
        if (!path.startsWith("/") || !path.matches("[!-~]+")) {
            throw ArgValues.invalid(d, "'" + path + "' is not a path starting with /");
        }
        if (hp.startsWith(UNIX_PREFIX)) {
            String socket = hp.substring(UNIX_PREFIX.length());
            if (!socket.startsWith("/") || socket.endsWith("/") || !socket.matches("[!-~]+")
                    || socket.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 107) {
                throw ArgValues.invalid(d, "'" + hp + "' is not unix:/absolute/path of a socket (at most 107 bytes),"
                        + " e.g. unix:/run/culvert/ws.sock");
            }
            return new WebSocketListen(null, 0, socket, path, List.of(), null, null, d.line());
        }
        int colon = hp.lastIndexOf(':');
        if (colon <= 0) {
            throw ArgValues.invalid(d, "'" + hp + "' is not HOST:PORT (e.g. 127.0.0.1:8081) or unix:/path");
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
                    + " reverse proxy on this host (127.0.0.1 or ::1, or unix:/path)");
        }
        return new WebSocketListen(host, port, null, path, List.of(), null, null, d.line());
    }

    /** Checks {@code culvert-websocket-trusted-proxy ADDRESS}; returns the address. */
    static String trustedProxy(Directive d) throws OvpnParseException {
        if (literal(d.arg(0)) == null) {
            throw ArgValues.invalid(d, "'" + d.arg(0) + "' is not an IP address");
        }
        return d.arg(0);
    }

    /** Checks {@code culvert-websocket-group GROUP}; returns the group's name. */
    static String group(Directive d) throws OvpnParseException {
        if (!d.arg(0).matches("[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}\\$?")) {
            throw ArgValues.invalid(d, "'" + d.arg(0) + "' is not a group name");
        }
        return d.arg(0);
    }

    /**
     * This endpoint trusting {@code proxies}, its socket owned by {@code group}, upgrades needing {@code tokenFile}'s
     * token and, with {@code cnHeader}, a proxy-verified client name.
     */
    WebSocketListen with(List<String> proxies, String group, String tokenFile, String cnHeader) {
        return new WebSocketListen(host, port, unixPath, path, proxies, group, tokenFile, cnHeader, line);
    }

    /** Checks {@code culvert-websocket-client-cn-header HEADER}; returns the header's name. */
    static String clientCnHeader(Directive d) throws OvpnParseException {
        if (!d.arg(0).matches("[A-Za-z0-9][A-Za-z0-9-]{0,63}")) {
            throw ArgValues.invalid(d, "'" + d.arg(0) + "' is not an HTTP header name (letters, digits, -)");
        }
        return d.arg(0);
    }

    private static InetAddress literal(String s) {
        try {
            return InetAddress.ofLiteral(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
