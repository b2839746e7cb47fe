package io.culvert.engine.config;

import io.culvert.engine.config.ClientConfig.IpFamily;
import io.culvert.engine.config.ClientConfig.Proto;
import java.util.List;

/**
 * The server's sockets: {@code proto}, {@code port} (or {@code lport}), each {@code local} line and
 * {@code multihome}. As in OpenVPN 2.7, a server may have several {@code local host|* [port] [proto]} lines, each
 * one listening socket (UDP and TCP at once, several addresses or ports); a line without a port or proto takes the
 * config's {@code port} and {@code proto}, wherever they stand in the file. Instances are immutable.
 *
 * @param proto UDP or TCP of the first socket (the config's {@code proto} when there is no {@code local} line)
 * @param family the address family of the first socket, from {@code udp4}, {@code tcp6} and similar
 * @param port the first socket's port
 * @param local the first socket's bind address, or null for all
 * @param sockets every listening socket, the first as above; never empty
 * @param multihome {@code multihome}: UDP replies leave from the address the client's datagram arrived on
 * @param sameInterface {@code multihome same-interface}: and through the interface it arrived on
 * @param portShare {@code port-share}: where TCP connections that are not OpenVPN go, or null
 * @param bindDev {@code bind-dev}: the device (or VRF) every listening socket is bound to, or null
 * @param webSocket {@code culvert-websocket}: the WebSocket endpoint behind a reverse proxy (ADR 0042), or null
 */
public record Listen(Proto proto, IpFamily family, int port, String local, List<Socket> sockets, boolean multihome,
        boolean sameInterface, PortShare portShare, String bindDev, WebSocketListen webSocket) {
    /** UDP on port 1194, all addresses. */
    public static final Listen DEFAULTS = new Listen(Proto.UDP, IpFamily.ANY, ClientConfig.DEFAULT_PORT, null);

    public Listen {
        sockets = sockets == null || sockets.isEmpty() ? List.of(new Socket(proto, family, port, local)) : List.copyOf(sockets);
    }

    /** Without a WebSocket endpoint. */
    public Listen(Proto proto, IpFamily family, int port, String local, List<Socket> sockets, boolean multihome,
            boolean sameInterface, PortShare portShare, String bindDev) {
        this(proto, family, port, local, sockets, multihome, sameInterface, portShare, bindDev, null);
    }

    /** These sockets and the WebSocket endpoint {@code ws} (null: none). */
    public Listen withWebSocket(WebSocketListen ws) {
        return new Listen(proto, family, port, local, sockets, multihome, sameInterface, portShare, bindDev, ws);
    }

    /** Without {@code bind-dev}. */
    public Listen(Proto proto, IpFamily family, int port, String local, List<Socket> sockets, boolean multihome,
            boolean sameInterface, PortShare portShare) {
        this(proto, family, port, local, sockets, multihome, sameInterface, portShare, null);
    }

    /** These sockets bound to device {@code dev} ({@code bind-dev}), or to none when null. */
    public Listen withBindDev(String dev) {
        return new Listen(proto, family, port, local, sockets, multihome, sameInterface, portShare, dev, webSocket);
    }

    /** One socket, without {@code multihome}. */
    public Listen(Proto proto, IpFamily family, int port, String local) {
        this(proto, family, port, local, null, false, false, null);
    }

    /** The sockets listed first to last: one per {@code local} line, or the one {@code proto}/{@code port} make. */
    public static Listen of(List<Socket> sockets, boolean multihome, boolean sameInterface, PortShare portShare) {
        Socket first = sockets.getFirst();
        return new Listen(first.proto(), first.family(), first.port(), first.local(), sockets, multihome, sameInterface,
                portShare);
    }

    /**
     * {@code port-share host port [dir]}: a connection to a TCP socket whose first bytes are not an OpenVPN client's
     * first packet is relayed to {@code host:port} (OpenVPN's ps.c). Immutable.
     *
     * @param host the other server's name or address, resolved when the server starts
     * @param port its port
     * @param journalDir OpenVPN's proxy-info folder as written (Culvert writes no files there), or null
     */
    public record PortShare(String host, int port, String journalDir) {}

    /** True when any socket is TCP. */
    public boolean hasTcp() {
        return sockets.stream().anyMatch(s -> s.proto() == Proto.TCP);
    }

    /** True when any socket is UDP. */
    public boolean hasUdp() {
        return sockets.stream().anyMatch(s -> s.proto() == Proto.UDP);
    }

    /**
     * One listening socket.
     *
     * @param proto UDP or TCP
     * @param family the family its proto named ({@code udp4}, {@code tcp6-server}), ANY when none
     * @param port its port
     * @param local its bind address, or null for the wildcard ({@code *} in the config)
     */
    public record Socket(Proto proto, IpFamily family, int port, String local) {
        @Override
        public String toString() {
            return (local == null ? "*" : local) + ":" + port + "/" + (proto == Proto.TCP ? "tcp" : "udp");
        }
    }
}
