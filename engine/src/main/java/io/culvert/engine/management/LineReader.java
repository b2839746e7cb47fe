package io.culvert.engine.management;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Reads LF- or CRLF-terminated UTF-8 lines of bounded length from a stream. Not thread-safe. */
final class LineReader {
    /** A line exceeded the limit. */
    static final class TooLongException extends IOException {
        TooLongException() {
            super("line too long");
        }
    }

    private final InputStream in;
    private final byte[] line;
    private final byte[] buf = new byte[4096];
    private int pos;
    private int end;

    LineReader(InputStream in, int maxLine) {
        this.in = in;
        this.line = new byte[maxLine];
    }

    /** The next line without its terminator, or null at end of stream (a partial last line is dropped). */
    String next() throws IOException {
        int len = 0;
        while (true) {
            if (pos == end) {
                end = in.read(buf);
                pos = 0;
                if (end <= 0) {
                    end = 0;
                    return null;
                }
            }
            byte b = buf[pos++];
            if (b == '\n') {
                if (len > 0 && line[len - 1] == '\r') {
                    len--;
                }
                return new String(line, 0, len, StandardCharsets.UTF_8);
            }
            if (len == line.length) {
                throw new TooLongException();
            }
            line[len++] = b;
        }
    }
}
