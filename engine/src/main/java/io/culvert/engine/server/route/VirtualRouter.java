package io.culvert.engine.server.route;

import io.culvert.engine.net.IpPrefix;
import io.culvert.engine.net.Addresses;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The server's virtual routing table: which client instance owns an IPv4/IPv6 tunnel address (the pushed ifconfig
 * addresses) or an {@code iroute}/{@code iroute-ipv6} network. Host lookups are one hash probe; networks go by longest
 * prefix, host addresses winning over any network. Lookups allocate nothing.
 *
 * <p>Not thread-safe: learning, forgetting and lookups belong to one data-plane thread. {@link #snapshot()} is the
 * exception: any thread may call it and gets the immutable view published by the last change.
 */
public final class VirtualRouter {

    /** What one instance owns. Instances are immutable. */
    public record Owned(List<InetAddress> addresses, List<IpPrefix> iroutes) {
        public Owned {
            addresses = List.copyOf(addresses);
            iroutes = List.copyOf(iroutes);
        }
    }

    private final AddressMap<InstanceId> ipv4Hosts = new AddressMap<>();
    private final AddressMap<InstanceId> ipv6Hosts = new AddressMap<>();
    private final PrefixTable<InstanceId> ipv4Routes = new PrefixTable<>(32);
    private final PrefixTable<InstanceId> ipv6Routes = new PrefixTable<>(128);
    private final Map<InstanceId, MutableOwned> owners = new HashMap<>();
    private volatile Map<InstanceId, Owned> published = Map.of();

    private record MutableOwned(List<InetAddress> addresses, List<IpPrefix> iroutes) {
        MutableOwned() {
            this(new ArrayList<>(), new ArrayList<>());
        }
    }

    /** Gives the instance a host address; returns the instance that owned it before (now losing it), or null. */
    public InstanceId learnAddress(InstanceId id, InetAddress address) {
        InstanceId previous = address instanceof Inet4Address
                ? ipv4Hosts.put(0, Addresses.ipv4(address) & 0xFFFF_FFFFL, id)
                : ipv6Hosts.put(Addresses.ipv6Hi(address), Addresses.ipv6Lo(address), id);
        if (previous != null && !previous.equals(id)) {
            owners.get(previous).addresses().remove(address);
        }
        MutableOwned mine = owners.computeIfAbsent(id, k -> new MutableOwned());
        if (!mine.addresses().contains(address)) {
            mine.addresses().add(address);
        }
        publish();
        return previous == null || previous.equals(id) ? null : previous;
    }

    /** Routes a network (an iroute) to the instance; returns the instance that owned exactly this network, or null. */
    public InstanceId learnRoute(InstanceId id, IpPrefix prefix) {
        InstanceId previous = prefix.isIpv4()
                ? ipv4Routes.put(0, Addresses.ipv4(prefix.network()) & 0xFFFF_FFFFL, prefix.length(), id)
                : ipv6Routes.put(Addresses.ipv6Hi(prefix.network()), Addresses.ipv6Lo(prefix.network()), prefix.length(), id);
        if (previous != null && !previous.equals(id)) {
            owners.get(previous).iroutes().remove(prefix);
        }
        MutableOwned mine = owners.computeIfAbsent(id, k -> new MutableOwned());
        if (!mine.iroutes().contains(prefix)) {
            mine.iroutes().add(prefix);
        }
        publish();
        return previous == null || previous.equals(id) ? null : previous;
    }

    /** Takes one host address away from the instance (a PUSH_UPDATE moved it); nothing when it does not own it. */
    public void forgetAddress(InstanceId id, InetAddress address) {
        MutableOwned mine = owners.get(id);
        if (mine == null || !mine.addresses().remove(address)) {
            return;
        }
        if (address instanceof Inet4Address) {
            ipv4Hosts.remove(0, Addresses.ipv4(address) & 0xFFFF_FFFFL);
        } else {
            ipv6Hosts.remove(Addresses.ipv6Hi(address), Addresses.ipv6Lo(address));
        }
        publish();
    }

    /** The instance that has {@code address} as a host address (iroutes aside), or null. */
    public InstanceId hostOwner(InetAddress address) {
        return address instanceof Inet4Address
                ? ipv4Hosts.get(0, Addresses.ipv4(address) & 0xFFFF_FFFFL)
                : ipv6Hosts.get(Addresses.ipv6Hi(address), Addresses.ipv6Lo(address));
    }

    /** Removes every address and network the instance owns. */
    public void forget(InstanceId id) {
        MutableOwned mine = owners.remove(id);
        if (mine == null) {
            return;
        }
        for (InetAddress a : mine.addresses()) {
            if (a instanceof Inet4Address) {
                ipv4Hosts.remove(0, Addresses.ipv4(a) & 0xFFFF_FFFFL);
            } else {
                ipv6Hosts.remove(Addresses.ipv6Hi(a), Addresses.ipv6Lo(a));
            }
        }
        for (IpPrefix p : mine.iroutes()) {
            if (p.isIpv4()) {
                ipv4Routes.remove(0, Addresses.ipv4(p.network()) & 0xFFFF_FFFFL, p.length());
            } else {
                ipv6Routes.remove(Addresses.ipv6Hi(p.network()), Addresses.ipv6Lo(p.network()), p.length());
            }
        }
        publish();
    }

    /** The owner of an IPv4 address (int in network order), or null. */
    public InstanceId ownerOfIpv4(int address) {
        long key = address & 0xFFFF_FFFFL;
        InstanceId host = ipv4Hosts.get(0, key);
        return host != null ? host : ipv4Routes.get(0, key);
    }

    /** The owner of an IPv6 address given as its high and low 64 bits, or null. */
    public InstanceId ownerOfIpv6(long hi, long lo) {
        InstanceId host = ipv6Hosts.get(hi, lo);
        return host != null ? host : ipv6Routes.get(hi, lo);
    }

    /** The owner of an address, or null; convenience for cold paths. */
    public InstanceId ownerOf(InetAddress address) {
        return address instanceof Inet4Address
                ? ownerOfIpv4(Addresses.ipv4(address))
                : ownerOfIpv6(Addresses.ipv6Hi(address), Addresses.ipv6Lo(address));
    }

    /** Immutable view of who owns what, as of the last change; safe from any thread. */
    public Map<InstanceId, Owned> snapshot() {
        return published;
    }

    private void publish() {
        Map<InstanceId, Owned> copy = new LinkedHashMap<>();
        owners.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> copy.put(e.getKey(), new Owned(e.getValue().addresses(), e.getValue().iroutes())));
        published = Collections.unmodifiableMap(copy);
    }
}
