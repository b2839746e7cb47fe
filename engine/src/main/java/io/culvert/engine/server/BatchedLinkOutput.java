package io.culvert.engine.server;

import io.culvert.engine.transport.SendRefusedException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.function.BiConsumer;

/**
 * The runner's {@link LinkOutput}: UDP datagrams are held until {@link #flush()} at the end of the server thread's
 * wake-up (or until {@value #CAPACITY} are held) and then sent together, the one place where a multi-datagram send
 * plugs in; TCP packets are written at once on their connection. Failures go back to {@link ServerCore#sendFailed}.
 * Not thread-safe: owned by the server thread.
 */
final class BatchedLinkOutput implements LinkOutput {
    /** Datagrams held at most: a wake-up's worth (the inbox hands over batches of at most this many packets). */
    static final int CAPACITY = 64;

    private final LinkEndpoint[] to = new LinkEndpoint[CAPACITY];
    private final byte[][] packets = new byte[CAPACITY][];
    private int held;
    /** Sends one datagram; the runner's is {@link DatagramChannel#send}, tests use a double. */
    @FunctionalInterface
    interface DatagramSink {
        void send(ByteBuffer datagram, InetSocketAddress to) throws IOException;
    }

    /** The server's UDP socket; null for a TCP server. */
    DatagramSink udp;
    /** Told about failed sends (the runner's is {@link ServerCore#sendFailed}); set before the first packet. */
    BiConsumer<LinkEndpoint, IOException> failures = (endpoint, e) -> { };

    @Override
    public void send(LinkEndpoint endpoint, byte[] packet) {
        switch (endpoint) {
            case LinkEndpoint.Udp u -> {
                if (held == CAPACITY) {
                    flush();
                }
                to[held] = u;
                packets[held++] = packet;
            }
            case LinkEndpoint.Tcp t -> {
                try {
                    t.transport().send(packet);
                } catch (IOException e) {
                    failed(t, e);
                }
            }
        }
    }

    @Override
    public void close(LinkEndpoint endpoint) {
        if (endpoint instanceof LinkEndpoint.Tcp t) {
            t.transport().close();
        }
    }

    /** Sends every held datagram, in the order they were given. */
    void flush() {
        for (int i = 0; i < held; i++) {
            InetSocketAddress address = to[i].address();
            try {
                udp.send(ByteBuffer.wrap(packets[i]), address);
            } catch (IOException e) {
                failed(to[i], SendRefusedException.classify(e));
            }
            to[i] = null;
            packets[i] = null;
        }
        held = 0;
    }

    private void failed(LinkEndpoint endpoint, IOException e) {
        failures.accept(endpoint, e);
    }
}
