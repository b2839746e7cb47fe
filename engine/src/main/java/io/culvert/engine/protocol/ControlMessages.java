package io.culvert.engine.protocol;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The NUL-terminated ASCII control messages carried as TLS plaintext after key-method-2 (PUSH_REQUEST,
 * PUSH_REPLY, AUTH_FAILED, EXIT, ...). Stateless.
 */
public final class ControlMessages {

    /** Largest message including its NUL that a 2.6 peer reads ({@code TLS_CHANNEL_BUF_SIZE} minus one). */
    public static final int MAX_MESSAGE_WITH_NUL = 2047;

    private ControlMessages() {}

    /**
     * Splits one TLS record's plaintext at NUL bytes. Trailing CR/LF are stripped; empty messages,
     * messages with other non-printable bytes, and bytes after the last NUL are dropped.
     */
    public static List<String> split(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        List<String> out = new ArrayList<>();
        int start = off;
        for (int i = off; i < off + len; i++) {
            if (b[i] == 0) {
                String m = clean(b, start, i - start);
                if (m != null) {
                    out.add(m);
                }
                start = i + 1;
            }
        }
        return out;
    }

    /** The wire form of a message: ASCII bytes and a NUL. Rejects non-printable text and oversized messages. */
    public static byte[] encode(String msg) {
        int n = msg.length();
        if (n + 1 > MAX_MESSAGE_WITH_NUL) {
            throw new IllegalArgumentException("control message too long: " + n);
        }
        for (int i = 0; i < n; i++) {
            if (!printable(msg.charAt(i))) {
                throw new IllegalArgumentException("non-printable character in control message at " + i);
            }
        }
        byte[] out = new byte[n + 1];
        System.arraycopy(msg.getBytes(StandardCharsets.US_ASCII), 0, out, 0, n);
        return out;
    }

    /** A message body without its NUL, cleaned as 2.6 does; {@code null} if it must be dropped. */
    static String clean(byte[] b, int off, int len) {
        int end = off + len;
        while (end > off && (b[end - 1] == '\r' || b[end - 1] == '\n')) {
            end--;
        }
        if (end == off) {
            return null;
        }
        for (int i = off; i < end; i++) {
            if (!printable((char) (b[i] & 0xFF))) {
                return null;
            }
        }
        return new String(b, off, end - off, StandardCharsets.US_ASCII);
    }

    private static boolean printable(char c) {
        return c >= 0x20 && c < 0x7F;
    }
}
