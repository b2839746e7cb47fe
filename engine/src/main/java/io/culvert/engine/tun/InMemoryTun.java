package io.culvert.engine.tun;

import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link TunDevice} backed by two bounded queues, for tests: {@link #inject} feeds {@link #read}, and
 * {@link #takeWritten} returns what was written. Like a real device it never blocks a writer: when the
 * outbound queue is full the packet is dropped and counted. Thread-safe.
 */
public final class InMemoryTun implements TunDevice {
    public static final int DEFAULT_CAPACITY = 1024;
    private static final long CLOSE_CHECK_MILLIS = 20;

    private final String name;
    private final boolean tap;
    private final int mtu;
    private final BlockingQueue<byte[]> inbound;
    private final BlockingQueue<byte[]> outbound;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicLong droppedWrites = new AtomicLong();

    public InMemoryTun(String name, boolean tap, int mtu) {
        this(name, tap, mtu, new ArrayBlockingQueue<>(DEFAULT_CAPACITY), new ArrayBlockingQueue<>(DEFAULT_CAPACITY));
    }

    private InMemoryTun(String name, boolean tap, int mtu, BlockingQueue<byte[]> inbound, BlockingQueue<byte[]> outbound) {
        this.name = Objects.requireNonNull(name, "name");
        this.tap = tap;
        this.mtu = mtu;
        this.inbound = inbound;
        this.outbound = outbound;
    }

    /**
     * Two TUN devices wired back to back: what one writes, the other reads. {@link #inject} and
     * {@link #takeWritten} still work but compete with the peer's reader.
     */
    public static InMemoryTun[] pair(String nameA, String nameB, int mtu) {
        BlockingQueue<byte[]> aToB = new ArrayBlockingQueue<>(DEFAULT_CAPACITY);
        BlockingQueue<byte[]> bToA = new ArrayBlockingQueue<>(DEFAULT_CAPACITY);
        return new InMemoryTun[] {new InMemoryTun(nameA, false, mtu, bToA, aToB), new InMemoryTun(nameB, false, mtu, aToB, bToA)};
    }

    /** Queues a copy of {@code packet} for {@link #read}; throws {@link IllegalStateException} if the queue is full. */
    public void inject(byte[] packet) {
        if (!inbound.offer(packet.clone())) {
            throw new IllegalStateException(name + ": inbound queue is full");
        }
    }

    /** The oldest packet written to this device, or null if none arrives within the timeout. */
    public byte[] takeWritten(long timeout, TimeUnit unit) throws InterruptedException {
        return outbound.poll(timeout, unit);
    }

    /** How many written packets were dropped because nobody took them. */
    public long droppedWrites() {
        return droppedWrites.get();
    }

    public boolean isClosed() {
        return closed.get();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean isTap() {
        return tap;
    }

    @Override
    public int mtu() {
        return mtu;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, buf.length);
        try {
            while (!closed.get()) {
                byte[] packet = inbound.poll(CLOSE_CHECK_MILLIS, TimeUnit.MILLISECONDS);
                if (packet != null) {
                    if (packet.length > len) {
                        throw new IOException(name + ": " + packet.length + "-byte packet does not fit into " + len + " bytes");
                    }
                    System.arraycopy(packet, 0, buf, off, packet.length);
                    return packet.length;
                }
            }
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException(name + ": interrupted");
        }
    }

    @Override
    public void write(byte[] buf, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (closed.get()) {
            throw new IOException(name + ": device is closed");
        }
        if (!outbound.offer(Arrays.copyOfRange(buf, off, off + len))) {
            droppedWrites.incrementAndGet();
        }
    }

    @Override
    public void close() {
        closed.set(true);
    }

    @Override
    public String toString() {
        return "in-memory " + (tap ? "tap " : "tun ") + name;
    }
}
