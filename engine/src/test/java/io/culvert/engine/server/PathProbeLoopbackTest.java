package io.culvert.engine.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.api.PathCheck;
import io.culvert.engine.packet.Checksum;
import io.culvert.engine.tun.InMemoryTun;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The path check's probe through a real Culvert server and two Culvert clients over loopback with in-memory devices:
 * B's device answers echo requests up to a size the test sets (a black hole above it), and the server's check finds
 * that size as the path MTU, or says the path works at the tunnel's MTU. The probes never reach the server's device.
 */
class PathProbeLoopbackTest {

    @Test
    void theProbeMeasuresThePathMtuToBAndNamesABlackHole(@TempDir Path dir) throws Exception {
        try (LoopbackNetwork net = new LoopbackNetwork(dir, false, true, false, 16)) {
            int a = net.addClient();
            net.awaitConnected(a, 20);
            int b = net.addClient();
            InMemoryTun tb = net.awaitConnected(b, 20);
            String addrB = net.addressOf(b);
            AtomicInteger answersUpTo = new AtomicInteger(1300);
            AtomicInteger requests = new AtomicInteger();
            Thread echo = Thread.ofPlatform().daemon().name("test-echo-b").start(() -> answer(tb, answersUpTo, requests));
            try {
                PathCheck hole = net.server.diagnose("client", addrB, true, 0);
                assertEquals(Integer.valueOf(1300), hole.pathMtu(), () -> String.join("\n", hole.lines()));
                PathCheck.Step answer = hole.answer().orElseThrow(() -> new AssertionError(String.join("\n", hole.lines())));
                assertEquals("path MTU", answer.name());
                assertTrue(answer.words().startsWith("MTU black hole: packets of up to 1300 bytes cross the tunnel to"),
                        answer.words());
                assertTrue(hole.lines().stream().anyMatch(l -> l.startsWith("7. [ok] probe: client answered an echo"
                        + " request from the server's tunnel address 10.8.0.1 in ")), () -> String.join("\n", hole.lines()));
                assertTrue(requests.get() <= PathCheckRunner.MAX_PROBES, "bounded: " + requests.get());

                answersUpTo.set(1500);
                PathCheck works = net.server.diagnose("client", addrB, true, 0);
                assertTrue(works.works(), () -> String.join("\n", works.lines()));
                assertEquals(Integer.valueOf(1500), works.pathMtu());
                assertTrue(works.summary().endsWith("path MTU 1500 bytes"), works.summary());

                answersUpTo.set(0);
                PathCheck silent = net.server.diagnose("client", addrB, true, 0);
                assertEquals("probe", silent.answer().orElseThrow().name());
            } finally {
                echo.interrupt();
            }
            assertEquals(null, net.serverDevice.takeWritten(200, TimeUnit.MILLISECONDS),
                    "no probe or answer reached the server's host");
        }
    }

    /** B's host: answers IPv4 echo requests of at most {@code upTo} bytes, drops bigger ones. */
    private static void answer(InMemoryTun device, AtomicInteger upTo, AtomicInteger requests) {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                byte[] p = device.takeWritten(1, TimeUnit.SECONDS);
                if (p == null || p.length < 28 || (p[0] & 0xf0) != 0x40 || p[9] != 1 || p[20] != 8) {
                    continue;
                }
                requests.incrementAndGet();
                assertEquals(0x40, p[6] & 0x40, "Don't Fragment is set");
                if (p.length > upTo.get()) {
                    continue;
                }
                byte[] r = p.clone();
                System.arraycopy(p, 16, r, 12, 4);
                System.arraycopy(p, 12, r, 16, 4);
                r[20] = 0;
                r[22] = 0;
                r[23] = 0;
                int sum = Checksum.finish(Checksum.sum(r, 20, r.length - 20, 0));
                r[22] = (byte) (sum >>> 8);
                r[23] = (byte) sum;
                device.inject(r);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
