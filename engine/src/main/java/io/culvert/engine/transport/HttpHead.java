package io.culvert.engine.transport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The first line and headers of an HTTP/1.1 request or response: the one HTTP head reader, for the WebSocket upgrade
 * on both ends and for a proxy's answer to CONNECT, each with its own limits. {@link #read} consumes exactly the head
 * (through its empty line; CRLF CRLF, or a bare LF LF as OpenVPN accepts), so the bytes after it stay in the stream.
 * Immutable.
 *
 * @param firstLine the request or status line, as sent
 * @param headers name/value pairs in order, names as sent
 */
public record HttpHead(String firstLine, List<Header> headers) {
    /** One header line. */
    public record Header(String name, String value) {}

    /** What was wrong with a head that could not be read; the caller turns it into its own error. */
    public enum Fault {
        /** The stream ended before any byte. */
        CLOSED_BEFORE,
        /** The stream ended inside the head. */
        CLOSED_INSIDE,
        /** More bytes than the caller's limit before the empty line. */
        TOO_LARGE,
        /** A header line without a name and a colon. */
        MALFORMED_HEADER,
        /** More header lines than the caller's limit. */
        TOO_MANY_HEADERS
    }

    /** A head that could not be read, with what was read of its first line (printable) for the caller's message. */
    public static final class Malformed extends IOException {
        private final Fault fault;
        private final String firstLine;

        Malformed(Fault fault, String firstLine) {
            super(fault + ": " + firstLine);
            this.fault = fault;
            this.firstLine = firstLine;
        }

        public Fault fault() {
            return fault;
        }

        /** The first line as far as it was read, made printable (at most 200 characters). */
        public String firstLine() {
            return firstLine;
        }
    }

    public HttpHead {
        headers = List.copyOf(headers);
    }

    /** Values of every header named {@code name} (case-insensitive), in order. */
    public List<String> values(String name) {
        return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(Header::value).toList();
    }

    /** The one value of header {@code name} (several joined with ", "), or null when it is absent. */
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

    /**
     * Reads a head of at most {@code maxBytes} and {@code maxHeaders} header lines from {@code in}, byte by byte,
     * through its empty line.
     *
     * @throws Malformed when the stream ends first, or the head breaks a limit or has a malformed header line
     * @throws IOException when reading fails
     */
    public static HttpHead read(InputStream in, int maxBytes, int maxHeaders) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream(512);
        int last = -1;
        int beforeLast = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new Malformed(head.size() == 0 ? Fault.CLOSED_BEFORE : Fault.CLOSED_INSIDE, firstLine(head.toByteArray()));
            }
            head.write(b);
            if (head.size() > maxBytes) {
                throw new Malformed(Fault.TOO_LARGE, firstLine(head.toByteArray()));
            }
            if (b == '\n' && (last == '\n' || (last == '\r' && beforeLast == '\n'))) {
                return parse(head.toByteArray(), maxHeaders);
            }
            beforeLast = last;
            last = b;
        }
    }

    /** Parses a complete head (through its empty line) of at most {@code maxHeaders} header lines. */
    public static HttpHead parse(byte[] bytes, int maxHeaders) throws Malformed {
        String[] lines = new String(bytes, StandardCharsets.ISO_8859_1).split("\r?\n", -1);
        List<Header> headers = new ArrayList<>();
        for (int i = 1; i < lines.length && !lines[i].isEmpty(); i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                throw new Malformed(Fault.MALFORMED_HEADER, printable(lines[0], 200));
            }
            if (headers.size() >= maxHeaders) {
                throw new Malformed(Fault.TOO_MANY_HEADERS, printable(lines[0], 200));
            }
            headers.add(new Header(lines[i].substring(0, colon).strip(), lines[i].substring(colon + 1).strip()));
        }
        return new HttpHead(lines[0], headers);
    }

    /** Hostile text bound for logs and messages: CR dropped, other control characters replaced, at most {@code max} characters. */
    public static String printable(String s, int max) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && sb.length() < max; i++) {
            char c = s.charAt(i);
            if (c == '\r') {
                continue;
            }
            sb.append(c < 0x20 || c >= 0x7f ? '?' : c);
        }
        return sb.toString();
    }

    private static String firstLine(byte[] bytes) {
        String s = new String(bytes, StandardCharsets.ISO_8859_1);
        int nl = s.indexOf('\n');
        return printable(nl >= 0 ? s.substring(0, nl) : s, 200);
    }
}
