package io.culvert.engine.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.sys.InMemoryUdpSocket;
import io.culvert.engine.sys.Received;
import io.culvert.engine.sys.UdpSocket;
import io.culvert.engine.transport.SendRefusedException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The runner's batched link output on the in-memory socket double: datagrams wait for the end of the wake-up, leave
 * grouped by peer in order per peer, equal-size runs as one GSO train each, a full batch goes early, a path that
 * refuses GSO still gets every datagram, and a refused datagram is reported without losing the rest.
 */
@Timeout(10) // a missing datagram would block a receive
class BatchedLinkOutputTest {
    private static final InetSocketAddress SERVER = new InetSocketAddress("192.0.2.10", 1194);

    private final InMemoryUdpSocket.Network network = new InMemoryUdpSocket.Network();
    private final InMemoryUdpSocket server = network.open(SERVER, null, true, false);
    private final List<InMemoryUdpSocket> peers = new ArrayList<>();
    private final List<IOException> failures = new ArrayList<>();
    private final BatchedLinkOutput out = new BatchedLinkOutput();

    BatchedLinkOutputTest() {
        out.udp = server;
        out.failures = (endpoint, e) -> failures.add(e);
        for (int port = 1; port <= 3; port++) {
            peers.add(network.open(address(port), null, false, false));
        }
    }

    @AfterEach
    void close() {
        server.close();
        peers.forEach(InMemoryUdpSocket::close);
    }

    private static InetSocketAddress address(int port) {
        return new InetSocketAddress("192.0.2.1", port);
    }

    private static LinkEndpoint.Udp peer(int port) {
        // A fresh endpoint each time, as the core's instances hold their own: grouping is by address, not identity.
        return new LinkEndpoint.Udp(new InetSocketAddress("192.0.2.1", port));
    }

    private static byte[] packet(String tag, int size) {
        byte[] b = new byte[size];
        Arrays.fill(b, (byte) '.');
        byte[] t = tag.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(t, 0, b, 0, Math.min(t.length, size));
        return b;
    }

    private void send(String tag, int size, int port) {
        out.send(peer(port), packet(tag, size));
    }

    /** The next {@code count} datagrams peer {@code port} received, each as its tag and size (no GRO there). */
    private List<String> received(int port, int count) throws IOException {
        return receivedFrom(port, count, SERVER);
    }

    private List<String> receivedFrom(int port, int count, InetSocketAddress sender) throws IOException {
        InMemoryUdpSocket s = peers.get(port - 1);
        List<String> got = new ArrayList<>();
        byte[] buf = new byte[UdpSocket.MAX_DATAGRAM];
        Received from = new Received();
        for (int i = 0; i < count; i++) {
            int n = s.receive(buf, 0, buf.length, from);
            assertEquals(sender, from.sender());
            String text = new String(buf, 0, n, StandardCharsets.US_ASCII);
            got.add(text.substring(0, text.indexOf('.') < 0 ? n : text.indexOf('.')) + "/" + n);
        }
        return got;
    }

    @Test
    void aServerWithTwoUdpSocketsAnswersEachPeerOnTheSocketItCameIn() throws IOException {
        InetSocketAddress second = new InetSocketAddress("192.0.2.10", 53);
        InMemoryUdpSocket other = network.open(second, null, true, false);
        try {
            out.udps = new UdpSocket[] {server, other};
            out.send(new LinkEndpoint.Udp(address(1), 0, null), packet("x1", 100));
            out.send(new LinkEndpoint.Udp(address(2), 1, null), packet("y1", 100));
            out.send(new LinkEndpoint.Udp(address(1), 0, null), packet("x2", 100));
            out.send(new LinkEndpoint.Udp(address(2), 1, null), packet("y2", 100));
            out.flush();
            assertEquals(List.of("x1/100", "x2/100"), receivedFrom(1, 2, SERVER));
            assertEquals(List.of("y1/100", "y2/100"), receivedFrom(2, 2, second));
        } finally {
            other.close();
        }
    }

    @Test
    void threeInterleavedPeersGetOneTrainEachInTheirOwnOrder() throws IOException {
        for (int i = 1; i <= 4; i++) {
            send("a" + i, 100, 1);
            send("b" + i, 120, 2);
            send("c" + i, 100, 3);
        }
        send("a5", 40, 1); // a shorter datagram may end a train
        assertEquals(0, server.datagramsSent(), "held until the end of the wake-up");
        out.flush();
        assertEquals(3, server.sendCalls(), "one train per peer");
        assertEquals(13, server.datagramsSent());
        assertEquals(List.of("a1/100", "a2/100", "a3/100", "a4/100", "a5/40"), received(1, 5));
        assertEquals(List.of("b1/120", "b2/120", "b3/120", "b4/120"), received(2, 4));
        assertEquals(List.of("c1/100", "c2/100", "c3/100", "c4/100"), received(3, 4));
        out.flush();
        assertEquals(13, server.datagramsSent(), "a second flush sends nothing again");
        assertTrue(failures.isEmpty());
    }

    @Test
    void theSendersArrayIsItsOwnAgainAtOnceAndOnePeersRunLeavesAsOneTrain() throws IOException {
        byte[] reused = new byte[300];
        for (int i = 1; i <= 5; i++) {
            byte[] p = packet("r" + i, 200);
            System.arraycopy(p, 0, reused, 50, 200);
            out.send(peer(1), reused, 50, 200);
            Arrays.fill(reused, (byte) 'x'); // the caller overwrites its array before the flush
        }
        out.flush();
        assertEquals(1, server.sendCalls(), "five consecutive datagrams to one peer: one train");
        assertEquals(List.of("r1/200", "r2/200", "r3/200", "r4/200", "r5/200"), received(1, 5));
        assertTrue(failures.isEmpty());
    }

