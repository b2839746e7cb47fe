package io.culvert.engine.sys;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * A UDP socket that sends and receives trains: datagrams of one size laid back to back in one array, moved in one
 * call where the kernel allows it (GSO {@code UDP_SEGMENT}, GRO {@code UDP_GRO}) and otherwise one datagram at a
 * time behind the same call. Connected (a client: {@code peer} null) or unconnected (a server: many peers).
 * The real one is {@link LinuxUdpSocket}; tests use {@link InMemoryUdpSocket}. Thread-safe: one sending and one
 * receiving thread at a time; {@link #close} from any thread wakes a blocked receiver.
 */
public interface UdpSocket extends AutoCloseable {
    /** Largest datagram payload, and the largest train one call moves. */
    int MAX_DATAGRAM = 65507;

    /**
     * Sends one datagram.
     *
     * @param peer the destination, or null for the connected peer
     * @throws java.nio.channels.ClosedChannelException once closed
     * @throws java.net.PortUnreachableException when the connected peer reported its port closed (ICMP)
     * @throws IOException when the local stack refused the datagram (it is lost; the socket is fine)
     */
    void send(byte[] buf, int off, int len, InetSocketAddress peer) throws IOException;

    /**
     * Sends the datagrams laid back to back in {@code buf[off, off+len)}: each {@code segmentSize} bytes, the last
     * possibly shorter, to {@code peer} (null: the connected peer) — one {@code sendmsg} with {@code UDP_SEGMENT}
     * for all but the last datagram and one call for the last where the kernel allows, else one at a time. Throws as
     * {@link #send} when any datagram was refused (the others are still sent).
     */
    void sendTrain(byte[] buf, int off, int len, int segmentSize, InetSocketAddress peer) throws IOException;

    /**
     * Sends one datagram from the local address {@code from} (see {@link UdpLocal}); null is {@link #send}. A socket
     * that cannot choose its source sends as {@link #send}.
     */
    default void send(byte[] buf, int off, int len, InetSocketAddress peer, UdpLocal from) throws IOException {
        send(buf, off, len, peer);
    }

    /** {@link #sendTrain} from the local address {@code from}; null is {@link #sendTrain}. */
    default void sendTrain(byte[] buf, int off, int len, int segmentSize, InetSocketAddress peer, UdpLocal from)
            throws IOException {
        sendTrain(buf, off, len, segmentSize, peer);
    }

    /**
     * Blocks for one datagram or a GRO train from one sender, copies it to {@code buf} at {@code off} and fills
     * {@code from} (segment size, sender).
     *
     * @return bytes copied, or -1 once closed
     * @throws IOException if the train does not fit into {@code len} bytes or the socket fails
     */
    int receive(byte[] buf, int off, int len, Received from) throws IOException;

    /** The bound local address. */
    InetSocketAddress localAddress();

    /** True while trains leave in one {@code sendmsg} (GSO); false when off, unsupported or refused by the path. */
    boolean gso();

    /** True when the kernel coalesces received datagrams into trains (GRO). */
    boolean gro();

    /** Idempotent, never throws; wakes a blocked receiver and sender. */
    @Override
    void close();
}
