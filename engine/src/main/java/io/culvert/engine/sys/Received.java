package io.culvert.engine.sys;

import java.net.InetSocketAddress;

/**
 * Where the last {@link UdpSocket#receive} came from and how to split it: filled in place by the socket, read by the
 * receiving thread. The sender's address object is kept while the sender stays the same, so a steady stream from one
 * peer allocates nothing. Not thread-safe: one per receiving thread.
 */
public final class Received {
    private int segmentSize;
    private InetSocketAddress sender;
    private UdpLocal local;
    // The raw packet info the current local object was made from.
    final byte[] rawLocal = new byte[20];
    // The raw sockaddr the current sender object was made from.
    final byte[] rawSender = new byte[SockAddr.STORAGE_SIZE];
    int rawSenderLength;

    /** Bytes per datagram of the train; equal to the length for a single datagram. The last may be shorter. */
    public int segmentSize() {
        return segmentSize;
    }

    /** The sender of the train. */
    public InetSocketAddress sender() {
        return sender;
    }

    /**
     * The local address the datagram was sent to, when the socket was asked for it
     * ({@link LinuxUdpSocket#receivePacketInfo}) and the kernel told it; else null. Kept, like the sender, while it
     * stays the same.
     */
    public UdpLocal local() {
        return local;
    }

    /** Sets both values, without a local address; used by sockets and test doubles. */
    public void set(int segmentSize, InetSocketAddress sender) {
        set(segmentSize, sender, null);
    }

    /** Sets all three values; used by test doubles. */
    public void set(int segmentSize, InetSocketAddress sender, UdpLocal local) {
        this.segmentSize = segmentSize;
        this.sender = sender;
        this.local = local;
    }

    void local(UdpLocal local) {
        this.local = local;
    }

    void segmentSize(int segmentSize) {
        this.segmentSize = segmentSize;
    }

    void sender(InetSocketAddress sender) {
        this.sender = sender;
    }
}
