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
 * @param bytesIn bytes received from the client
 * @param bytesOut bytes sent to the client
 * @param packetsIn packets received from the client
 * @param packetsOut packets sent to the client
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

    /** This instance under another peer id (a fleet view numbers the instances of all its servers apart). */
    public InstanceInfo withPeerId(int id) {
        return new InstanceInfo(id, commonName, realAddress, virtualAddresses, macs, cipher, connectedSince, bytesIn,
                bytesOut, packetsIn, packetsOut);
    }

    /** A builder: no addresses, no MACs, no cipher yet, no traffic. */
    public static Builder builder(int peerId, String commonName) {
        return new Builder(peerId, commonName);
    }

    /** Builds {@link InstanceInfo} by name. */
    public static final class Builder {
        private final int peerId;
        private final String commonName;
        private String realAddress;
        private List<String> virtualAddresses = List.of();
        private List<String> macs = List.of();
        private String cipher;
        private Instant connectedSince;
        private long bytesIn;
        private long bytesOut;
        private long packetsIn;
        private long packetsOut;

        private Builder(int peerId, String commonName) {
            this.peerId = peerId;
            this.commonName = commonName;
        }

        /** Where the client connects from, "ip:port". */
        public Builder realAddress(String realAddress) {
            this.realAddress = realAddress;
            return this;
        }

        public Builder virtualAddresses(List<String> virtualAddresses) {
            this.virtualAddresses = virtualAddresses;
            return this;
        }

        public Builder macs(List<String> macs) {
            this.macs = macs;
            return this;
        }

        public Builder cipher(String cipher) {
            this.cipher = cipher;
            return this;
        }

        public Builder connectedSince(Instant connectedSince) {
            this.connectedSince = connectedSince;
            return this;
        }

        /** Bytes received from and sent to the client. */
        public Builder bytes(long in, long out) {
            this.bytesIn = in;
            this.bytesOut = out;
            return this;
        }

        /** Packets received from and sent to the client. */
        public Builder packets(long in, long out) {
            this.packetsIn = in;
            this.packetsOut = out;
            return this;
        }

        public InstanceInfo build() {
            return new InstanceInfo(peerId, commonName, realAddress, virtualAddresses, macs, cipher, connectedSince,
                    bytesIn, bytesOut, packetsIn, packetsOut);
        }
    }
}
