package io.culvert.engine.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;

/** UDP: one OpenVPN packet per datagram. The channel is connected, so datagrams from other senders never arrive. */
public final class UdpTransport implements Transport {
    private final DatagramChannel channel;
    private final InetSocketAddress remote;

    private UdpTransport(DatagramChannel channel, InetSocketAddress remote) {
        this.channel = channel;
        this.remote = remote;
    }

    /**
     * @param localBind local address/port to bind ({@code lport}), or null for an ephemeral port ({@code nobind})
     */
    public static UdpTransport connect(InetSocketAddress remote, InetSocketAddress localBind) throws IOException {
        DatagramChannel ch = DatagramChannel.open();
        try {
            ch.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
            ch.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
            if (localBind != null) {
                ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                ch.bind(localBind);
            }
            ch.connect(remote);
            return new UdpTransport(ch, remote);
        } catch (IOException e) {
            ch.close();
            throw e;
        }
    }

    /**
     * Sends one datagram; throws {@link SendRefusedException} when the local stack refuses this one (the link
     * stays usable) and {@link ClosedChannelException} once closed.
     */
    @Override
    public void send(byte[] packet) throws IOException {
        try {
            channel.write(ByteBuffer.wrap(packet));
        } catch (java.net.PortUnreachableException e) {
            // ICMP port unreachable from an earlier datagram; the peer may come back, keep going.
        } catch (IOException e) {
            throw SendRefusedException.classify(e);
        }
    }

    @Override
    public int receive(byte[] buf) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(buf);
        while (true) {
            try {
                // A zero-length datagram reads as -1 on a connected channel (a closed one throws instead):
                // report it as an empty packet so the session counts the drop.
                return Math.max(0, channel.read(bb));
            } catch (ClosedChannelException e) {
                return -1;
            } catch (IOException e) {
                // An ICMP error for an earlier datagram (port or host unreachable while the path flaps) is reported
                // once on a connected socket; like OpenVPN, keep reading: only keepalive ends the session.
                continue;
            }
        }
    }

    @Override
    public InetSocketAddress remote() {
        return remote;
    }

    @Override
    public boolean isTcp() {
        return false;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing is best effort
        }
    }
}
