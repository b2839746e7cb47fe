package io.culvert.engine.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import org.junit.jupiter.api.Test;

/** Zero-length datagrams from the peer reach the caller as empty packets (so they are counted), not as end of stream. */
class UdpTransportEmptyDatagramTest {

    @Test
    void readsZeroLengthDatagramAsEmptyPacketAndKeepsReading() throws Exception {
        try (DatagramChannel peer = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            UdpTransport transport = UdpTransport.connect((InetSocketAddress) peer.getLocalAddress(), null);
            try {
                transport.send(new byte[] {9});
                ByteBuffer hello = ByteBuffer.allocate(16);
                InetSocketAddress client = (InetSocketAddress) peer.receive(hello);
                peer.send(ByteBuffer.allocate(0), client);
                peer.send(ByteBuffer.wrap(new byte[] {1, 2, 3}), client);
                byte[] buf = new byte[Transport.MAX_PACKET];
                assertEquals(0, transport.receive(buf));
                assertEquals(3, transport.receive(buf));
                assertEquals(3, buf[2]);
            } finally {
                transport.close();
            }
            assertEquals(-1, transport.receive(new byte[16]));
        }
    }
}
