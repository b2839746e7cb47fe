package io.culvert.engine.transport.proxy;

import io.culvert.engine.transport.HttpHead;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A proxy's answer to CONNECT: its status line and headers, read with {@link HttpHead} within this side's limits.
 * {@link #read} consumes exactly the head, so the tunnelled bytes after it stay in the stream. Immutable.
 *
 * @param statusLine the first line as sent (made printable), for error messages
 * @param status the status code
 * @param head the head as read
 */
public record HttpResponseHead(String statusLine, int status, HttpHead head) {
    /** Largest head accepted, status line and headers together. */
    public static final int MAX_HEAD = 16 * 1024;
    /** Most header lines accepted. */
    public static final int MAX_HEADERS = 100;

    /** True for 2xx, which opens the tunnel. */
    public boolean success() {
        return status >= 200 && status < 300;
    }

    /** Values of every header named {@code name} (case-insensitive), in order. */
    public List<String> values(String name) {
        return head.values(name);
    }

    /** The schemes offered in {@code Proxy-Authenticate} headers, lower case ({@code basic}, {@code ntlm}, ...). */
    public List<String> authSchemes() {
        List<String> schemes = new ArrayList<>();
        for (String v : values("Proxy-Authenticate")) {
            String scheme = v.strip().split("[ ,]", 2)[0].toLowerCase(Locale.ROOT);
            if (!scheme.isEmpty()) {
                schemes.add(scheme);
            }
        }
        return schemes;
    }

    /** Reads the head from {@code in}, up to and including the empty line. */
    public static HttpResponseHead read(InputStream in) throws IOException {
        HttpHead head;
        try {
            head = HttpHead.read(in, MAX_HEAD, MAX_HEADERS);
        } catch (HttpHead.Malformed e) {
            String message = switch (e.fault()) {
                case CLOSED_BEFORE -> "proxy closed the connection without answering";
                case CLOSED_INSIDE -> "proxy closed the connection inside its answer";
                case TOO_LARGE -> "proxy answer head is larger than " + MAX_HEAD + " bytes";
                case MALFORMED_HEADER -> "proxy sent a malformed header line";
                case TOO_MANY_HEADERS -> "proxy sent more than " + MAX_HEADERS + " headers";
            };
            throw new ProxyException(ProxyException.Reason.MALFORMED, message, e.firstLine());
        }
        String status = HttpHead.printable(head.firstLine(), 200);
        String[] parts = head.firstLine().split(" ", 3);
        if (parts.length < 2 || !parts[0].matches("HTTP/1\\.[01]") || !parts[1].matches("[1-5][0-9][0-9]")) {
            throw new ProxyException(ProxyException.Reason.MALFORMED, "proxy sent no valid HTTP status line: " + status,
                    status);
        }
        return new HttpResponseHead(status, Integer.parseInt(parts[1]), head);
    }
}
