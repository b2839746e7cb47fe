package io.culvert.app.topology;

import io.culvert.engine.api.ServerHandle;
import java.util.function.Supplier;

/**
 * A server the topology view can show: the demo, or a server the server manager started. The supplier is asked on
 * every poll (on a background thread), so a source whose server restarts can hand over the new handle; it returns
 * null while the server is down. Immutable.
 *
 * @param name what the source picker shows
 */
public record TopologySource(String name, Supplier<ServerHandle> server) {
    @Override
    public String toString() {
        return name;
    }
}
