package io.culvert.engine.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.DataInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * TCP framing on loopback, read back with a plain stream: a packet sent from the middle of a larger array leaves with
 * its 2-byte length and nothing else, and a train of packets (the last shorter) leaves as one framed packet each, in
 * order, also when the train is longer than one write buffer.
 */
class TcpTransportTrainTest {

    @Test
    void packetsAndTrainsAreFramedOneByOne() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            InetSocketAddress at = new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort());
            TcpTransport t = TcpTransport.connect(at, null, Duration.ofSeconds(5));
            try (Socket peer = listener.accept()) {
                DataInputStream in = new DataInputStream(peer.getInputStream());
                byte[] buf = new byte[200_000];
                for (int i = 0; i < buf.length; i++) {
                    buf[i] = (byte) (i * 7 + (i >>> 9));
                }
                t.send(buf, 5, 300);
                expect(in, Arrays.copyOfRange(buf, 5, 305));

                int segment = 1480;
                int len = 60 * segment - 700; // 59 full packets and a shorter one: more than one 64 KiB write
                t.sendTrain(buf, 1000, len, segment);
                for (int p = 0; p < len; p += segment) {
                    int n = Math.min(segment, len - p);
                    expect(in, Arrays.copyOfRange(buf, 1000 + p, 1000 + p + n));
                }
                t.send(buf, 0, 1);
                expect(in, Arrays.copyOfRange(buf, 0, 1));
            } finally {
                t.close();
            }
        }
    }

    private static void expect(DataInputStream in, byte[] packet) throws Exception {
        assertEquals(packet.length, in.readUnsignedShort());
        byte[] got = new byte[packet.length];
        in.readFully(got);
        assertArrayEquals(packet, got);
    }
}
