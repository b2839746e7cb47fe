package io.culvert.engine.transport.proxy;

import java.util.List;

/**
 * The request-shaping settings of an HTTP proxy ({@code http-proxy-option}): HTTP version, User-Agent and extra
 * headers. Immutable.
 *
 * @param version {@code 1.0} (OpenVPN's default) or {@code 1.1}, which adds a Host header
 * @param userAgent the User-Agent header value, or null for none
 * @param customHeaders extra request headers, in order
 */
public record HttpProxyOptions(String version, String userAgent, List<Header> customHeaders) {
    /** OpenVPN's defaults: HTTP/1.0, no User-Agent, no extra headers. */
    public static final HttpProxyOptions DEFAULT = new HttpProxyOptions("1.0", null, List.of());

    /** One request header; a null value sends {@code name} as the whole line, as OpenVPN does. */
    public record Header(String name, String value) {
        /** The header line without its line ending. */
        public String line() {
            return value == null ? name : name + ": " + value;
        }
    }

    public HttpProxyOptions {
        if (!version.equals("1.0") && !version.equals("1.1")) {
            throw new IllegalArgumentException("HTTP version must be 1.0 or 1.1: " + version);
        }
        customHeaders = List.copyOf(customHeaders);
        for (Header h : customHeaders) {
            if (hasLineBreak(h.name()) || (h.value() != null && hasLineBreak(h.value()))) {
                throw new IllegalArgumentException("header contains a line break: " + h.name());
            }
        }
        if (userAgent != null && hasLineBreak(userAgent)) {
            throw new IllegalArgumentException("User-Agent contains a line break");
        }
    }

    private static boolean hasLineBreak(String s) {
        return s.indexOf('\r') >= 0 || s.indexOf('\n') >= 0;
    }
}
