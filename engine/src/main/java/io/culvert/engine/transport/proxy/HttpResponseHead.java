package io.culvert.engine.transport.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The status line and headers of a proxy's answer to CONNECT. {@link #read} consumes exactly the head, so the
 * tunnelled bytes after it stay in the stream. Immutable.
 *
 * @param statusLine the first line as sent (made printable), for error messages
 * @param headers name/value pairs in order, names as sent
 */
public record HttpResponseHead(String statusLine, int status, List<Header> headers) {
    /** Largest head accepted, status line and headers together. */
    public static final int MAX_HEAD = 16 * 1024;
    /** Most header lines accepted. */
    public static final int MAX_HEADERS = 100;

    /** One response header. */
    public record Header(String name, String value) {}

    public HttpResponseHead {
        headers = List.copyOf(headers);
    }

    /** True for 2xx, which opens the tunnel. */
    public boolean success() {
        return status >= 200 && status < 300;
    }

    /** Values of every header named {@code name} (case-insensitive), in order. */
    public List<String> values(String name) {
        return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(Header::value).toList();
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

    /** Reads the head from {@code in} byte by byte, up to and including the empty line. */
    public static HttpResponseHead read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream(256);
        int last = -1;
        int beforeLast = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new ProxyException(ProxyException.Reason.MALFORMED, head.size() == 0
                        ? "proxy closed the connection without answering" : "proxy closed the connection inside its answer",
                        firstLine(head.toByteArray()));
            }
            head.write(b);
            if (head.size() > MAX_HEAD) {
                throw new ProxyException(ProxyException.Reason.MALFORMED,
                        "proxy answer head is larger than " + MAX_HEAD + " bytes", firstLine(head.toByteArray()));
            }
            // the head ends at CRLF CRLF; a bare LF LF is accepted too, as OpenVPN does
            if (b == '\n' && (last == '\n' || (last == '\r' && beforeLast == '\n'))) {
                return parse(head.toByteArray());
            }
            beforeLast = last;
            last = b;
        }
    }

    /** Parses a complete head (through its empty line). */
    public static HttpResponseHead parse(byte[] bytes) throws ProxyException {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        String[] lines = text.split("\r?\n", -1);
        String status = printable(lines[0]);
        String[] parts = lines[0].split(" ", 3);
        if (parts.length < 2 || !parts[0].matches("HTTP/1\\.[01]") || !parts[1].matches("[1-5][0-9][0-9]")) {
            throw new ProxyException(ProxyException.Reason.MALFORMED, "proxy sent no valid HTTP status line: " + status,
                    status);
        }
        List<Header> headers = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || headers.size() >= MAX_HEADERS) {
                throw new ProxyException(ProxyException.Reason.MALFORMED,
                        colon <= 0 ? "proxy sent a malformed header line" : "proxy sent more than " + MAX_HEADERS + " headers",
                        status);
            }
            headers.add(new Header(line.substring(0, colon).strip(), line.substring(colon + 1).strip()));
        }
        return new HttpResponseHead(status, Integer.parseInt(parts[1]), headers);
    }

    private static String firstLine(byte[] bytes) {
        String s = new String(bytes, StandardCharsets.ISO_8859_1);
        int nl = s.indexOf('\n');
        return printable(nl >= 0 ? s.substring(0, nl) : s);
    }

    /** Hostile text bound for logs: control characters replaced, at most 200 characters. */
    static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && sb.length() < 200; i++) {
            char c = s.charAt(i);
            if (c == '\r') {
                continue;
            }
            sb.append(c < 0x20 || c >= 0x7f ? '?' : c);
        }
        return sb.toString();
    }
}
