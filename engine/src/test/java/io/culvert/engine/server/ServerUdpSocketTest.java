package io.culvert.engine.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.culvert.engine.sys.LinuxUdpSocket;
import io.culvert.engine.sys.Received;
import io.culvert.engine.sys.UdpSocket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The server's UDP socket ({@link ServerUdp#open}) on host loopback: a burst of a client's GSO trains that
 * arrives while the server's reader is busy waits in the receive buffer for it. The kernel queues each train as one
 * packet and drops it whole when the buffer is full; at the kernel's default buffer a Culvert client's bursts lost
 * trains there, and TCP through the tunnel collapsed on a lossy link (RandomLossInteropTest).
 */
@EnabledOnOs(OS.LINUX)
class ServerUdpSocketTest {
    private static final int SEGMENT = 1300;
    private static final int PER_TRAIN = 40;
    private static final int TRAINS = 24;

    @Test
    void aBurstOfTrainsWaitsForTheReaderInsteadOfBeingDropped() throws Exception {
        long rmemMax = Long.parseLong(Files.readAllLines(Path.of("/proc/sys/net/core/rmem_max")).getFirst().strip());
        long burst = (long) TRAINS * PER_TRAIN * SEGMENT;
        assumeTrue(rmemMax >= 2 * burst, "net.core.rmem_max " + rmemMax + " leaves no room above the kernel's default");
        try (UdpSocket server = ServerUdp.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                LinuxUdpSocket client = LinuxUdpSocket.open(null, server.localAddress(), 0, 0, true, false)) {
            byte[] train = new byte[PER_TRAIN * SEGMENT];
            for (int t = 0; t < TRAINS; t++) {
                train[0] = (byte) t;
                client.sendTrain(train, 0, train.length, SEGMENT, null);
            }

            // The reader comes only now, after the whole burst.
            CompletableFuture<Integer> received = CompletableFuture.supplyAsync(() -> drain(server, TRAINS * PER_TRAIN));
            int got;
            try {
                got = received.get(5, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                server.close(); // wakes the reader, which returns what it counted
                got = received.get(5, TimeUnit.SECONDS);
            }
            assertEquals(TRAINS * PER_TRAIN, got, "datagrams of a " + burst / 1024 + " KiB burst that reached the reader");
        }
    }

    private static int drain(UdpSocket socket, int expected) {
        byte[] buf = new byte[UdpSocket.MAX_DATAGRAM];
        Received from = new Received();
        int count = 0;
        try {
            while (count < expected) {
                int n = socket.receive(buf, 0, buf.length, from);
                if (n < 0) {
                    break;
                }
                count += from.segmentSize() > 0 ? (n + from.segmentSize() - 1) / from.segmentSize() : 1;
            }
        } catch (IOException e) {
            // closed: report what arrived
        }
        return count;
    }
}
