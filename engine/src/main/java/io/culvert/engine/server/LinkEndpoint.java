package io.culvert.engine.server;

import io.culvert.engine.transport.TcpTransport;
import java.net.InetSocketAddress;

/**
 * Where one client instance is reached: a UDP address behind the shared server socket, or its own TCP
 * connection. The core only names endpoints; the runner's {@link LinkOutput} does the sending and closing.
 * Instances are immutable.
 */
sealed interface LinkEndpoint {
    InetSocketAddress address();

    /** A client behind the server's UDP socket. */
    record Udp(InetSocketAddress address) implements LinkEndpoint {}

    /** A client on its own TCP connection. */
    record Tcp(TcpTransport transport, InetSocketAddress address) implements LinkEndpoint {}
}
