package io.culvert.engine.server;

import io.culvert.engine.transport.TcpTransport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/**
 * Where one client instance is reached: a UDP address behind the shared server socket, or its own TCP
 * connection. Sending is done by the server thread. Instances are immutable.
 */
sealed interface LinkEndpoint {
    InetSocketAddress address();

    void send(byte[] packet) throws IOException;

    void close();

    /** A client behind the server's UDP socket. */
    record Udp(DatagramChannel channel, InetSocketAddress address) implements LinkEndpoint {
        @Override
        public void send(byte[] packet) throws IOException {
            channel.send(ByteBuffer.wrap(packet), address);
        }

        @Override
        public void close() {
            // the socket is shared; nothing to close per client
        }
    }

    /** A client on its own TCP connection. */
    record Tcp(TcpTransport transport, InetSocketAddress address) implements LinkEndpoint {
        @Override
        public void send(byte[] packet) throws IOException {
            transport.send(packet);
        }

        @Override
        public void close() {
            transport.close();
        }
    }
}
