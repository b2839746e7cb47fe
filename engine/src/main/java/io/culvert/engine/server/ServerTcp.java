package io.culvert.engine.server;

import io.culvert.engine.common.EventLoop;
import io.culvert.engine.common.Threads;
import io.culvert.engine.sys.TcpDeviceBinding;
import io.culvert.engine.transport.TcpTransport;
import io.culvert.engine.transport.Transport;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's TCP and WebSocket connections: listening, accepting, reading each connection's packets on its own
 * thread, and the one bounded inbox that hands them to the core on the server thread (which keeps the core's handle
 * per connection). One per running server.
 */
final class ServerTcp {
    private static final Logger LOG = LoggerFactory.getLogger(ServerTcp.class);
    /** Packets from all TCP and WebSocket connections waiting for the server thread. */
    private static final int INBOX = 1024;

    private sealed interface Event {}

    private record Opened(LinkEndpoint.Tcp endpoint) implements Event {}

    private record In(LinkEndpoint.Tcp endpoint, byte[] data) implements Event {}

    private record Closed(LinkEndpoint.Tcp endpoint) implements Event {}

    private final EventLoop.Inbox<Event> inbox;
    private final Supplier<WebSocketAcceptor> webSocket;

    /** The inbox on {@code loop}, feeding {@code core}; a WebSocket reader's protocol errors go to {@code webSocket}. */
    ServerTcp(EventLoop loop, ServerCore core, Supplier<WebSocketAcceptor> webSocket) {
        this.webSocket = webSocket;
        Map<LinkEndpoint.Tcp, Object> handles = new HashMap<>();
        this.inbox = loop.inbox(INBOX, ev -> {
            switch (ev) {
                case Opened open -> handles.put(open.endpoint(), core.onTcpAccepted(open.endpoint()));
                case In in -> core.onTcp(handles.get(in.endpoint()), in.data(), in.data().length);
                case Closed closed -> core.onTcpClosed(handles.remove(closed.endpoint()));
            }
        });
    }

    /**
     * A listening socket for {@code socket}: the IPv4 wildcard ({@code proto tcp4}) opens an IPv4-only socket, the IPv6
     * wildcard a dual-stack one; {@code bind-dev} binds it to a device.
     */
    static ServerSocketChannel listen(ServerPlan.Socket socket) throws IOException {
        ServerSocketChannel tcp = socket.bind().getAddress() instanceof Inet4Address
                ? ServerSocketChannel.open(StandardProtocolFamily.INET) : ServerSocketChannel.open();
        try {
            tcp.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            tcp.bind(socket.bind(), 64);
            if (socket.bindDev() != null) {
                // Java binds and listens in one call; the kernel matches a listener's device at each SYN
                TcpDeviceBinding.bind(tcp, socket.bindDev(), LOG::warn);
            }
            return tcp;
        } catch (IOException | RuntimeException e) {
            tcp.close();
            throw e;
        }
    }

    /** Accepts on {@code tcp} on a thread of its own. */
    void startAccepting(ServerSocketChannel tcp, PortShare share) throws IOException {
        Threads.platform("culvert-tcp-accept-" + tcp.getLocalAddress()).daemon().start(() -> acceptAll(tcp, share));
    }

    /** Accepts connections on {@code tcp} until it closes, each read on its own virtual thread. */
    void acceptAll(ServerSocketChannel tcp, PortShare share) {
        while (true) {
            try {
                SocketChannel ch = tcp.accept();
                TcpTransport t = TcpTransport.accepted(ch.socket());
                LinkEndpoint.Tcp endpoint = new LinkEndpoint.Tcp(t, t.remote());
                if (share != null) {
                    // port-share: the first bytes decide, on the connection's own thread, so accepting never waits
                    Threads.virtual("culvert-tcp-rx-" + t.remote()).start(() -> {
                        if (share.openvpnOrRelay(t) && open(endpoint)) {
                            read(endpoint);
                        }
                    });
                    continue;
                }
                if (!open(endpoint)) {
                    return;
                }
                Threads.virtual("culvert-tcp-rx-" + t.remote()).start(() -> read(endpoint));
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                LOG.debug("TCP accept: {}", e.getMessage());
            }
        }
    }

    /** Hands a new OpenVPN connection to the core; false (and closed) when the server is stopping. */
    boolean open(LinkEndpoint.Tcp endpoint) {
        try {
            if (inbox.put(new Opened(endpoint))) {
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        endpoint.transport().close();
        return false;
    }

    /** Reads {@code endpoint}'s OpenVPN packets into the inbox until it closes, then says so. */
    void read(LinkEndpoint.Tcp endpoint) {
        byte[] buf = new byte[Transport.MAX_PACKET];
        try {
            while (true) {
                int n = endpoint.transport().receive(buf);
                if (n < 0 || !inbox.put(new In(endpoint, Arrays.copyOf(buf, n)))) {
                    break;
                }
            }
        } catch (IOException e) {
            WebSocketAcceptor ws = webSocket.get();
            if (e instanceof io.culvert.engine.transport.websocket.WebSocketException bad && ws != null) {
                ws.protocolError(bad);
            }
            LOG.debug("TCP {}: {}", endpoint.address(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        inbox.offer(new Closed(endpoint));
    }
}
