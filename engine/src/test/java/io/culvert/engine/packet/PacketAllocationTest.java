package io.culvert.engine.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * The steady state allocates nothing: 10,000 packets through each codec, measured with the JVM's per-thread
 * allocation counter. A single object per packet would show as at least 160,000 bytes.
 */
class PacketAllocationTest {
    private static final int PACKETS = 10_000;
    private static final int STRIDE = 2048;

    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private long written;

    @Test
    void segmentingTenThousandPacketsAllocatesNothing() {
        byte[] superSegment = RefPackets.superSegment(RefPackets.capture("kernel-tcp4.hex").subList(0, 5));
        byte[] partial = RefPackets.capture("kernel-vnet-udp4-csum.hex").getFirst();
        Segmenter segmenter = new Segmenter(64);
        byte[] out = new byte[STRIDE * 8];
        Runnable work = () -> {
            for (int i = 0; i < PACKETS / 5; i++) {
                written += segmenter.segment(superSegment, 0, superSegment.length, false, out, 0, STRIDE, 32);
                written += segmenter.segment(partial, 0, partial.length, false, out, 0, STRIDE, 32);
            }
        };

        long bytes = allocatedBy(work);

        assertTrue(bytes < PACKETS, "allocated " + bytes + " bytes for " + PACKETS + " segments");
    }

    @Test
    void coalescingTenThousandPacketsAllocatesNothing() {
        byte[][] kernel = RefPackets.capture("kernel-tcp6.hex").toArray(byte[][]::new);
        byte[] udp = RefPackets.capture("kernel-udp6.hex").getFirst();
        TcpCoalescer coalescer = new TcpCoalescer(false, (b, off, len) -> written += len, 4, 64, 1 << 16);
        Runnable work = () -> {
            for (int i = 0; i < PACKETS / 11; i++) {
                for (byte[] p : kernel) {
                    coalescer.add(p, 0, p.length);
                }
                coalescer.add(udp, 0, udp.length);
                coalescer.flush();
            }
        };

        long bytes = allocatedBy(work);

        assertTrue(bytes < PACKETS, "allocated " + bytes + " bytes for " + PACKETS + " packets");
    }

    private long allocatedBy(Runnable work) {
        long id = Thread.currentThread().threadId();
        for (int warm = 0; warm < 20; warm++) {
            work.run();
        }
        written = 0;
        long before = threads.getThreadAllocatedBytes(id);
        work.run();
        long after = threads.getThreadAllocatedBytes(id);
        assertTrue(written > 0);
        assertEquals(true, threads.isThreadAllocatedMemoryEnabled());
        return after - before;
    }
}
