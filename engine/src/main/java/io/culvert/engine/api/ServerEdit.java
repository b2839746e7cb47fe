package io.culvert.engine.api;

import java.util.List;
import java.util.Objects;

/**
 * What {@link ServerAdmin#edit} did: the settings now saved, whether the running server was restarted to apply
 * them, and why clients must import a fresh profile (empty when their profiles still work). Immutable.
 *
 * @param spec the saved settings
 * @param restarted true when the server was running and was restarted with the new settings
 * @param reimportReasons one line per change that alters the profiles clients hold, e.g. "port 1194 → 1195 (the
 *     profile's remote line)"; the CA and client certificates never change on edit
 */
public record ServerEdit(ServerSpec spec, boolean restarted, List<String> reimportReasons) {

    public ServerEdit {
        Objects.requireNonNull(spec, "spec");
        reimportReasons = List.copyOf(reimportReasons);
    }

    /** True when profiles exported before the edit no longer reach the server as it now is. */
    public boolean clientsMustReimport() {
        return !reimportReasons.isEmpty();
    }
}
