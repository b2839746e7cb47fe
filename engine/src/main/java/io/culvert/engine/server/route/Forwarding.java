package io.culvert.engine.server.route;

import io.culvert.engine.net.IpHeaders;
import io.culvert.engine.net.Addresses;
import io.culvert.engine.common.PairPolicy;
import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The server's per-packet forwarding decision, for a TUN (IP packets, {@link VirtualRouter}) or a TAP (Ethernet frames,
 * {@link MacTable}), with or without {@code client-to-client}. It reads only the headers and answers with a
 * {@link Route}; it never throws on hostile input and, once warmed up, allocates nothing per packet.
 *
 * <p>Deliberate differences from OpenVPN 2.6: a TAP frame from a client to an unknown
 * unicast MAC is flooded to the other clients and the device (issue 3 asks for it), where OpenVPN writes it to the device
 * only; so that traffic to the server host is not flooded, source MACs of frames read from the device are learned too,
 * as belonging to {@link Endpoint#SERVER}, and device frames to such a MAC are dropped (they never left the device's side);
 * and a client's frame from a MAC another connected client is using is dropped as {@link Route.Cause#BAD_SOURCE} where
 * OpenVPN moves the MAC to it (ADR 0050: a client cannot take another's traffic by claiming its MAC).
 *
 * <p>With a {@link PairPolicy} (ADR 0037) a client-to-client unicast between a denied pair is {@link Route.Denied}, and
 * a client's broadcast or flood leaves out the instances it may not reach ({@link Route.Flood#withheld()}). The
 * policy is asked once per pair when an instance attaches, by common name; per packet it is one set lookup.
 *
 * <p>Not thread-safe: one data-plane thread owns it, together with the router or MAC table it was given.
 */
public final class Forwarding {

    /** The kind of device the server runs. */
    public enum Mode {
        /** Layer 3: IPv4/IPv6 packets, routed by virtual address and iroute. */
        TUN,
        /** Layer 2: Ethernet frames, switched by learned MAC address. */
        TAP
    }

    private static final Route.Drop[] DROPS = Arrays.stream(Route.Cause.values())
            .map(Route.Drop::new).toArray(Route.Drop[]::new);

    private final Mode mode;
    private final boolean clientToClient;
    private final PairPolicy policy;
    private final VirtualRouter router;
    private final MacTable macs;
    private final int subnetBroadcast;
    private final boolean hasSubnetBroadcast;
    private final Map<InstanceId, Attached> attached = new HashMap<>();
    private List<InstanceId> all = List.of();
    private Route.Flood floodAll = new Route.Flood(List.of(), false);
    private int generation;

    /** Per-instance cached routes; {@code others} is valid while {@code othersGeneration == generation}. */
    private static final class Attached {
        final InstanceId id;
        final String commonName;
        final Route.ToInstance route;
        final Route.Denied denied;
        /** The attached instances the pair policy denies this one reaching; empty without a policy. */
        final Set<InstanceId> deniedTo = new HashSet<>();
        Route.Flood others;
        int othersGeneration = -1;

        Attached(InstanceId id, String commonName) {
            this.id = id;
            this.commonName = commonName;
            this.route = new Route.ToInstance(id);
            this.denied = new Route.Denied(id);
        }
    }

    private Forwarding(Mode mode, boolean clientToClient, PairPolicy policy, VirtualRouter router, MacTable macs,
            Inet4Address broadcast) {
        this.mode = mode;
        this.clientToClient = clientToClient;
        this.policy = policy;
        this.router = router;
        this.macs = macs;
        this.hasSubnetBroadcast = broadcast != null;
        this.subnetBroadcast = broadcast == null ? 0 : Addresses.ipv4(broadcast);
    }

    /**
     * Forwarding for a TUN server.
     *
     * @param subnetBroadcast the tunnel subnet's broadcast address (topology subnet), treated like 255.255.255.255;
     *                        null if there is none
     */
    public static Forwarding tun(boolean clientToClient, VirtualRouter router, Inet4Address subnetBroadcast) {
        return tun(clientToClient, PairPolicy.OPEN, router, subnetBroadcast);
    }

    /** Forwarding for a TUN server whose client-to-client traffic follows {@code policy}. */
    public static Forwarding tun(boolean clientToClient, PairPolicy policy, VirtualRouter router,
            Inet4Address subnetBroadcast) {
        return new Forwarding(Mode.TUN, clientToClient, policy, router, null, subnetBroadcast);
    }

    /** Forwarding for a TAP server. */
    public static Forwarding tap(boolean clientToClient, MacTable macs) {
        return tap(clientToClient, PairPolicy.OPEN, macs);
    }

    /** Forwarding for a TAP server whose client-to-client traffic follows {@code policy}. */
    public static Forwarding tap(boolean clientToClient, PairPolicy policy, MacTable macs) {
        return new Forwarding(Mode.TAP, clientToClient, policy, null, macs, null);
    }

    public Mode mode() {
        return mode;
    }

    /** Makes the instance a sender and a flood receiver, without a common name. */
    public void attach(InstanceId id) {
        attach(id, null);
    }

    /**
     * Makes the instance a sender and a flood receiver; the pair policy judges it by {@code commonName} (null: none).
     * Its addresses are learned in the router separately.
     */
    public void attach(InstanceId id, String commonName) {
        if (attached.containsKey(id)) {
            return;
        }
        Attached joining = new Attached(id, commonName);
        if (!policy.isOpen()) {
            for (Attached other : attached.values()) {
                if (!policy.allows(commonName, other.commonName)) {
                    joining.deniedTo.add(other.id);
                }
                if (!policy.allows(other.commonName, commonName)) {
                    other.deniedTo.add(id);
                }
            }
        }
        attached.put(id, joining);
        membershipChanged();
    }

    /** Removes the instance, and everything it owns in the router or MAC table. */
    public void detach(InstanceId id) {
        if (attached.remove(id) != null) {
            for (Attached other : attached.values()) {
                other.deniedTo.remove(id);
            }
            membershipChanged();
        }
        if (router != null) {
            router.forget(id);
        }
        if (macs != null) {
            macs.forget(id);
        }
    }

    /** The attached instances, in id order. */
    public List<InstanceId> instances() {
        return all;
    }

    /** Decides where a decrypted packet (TUN) or frame (TAP) from client instance {@code from} goes. */
    public Route fromInstance(InstanceId from, byte[] b, int off, int len, long nowMillis) {
        Attached sender = attached.get(from);
        if (sender == null) {
            return DROPS[Route.Cause.UNKNOWN_SENDER.ordinal()];
        }
        return mode == Mode.TUN ? ipFromInstance(sender, b, off, len) : frameFromInstance(sender, b, off, len, nowMillis);
    }

    /** Decides where a packet (TUN) or frame (TAP) read from the server's device goes. */
    public Route fromDevice(byte[] b, int off, int len, long nowMillis) {
        return mode == Mode.TUN ? ipFromDevice(b, off, len) : frameFromDevice(b, off, len, nowMillis);
    }

    private Route ipFromInstance(Attached sender, byte[] b, int off, int len) {
        int version = IpHeaders.ipVersion(b, off, len);
        if (version == 4) {
            if (!sender.id.equals(router.ownerOfIpv4(IpHeaders.ipv4Source(b, off)))) {
                return DROPS[Route.Cause.BAD_SOURCE.ordinal()];
            }
            if (!clientToClient) {
                return Route.TO_DEVICE;
            }
            int dst = IpHeaders.ipv4Destination(b, off);
            return isIpv4Group(dst) ? othersAndDevice(sender) : unicastFrom(sender, router.ownerOfIpv4(dst), Route.TO_DEVICE);
        }
        if (version == 6) {
            long srcHi = IpHeaders.ipv6SourceHi(b, off);
            if (!IpHeaders.isIpv6LinkLocal(srcHi)
                    && !sender.id.equals(router.ownerOfIpv6(srcHi, IpHeaders.ipv6SourceLo(b, off)))) {
                return DROPS[Route.Cause.BAD_SOURCE.ordinal()];
            }
            if (!clientToClient) {
                return Route.TO_DEVICE;
            }
            long dstHi = IpHeaders.ipv6DestinationHi(b, off);
            return IpHeaders.isIpv6Multicast(dstHi)
                    ? othersAndDevice(sender)
                    : unicastFrom(sender, router.ownerOfIpv6(dstHi, IpHeaders.ipv6DestinationLo(b, off)), Route.TO_DEVICE);
        }
        return DROPS[Route.Cause.MALFORMED.ordinal()];
    }

    private Route frameFromInstance(Attached sender, byte[] b, int off, int len, long nowMillis) {
        if (!IpHeaders.isEthernet(null, 0, len)) {
            return DROPS[Route.Cause.MALFORMED.ordinal()];
        }
        long src = IpHeaders.ethernetSource(b, off);
        if (MacAddress.isGroup(src) || src == 0) {
            return DROPS[Route.Cause.BAD_SOURCE.ordinal()];
        }
        switch (macs.learnFromInstance(src, sender.id, nowMillis)) {
            case QUOTA_FULL -> {
                return DROPS[Route.Cause.QUOTA_EXCEEDED.ordinal()];
            }
            case HELD_BY_ANOTHER -> {
                return DROPS[Route.Cause.BAD_SOURCE.ordinal()];
            }
            case LEARNED -> { }
        }
        if (!clientToClient) {
            return Route.TO_DEVICE;
        }
        long dst = IpHeaders.ethernetDestination(b, off);
        if (MacAddress.isGroup(dst)) {
            return othersAndDevice(sender);
        }
        Endpoint owner = macs.lookup(dst, nowMillis);
        if (owner == Endpoint.SERVER) {
            return Route.TO_DEVICE;
        }
        return unicastFrom(sender, (InstanceId) owner, othersAndDevice(sender));
    }

    private Route ipFromDevice(byte[] b, int off, int len) {
        int version = IpHeaders.ipVersion(b, off, len);
        InstanceId owner;
        if (version == 4) {
            int dst = IpHeaders.ipv4Destination(b, off);
            if (isIpv4Group(dst)) {
                return floodAll;
            }
            owner = router.ownerOfIpv4(dst);
        } else if (version == 6) {
            long dstHi = IpHeaders.ipv6DestinationHi(b, off);
            if (IpHeaders.isIpv6Multicast(dstHi)) {
                return floodAll;
            }
            owner = router.ownerOfIpv6(dstHi, IpHeaders.ipv6DestinationLo(b, off));
        } else {
            return DROPS[Route.Cause.MALFORMED.ordinal()];
        }
        Attached target = owner == null ? null : attached.get(owner);
        return target == null ? DROPS[Route.Cause.NO_OWNER.ordinal()] : target.route;
    }

    private Route frameFromDevice(byte[] b, int off, int len, long nowMillis) {
        if (!IpHeaders.isEthernet(null, 0, len)) {
            return DROPS[Route.Cause.MALFORMED.ordinal()];
        }
        long src = IpHeaders.ethernetSource(b, off);
        if (!MacAddress.isGroup(src) && src != 0) {
            macs.learn(src, Endpoint.SERVER, nowMillis); // at the device quota: unlearned, the frame still goes out
        }
        long dst = IpHeaders.ethernetDestination(b, off);
        if (MacAddress.isGroup(dst)) {
            return floodAll;
        }
        Endpoint owner = macs.lookup(dst, nowMillis);
        if (owner == Endpoint.SERVER) {
            return DROPS[Route.Cause.TO_SELF.ordinal()];
        }
        Attached target = owner == null ? null : attached.get(owner);
        return target == null ? floodAll : target.route;
    }

    /** Client-to-client unicast: straight to the owning instance; {@code unknown} when no attached instance owns it. */
    private Route unicastFrom(Attached sender, InstanceId owner, Route unknown) {
        if (owner == null) {
            return unknown;
        }
        if (owner.equals(sender.id)) {
            return DROPS[Route.Cause.TO_SELF.ordinal()];
        }
        Attached target = attached.get(owner);
        if (target == null) {
            return unknown;
        }
        return !sender.deniedTo.isEmpty() && sender.deniedTo.contains(owner) ? target.denied : target.route;
    }

    private boolean isIpv4Group(int dst) {
        return (dst >>> 28) == 0xE || dst == -1 || (hasSubnetBroadcast && dst == subnetBroadcast);
    }

    private Route.Flood othersAndDevice(Attached sender) {
        if (sender.othersGeneration != generation) {
            List<InstanceId> others = new ArrayList<>(all.size());
            List<InstanceId> withheld = new ArrayList<>(sender.deniedTo.size());
            for (InstanceId id : all) {
                if (!id.equals(sender.id)) {
                    (sender.deniedTo.contains(id) ? withheld : others).add(id);
                }
            }
            sender.others = new Route.Flood(others, true, withheld);
            sender.othersGeneration = generation;
        }
        return sender.others;
    }

    private void membershipChanged() {
        all = attached.keySet().stream().sorted().toList();
        floodAll = new Route.Flood(all, false);
        generation++;
    }
}
