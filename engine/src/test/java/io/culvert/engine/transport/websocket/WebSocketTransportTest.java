package io.culvert.engine.transport.websocket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Two transports over a loopback TCP connection: packets both ways, pings, and a peer that breaks the rules. */
class WebSocketTransportTest {
    private record Pair(WebSocketTransport client, WebSocketTransport server, Socket clientSocket, Socket serverSocket)
            implements AutoCloseable {
        @Override
        public void close() {
            client.close();
            server.close();
        }
    }

    private static Pair pair() throws IOException {
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Socket c = new Socket(InetAddress.getLoopbackAddress(), ss.getLocalPort());
            Socket s = ss.accept();
            c.setSoTimeout(30_000);
            s.setSoTimeout(30_000);
            return new Pair(transport(c, true), transport(s, false), c, s);
        }
    }

    private static WebSocketTransport transport(Socket s, boolean client) throws IOException {
        return new WebSocketTransport(s, new BufferedInputStream(s.getInputStream()), s.getOutputStream(), client,
                (InetSocketAddress) s.getRemoteSocketAddress());
    }

    @Test
    void packetsAndTrainsArriveWholeBothWays() throws Exception {
        try (Pair p = pair()) {
            Random r = new Random(1);
            byte[] buf = new byte[WebSocketTransport.MAX_PACKET];
            for (int len : new int[] {1, 100, 1400, 65535}) {
                byte[] pkt = new byte[len];
                r.nextBytes(pkt);
                p.client().send(pkt);
                assertEquals(len, p.server().receive(buf));
                assertArrayEquals(pkt, Arrays.copyOf(buf, len));
                p.server().send(pkt);
                assertEquals(len, p.client().receive(buf));
                assertArrayEquals(pkt, Arrays.copyOf(buf, len));
            }
            byte[] train = new byte[3000];
            r.nextBytes(train);
            p.server().sendTrain(train, 0, train.length, 1400);
            for (int at = 0; at < 3000; at += 1400) {
                int n = p.client().receive(buf);
                assertArrayEquals(Arrays.copyOfRange(train, at, Math.min(3000, at + 1400)), Arrays.copyOf(buf, n));
            }
        }
    }

    @Test
    void pingsAreAnswered() throws Exception {
        try (Pair p = pair()) {
            p.server().startPings(Duration.ofMillis(50));
            Thread reader = Thread.ofVirtual().start(() -> {
                try {
                    p.client().receive(new byte[WebSocketTransport.MAX_PACKET]);
                } catch (IOException ignored) {
                    // closed at the end
                }
            });
            Thread server = Thread.ofVirtual().start(() -> {
                try {
                    p.server().receive(new byte[WebSocketTransport.MAX_PACKET]);
                } catch (IOException ignored) {
                    // closed at the end
                }
            });
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (p.server().pongsSeen() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(p.server().pongsSeen() >= 3, "pongs: " + p.server().pongsSeen());
            p.close();
            reader.join();
            server.join();
        }
    }

    @Test
    void aMaskedFrameOver64KiBIsRefusedWith1009() throws Exception {
        try (Pair p = pair()) {
            ByteBuffer hostile = ByteBuffer.allocate(14);
            WebSocketFrame.writeHeader(hostile, true, WebSocketFrame.BINARY, 70_000, new byte[] {1, 2, 3, 4});
            p.clientSocket().getOutputStream().write(hostile.array(), 0, hostile.position());
            WebSocketException e = assertThrows(WebSocketException.class,
                    () -> p.server().receive(new byte[WebSocketTransport.MAX_PACKET]));
            assertEquals(WebSocketException.TOO_BIG, e.code());
            // the client side sees the close frame with code 1009
            InputStream in = p.clientSocket().getInputStream();
            byte[] close = in.readNBytes(4);
            assertEquals(0x88, close[0] & 0xFF);
            assertEquals(1009, ((close[2] & 0xFF) << 8) | (close[3] & 0xFF));
        }
    }

    @Test
    void aTextMessageIsRefusedWith1003() throws Exception {
        try (Pair p = pair()) {
            ByteBuffer text = ByteBuffer.allocate(16);
            new WebSocketFrame(true, WebSocketFrame.TEXT, new byte[] {'h', 'i'}).writeTo(text, new byte[] {5, 6, 7, 8});
            p.clientSocket().getOutputStream().write(text.array(), 0, text.position());
            assertEquals(WebSocketException.UNSUPPORTED_DATA, assertThrows(WebSocketException.class,
                    () -> p.server().receive(new byte[WebSocketTransport.MAX_PACKET])).code());
        }
    }
}