    @Test
    void datagramsThatWouldOverflowTheArenaFlushEarlyAndAllArriveInOrder() throws IOException {
        int size = 60_000;
        int count = BatchedLinkOutput.ARENA_BYTES / size + 2;
        for (int i = 1; i <= count; i++) {
            send("big" + i, size, 1);
        }
        assertEquals(BatchedLinkOutput.ARENA_BYTES / size, server.datagramsSent(), "a full arena was sent early");
        out.flush();
        List<String> want = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            want.add("big" + i + "/" + size);
        }
        assertEquals(want, received(1, count));
        assertTrue(failures.isEmpty());
    }

    @Test
    void aSizeChangeStartsANewTrainAndALoneDatagramGoesAlone() throws IOException {
        send("x1", 100, 1);
        send("x2", 100, 1);
        send("x3", 60, 1);
        send("x4", 100, 1); // after the shorter one: a new train
        send("x5", 200, 1); // larger: a new train
        send("y1", 80, 2);
        out.flush();
        assertEquals(4, server.sendCalls(), "[x1 x2 x3] [x4] [x5] [y1]");
        assertEquals(List.of("x1/100", "x2/100", "x3/60", "x4/100", "x5/200"), received(1, 5));
        assertEquals(List.of("y1/80"), received(2, 1));
    }

    @Test
    void aPathThatRefusesGsoStillGetsEveryDatagramInOrder() throws IOException {
        server.refuseGso();
        for (int i = 1; i <= 5; i++) {
            send("p" + i, 300, 1);
        }
        out.flush();
        assertFalse(server.gso(), "the socket fell back");
        assertEquals(5, server.datagramsSent());
        assertEquals(5, server.sendCalls(), "one call per datagram after the fallback");
        assertEquals(List.of("p1/300", "p2/300", "p3/300", "p4/300", "p5/300"), received(1, 5));
        assertTrue(failures.isEmpty(), "a refused GSO is no lost datagram");
    }

    @Test
    void withoutGsoEveryDatagramGoesAloneInOrder() throws IOException {
        InMemoryUdpSocket plain = network.open(new InetSocketAddress("192.0.2.11", 1194), null, false, false);
        out.udp = plain;
        send("q1", 100, 1);
        send("r1", 100, 2);
        send("q2", 100, 1);
        out.flush();
        assertEquals(3, plain.sendCalls(), "one call per datagram when offloads are off");
        assertEquals(List.of("q1/100", "q2/100"), receivedFrom(1, 2, plain.localAddress()));
        assertEquals(List.of("r1/100"), receivedFrom(2, 1, plain.localAddress()));
        plain.close();
    }

    @Test
    void aFullBatchIsSentBeforeTheNextDatagramIsHeld() throws IOException {
        for (int i = 0; i <= BatchedLinkOutput.CAPACITY; i++) {
            send("p" + i, 50, 1);
        }
        assertEquals(BatchedLinkOutput.CAPACITY, server.datagramsSent());
        assertEquals(1, server.sendCalls(), "the full batch left as one train");
        out.flush();
        assertEquals(BatchedLinkOutput.CAPACITY + 1, server.datagramsSent());
        List<String> got = received(1, BatchedLinkOutput.CAPACITY + 1);
        for (int i = 0; i < got.size(); i++) {
            assertEquals("p" + i + "/50", got.get(i));
        }
        assertEquals(BatchedLinkOutput.CAPACITY + 1, got.size());
    }

    @Test
    void aRefusedDatagramIsReportedAsRefusedAndTheOthersStillLeave() throws IOException {
        List<String> wire = new ArrayList<>();
        out.udp = new RefusingSocket(server, wire);
        send("a", 10, 1);
        send("refuse", 10, 2);
        send("c", 10, 3);
        out.flush();
        assertEquals(List.of("a", "c"), wire);
        assertEquals(1, failures.size());
        assertInstanceOf(SendRefusedException.class, failures.getFirst(), "counted as one lost datagram, not a broken link");
    }

    /** Refuses, as a firewall's EPERM would, any datagram that starts with "refuse"; records the tags of the rest. */
    private record RefusingSocket(UdpSocket inner, List<String> wire) implements UdpSocket {
        @Override
        public void send(byte[] buf, int off, int len, InetSocketAddress peer) throws IOException {
            String text = new String(buf, off, len, StandardCharsets.US_ASCII);
            if (text.startsWith("refuse")) {
                throw new IOException("Operation not permitted");
            }
            wire.add(text.substring(0, text.indexOf('.') < 0 ? len : text.indexOf('.')));
            inner.send(buf, off, len, peer);
        }

        @Override
        public void sendTrain(byte[] buf, int off, int len, int segmentSize, InetSocketAddress peer) throws IOException {
            for (int at = 0; at < len; at += segmentSize) {
                send(buf, off + at, Math.min(segmentSize, len - at), peer);
            }
        }

        @Override
        public int receive(byte[] buf, int off, int len, Received from) throws IOException {
            return inner.receive(buf, off, len, from);
        }

        @Override
        public InetSocketAddress localAddress() {
            return inner.localAddress();
        }

        @Override
        public boolean gso() {
            return false;
        }

        @Override
        public boolean gro() {
            return false;
        }

        @Override
        public void close() {
            inner.close();
        }
    }
}
