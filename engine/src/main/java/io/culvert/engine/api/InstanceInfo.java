package io.culvert.engine.api;

import java.time.Instant;
import java.util.List;

/**
 * One client instance connected to a server, as the GUI's table and topology view show it. Instances are
 * immutable.
 *
 * @param peerId the instance's id on this server (its P_DATA_V2 peer-id)
 * @param commonName the client certificate's CN
 * @param realAddress where the client connects from, "ip:port"
 * @param virtualAddresses tunnel addresses and iroutes it owns
 * @param macs MAC addresses learned from it (TAP)
 * @param cipher negotiated data cipher, or null before the push
 * @param connectedSince when the instance was created
 */
public record InstanceInfo(
        int peerId,
        String commonName,
        String realAddress,
        List<String> virtualAddresses,
        List<String> macs,
        String cipher,
        Instant connectedSince,
        long bytesIn,
        long bytesOut,
        long packetsIn,
        long packetsOut) {

    public InstanceInfo {
        virtualAddresses = List.copyOf(virtualAddresses);
        macs = List.copyOf(macs);
    }
}
