package io.culvert.engine.server.pool;

import io.culvert.engine.net.Addresses;
import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * OpenVPN 2.6's ifconfig pool: slot i is the /30 block {@code base+4i} (net30) or the address
 * {@code start+i} (p2p, subnet), plus IPv6 {@code ipv6Base+i}. A client gets the free slot its common
 * name had before, otherwise the free slot released longest ago (never-used slots count as released at
 * time zero, so they go lowest first); with duplicate-cn the lowest free slot. Reserved slots (static
 * addresses) and slots fixed to another name by a read-only persist file are never handed out. Not
 * thread-safe: the server core owns it.
 */
public final class AddressPool {
    /** OpenVPN's IFCONFIG_POOL_MAX. */
    public static final int MAX_SIZE = 65536;

    private final PoolSpec spec;
    private final int base;
    private final int step;
    private final int size;
    private final BigInteger ipv6Base;
    private final boolean[] inUse;
    private final boolean[] reserved;
    private final boolean[] fixed;
    private final String[] names;
    private final long[] releasedAt;
    private long releaseClock;
    private int leased;

    public AddressPool(PoolSpec spec) {
        this.spec = spec;
        int n;
        if (spec.start() != null) {
            int start = v4(spec.start());
            int end = v4(spec.end());
            if (Integer.compareUnsigned(start, end) > 0) {
                throw new IllegalArgumentException("pool start is after pool end");
            }
            step = spec.mode() == PoolSpec.Mode.NET30 ? 4 : 1;
            base = step == 4 ? start & ~3 : start;
            long span = step == 4 ? (((Integer.toUnsignedLong(end) | 3) + 1) - Integer.toUnsignedLong(base)) / 4
                    : Integer.toUnsignedLong(end) - Integer.toUnsignedLong(start) + 1;
            n = (int) Math.min(span, MAX_SIZE);
        } else {
            step = 1;
            base = 0;
            n = MAX_SIZE;
        }
        if (spec.ipv6Base() != null) {
            ipv6Base = Addresses.toBig(spec.ipv6Base());
            int hostBits = 128 - spec.ipv6Bits();
            if (hostBits < 17) {
                BigInteger hostMask = BigInteger.ONE.shiftLeft(hostBits).subtract(BigInteger.ONE);
                long available = (1L << hostBits) - ipv6Base.and(hostMask).longValue();
                n = (int) Math.min(n, Math.max(0, available));
            }
        } else {
            ipv6Base = null;
        }
        size = n;
        inUse = new boolean[n];
        reserved = new boolean[n];
        fixed = new boolean[n];
        names = new String[n];
        releasedAt = new long[n];
    }

    public PoolSpec spec() {
        return spec;
    }

    /** Number of slots. */
    public int size() {
        return size;
    }

    /** Number of slots currently leased. */
    public int leased() {
        return leased;
    }

    /** A free slot for {@code commonName}, or empty when the pool is exhausted. */
    public Optional<Lease> acquire(String commonName, boolean duplicateCn) {
        int fresh = -1;
        int previous = -1;
        for (int i = 0; i < size; i++) {
            if (inUse[i] || reserved[i]) {
                continue;
            }
            if (duplicateCn) {
                if (!fixed[i]) {
                    fresh = i;
                    break;
                }
                continue;
            }
            if (!fixed[i] && (fresh < 0 || releasedAt[i] < releasedAt[fresh])) {
                fresh = i;
            }
            if (previous < 0 && commonName != null && commonName.equals(names[i])) {
                previous = i;
            }
        }
        int chosen = previous >= 0 ? previous : fresh;
        if (chosen < 0) {
            return Optional.empty();
        }
        inUse[chosen] = true;
        leased++;
        if (!duplicateCn) {
            names[chosen] = commonName;
        }
        return Optional.of(lease(chosen, commonName));
    }

    /** Returns the slot; it remembers the common name for a later {@link #acquire}. */
    public void release(Lease lease) {
        int i = lease.index();
        if (i < 0 || i >= size || !inUse[i]) {
            throw new IllegalArgumentException("slot " + i + " is not leased");
        }
        inUse[i] = false;
        leased--;
        releasedAt[i] = ++releaseClock;
    }

    /**
     * Keeps the slot holding {@code address} (a static ifconfig-push address) out of circulation; false when
     * the address is outside the pool. A slot leased at the time stays with its holder until released.
     */
    public boolean reserve(Inet4Address address) {
        int i = indexOf(address);
        if (i >= 0) {
            reserved[i] = true;
        }
        return i >= 0;
    }

