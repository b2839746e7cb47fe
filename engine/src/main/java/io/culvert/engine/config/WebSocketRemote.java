package io.culvert.engine.config;

import io.culvert.engine.config.file.Directive;
import io.culvert.engine.config.file.OvpnParseException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * A WebSocket remote ({@code culvert-remote-websocket wss://host[:port]/path}, a Culvert directive; ADR 0042): the
 * OpenVPN TCP stream in WebSocket messages through a reverse proxy. Stock OpenVPN loads a profile with it when told
 * {@code ignore-unknown-option culvert-remote-websocket} (or written {@code setenv opt culvert-remote-websocket ...})
 * and uses the profile's other remotes. Instances are immutable.
 *
 * @param secure {@code wss}: TLS to the proxy, its certificate and host name checked
 * @param host the proxy's name or address, also the TLS name checked and sent as SNI
 * @param port its port (443 for wss and 80 for ws when the URL names none)
 * @param path the request path (with its query, if any)
 * @param caFile {@code culvert-websocket-ca}: the CA certificates (PEM) the proxy's certificate is checked against
 *     instead of the system's trust store, or null
 * @param tokenFile {@code culvert-websocket-token-file}: the file whose bearer token the upgrade carries (ADR 0046),
 *     or null
 */
public record WebSocketRemote(boolean secure, String host, int port, String path, String caFile, String tokenFile) {
    /** A remote without a token. */
    public WebSocketRemote(boolean secure, String host, int port, String path, String caFile) {
        this(secure, host, port, path, caFile, null);
    }

    /** The remote's directive. */
    public static final String DIRECTIVE = "culvert-remote-websocket";
    /** The custom CA's directive. */
    public static final String CA = "culvert-websocket-ca";

    /** Reads the URL of a {@code culvert-remote-websocket} line; errors name the line. */
    static WebSocketRemote read(Directive d) throws OvpnParseException {
        String text = d.arg(0);
        URI u;
        try {
            u = new URI(text);
        } catch (URISyntaxException e) {
            throw ArgValues.invalid(d, "'" + text + "' is not a URL: " + e.getReason());
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("wss") && !scheme.equals("ws")) {
            throw ArgValues.invalid(d, "'" + text + "' is not a wss:// (or ws://) URL");
        }
        if (u.getHost() == null || u.getHost().isEmpty()) {
            throw ArgValues.invalid(d, "'" + text + "' names no host");
        }
        if (u.getRawUserInfo() != null || u.getRawFragment() != null) {
            throw ArgValues.invalid(d, "'" + text + "' has user information or a fragment");
        }
        boolean secure = scheme.equals("wss");
        String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
        if (u.getRawQuery() != null) {
            path = path + "?" + u.getRawQuery();
        }
        String host = u.getHost().startsWith("[") ? u.getHost().substring(1, u.getHost().length() - 1) : u.getHost();
        return new WebSocketRemote(secure, host, u.getPort() < 0 ? (secure ? 443 : 80) : u.getPort(), path, null);
    }

    /** This remote checked against {@code ca} (null: the system's trust store). */
    WebSocketRemote withCa(String ca) {
        return new WebSocketRemote(secure, host, port, path, ca, tokenFile);
    }

    /** This remote sending the bearer token in {@code file} (null: none). */
    WebSocketRemote withToken(String file) {
        return new WebSocketRemote(secure, host, port, path, caFile, file);
    }

    /** The URL, as a user would write it. */
    public String url() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return (secure ? "wss://" : "ws://") + h + (port == (secure ? 443 : 80) ? "" : ":" + port) + path;
    }
}
