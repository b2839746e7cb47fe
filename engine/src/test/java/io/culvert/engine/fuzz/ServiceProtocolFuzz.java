package io.culvert.engine.fuzz;

import static io.culvert.engine.fuzz.Oracle.check;

import io.culvert.engine.daemon.protocol.Json;
import io.culvert.engine.daemon.protocol.JsonException;
import io.culvert.engine.daemon.protocol.JsonLimits;
import io.culvert.engine.daemon.protocol.LineChannel;
import io.culvert.engine.daemon.protocol.MessageCodec;
import io.culvert.engine.daemon.protocol.MessageException;
import io.culvert.engine.daemon.protocol.Op;
import io.culvert.engine.daemon.protocol.ToClient;
import io.culvert.engine.daemon.protocol.ToService;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * Fuzz target (ADR 0015) for culvertd's protocol as a client's or the service's bytes reach the other side: a
 * {@link LineChannel} reads lines from the input, and each line goes through {@link MessageCodec} as the service
 * reads it and as a client reads it (with the request ids mapped onto every operation, so every result shape is
 * read). Oracles: no exception but the documented {@link JsonException} (a {@link MessageException} with a reason)
 * and {@link IOException}; a message read and written back reads back equal; the JSON layer's round trip, nesting
 * and size limits hold.
 */
public final class ServiceProtocolFuzz {
    private static final JsonLimits SMALL = new JsonLimits(4096, 8, 64);
    /** The operation of "pending" request {@code id}: every one in turn, and none for ids past them. */
    private static final LongFunction<Op> PENDING = id -> id >= 0 && id < Op.values().length ? Op.values()[(int) id] : null;

    private ServiceProtocolFuzz() {}

    public static void fuzzerTestOneInput(byte[] data) {
        LineChannel channel = new LineChannel(new ByteArrayInputStream(data), OutputStream.nullOutputStream(), 2048);
        for (int i = 0; i < 16; i++) {
            String line;
            try {
                line = channel.read();
            } catch (JsonException | IOException e) {
                check(e.getMessage() != null, "error without a message");
                break;
            }
            if (line == null) {
                break;
            }
            message(line);
        }
        String text = new String(data, java.nio.charset.StandardCharsets.UTF_8);
        try {
            Object v = Json.parse(text, SMALL);
            check(depth(v) <= SMALL.maxDepth() + 1, "nesting " + depth(v) + " passed the limit");
            roundTrip(v);
        } catch (JsonException e) {
            check(e.getMessage() != null, "error without a message");
        }
    }

    private static void message(String line) {
        try {
            ToService m = MessageCodec.parseToService(line);
            check(reparse(MessageCodec.write(m)).equals(m), "a message to the service does not survive the codec: " + m);
        } catch (JsonException e) {
            documented(e);
        }
        try {
            ToClient m = MessageCodec.parseToClient(line, PENDING);
            check(reparseToClient(MessageCodec.write(m)).equals(m), "a message to a client does not survive the codec: " + m);
        } catch (JsonException e) {
            documented(e);
        }
    }

    private static void documented(JsonException e) {
        check(e.getMessage() != null, "error without a message");
        if (e instanceof MessageException me) {
            check(me.reason() != null, "a message fault without a reason: " + me.getMessage());
        }
    }

    private static ToService reparse(String line) {
        try {
            return MessageCodec.parseToService(line);
        } catch (JsonException e) {
            throw new AssertionError("our own message does not parse: " + line + ": " + e.getMessage(), e);
        }
    }

    private static ToClient reparseToClient(String line) {
        try {
            return MessageCodec.parseToClient(line, PENDING);
        } catch (JsonException e) {
            throw new AssertionError("our own message does not parse: " + line + ": " + e.getMessage(), e);
        }
    }

    private static void roundTrip(Object v) {
        String written = Json.write(v);
        try {
            Object back = Json.parse(written, JsonLimits.PROTOCOL);
            check(java.util.Objects.equals(back, v), "JSON does not read back equal: " + written);
        } catch (JsonException e) {
            throw new AssertionError("written JSON does not parse: " + written, e);
        }
    }

    private static int depth(Object v) {
        if (v instanceof Map<?, ?> m) {
            return 1 + m.values().stream().mapToInt(ServiceProtocolFuzz::depth).max().orElse(0);
        }
        if (v instanceof List<?> l) {
            return 1 + l.stream().mapToInt(ServiceProtocolFuzz::depth).max().orElse(0);
        }
        return 0;
    }
}
