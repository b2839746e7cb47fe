package io.culvert.engine.server;

import io.culvert.engine.transport.Transport;
import io.culvert.engine.sys.UdpLocal;
import java.net.InetSocketAddress;

/**
 * Where one client instance is reached: a UDP address behind one of the shared server sockets, or its own TCP
 * connection. The core only names endpoints; the runner's {@link LinkOutput} does the sending and closing.
 * Instances are immutable.
 */
sealed interface LinkEndpoint {
    InetSocketAddress address();

    /**
     * A client behind one of the server's UDP sockets.
     *
     * @param address the client's address
     * @param socket which UDP socket of the server it talks to (its index among the UDP sockets, 0 with one)
     * @param local the server address its datagrams arrived on, under {@code multihome}; else null (the socket's)
     */
    record Udp(InetSocketAddress address, int socket, UdpLocal local) implements LinkEndpoint {
        /** A client on the first UDP socket, answered from the socket's own address. */
        Udp(InetSocketAddress address) {
            this(address, 0, null);
        }
    }

    /**
     * A client on its own TCP connection, plain or carried in WebSocket messages (the address its real one).
     *
     * @param proxyCommonName the common name of the client certificate a trusted proxy verified
     *     ({@code culvert-websocket-client-cn-header}, ADR 0050), which the session's certificate must match; or null
     */
    record Tcp(Transport transport, InetSocketAddress address, String proxyCommonName) implements LinkEndpoint {
        /** A connection without a proxy-verified name. */
        Tcp(Transport transport, InetSocketAddress address) {
            this(transport, address, null);
        }
    }
}
