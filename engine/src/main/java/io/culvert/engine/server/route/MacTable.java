package io.culvert.engine.server.route;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The TAP learning switch: source MAC address → the port it was seen on, a client instance or the server's device
 * ({@link Endpoint#SERVER}), with a quota per port ({@code max-routes-per-client} for instances, a larger one for the
 * device) and ageing (an entry not seen as a source for longer than the age limit is gone). A MAC seen on another port
 * moves there, except that a client cannot take a MAC another connected client is using ({@link #learnFromInstance},
 * ADR 0050). Learning a known MAC and lookups allocate nothing.
 *
 * <p>Not thread-safe: {@code learn}, {@code lookup}, {@code expire} and {@code forget} belong to one data-plane
 * thread. {@link #macsOf} may be called from any thread; it returns the immutable list published by the last change
 * to that instance's MACs.
 */
public final class MacTable {
    /** OpenVPN's default {@code max-routes-per-client}. */
    public static final int DEFAULT_QUOTA = 256;
    /** Default quota of the device port (a bridged LAN may sit behind it). */
    public static final int DEFAULT_DEVICE_QUOTA = 4096;
    /** Default age limit: five minutes, as a Linux bridge. */
    public static final long DEFAULT_AGE_MILLIS = 300_000;

    private final int quota;
    private final int deviceQuota;
    private final long ageMillis;
    private final AddressMap<Entry> entries = new AddressMap<>();
    private final Map<Endpoint, Member> members = new ConcurrentHashMap<>();

    private static final class Entry {
        final long mac;
        Member owner;
        int index;
        long lastSeen;

        Entry(long mac) {
            this.mac = mac;
        }
    }

    /** One instance's MACs: an unordered array (entries know their index, so removal is a swap) plus the published list. */
    private static final class Member {
        final Endpoint id;
        final int quota;
        Entry[] macs = new Entry[4];
        int count;
        volatile List<MacAddress> published = List.of();

        Member(Endpoint id, int quota) {
            this.id = id;
            this.quota = quota;
        }

        void add(Entry e) {
            if (count == macs.length) {
                macs = Arrays.copyOf(macs, count * 2);
            }
            e.owner = this;
            e.index = count;
            macs[count++] = e;
        }

        void remove(Entry e) {
            Entry last = macs[--count];
            macs[e.index] = last;
            last.index = e.index;
            macs[count] = null;
        }

        void publish() {
            List<MacAddress> list = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                list.add(new MacAddress(macs[i].mac));
            }
            published = List.copyOf(list);
        }
    }

    public MacTable() {
        this(DEFAULT_QUOTA, DEFAULT_DEVICE_QUOTA, DEFAULT_AGE_MILLIS);
    }

    /** A table with the default device quota. */
    public MacTable(int quota, long ageMillis) {
        this(quota, DEFAULT_DEVICE_QUOTA, ageMillis);
    }

    /**
     * @param quota       most MACs one instance may own at once
     * @param deviceQuota most MACs the device port may own at once
     * @param ageMillis   an entry unseen for longer than this expires
     */
    public MacTable(int quota, int deviceQuota, long ageMillis) {
        if (quota < 1 || deviceQuota < 1 || ageMillis < 1) {
            throw new IllegalArgumentException("quotas and age must be positive");
        }
        this.quota = quota;
        this.deviceQuota = deviceQuota;
        this.ageMillis = ageMillis;
    }

    /**
     * Records that {@code mac} was seen as a source on port {@code id} (an instance or {@link Endpoint#SERVER}),
     * moving it from any other port. Returns false, changing nothing, when the port is at its quota.
     */
    public boolean learn(long mac, Endpoint id, long nowMillis) {
        Entry e = entries.get(0, mac);
        if (e != null && e.owner.id.equals(id)) {
            e.lastSeen = nowMillis;
            return true;
        }
        Member target = members.get(id);
        if (target == null) {
            target = members.computeIfAbsent(id, k -> new Member(k, k instanceof InstanceId ? quota : deviceQuota));
        }
        if (target.count >= target.quota && expireMember(target, nowMillis) == 0) {
            return false;
        }
        if (e == null) {
            e = new Entry(mac);
            entries.put(0, mac, e);
        } else {
            Member old = e.owner;
            old.remove(e);
            old.publish();
        }
        target.add(e);
        e.lastSeen = nowMillis;
        target.publish();
        return true;
    }

    /** What {@link #learnFromInstance} did. Instances are immutable. */
    public enum Learned {
        /** The MAC is the instance's (it was, or now is). */
        LEARNED,
        /** The instance is at its quota: nothing changed. */
        QUOTA_FULL,
        /** Another connected client owns the MAC and has sent from it within the age limit: nothing changed. */
        HELD_BY_ANOTHER
    }

    /**
     * As {@link #learn} for a frame from client instance {@code id}, except that a MAC another client instance owns
     * and has sent from within the age limit is not taken from it (ADR 0050): it moves only once that client has
     * gone or its entry aged out. A MAC learned from the device side still moves to a client (a host moving from the
     * bridged LAN to the VPN).
     */
    public Learned learnFromInstance(long mac, InstanceId id, long nowMillis) {
        Entry e = entries.get(0, mac);
        if (e != null) {
            if (e.owner.id.equals(id)) {
                e.lastSeen = nowMillis;
                return Learned.LEARNED;
            }
            if (e.owner.id instanceof InstanceId && !isStale(e, nowMillis)) {
                return Learned.HELD_BY_ANOTHER;
            }
        }
        return learn(mac, id, nowMillis) ? Learned.LEARNED : Learned.QUOTA_FULL;
    }

    /** The port (instance or {@link Endpoint#SERVER}) owning {@code mac}, or null if unknown or aged out. */
    public Endpoint lookup(long mac, long nowMillis) {
        Entry e = entries.get(0, mac);
        if (e == null) {
            return null;
        }
        if (isStale(e, nowMillis)) {
            drop(e);
            e.owner.publish();
            return null;
        }
        return e.owner.id;
    }

    /** Removes every aged-out entry; returns how many went. Call it now and then (e.g. once a second). */
    public int expire(long nowMillis) {
        int removed = 0;
        for (Member m : members.values()) {
            removed += expireMember(m, nowMillis);
        }
        return removed;
    }

    /** Removes every MAC the port owns. */
    public void forget(Endpoint id) {
        Member m = members.remove(id);
        if (m != null) {
            for (int i = 0; i < m.count; i++) {
                entries.remove(0, m.macs[i].mac);
            }
            m.published = List.of();
        }
    }

    /** The MACs the port owns, as published by the last change (may include entries not yet swept by ageing). */
    public List<MacAddress> macsOf(Endpoint id) {
        Member m = members.get(id);
        return m == null ? List.of() : m.published;
    }

    /** Number of MACs in the table, stale ones included until swept. */
    public int size() {
        return entries.size();
    }

    private int expireMember(Member m, long nowMillis) {
        int removed = 0;
        for (int i = m.count - 1; i >= 0; i--) {
            Entry e = m.macs[i];
            if (isStale(e, nowMillis)) {
                drop(e);
                removed++;
            }
        }
        if (removed > 0) {
            m.publish();
        }
        return removed;
    }

    private boolean isStale(Entry e, long nowMillis) {
        return nowMillis - e.lastSeen > ageMillis;
    }

    private void drop(Entry e) {
        entries.remove(0, e.mac);
        e.owner.remove(e);
    }
}
