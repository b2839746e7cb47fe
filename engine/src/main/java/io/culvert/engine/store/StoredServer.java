package io.culvert.engine.store;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A server as stored: its name, the server config text, an opaque reference to its PKI (the PKI decides
 * what it names, for example a folder or a CA id; null when none), and the client-config-dir entries by
 * common name (file text as written in a ccd file). Immutable.
 */
public record StoredServer(long id, String name, String configText, String pkiRef, Map<String, String> ccd,
        Instant createdAt, Instant updatedAt) {

    public StoredServer {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(configText, "configText");
        ccd = Map.copyOf(ccd);
    }
}
