package io.culvert.engine.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.common.EventLoop;
import io.culvert.engine.sys.InMemoryUdpSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The server's UDP reader on the in-memory socket double: a GRO train is split at its segment size into one ring slot
 * per datagram, in order, each with its sender; a datagram larger than a slot is counted and dropped, never cut. With
 * the run-to-completion fast path (ADR 0041) the reader runs the data packets for instances through the core itself,
 * under the owner's lock, at their offset in the train, and flushes once per train; from the first datagram the core
 * does not take on, the rest of the train goes into the ring in order; while the ring still holds something, nothing
 * overtakes it.
 */
@Timeout(10)
class ServerUdpReaderTest {
    private static final InetSocketAddress SERVER = new InetSocketAddress("192.0.2.10", 1194);
    private static final InetSocketAddress CLIENT = new InetSocketAddress("192.0.2.1", 40000);
    private static final InetSocketAddress OTHER = new InetSocketAddress("192.0.2.2", 40000);
    private static final int SLOT = 256;

    private record Got(String text, int len, Object from) {}

    private static byte[] datagram(String tag, int size) {
        byte[] b = new byte[size];
        Arrays.fill(b, (byte) '.');
        byte[] t = tag.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(t, 0, b, 0, t.length);
        return b;
    }

    @Test
    void aGroTrainBecomesOneSlotPerDatagramAndAnOversizedOneIsCountedNotCut() throws Exception {
        InMemoryUdpSocket.Network network = new InMemoryUdpSocket.Network();
        InMemoryUdpSocket server = network.open(SERVER, null, false, true);
        InMemoryUdpSocket client = network.open(CLIENT, SERVER, true, false);
        InMemoryUdpSocket other = network.open(OTHER, SERVER, true, false);
        List<Got> got = new CopyOnWriteArrayList<>();
        AtomicLong oversized = new AtomicLong();
        EventLoop loop = new EventLoop(Clock.systemUTC(), 50, 16);
        EventLoop.PacketRing ring = loop.ring(4, SLOT, (buf, len, from) -> {
            String text = new String(buf, 0, len, StandardCharsets.US_ASCII);
            got.add(new Got(text.substring(0, text.indexOf('.')), len,
                    from instanceof LinkEndpoint.Udp u ? u.address() : from));
        });
        Thread owner = Thread.ofPlatform().start(() -> loop.run(new EventLoop.Owner() {
            @Override
            public void endOfBatch() {}

            @Override
            public void tick(long nowMillis) {}

            @Override
            public void failed(RuntimeException e) {
                throw e;
            }
        }));
        // Started once everything is sent: the in-memory socket queues a train datagram by datagram, and a reader that
        // woke between two of them would see two shorter trains.
        Thread reader = Thread.ofPlatform().unstarted(() -> ServerUdp.read(server, ring, SLOT, oversized::incrementAndGet));
        try {
            // Six datagrams of 200 bytes and a 90-byte tail in one train (more than the ring's 4 slots), then one
            // datagram too large for a slot, then one from another peer.
            byte[] train = new byte[6 * 200 + 90];
            for (int i = 0; i < 7; i++) {
                byte[] d = datagram("t" + i, i < 6 ? 200 : 90);
                System.arraycopy(d, 0, train, i * 200, d.length);
            }
            client.sendTrain(train, 0, train.length, 200, null);
            byte[] big = datagram("big", SLOT + 1);
            client.send(big, 0, big.length, null);
            byte[] last = datagram("o", 64);
            other.send(last, 0, last.length, null);
            reader.start();
            while (got.size() < 8) {
                Thread.sleep(5);
            }
            assertTrue(server.receiveCalls() < 8, "the train arrived in fewer receives than datagrams: "
                    + server.receiveCalls());
            for (int i = 0; i < 7; i++) {
                assertEquals(new Got("t" + i, i < 6 ? 200 : 90, CLIENT), got.get(i));
            }
            assertEquals(new Got("o", 64, OTHER), got.get(7));
            assertEquals(8, got.size());
            assertEquals(1, oversized.get(), "the datagram larger than a slot was counted");
        } finally {
            loop.stop();
            server.close();
            client.close();
            other.close();
            reader.join(2000);
            owner.join(2000);
        }
    }

    private static final EventLoop.Owner QUIET = new EventLoop.Owner() {
        @Override
        public void endOfBatch() {}

        @Override
        public void tick(long nowMillis) {}

        @Override
        public void failed(RuntimeException e) {
            throw e;
        }
    };

    private static String tag(byte[] buf, int off, int len) {
        String text = new String(buf, off, len, StandardCharsets.US_ASCII);
        return text.substring(0, text.indexOf('.'));
    }

