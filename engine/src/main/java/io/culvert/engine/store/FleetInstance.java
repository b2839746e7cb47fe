package io.culvert.engine.store;

import java.time.Instant;
import java.util.List;

/**
 * A client instance connected to a server of the fleet, as that server last reported it.
 *
 * @param server the fleet server's name
 * @param peerId the instance's peer-id on that server (unique per server, the key of its flows)
 * @param commonName the client certificate's CN
 * @param realAddress where the client connects from, "ip:port"
 * @param virtualAddresses its tunnel addresses and iroutes
 */
public record FleetInstance(String server, int peerId, String commonName, String realAddress, List<String> virtualAddresses,
        Instant connectedAt, long bytesIn, long bytesOut) {
    public FleetInstance {
        virtualAddresses = List.copyOf(virtualAddresses);
    }
}
