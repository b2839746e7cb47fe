package io.culvert.engine.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.testkit.FreePorts;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Runs both TcpBlast ends on loopback in this JVM. */
class TcpBlastTest {

    @Test
    void receiverAcceptsTheSameSeededStream() throws Exception {
        long bytes = 3 * 65536 + 12345; // not a block multiple: exercises the short last block
        String out = roundTrip(bytes, 42, 42);
        assertTrue(out.startsWith("OK " + bytes + " "), out);
    }

    @Test
    void receiverReportsFirstDifferingOffset() throws Exception {
        assertEquals("MISMATCH at offset 0", roundTrip(100_000, 1, 2));
    }

    private static String roundTrip(long bytes, long serveSeed, long sendSeed) throws Exception {
        InetSocketAddress addr = new InetSocketAddress(InetAddress.getLoopbackAddress(), FreePorts.tcp());
        CompletableFuture<String> server = CompletableFuture.supplyAsync(() -> {
            try {
                return TcpBlast.serve(addr, bytes, serveSeed);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        for (int attempt = 0; ; attempt++) {
            try {
                TcpBlast.send(addr, bytes, sendSeed);
                break;
            } catch (java.net.SocketException e) {
                if (server.isDone() || attempt > 50) {
                    break; // receiver gave up early (mismatch) or never came up
                }
                Thread.sleep(50);
            }
        }
        return server.get();
    }
}