    /** A core double that takes the datagrams whose tag starts with "d" (data for an instance), on the fast path. */
    private static ReaderFastPath fastPath(EventLoop loop, List<String> got, AtomicInteger flushes) {
        return new ReaderFastPath(loop.ownerLock(), loop::stopped, new ReaderFastPath.Core() {
            @Override
            public boolean onUdpData(LinkEndpoint.Udp via, byte[] buf, int off, int len) {
                assertTrue(loop.ownerLock().isHeldByCurrentThread(), "the core runs under the owner lock");
                String t = tag(buf, off, len);
                if (!t.startsWith("d")) {
                    return false;
                }
                got.add("fast " + t + " " + len + " " + via.address().getPort());
                return true;
            }

            @Override
            public void onDevice(byte[] buf, int off, int len) {
                throw new AssertionError("no device here");
            }
        }, () -> {
            assertTrue(loop.ownerLock().isHeldByCurrentThread(), "flushed under the owner lock");
            flushes.incrementAndGet();
        });
    }

    @Test
    void theFastPathTakesATrainsDataPacketsUntilOneItMustHandOverAndTheRestKeepsItsOrder() throws Exception {
        InMemoryUdpSocket.Network network = new InMemoryUdpSocket.Network();
        InMemoryUdpSocket server = network.open(SERVER, null, false, true);
        InMemoryUdpSocket client = network.open(CLIENT, SERVER, true, false);
        List<String> got = new CopyOnWriteArrayList<>();
        AtomicInteger flushes = new AtomicInteger();
        AtomicLong oversized = new AtomicLong();
        EventLoop loop = new EventLoop(Clock.systemUTC(), 50, 16);
        EventLoop.PacketRing ring = loop.ring(8, SLOT, (buf, len, from) -> {
            assertTrue(loop.ownerLock().isHeldByCurrentThread(), "the owner handles a batch under its lock");
            got.add("ring " + tag(buf, 0, len) + " " + len);
        });
        ReaderFastPath fast = fastPath(loop, got, flushes);
        Thread owner = Thread.ofPlatform().start(() -> loop.run(QUIET));
        Thread reader = Thread.ofPlatform().unstarted(() -> ServerUdp.read(server, ring, SLOT, oversized::incrementAndGet, fast));
        try {
            // d0 d1 (data), c2 (control: the server thread's), d3 and a 90-byte d4 after it
            byte[] train = new byte[4 * 200 + 90];
            String[] tags = {"d0", "d1", "c2", "d3", "d4"};
            for (int i = 0; i < 5; i++) {
                byte[] d = datagram(tags[i], i < 4 ? 200 : 90);
                System.arraycopy(d, 0, train, i * 200, d.length);
            }
            client.sendTrain(train, 0, train.length, 200, null);
            reader.start(); // once the whole train is queued (see the first test)
            while (got.size() < 5) {
                Thread.sleep(5);
            }
            assertEquals(List.of("fast d0 200 40000", "fast d1 200 40000", "ring c2 200", "ring d3 200", "ring d4 90"),
                    got);
            assertEquals(1, flushes.get(), "one flush for the train's fast part");
            assertEquals(0, oversized.get());
        } finally {
            loop.stop();
            server.close();
            client.close();
            reader.join(2000);
            owner.join(2000);
        }
    }

    @Test
    void nothingOvertakesWhatTheReaderAlreadyHandedToTheServerThread() throws Exception {
        InMemoryUdpSocket.Network network = new InMemoryUdpSocket.Network();
        InMemoryUdpSocket server = network.open(SERVER, null, false, true);
        InMemoryUdpSocket client = network.open(CLIENT, SERVER, true, false);
        List<String> got = new CopyOnWriteArrayList<>();
        AtomicInteger flushes = new AtomicInteger();
        EventLoop loop = new EventLoop(Clock.systemUTC(), 50, 16);
        EventLoop.PacketRing ring = loop.ring(8, SLOT, (buf, len, from) -> got.add("ring " + tag(buf, 0, len)));
        ReaderFastPath fast = fastPath(loop, got, flushes);
        Thread reader = Thread.ofPlatform().start(() -> ServerUdp.read(server, ring, SLOT, () -> { }, fast));
        Thread owner = null;
        try {
            // the server thread is not running yet: c0 waits in the ring, so d1 must queue behind it, not overtake it
            for (String t : List.of("c0", "d1", "c2")) {
                byte[] d = datagram(t, 64 + t.charAt(1)); // different sizes: no GRO train across them
                client.send(d, 0, d.length, null);
            }
            while (server.receiveCalls() < 3) {
                Thread.sleep(5);
            }
            owner = Thread.ofPlatform().start(() -> loop.run(QUIET));
            while (got.size() < 3) {
                Thread.sleep(5);
            }
            assertEquals(List.of("ring c0", "ring d1", "ring c2"), got);
            assertEquals(0, flushes.get());

            byte[] d = datagram("d3", 64); // the ring is idle again once the owner handled it: fast again
            while (!ring.idle()) {
                Thread.sleep(5);
            }
            client.send(d, 0, d.length, null);
            while (got.size() < 4) {
                Thread.sleep(5);
            }
            assertEquals("fast d3 64 40000", got.get(3));
        } finally {
            loop.stop();
            server.close();
            client.close();
            reader.join(2000);
            if (owner != null) {
                owner.join(2000);
            }
        }
    }
}