    /** Undoes {@link #reserve}; false when the address is outside the pool. */
    public boolean unreserve(Inet4Address address) {
        int i = indexOf(address);
        if (i >= 0) {
            reserved[i] = false;
        }
        return i >= 0;
    }

    /** Whether slot {@code index} is leased or kept out of circulation; false outside the pool. */
    public boolean taken(int index) {
        return index >= 0 && index < size && (inUse[index] || reserved[index]);
    }

    /** Keeps slot {@code index} out of circulation (a client moved onto its address) until {@link #unreserveSlot}. */
    public void reserveSlot(int index) {
        if (index >= 0 && index < size) {
            reserved[index] = true;
        }
    }

    /** Undoes {@link #reserveSlot}. */
    public void unreserveSlot(int index) {
        if (index >= 0 && index < size) {
            reserved[index] = false;
        }
    }

    /**
     * The second word of the {@code ifconfig} a client at {@code address} is pushed (the peer in net30 and p2p, the
     * netmask in subnet), when {@code address} is one this pool hands a client; else null (outside the pool, or a
     * net30 block's network, server or broadcast address).
     */
    public Inet4Address secondWordFor(Inet4Address address) {
        int i = indexOf(address);
        if (i < 0) {
            return null;
        }
        Lease l = lease(i, null);
        return address.equals(l.address()) ? l.peerOrNetmask() : null;
    }

    /** The slot of {@code address} (any address of a net30 block), or -1. */
    public int indexOf(Inet4Address address) {
        if (spec.start() == null) {
            return -1;
        }
        long offset = Integer.toUnsignedLong(v4(address)) - Integer.toUnsignedLong(base);
        long i = offset < 0 ? -1 : offset / step;
        return i >= 0 && i < size ? (int) i : -1;
    }

    /** The slot of {@code address} in the IPv6 range, or -1. */
    public int indexOf(Inet6Address address) {
        if (ipv6Base == null) {
            return -1;
        }
        BigInteger offset = Addresses.toBig(address).subtract(ipv6Base);
        return offset.signum() >= 0 && offset.compareTo(BigInteger.valueOf(size)) < 0 ? offset.intValue() : -1;
    }

    /** Every slot with a remembered common name, for the persist file (net30 stores the /30 base). */
    public List<PoolPersistence.Entry> entries() {
        List<PoolPersistence.Entry> out = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            if (names[i] != null) {
                out.add(new PoolPersistence.Entry(names[i], spec.start() == null ? null : v4(base + step * i),
                        ipv6Base == null ? null : Addresses.fromBig(ipv6Base.add(BigInteger.valueOf(i)))));
            }
        }
        return out;
    }

    /**
     * Applies persisted hints: each entry's slot (found by IPv4, else IPv6) remembers the name as if just
     * released; with {@code fixedEntries} the slot is kept for that name only. Entries outside the pool or
     * for leased slots are skipped; returns how many were applied.
     */
    public int restore(List<PoolPersistence.Entry> entries, boolean fixedEntries) {
        int applied = 0;
        for (PoolPersistence.Entry e : entries) {
            int i = e.ipv4() != null && spec.start() != null ? indexOf(e.ipv4())
                    : e.ipv6() != null ? indexOf(e.ipv6()) : -1;
            if (i < 0 || inUse[i]) {
                continue;
            }
            names[i] = e.commonName();
            fixed[i] = fixedEntries;
            releasedAt[i] = ++releaseClock;
            applied++;
        }
        return applied;
    }

    private Lease lease(int i, String commonName) {
        Inet4Address address = null;
        Inet4Address second = null;
        if (spec.start() != null) {
            int slot = base + step * i;
            switch (spec.mode()) {
                case NET30 -> {
                    address = v4(slot + 2);
                    second = v4(slot + 1);
                }
                case P2P -> {
                    address = v4(slot);
                    second = spec.serverLocal();
                }
                case SUBNET -> {
                    address = v4(slot);
                    second = spec.netmask();
                }
            }
        }
        Inet6Address v6 = ipv6Base == null ? null : Addresses.fromBig(ipv6Base.add(BigInteger.valueOf(i)));
        return new Lease(i, commonName, address, second, v6, spec.ipv6Bits(), spec.serverIpv6());
    }

    static int v4(Inet4Address a) {
        return Addresses.ipv4(a);
    }

    static Inet4Address v4(int v) {
        return Addresses.ipv4(v);
    }
}
