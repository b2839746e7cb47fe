package io.culvert.engine.server;

import io.culvert.engine.transport.SendRefusedException;
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

    /** Sends one packet; {@link SendRefusedException} for one datagram refused, any other error: the link is gone. */
    void send(byte[] packet) throws IOException;

    void close();

    /** A client behind the server's UDP socket. */
    record Udp(DatagramChannel channel, InetSocketAddress address) implements LinkEndpoint {
        /** Throws {@link SendRefusedException} when the local stack refuses this datagram; the socket stays usable. */
        @Override
        public void send(byte[] packet) throws IOException {
            try {
                channel.send(ByteBuffer.wrap(packet), address);
            } catch (IOException e) {
                throw SendRefusedException.classify(e);
            }
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
