package io.culvert.engine.transport;

import io.culvert.engine.sys.LinuxUdpSocket;
import io.culvert.engine.sys.Offloads;
import io.culvert.engine.sys.Received;
import io.culvert.engine.sys.UdpSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.nio.channels.ClosedChannelException;

/**
 * UDP: one OpenVPN packet per datagram, over a connected {@link UdpSocket}, so datagrams from other senders never
 * arrive. Besides the one-packet {@link Transport} calls it moves trains for the fast path: {@link #sendTrain} (one
 * GSO send where the kernel allows) and {@link #receiveTrain} (a GRO train); {@link #receive} hands a train out one
 * datagram per call. Thread-safe as {@link Transport}: one sending thread, one receiving thread.
 */
public final class UdpTransport implements Transport {
    /**
     * The receive buffer a tunnel's UDP socket asks for, client's and server's; the kernel caps it at
     * net.core.rmem_max (twice that, with bookkeeping).
     */
    public static final int RECEIVE_BUFFER = 4 << 20;
    private final UdpSocket socket;
    private final InetSocketAddress remote;
    // The receiving thread's state: a train received by receive() and not yet handed out.
    private final byte[] train = new byte[UdpSocket.MAX_DATAGRAM + 1];
    private final Received received = new Received();
    private int trainAt;
    private int trainEnd;
    private int trainSegment;

    private UdpTransport(UdpSocket socket, InetSocketAddress remote) {
        this.socket = socket;
        this.remote = remote;
    }

    /**
     * Opens a connected socket with the kernel's default buffer sizes, as stock openvpn does unless {@code sndbuf} or
     * {@code rcvbuf} is configured (the config model ignores both): large buffers only hold a standing backlog.
     *
     * @param localBind local address/port to bind ({@code lport}), or null for an ephemeral port ({@code nobind})
     */
    public static UdpTransport connect(InetSocketAddress remote, InetSocketAddress localBind) throws IOException {
        return connect(remote, localBind, null, msg -> { });
    }

    /** Like {@link #connect(InetSocketAddress, InetSocketAddress)}, the socket bound to device {@code bindDev} unless null. */
    public static UdpTransport connect(InetSocketAddress remote, InetSocketAddress localBind, String bindDev,
            java.util.function.Consumer<String> warn) throws IOException {
        boolean offload = Offloads.current().enabled();
        // Send buffer: the kernel's default, as stock openvpn (a big one only holds a standing queue under load).
        // Receive buffer: as large as the kernel allows (net.core.rmem_max), so that a burst — a GRO train, a flood of
        // forged datagrams — waits for the link reader instead of being dropped by the kernel uncounted.
        return new UdpTransport(LinuxUdpSocket.open(localBind, remote, 0, RECEIVE_BUFFER, offload, offload, bindDev, warn),
                remote);
    }

    /** A transport over an already connected socket (tests use an {@link io.culvert.engine.sys.InMemoryUdpSocket}). */
    public static UdpTransport over(UdpSocket socket, InetSocketAddress remote) {
        return new UdpTransport(socket, remote);
    }

    /**
     * Sends one datagram; throws {@link SendRefusedException} when the local stack refuses this one (the link
     * stays usable) and {@link ClosedChannelException} once closed.
     */
    @Override
    public void send(byte[] buf, int off, int len) throws IOException {
        try {
            socket.send(buf, off, len, null);
        } catch (PortUnreachableException e) {
            // ICMP port unreachable from an earlier datagram; the peer may come back, keep going.
        } catch (IOException e) {
            throw SendRefusedException.classify(e);
        }
    }

    /**
     * Sends the packets laid back to back in {@code buf[off, off+len)}, each {@code segmentSize} bytes and the last
     * possibly shorter, as separate datagrams — in one call where the kernel allows (GSO). Failures as {@link #send}:
     * a refused datagram throws {@link SendRefusedException} after the rest of the train went out.
     */
    @Override
    public void sendTrain(byte[] buf, int off, int len, int segmentSize) throws IOException {
        try {
            socket.sendTrain(buf, off, len, segmentSize, null);
        } catch (PortUnreachableException e) {
            // as in send
        } catch (IOException e) {
            throw SendRefusedException.classify(e);
        }
    }

    /**
     * Blocks for one datagram or a train of them ({@code from.segmentSize()} bytes each, the last possibly shorter)
     * and copies it to {@code buf} at {@code off}; {@code len} should be at least {@link UdpSocket#MAX_DATAGRAM}.
     *
     * @return the bytes copied, or -1 once closed
     */
    @Override
    public int receiveTrain(byte[] buf, int off, int len, Received from) throws IOException {
        if (trainAt < trainEnd) {
            int n = Math.min(trainEnd - trainAt, len - len % trainSegment);
            System.arraycopy(train, trainAt, buf, off, n);
            trainAt += n;
            from.set(trainSegment, remote);
            return n;
        }
        try {
            return socket.receive(buf, off, len, from);
        } catch (ClosedChannelException e) {
            return -1;
        }
    }

    /** One datagram per call; a GRO train is received once and handed out datagram by datagram. */
    @Override
    public int receive(byte[] buf) throws IOException {
        if (trainAt >= trainEnd) {
            int n;
            try {
                n = socket.receive(train, 0, train.length, received);
            } catch (ClosedChannelException e) {
                return -1;
            }
            if (n <= 0) {
                // -1: closed; 0: an empty datagram, reported so the session counts the drop.
                return n;
            }
            trainAt = 0;
            trainEnd = n;
            trainSegment = received.segmentSize();
        }
        int n = Math.min(trainSegment, trainEnd - trainAt);
        if (n > buf.length) {
            trainAt += n;
            throw new IOException(n + "-byte datagram from " + remote + " does not fit into " + buf.length + " bytes");
        }
        System.arraycopy(train, trainAt, buf, 0, n);
        trainAt += n;
        return n;
    }

    /** True when {@link #sendTrain} leaves in one call (GSO); trains work either way. */
    public boolean sendsTrainsAtOnce() {
        return socket.gso();
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
        socket.close();
    }

    @Override
    public String toString() {
        return socket.toString();
    }
}
