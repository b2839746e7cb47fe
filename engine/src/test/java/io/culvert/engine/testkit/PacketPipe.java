package io.culvert.engine.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One direction of an in-memory datagram link. Packets {@link #send sent} are handed out by {@link #drain};
 * with a seeded {@link Random} the pipe can lose, duplicate and reorder them (a reordered packet is held back
 * until the next drain, or swapped with its neighbour). Copies are made on send, so senders may reuse buffers.
 * Not thread-safe.
 */
public final class PacketPipe {
    private final Random random;
    private double loss;
    private double duplication;
    private double reordering;
    private boolean blackhole;
    private boolean holding;
    private List<byte[]> queued = new ArrayList<>();
    private List<byte[]> heldBack = new ArrayList<>();
    private long sent;
    private long lost;

    public PacketPipe(long seed) {
        this.random = new Random(seed);
    }

    /** Sets the impairments, each a probability per packet in [0, 1). */
    public PacketPipe impair(double loss, double duplication, double reordering) {
        this.loss = loss;
        this.duplication = duplication;
        this.reordering = reordering;
        return this;
    }

    /** A perfect link again. */
    public PacketPipe perfect() {
        return impair(0, 0, 0);
    }

    /** While true every packet sent is lost. */
    public void blackhole(boolean on) {
        blackhole = on;
    }

    /** While true packets are queued but not delivered (a stalled link); they arrive once released. */
    public void hold(boolean on) {
        holding = on;
    }

    public void send(byte[] packet) {
        sent++;
        if (blackhole || random.nextDouble() < loss) {
            lost++;
            return;
        }
        queued.add(packet.clone());
        if (random.nextDouble() < duplication) {
            queued.add(packet.clone());
        }
    }

    /** The packets that arrive now, in arrival order. */
    public List<byte[]> drain() {
        if (holding) {
            return List.of();
        }
        List<byte[]> out = heldBack;
        heldBack = new ArrayList<>();
        List<byte[]> now = queued;
        queued = new ArrayList<>();
        for (byte[] p : now) {
            if (reordering > 0 && random.nextDouble() < reordering) {
                if (random.nextBoolean() || out.isEmpty()) {
                    heldBack.add(p);
                } else {
                    out.add(out.size() - 1, p);
                }
            } else {
                out.add(p);
            }
        }
        return out;
    }

    /** Whether a drain would return something now or later. */
    public boolean idle() {
        return holding || queued.isEmpty() && heldBack.isEmpty();
    }

    public long sentCount() {
        return sent;
    }

    public long lostCount() {
        return lost;
    }
}
