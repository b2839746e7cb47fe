package io.culvert.engine.transport.proxy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * One {@code CONNECT host:port} request to an HTTP proxy, optionally with Basic credentials. Immutable.
 *
 * @param credentials sent as {@code Proxy-Authorization: Basic ...}, or null
 */
public record HttpConnectRequest(String host, int port, HttpProxyOptions options, ProxyCredentials credentials) {

    public HttpConnectRequest {
        if (host.isEmpty() || host.indexOf('\r') >= 0 || host.indexOf('\n') >= 0 || host.indexOf(' ') >= 0) {
            throw new IllegalArgumentException("bad CONNECT host: " + host);
        }
    }

    /** {@code host:port}, with an IPv6 literal in brackets. */
    public String authority() {
        return (host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    }

    /** The request head, CRLF line endings, ending with the empty line. */
    public byte[] toBytes() {
        StringBuilder sb = new StringBuilder();
        sb.append("CONNECT ").append(authority()).append(" HTTP/").append(options.version()).append("\r\n");
        if (options.version().equals("1.1")) {
            sb.append("Host: ").append(authority()).append("\r\n");
        }
        if (options.userAgent() != null) {
            sb.append("User-Agent: ").append(options.userAgent()).append("\r\n");
        }
        if (credentials != null) {
            sb.append("Proxy-Authorization: Basic ").append(basic(credentials)).append("\r\n");
        }
        for (HttpProxyOptions.Header h : options.customHeaders()) {
            sb.append(h.line()).append("\r\n");
        }
        sb.append("\r\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The Basic token: base64 of {@code username:password} in UTF-8 (RFC 7617). */
    public static String basic(ProxyCredentials c) {
        return Base64.getEncoder().encodeToString((c.username() + ":" + c.password()).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "HttpConnectRequest[" + authority() + ", auth=" + (credentials != null) + "]";
    }
}
