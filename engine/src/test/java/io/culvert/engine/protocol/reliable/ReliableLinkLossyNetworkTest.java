package io.culvert.engine.protocol.reliable;

import static org.junit.jupiter.api.Assertions.*;

import io.culvert.engine.common.Decoded;
import io.culvert.engine.protocol.ControlPacket;
import io.culvert.engine.protocol.Opcode;
import java.io.ByteArrayOutputStream;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Two ReliableLinks talking through an in-memory network that loses, delays, reorders and duplicates packets. */
class ReliableLinkLossyNetworkTest {

    private static final int STREAM_BYTES = 200_000;
    private static final int MAX_WIRE = 1250 - 28;

    private record InTransit(long at, long seq, boolean toServer, byte[] bytes) {}

    private static final class Network {
        final Random rnd;
        final double loss;
        final double duplicate;
        final int maxDelay;
        final PriorityQueue<InTransit> queue = new PriorityQueue<>(
                Comparator.comparingLong(InTransit::at).thenComparingLong(InTransit::seq));
        long seq;
        long sent;
        long delivered;

        Network(long seed, double loss, double duplicate, int maxDelay) {
            this.rnd = new Random(seed);
            this.loss = loss;
            this.duplicate = duplicate;
            this.maxDelay = maxDelay;
        }

        void send(long now, boolean toServer, byte[] bytes) {
            sent++;
            int copies = rnd.nextDouble() < duplicate ? 2 : 1;
            for (int i = 0; i < copies; i++) {
                if (rnd.nextDouble() >= loss) {
                    queue.add(new InTransit(now + 1 + rnd.nextInt(maxDelay), seq++, toServer, bytes));
                }
            }
        }
    }

    @ParameterizedTest(name = "seed {0}, loss {1}, duplicates {2}, delay 1..{3} ms")
    @CsvSource({"1, 0.2, 0.1, 300", "2, 0.2, 0.1, 300", "3, 0.2, 0.1, 3000", "4, 0.2, 0.3, 300", "5, 0.4, 0.1, 300",
            "6, 0.0, 0.0, 1"})
    void streamsArriveIntactAndInOrderBothWays(long seed, double loss, double duplicate, int maxDelay) {
        Random data = new Random(seed * 31);
        byte[] c2s = new byte[STREAM_BYTES];
        byte[] s2c = new byte[STREAM_BYTES];
        data.nextBytes(c2s);
        data.nextBytes(s2c);
        int payload = ReliableLink.maxPayload(1250, 28, 0);
        var client = new ReliableLink(0, 0x1111L, payload, 2000);
        var server = new ReliableLink(0, 0x2222L, payload, 2000);
        client.queueReset(Opcode.CONTROL_HARD_RESET_CLIENT_V2);
        server.queueReset(Opcode.CONTROL_HARD_RESET_SERVER_V2);
        queueInRandomWrites(client, c2s, data);
        queueInRandomWrites(server, s2c, data);

        var net = new Network(seed, loss, duplicate, maxDelay);
        var atServer = new ByteArrayOutputStream();
        var atClient = new ByteArrayOutputStream();
        long now = 0;
        int rounds = 0;
        long controlSent = 0;
        while (!(client.allAcked() && server.allAcked() && atServer.size() == STREAM_BYTES && atClient.size() == STREAM_BYTES)) {
            assertTrue(++rounds < 1_000_000, "no progress");
            assertTrue(now < 3_600_000, "took more than an hour of simulated time");
            while (!net.queue.isEmpty() && net.queue.peek().at() <= now) {
                InTransit t = net.queue.poll();
                ReliableLink to = t.toServer() ? server : client;
                Decoded<ControlPacket> d = ControlPacket.parse(t.bytes(), 0, t.bytes().length);
                assertTrue(d.isOk());
                to.receive(d.value(), now);
                (t.toServer() ? atServer : atClient).writeBytes(to.takeInOrderStream());
                net.delivered++;
            }
            for (ReliableLink side : new ReliableLink[] {client, server}) {
                for (ControlPacket p : side.poll(now)) {
                    assertTrue(p.encodedLength() <= MAX_WIRE, "packet of " + p.encodedLength() + " bytes");
                    assertTrue(p.ackCount() <= (p.opcode() == Opcode.ACK_V1 ? 8 : 4));
                    net.send(now, side == client, p.toBytes());
                    controlSent += p.opcode() == Opcode.ACK_V1 ? 0 : 1;
                }
                assertTrue(side.unackedCount() <= ReliableLink.SEND_WINDOW);
            }
            long next = Math.min(client.nextWakeupMillis(now), server.nextWakeupMillis(now));
            if (!net.queue.isEmpty()) {
                next = Math.min(next, net.queue.peek().at());
            }
            if (next == Long.MAX_VALUE) {
                break;
            }
            assertTrue(next >= now);
            now = next;
        }
        assertArrayEquals(c2s, atServer.toByteArray(), "client to server stream");
        assertArrayEquals(s2c, atClient.toByteArray(), "server to client stream");
        assertTrue(client.ownResetAcked() && server.ownResetAcked());
        assertTrue(client.peerResetReceived() && server.peerResetReceived());
        if (maxDelay == 1 && loss == 0.0 && duplicate == 0.0) {
            int packetsPerStream = (STREAM_BYTES + payload - 1) / payload;
            assertEquals(2L * (packetsPerStream + 1), controlSent, "a perfect network needs no retransmission");
        }
    }

    private static void queueInRandomWrites(ReliableLink link, byte[] stream, Random rnd) {
        int p = 0;
        while (p < stream.length) {
            int n = Math.min(stream.length - p, 1 + rnd.nextInt(3000));
            byte[] piece = new byte[n];
            System.arraycopy(stream, p, piece, 0, n);
            link.queueStream(piece);
            p += n;
        }
    }
}
