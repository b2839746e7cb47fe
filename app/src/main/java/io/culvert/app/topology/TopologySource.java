package io.culvert.app.topology;

import io.culvert.engine.api.ServerHandle;
import java.util.function.Supplier;

/**
 * What the topology view can show: the demo, a server the server manager started, or a fleet's servers (all or one;
 * issue 15). The supplier is asked on every poll (on a background thread), so a source whose server restarts can hand
 * over the new handle; it returns null while the server is down. A fleet source has no handle: its {@code snapshots}
 * read the fleet's database instead. Immutable.
 *
 * @param name what the source picker shows
 * @param snapshots for a fleet: a whole snapshot per poll (several hubs); null for a server
 */
public record TopologySource(String name, Supplier<ServerHandle> server, Supplier<TopologySnapshot> snapshots) {
    /** A server's source. */
    public TopologySource(String name, Supplier<ServerHandle> server) {
        this(name, server, null);
    }

    /** A source read as whole snapshots (a fleet): nothing to kick or check paths on. */
    public static TopologySource ofSnapshots(String name, Supplier<TopologySnapshot> snapshots) {
        return new TopologySource(name, () -> null, snapshots);
    }

    @Override
    public String toString() {
        return name;
    }
}
