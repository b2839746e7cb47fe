package io.culvert.engine.daemon.protocol;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Newline framing over a byte stream: {@link #read()} returns the next line, {@link #write} sends one; what a line
 * means is {@link MessageCodec}'s business. Lines are strict UTF-8 and at most {@link Protocol#MAX_LINE_BYTES} bytes;
 * anything else is a {@link JsonException} after which the caller closes the stream. Reads are for one thread;
 * writes are synchronized.
 */
public final class LineChannel {
    private final InputStream in;
    private final OutputStream out;
    private final int maxLine;
    private final byte[] buf = new byte[8192];
    private int bufPos;
    private int bufLen;

    public LineChannel(InputStream in, OutputStream out) {
        this(in, out, Protocol.MAX_LINE_BYTES);
    }

    public LineChannel(InputStream in, OutputStream out, int maxLine) {
        this.in = in;
        this.out = out;
        this.maxLine = maxLine;
    }

    /** The next line that is not blank, without its newline, or null at end of stream. */
    public String read() throws IOException, JsonException {
        while (true) {
            String line = readLine();
            if (line == null || !line.isBlank()) {
                return line;
            }
        }
    }

    private String readLine() throws IOException, JsonException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            if (bufPos == bufLen) {
                bufLen = in.read(buf);
                bufPos = 0;
                if (bufLen <= 0) {
                    bufLen = 0;
                    if (line.size() > 0) {
                        throw new JsonException("stream ended inside a line");
                    }
                    return null;
                }
            }
            int start = bufPos;
            while (bufPos < bufLen && buf[bufPos] != '\n') {
                bufPos++;
            }
            line.write(buf, start, bufPos - start);
            if (line.size() > maxLine) {
                throw new JsonException("line longer than " + maxLine + " bytes");
            }
            if (bufPos < bufLen) {
                bufPos++;
                return decode(line.toByteArray());
            }
        }
    }

    private static String decode(byte[] bytes) throws JsonException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new JsonException("line is not valid UTF-8");
        }
    }

    /** Writes one line (a newline is added) and flushes. */
    public void write(String line) throws IOException {
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        synchronized (out) {
            out.write(bytes);
            out.flush();
        }
    }
}
