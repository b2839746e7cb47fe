package io.culvert.engine.server.route;

import io.culvert.engine.net.Addresses;
import io.culvert.engine.net.IpHeaders;
import io.culvert.engine.net.IpPrefix;
import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A fleet server's counters of traffic its clients send out through its device to addresses inside other fleet
 * servers' pools (ADR 0056): per (source instance, destination IPv4 address) packets and bytes, so the fleet's topology
 * can draw a client on one server talking to a client on another. Bounded: each registered instance has a table of
 * {@link #PER_INSTANCE} destinations made when it registers; a packet to a further destination is counted in
 * {@link #overflow()} and nothing grows. Counting allocates nothing.
 *
 * <p>Thread-safe: the data plane counts while any thread takes a {@link #snapshot()} or sets the {@link #pools}.
 */
public final class RemoteFlows {
    /** How many distinct destinations are counted per source instance. */
    public static final int PER_INSTANCE = 32;

    /** The IPv4 pools, as network and mask pairs: replaced whole, read per packet. */
    private volatile int[] pools = new int[0];
    private final ConcurrentHashMap<InstanceId, Table> tables = new ConcurrentHashMap<>();
    private final AtomicLong overflow = new AtomicLong();

    /** Destinations of one source: slots are claimed once and never freed (the table goes with its instance). */
    private static final class Table {
        final AtomicInteger used = new AtomicInteger();
        final AtomicIntegerArray addresses = new AtomicIntegerArray(PER_INSTANCE);
        final AtomicLongArray counters = new AtomicLongArray(2 * PER_INSTANCE);
    }

    /** One counted (source, destination): packets and bytes since the source registered. Immutable. */
    public record Sample(InstanceId source, Inet4Address destination, long packets, long bytes) {}

    /** Counts from now on towards the IPv4 networks of {@code networks} (the other servers' pools); others are ignored. */
    public void pools(List<IpPrefix> networks) {
        List<IpPrefix> v4 = networks.stream().filter(IpPrefix::isIpv4).toList();
        int[] next = new int[2 * v4.size()];
        for (int i = 0; i < v4.size(); i++) {
            int mask = Addresses.prefixMask(v4.get(i).length());
            next[2 * i] = Addresses.ipv4(v4.get(i).network()) & mask;
            next[2 * i + 1] = mask;
        }
        pools = next;
    }

    /** Starts counting for the instance, from zero. */
    public void register(InstanceId id) {
        tables.put(id, new Table());
    }

    /** Stops counting for the instance and drops its counters. */
    public void forget(InstanceId id) {
        tables.remove(id);
    }

    /**
     * Counts the IPv4 packet at {@code buf[off, off + len)} that {@code source} sent out through the device, if its
     * destination is inside one of the pools; anything else (IPv6, too short, an unregistered source) is ignored.
     */
    public void count(InstanceId source, byte[] buf, int off, int len) {
        int[] p = pools;
        if (p.length == 0 || !IpHeaders.isIpv4(buf, off, len)) {
            return;
        }
        int destination = IpHeaders.ipv4Destination(buf, off);
        if (!inside(p, destination)) {
            return;
        }
        Table t = tables.get(source);
        if (t != null) {
            int slot = slot(t, destination);
            if (slot < 0) {
                overflow.incrementAndGet();
            } else {
                t.counters.getAndIncrement(2 * slot);
                t.counters.getAndAdd(2 * slot + 1, len);
            }
        }
    }

    /** Forgets every instance and its counters (a new run of the server; the pools stay). */
    public void clear() {
        tables.clear();
    }

    /** Packets not counted because their source's table was full, since start. */
    public long overflow() {
        return overflow.get();
    }

    /** Every non-zero counter, by source then in the order destinations were first seen. */
    public List<Sample> snapshot() {
        List<Sample> out = new ArrayList<>();
        tables.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            Table t = e.getValue();
            Map<Integer, long[]> merged = new LinkedHashMap<>(); // two writers racing for one destination: two slots
            int used = Math.min(t.used.get(), PER_INSTANCE);
            for (int i = 0; i < used; i++) {
                int a = t.addresses.get(i);
                long packets = t.counters.get(2 * i);
                if (a != 0 && packets != 0) {
                    long[] c = merged.computeIfAbsent(a, k -> new long[2]);
                    c[0] += packets;
                    c[1] += t.counters.get(2 * i + 1);
                }
            }
            merged.forEach((a, c) -> out.add(new Sample(e.getKey(), Addresses.ipv4(a), c[0], c[1])));
        });
        return out;
    }

    /** The destination's slot, claimed if new; -1 when the table is full. */
    private static int slot(Table t, int destination) {
        int used = t.used.get();
        for (int i = 0; i < Math.min(used, PER_INSTANCE); i++) {
            if (t.addresses.get(i) == destination) {
                return i;
            }
        }
        while (used < PER_INSTANCE) {
            if (t.used.compareAndSet(used, used + 1)) {
                t.addresses.set(used, destination);
                return used;
            }
            used = t.used.get();
        }
        return -1;
    }

    private static boolean inside(int[] p, int address) {
        for (int i = 0; i < p.length; i += 2) {
            if ((address & p[i + 1]) == p[i]) {
                return true;
            }
        }
        return false;
    }
}
