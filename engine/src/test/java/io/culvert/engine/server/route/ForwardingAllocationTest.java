package io.culvert.engine.server.route;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** The data plane's promise: once warm, deciding and counting a packet allocates nothing. */
class ForwardingAllocationTest {

    @Test
    void steadyStateTunDecisionsAndCountingAllocateNothing() {
        assertAllocationFree(NetworkFixture.tun(50));
    }

    @Test
    void steadyStateTapDecisionsAndCountingAllocateNothing() {
        assertAllocationFree(NetworkFixture.tap(50));
    }

    private static void assertAllocationFree(NetworkFixture n) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        n.runOnce(1); // creates the flood caches and pair counters
        int runs = 200;
        long before = threads.getThreadAllocatedBytes(tid);
        long sum = 0;
        for (int i = 0; i < runs; i++) {
            sum += n.runOnce(2);
        }
        long allocated = threads.getThreadAllocatedBytes(tid) - before;
        long packets = (long) runs * n.packetsPerRun();
        // One 16-byte object per packet would be >500 KB here; allow a little for the measurement itself.
        assertTrue(allocated < 16_384, allocated + " bytes allocated for " + packets + " packets (checksum " + sum + ")");
    }
}
