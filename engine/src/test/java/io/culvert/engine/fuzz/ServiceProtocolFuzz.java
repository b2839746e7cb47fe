package io.culvert.engine.fuzz;

import static io.culvert.engine.fuzz.Oracle.check;

import io.culvert.engine.api.EngineEvent;
import io.culvert.engine.service.protocol.Json;
import io.culvert.engine.service.protocol.JsonException;
import io.culvert.engine.service.protocol.JsonLimits;
import io.culvert.engine.service.protocol.LineChannel;
import io.culvert.engine.service.protocol.Wire;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

/**
 * Fuzz target (ADR 0015) for culvertd's protocol as a client's or the service's bytes reach the other side: a
 * {@link LineChannel} reads messages from the input, and each message goes through {@link Json} and every
 * {@link Wire} mapping. Oracles: no exception but the documented {@link JsonException} and {@link IOException};
 * a parsed message written by {@link Json#write} parses back equal; a value read by {@link Wire} and written
 * back reads back equal; nesting and size limits hold.
 */
public final class ServiceProtocolFuzz {
    private static final JsonLimits SMALL = new JsonLimits(4096, 8, 64);

    private ServiceProtocolFuzz() {}

    public static void fuzzerTestOneInput(byte[] data) {
        LineChannel channel = new LineChannel(new ByteArrayInputStream(data), OutputStream.nullOutputStream(), 2048);
        for (int i = 0; i < 16; i++) {
            Map<String, Object> m;
            try {
                m = channel.read();
            } catch (JsonException | IOException e) {
                check(e.getMessage() != null, "error without a message");
                break;
            }
            if (m == null) {
                break;
            }
            message(m);
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

    private static void message(Map<String, Object> m) {
        roundTrip(m);
        try {
            EngineEvent e = Wire.event(m);
            check(Wire.event(reparse(Wire.event(e))).equals(e), "event does not survive the wire: " + e);
        } catch (JsonException e) {
            // documented: not an event
        }
        try {
            var s = Wire.stats(m);
            check(Wire.stats(reparse(Wire.stats(s))).equals(s), "stats do not survive the wire");
        } catch (JsonException e) {
            // documented
        }
        try {
            var info = Wire.info(m);
            check(Wire.info(reparse(Wire.info(info))).equals(info), "connection info does not survive the wire");
        } catch (JsonException e) {
            // documented
        }
        try {
            var inst = Wire.instance(m);
            check(Wire.instance(reparse(Wire.instance(inst))).equals(inst), "instance does not survive the wire");
        } catch (JsonException e) {
            // documented
        }
        try {
            var flow = Wire.flow(m);
            check(Wire.flow(reparse(Wire.flow(flow))).equals(flow), "flow does not survive the wire");
        } catch (JsonException e) {
            // documented
        }
        for (Object v : m.values()) {
            if (v instanceof List<?> l) {
                @SuppressWarnings("unchecked")
                List<Object> list = (List<Object>) l;
                try {
                    Wire.instances(list);
                } catch (JsonException e) {
                    // documented
                }
                try {
                    Wire.flows(list);
                } catch (JsonException e) {
                    // documented
                }
            }
        }
    }

    private static Map<String, Object> reparse(Map<String, Object> m) {
        try {
            return Json.parseObject(Json.write(m), JsonLimits.PROTOCOL);
        } catch (JsonException e) {
            throw new AssertionError("our own JSON does not parse: " + e.getMessage(), e);
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
