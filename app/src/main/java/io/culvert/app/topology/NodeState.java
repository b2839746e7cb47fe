package io.culvert.app.topology;

import io.culvert.engine.api.InstanceInfo;

/**
 * One instance as the view draws it: its latest info, its fixed place, when it appeared or left (for the
 * animations) and its current rates. Mutable, confined to the FX thread (the {@link TopologyModel} updates it).
 */
public final class NodeState {
    private final int peerId;
    private final int slot;
    private final int hub;
    private final double hubX;
    private final double hubY;
    private final double x;
    private final double y;
    private final long appearedNanos;
    InstanceInfo info;
    long leftNanos = -1;
    double bytesInPerSecond;
    double bytesOutPerSecond;
    /** Client → server unicast rate (up) and server → client (down), bytes per second. */
    double upBytesPerSecond;
    double downBytesPerSecond;
    double broadcastPacketsPerSecond;
    boolean storming;

    /** An instance on slot {@code slot} around hub {@code hub}, which sits at ({@code hubX}, {@code hubY}). */
    NodeState(InstanceInfo info, int hub, double hubX, double hubY, int slot, long appearedNanos) {
        this.peerId = info.peerId();
        this.info = info;
        this.slot = slot;
        this.hub = hub;
        this.hubX = hubX;
        this.hubY = hubY;
        double[] p = SlotLayout.position(slot);
        this.x = hubX + p[0];
        this.y = hubY + p[1];
        this.appearedNanos = appearedNanos;
    }

    public int peerId() {
        return peerId;
    }

    public InstanceInfo info() {
        return info;
    }

    public int slot() {
        return slot;
    }

    /** Which hub it hangs on (its index in {@link TopologyModel#hubs()}; 0 for a single server). */
    public int hub() {
        return hub;
    }

    /** World position of its hub. */
    public double hubX() {
        return hubX;
    }

    public double hubY() {
        return hubY;
    }

    /** World x (a single server's hub is at 0). */
    public double x() {
        return x;
    }

    public double y() {
        return y;
    }

    public long appearedNanos() {
        return appearedNanos;
    }

    /** When it left the server, or -1 while connected. */
    public long leftNanos() {
        return leftNanos;
    }

    public boolean present() {
        return leftNanos < 0;
    }

    /** Bytes per second the server receives from it. */
    public double bytesInPerSecond() {
        return bytesInPerSecond;
    }

    /** Bytes per second the server sends to it. */
    public double bytesOutPerSecond() {
        return bytesOutPerSecond;
    }

    public double upBytesPerSecond() {
        return upBytesPerSecond;
    }

    public double downBytesPerSecond() {
        return downBytesPerSecond;
    }

    /** Broadcast/multicast packets per second it sends (each fanned out to every receiver). */
    public double broadcastPacketsPerSecond() {
        return broadcastPacketsPerSecond;
    }

    /** True while it floods broadcasts above the storm threshold. */
    public boolean storming() {
        return storming;
    }
}
