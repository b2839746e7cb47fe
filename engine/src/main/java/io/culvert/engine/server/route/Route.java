package io.culvert.engine.server.route;

import java.util.List;

/**
 * Where the server sends one packet or frame: the decision {@link Forwarding} returns. The data plane is hot, so
 * {@link Forwarding} hands out shared constants and cached instances rather than allocating per packet. Instances are
 * immutable.
 */
public sealed interface Route permits Route.ToDevice, Route.ToInstance, Route.Flood, Route.Denied, Route.Drop {

    /** Write to the server's TUN/TAP device. */
    ToDevice TO_DEVICE = new ToDevice();

    /** Write to the server's TUN/TAP device only. */
    record ToDevice() implements Route {}

    /** Send to one client instance only. */
    record ToInstance(InstanceId target) implements Route {}

    /**
     * Send a copy to each listed instance, and to the device too when {@code alsoDevice}.
     *
     * @param instances immutable; never contains the sender
     * @param withheld the other instances that get no copy because the pair policy denies the sender reaching them
     *     (ADR 0037); immutable, empty without a policy
     */
    record Flood(List<InstanceId> instances, boolean alsoDevice, List<InstanceId> withheld) implements Route {
        public Flood {
            instances = List.copyOf(instances);
            withheld = List.copyOf(withheld);
        }

        /** A flood that withholds nothing. */
        public Flood(List<InstanceId> instances, boolean alsoDevice) {
            this(instances, alsoDevice, List.of());
        }
    }

    /**
     * Discard a client-to-client packet to {@code target}: the pair policy denies the sender reaching it (ADR 0037).
     * Counted per (sender, target) as a {@link FlowKind#DENIED} flow.
     */
    record Denied(InstanceId target) implements Route {}

    /** Discard, for the given reason. */
    record Drop(Cause reason) implements Route {}

    /** Why {@link Forwarding} discards a packet. */
    enum Cause {
        /** Too short for its IP or Ethernet header, or not IPv4/IPv6 on a TUN. */
        MALFORMED,
        /**
         * The source address does not belong to the sending instance: another instance's address (TUN), a MAC another
         * connected client is using (TAP, ADR 0050), a group or zero MAC.
         */
        BAD_SOURCE,
        /** The sending instance is at its MAC quota and cannot learn this source. */
        QUOTA_EXCEEDED,
        /** The destination is on the sender's own side: its own address or MAC, or a device-side MAC for a device frame. */
        TO_SELF,
        /** A unicast packet from the device to an address no instance owns. */
        NO_OWNER,
        /** The sender is not an attached instance. */
        UNKNOWN_SENDER
    }
}
