package io.culvert.engine.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.culvert.engine.sys.InMemoryUdpSocket;
import io.culvert.engine.sys.Received;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The train paths of {@link UdpTransport} over the in-memory socket double: batching, splitting and fallbacks. */
class UdpTransportTrainTest {
    private static final InetSocketAddress CLIENT = new InetSocketAddress("10.0.0.1", 40000);
    private static final InetSocketAddress SERVER = new InetSocketAddress("10.0.0.2", 1194);
    private static final int SEGMENT = 1000;

    private final InMemoryUdpSocket.Network network = new InMemoryUdpSocket.Network();

    @Test
    void aTrainLeavesInOneCallAndAGroReceiverHandsItOutOnePacketPerReceive() throws Exception {
        InMemoryUdpSocket clientSocket = network.open(CLIENT, SERVER, true, true);
        InMemoryUdpSocket serverSocket = network.open(SERVER, CLIENT, true, true);
        UdpTransport client = UdpTransport.over(clientSocket, SERVER);
        UdpTransport server = UdpTransport.over(serverSocket, CLIENT);
        byte[] train = train(5, 321);

        client.sendTrain(train, 0, train.length, SEGMENT);

        assertEquals(1, clientSocket.sendCalls());
        assertEquals(5, clientSocket.datagramsSent());
        byte[] buf = new byte[Transport.MAX_PACKET];
        for (int i = 0; i < 5; i++) {
            int n = server.receive(buf);
            int expected = i < 4 ? SEGMENT : 321;
            assertEquals(expected, n, "packet " + i);
            assertArrayEquals(Arrays.copyOfRange(train, i * SEGMENT, i * SEGMENT + expected), Arrays.copyOf(buf, n));
        }
        assertEquals(1, serverSocket.receiveCalls(), "the five packets came in one receive");
    }

    @Test
    void receiveTrainReturnsTheWholeTrainWithItsSegmentSize() throws Exception {
        InMemoryUdpSocket clientSocket = network.open(CLIENT, SERVER, true, true);
        UdpTransport server = UdpTransport.over(network.open(SERVER, CLIENT, true, true), CLIENT);
        byte[] train = train(3, SEGMENT);
        UdpTransport.over(clientSocket, SERVER).sendTrain(train, 0, train.length, SEGMENT);

        byte[] buf = new byte[70000];
        Received from = new Received();
        int n = server.receiveTrain(buf, 0, buf.length, from);

        assertEquals(train.length, n);
        assertEquals(SEGMENT, from.segmentSize());
        assertEquals(CLIENT, from.sender());
        assertArrayEquals(train, Arrays.copyOf(buf, n));
    }

    @Test
    void refusedGsoFallsBackToOneCallPerPacketAndRemembers() throws Exception {
        InMemoryUdpSocket clientSocket = network.open(CLIENT, SERVER, true, false);
        InMemoryUdpSocket serverSocket = network.open(SERVER, CLIENT, false, false);
        UdpTransport client = UdpTransport.over(clientSocket, SERVER);
        UdpTransport server = UdpTransport.over(serverSocket, CLIENT);
        clientSocket.refuseGso();
        byte[] train = train(4, 10);

        client.sendTrain(train, 0, train.length, SEGMENT);
        client.sendTrain(train, 0, train.length, SEGMENT);

        assertFalse(client.sendsTrainsAtOnce());
        assertEquals(8, clientSocket.sendCalls());
        byte[] buf = new byte[Transport.MAX_PACKET];
        for (int i = 0; i < 8; i++) {
            assertEquals(i % 4 < 3 ? SEGMENT : 10, server.receive(buf));
        }
        assertEquals(8, serverSocket.receiveCalls(), "without GRO every packet is its own receive");
    }

    @Test
    void anUnreachablePeerIsNotAFailureAndCloseEndsReceiving() throws Exception {
        UdpTransport client = UdpTransport.over(network.open(CLIENT, SERVER, true, true), SERVER);
        byte[] train = train(2, 5);

        client.sendTrain(train, 0, train.length, SEGMENT); // nobody at SERVER: port unreachable, ignored
        client.send(train);

        CompletableFuture<Integer> reader = CompletableFuture.supplyAsync(() -> {
            try {
                return client.receive(new byte[100]);
            } catch (java.io.IOException e) {
                throw new RuntimeException(e);
            }
        });
        client.close();
        assertEquals(-1, reader.get(1, TimeUnit.SECONDS));
        assertThrows(ClosedChannelException.class, () -> client.sendTrain(train, 0, train.length, SEGMENT));
    }

    private static byte[] train(int count, int last) {
        byte[] b = new byte[(count - 1) * SEGMENT + last];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i * 31 + i / SEGMENT);
        }
        return b;
    }
}
