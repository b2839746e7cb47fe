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
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The server's UDP reader on the in-memory socket double: a GRO train is split at its segment size into one ring slot
 * per datagram, in order, each with its sender; a datagram larger than a slot is counted and dropped, never cut.
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
        Thread reader = Thread.ofPlatform().start(() -> ServerRunner.readUdp(server, ring, SLOT, oversized::incrementAndGet));
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
}
