package io.culvert.engine.daemon.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

/**
 * A test peer that speaks the socket protocol as raw JSON objects, past the typed messages, so tests can send what
 * no client built on {@link MessageCodec} would (another version, a missing member) and read exactly what arrived.
 */
public final class RawLines {
    private final LineChannel lines;

    public RawLines(InputStream in, OutputStream out) {
        lines = new LineChannel(in, out);
    }

    /** The next object, or null at end of stream. */
    public Map<String, Object> read() throws IOException, JsonException {
        String line = lines.read();
        return line == null ? null : Json.parseObject(line, JsonLimits.PROTOCOL);
    }

    public void write(Map<String, Object> message) throws IOException {
        lines.write(Json.write(message));
    }
}
