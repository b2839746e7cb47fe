package io.culvert.engine.transport.proxy;

import io.culvert.engine.common.Decoded;
import io.culvert.engine.transport.Transport;
import io.culvert.engine.transport.UdpTransport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * UDP through a SOCKS5 relay: each packet travels with the SOCKS UDP header naming the real server. The control
 * connection is held open for the association's lifetime and closed with it. Thread-safety as {@link Transport}.
 */
public final class SocksUdpTransport implements Transport {
    private final UdpTransport relay;
    private final Socket control;
    private final InetSocketAddress server;

    private SocksUdpTransport(UdpTransport relay, Socket control, InetSocketAddress server) {
        this.relay = relay;
        this.control = control;
        this.server = server;
    }

    /** Sends to {@code server} (a resolved address) through {@code association}; takes ownership of its socket. */
    public static SocksUdpTransport open(SocksDialer.Association association, InetSocketAddress server,
            InetSocketAddress localBind) throws IOException {
        try {
            return new SocksUdpTransport(UdpTransport.connect(association.relay(), localBind), association.control(), server);
        } catch (IOException e) {
            association.control().close();
            throw e;
        }
    }

    /** Copies the packet behind its SOCKS header: the relay path is not a fast path. */
    @Override
    public void send(byte[] buf, int off, int len) throws IOException {
        relay.send(Socks5.wrapUdp(server, java.util.Arrays.copyOfRange(buf, off, off + len)));
    }

    /** Strips the SOCKS header; a datagram without a valid one reads as an empty packet, which the session drops. */
    @Override
    public int receive(byte[] buf) throws IOException {
        int n = relay.receive(buf);
        if (n <= 0) {
            return n;
        }
        Decoded<Integer> header = Socks5.udpHeaderLength(buf, n);
        if (!header.isOk()) {
            return 0;
        }
        int h = header.value();
        System.arraycopy(buf, h, buf, 0, n - h);
        return n - h;
    }

    @Override
    public InetSocketAddress remote() {
        return server;
    }

    @Override
    public boolean isTcp() {
        return false;
    }

    @Override
    public void close() {
        relay.close();
        try {
            control.close();
        } catch (IOException ignored) {
            // closing is best effort
        }
    }
}
