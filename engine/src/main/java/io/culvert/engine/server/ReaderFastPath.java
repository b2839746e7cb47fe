package io.culvert.engine.server;

import java.util.Locale;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's run-to-completion fast path (ADR 0041): a reader thread runs a packet through the core itself instead of
 * handing it to the server thread. The UDP reader opens a data packet for an instance in place and writes it to the
 * device (or seals it for another client) and sends; the device reader routes, seals and sends each packet of a read.
 * Both work under the event loop's owner lock, so the core, its sessions and its counters keep exactly one owner at a
 * time, and both flush the batched output (UDP GSO trains, coalesced device writes) before they let go of it.
 * Control packets, unknown peers and the stateless start still go through the ring to the server thread.
 *
 * <p>On unless the system property {@code culvert.server.fastpath} or the environment variable
 * {@code CULVERT_SERVER_FASTPATH} is {@code off} (the property wins). Thread-safe.
 */
final class ReaderFastPath implements DeviceReader.Direct {
    private static final Logger LOG = LoggerFactory.getLogger(ReaderFastPath.class);

    /** What the fast path runs packets through: {@link ServerCore}'s own entry points (tests give a double). */
    interface Core {
        /** {@link ServerCore#onUdpData}: true when it took the datagram (a data packet for an instance). */
        boolean onUdpData(LinkEndpoint.Udp via, byte[] buf, int off, int len);

        /** {@link ServerCore#onDevice(byte[], int, int)}. */
        void onDevice(byte[] buf, int off, int len);
    }

    private final ReentrantLock lock;
    private final BooleanSupplier stopped;
    private final Core core;
    private final Runnable flush;

    /** A fast path into the server's {@code core}. */
    static ReaderFastPath of(ReentrantLock lock, BooleanSupplier stopped, ServerCore core, Runnable flush) {
        return new ReaderFastPath(lock, stopped, new Core() {
            @Override
            public boolean onUdpData(LinkEndpoint.Udp via, byte[] buf, int off, int len) {
                return core.onUdpData(via, buf, off, len);
            }

            @Override
            public void onDevice(byte[] buf, int off, int len) {
                core.onDevice(buf, off, len);
            }
        }, flush);
    }

    /**
     * A fast path into {@code core} under {@code lock} (the owner's), ending once {@code stopped}; {@code flush} sends
     * what the core batched.
     */
    ReaderFastPath(ReentrantLock lock, BooleanSupplier stopped, Core core, Runnable flush) {
        this.lock = lock;
        this.stopped = stopped;
        this.core = core;
        this.flush = flush;
    }

    /** Whether servers use the fast path, from a property and an environment value (either may be null). */
    static boolean enabled(String property, String environment) {
        String v = property != null ? property : environment;
        return v == null || !v.strip().toLowerCase(Locale.ROOT).equals("off");
    }

    /** The process-wide setting. */
    static boolean enabled() {
        return enabled(System.getProperty("culvert.server.fastpath"), System.getenv("CULVERT_SERVER_FASTPATH"));
    }

    /**
     * Runs the datagrams of a train ({@code count} of them, {@code segment} bytes apart in {@code buf[0, n)}) through
     * the core while they are data packets for an instance; a datagram over {@code maxDatagram} bytes is counted by
     * {@code oversized} and skipped, as the ring path does. Returns how many it took: the caller hands the rest (from
     * the first datagram the core did not take on) to the server thread, so the order of the train is kept.
     */
    int udp(LinkEndpoint.Udp via, byte[] buf, int n, int segment, int count, int maxDatagram, Runnable oversized) {
        lock.lock();
        try {
            if (stopped.getAsBoolean()) {
                return 0;
            }
            int i = 0;
            try {
                for (; i < count; i++) {
                    int at = i * segment;
                    int piece = Math.min(segment, n - at);
                    if (piece > maxDatagram) {
                        oversized.run();
                        continue;
                    }
                    if (!take(via, buf, at, piece)) {
                        break;
                    }
                }
            } finally {
                if (i > 0) {
                    flushGuarded();
                }
            }
            return i;
        } finally {
            lock.unlock();
        }
    }

    private boolean take(LinkEndpoint.Udp via, byte[] buf, int off, int len) {
        try {
            return core.onUdpData(via, buf, off, len);
        } catch (RuntimeException e) {
            LOG.error("Server fast path error (continuing)", e);
            return true; // it was a data packet for an instance: handled, if badly, as the server thread would have
        }
    }

    @Override
    public boolean begin() {
        lock.lock();
        if (stopped.getAsBoolean()) {
            lock.unlock();
            return false;
        }
        return true;
    }

    @Override
    public void packet(byte[] buf, int off, int len) {
        try {
            core.onDevice(buf, off, len);
        } catch (RuntimeException e) {
            LOG.error("Server fast path error (continuing)", e);
        }
    }

    @Override
    public void end() {
        try {
            flushGuarded();
        } finally {
            lock.unlock();
        }
    }

    private void flushGuarded() {
        try {
            flush.run();
        } catch (RuntimeException e) {
            LOG.error("Server fast path flush error (continuing)", e);
        }
    }
}
