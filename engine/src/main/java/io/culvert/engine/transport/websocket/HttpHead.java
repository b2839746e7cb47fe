package io.culvert.engine.transport.websocket;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The first line and headers of an HTTP/1.1 request or response, read up to a size limit. {@link #read} consumes
 * exactly the head, so the WebSocket frames after it stay in the stream. Immutable.
 *
 * @param firstLine the request or status line
 * @param headers name/value pairs in order, names as sent
 */
public record HttpHead(String firstLine, List<Header> headers) {
    /** Most header lines accepted. */
    public static final int MAX_HEADERS = 64;

    /** One header line. */
    public record Header(String name, String value) {}

    public HttpHead {
        headers = List.copyOf(headers);
    }

    /** Values of every header named {@code name} (case-insensitive), in order. */
    public List<String> values(String name) {
        return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(Header::value).toList();
    }

    /** The one value of header {@code name}, or null when it is absent. */
    public String value(String name) {
        List<String> v = values(name);
        return v.isEmpty() ? null : String.join(", ", v);
    }

    /** True when header {@code name} lists {@code token} among its comma-separated values (case-insensitive). */
    public boolean hasToken(String name, String token) {
        for (String v : values(name)) {
            for (String t : v.split(",")) {
                if (t.strip().equalsIgnoreCase(token)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Reads a head of at most {@code maxBytes} from {@code in}, byte by byte, through its empty line. */
    public static HttpHead read(InputStream in, int maxBytes) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream(512);
        int last = -1;
        int beforeLast = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new WebSocketException(400, head.size() == 0 ? "connection closed before an HTTP head"
                        : "connection closed inside the HTTP head");
            }
            head.write(b);
            if (head.size() > maxBytes) {
                throw new WebSocketException(431, "HTTP head larger than " + maxBytes + " bytes");
            }
            if (b == '\n' && (last == '\n' || (last == '\r' && beforeLast == '\n'))) {
                return parse(head.toByteArray());
            }
            beforeLast = last;
            last = b;
        }
    }

    /** Parses a complete head (through its empty line). */
    public static HttpHead parse(byte[] bytes) throws WebSocketException {
        String[] lines = new String(bytes, StandardCharsets.ISO_8859_1).split("\r?\n", -1);
        List<Header> headers = new ArrayList<>();
        for (int i = 1; i < lines.length && !lines[i].isEmpty(); i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0 || headers.size() >= MAX_HEADERS) {
                throw new WebSocketException(400, colon <= 0 ? "malformed header line" : "more than " + MAX_HEADERS + " headers");
            }
            headers.add(new Header(lines[i].substring(0, colon).strip(), lines[i].substring(colon + 1).strip()));
        }
        return new HttpHead(lines[0], headers);
    }

    /** Hostile text bound for logs: control characters replaced, at most 120 characters. */
    public static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && sb.length() < 120; i++) {
            char c = s.charAt(i);
            sb.append(c < 0x20 || c >= 0x7f ? '?' : c);
        }
        return sb.toString();
    }
}
