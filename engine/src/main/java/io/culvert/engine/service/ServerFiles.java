package io.culvert.engine.service;

import io.culvert.engine.api.ServerFileUpdate;
import io.culvert.engine.service.protocol.Fields;
import io.culvert.engine.service.protocol.JsonException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;

/** Reads the file members of {@code startServer} and {@code updateServerFiles} requests (docs/protocol.md). Stateless. */
final class ServerFiles {
    private ServerFiles() {}

    /** The {@code ccd} member: an object of common name → entry text; empty when absent. */
    static Map<String, String> ccd(Map<String, Object> args) throws JsonException {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : Fields.optObj(args, "ccd").entrySet()) {
            if (!(e.getValue() instanceof String text)) {
                throw new JsonException("ccd entry '" + e.getKey() + "' must be a string");
            }
            out.put(e.getKey(), text);
        }
        return out;
    }

    /** An update from {@code crl} (optional), {@code ccd} (optional) and {@code ccdRemoved} (optional array). */
    static ServerFileUpdate update(Map<String, Object> args) throws JsonException {
        LinkedHashSet<String> removed = new LinkedHashSet<>(args.get("ccdRemoved") == null ? java.util.List.of()
                : Fields.strings(args, "ccdRemoved"));
        try {
            ServerFileUpdate u = new ServerFileUpdate(Fields.optStr(args, "crl"), ccd(args), removed);
            if (u.isEmpty()) {
                throw new JsonException("updateServerFiles needs crl, ccd or ccdRemoved");
            }
            return u;
        } catch (IllegalArgumentException e) {
            throw new JsonException(e.getMessage());
        }
    }
}
