package io.culvert.engine.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The nginx {@code location} block that forwards a WebSocket endpoint to a server's {@code culvert-websocket} socket.
 * The text is {@code docs/nginx/culvert-websocket.conf} (the admin guide shows it; the build copies it here), written
 * for the example {@code culvert-websocket 127.0.0.1:8081 /vpn}; {@link #location} fills in a server's own path and
 * backend address. The wizard shows the result and the nginx interop tests run it.
 */
public final class NginxSnippet {
    /** The documented example's path and backend, replaced by {@link #location}. */
    static final String EXAMPLE_LOCATION = "location /vpn {";
    static final String EXAMPLE_PASS = "proxy_pass http://127.0.0.1:8081;";

    private NginxSnippet() {
    }

    /** The documented template as it is in {@code docs/nginx/culvert-websocket.conf}. */
    public static String template() {
        try (InputStream in = NginxSnippet.class.getResourceAsStream("culvert-websocket.conf")) {
            if (in == null) {
                throw new IllegalStateException("culvert-websocket.conf is missing from the engine jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The location block for a server with {@code culvert-websocket HOST PORT PATH}: {@code location PATH} proxying to
     * {@code http://HOST:PORT} (an IPv6 host in brackets).
     */
    public static String location(String path, String host, int port) {
        if (!path.startsWith("/") || path.chars().anyMatch(c -> c <= ' ' || c == '{' || c == '}' || c == ';')) {
            throw new IllegalArgumentException("not a location path for nginx: " + path);
        }
        String text = template();
        String backend = (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
        return replaceOnce(replaceOnce(text, EXAMPLE_LOCATION, "location " + path + " {"), EXAMPLE_PASS,
                "proxy_pass http://" + backend + ";");
    }

    /**
     * The location block for a server with {@code culvert-websocket unix:SOCKET PATH} (ADR 0046): {@code location PATH}
     * proxying to {@code http://unix:SOCKET:}, nginx's way of naming a Unix socket upstream.
     */
    public static String unixLocation(String path, String socket) {
        if (!socket.startsWith("/") || socket.chars().anyMatch(c -> c <= ' ' || c == '{' || c == '}' || c == ';' || c == ':')) {
            throw new IllegalArgumentException("not a socket path for nginx: " + socket);
        }
        String tcp = location(path, "127.0.0.1", 8081);
        return replaceOnce(tcp, EXAMPLE_PASS, "proxy_pass http://unix:" + socket + ":;");
    }

    private static String replaceOnce(String text, String example, String actual) {
        int at = text.indexOf(example);
        if (at < 0 || text.indexOf(example, at + 1) >= 0) {
            throw new IllegalStateException("culvert-websocket.conf must hold exactly one \"" + example + "\"");
        }
        return text.substring(0, at) + actual + text.substring(at + example.length());
    }
}
