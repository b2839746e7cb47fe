package io.culvert.engine.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.transport.SendRefusedException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The runner's batched link output on an in-memory socket double: datagrams wait for the end of the wake-up, leave in
 * order to their own addresses, a full batch goes early, and a refused datagram is reported without losing the rest.
 */
class BatchedLinkOutputTest {
    private record Datagram(String text, InetSocketAddress to) {}

    private final List<Datagram> wire = new ArrayList<>();
    private final List<IOException> failures = new ArrayList<>();
    private final BatchedLinkOutput out = new BatchedLinkOutput();

    BatchedLinkOutputTest() {
        out.udp = (datagram, to) -> {
            byte[] b = new byte[datagram.remaining()];
            datagram.get(b);
            String text = new String(b, java.nio.charset.StandardCharsets.US_ASCII);
            if (text.startsWith("refuse")) {
                throw new IOException("No buffer space available");
            }
            wire.add(new Datagram(text, to));
        };
        out.failures = (endpoint, e) -> failures.add(e);
    }

    private static LinkEndpoint.Udp peer(int port) {
        return new LinkEndpoint.Udp(new InetSocketAddress("192.0.2.1", port));
    }

    private void send(String text, int port) {
        out.send(peer(port), text.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    @Test
    void datagramsLeaveAtTheFlushInOrderToTheirAddresses() {
        send("a", 1);
        send("b", 2);
        send("c", 1);
        assertTrue(wire.isEmpty(), "held until the end of the wake-up");
        out.flush();
        assertEquals(List.of(new Datagram("a", peer(1).address()), new Datagram("b", peer(2).address()),
                new Datagram("c", peer(1).address())), wire);
        out.flush();
        assertEquals(3, wire.size(), "a second flush sends nothing again");
    }

    @Test
    void aFullBatchIsSentBeforeTheNextDatagramIsHeld() {
        for (int i = 0; i <= BatchedLinkOutput.CAPACITY; i++) {
            send("p" + i, 1);
        }
        assertEquals(BatchedLinkOutput.CAPACITY, wire.size());
        out.flush();
        assertEquals(BatchedLinkOutput.CAPACITY + 1, wire.size());
        for (int i = 0; i < wire.size(); i++) {
            assertEquals("p" + i, wire.get(i).text());
        }
    }

    @Test
    void aRefusedDatagramIsReportedAsRefusedAndTheOthersStillLeave() {
        send("a", 1);
        send("refuse", 2);
        send("c", 3);
        out.flush();
        assertEquals(List.of("a", "c"), wire.stream().map(Datagram::text).toList());
        assertEquals(1, failures.size());
        assertInstanceOf(SendRefusedException.class, failures.getFirst(), "counted as one lost datagram, not a broken link");
    }
}
