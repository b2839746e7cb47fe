package io.culvert.engine.client;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits decrypted control-channel plaintext into NUL-terminated messages, trimming trailing CR/LF and
 * dropping messages with other control characters. Bounded: a message over 2048 bytes is discarded.
 * Not thread-safe.
 */
final class ControlMessageBuffer {
    static final int MAX_MESSAGE = 2048;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private boolean overflow;

    List<String> add(byte[] data) {
        List<String> out = new ArrayList<>();
        for (byte b : data) {
            if (b == 0) {
                if (!overflow) {
                    String msg = clean(partial.toString(StandardCharsets.UTF_8));
                    if (msg != null && !msg.isEmpty()) {
                        out.add(msg);
                    }
                }
                partial.reset();
                overflow = false;
            } else if (partial.size() >= MAX_MESSAGE) {
                overflow = true;
            } else {
                partial.write(b);
            }
        }
        return out;
    }

    private static String clean(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) {
            end--;
        }
        s = s.substring(0, end);
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < 0x20 && s.charAt(i) != '\t') {
                return null;
            }
        }
        return s;
    }
}
