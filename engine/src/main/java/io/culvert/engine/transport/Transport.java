package io.culvert.engine.transport;

import io.culvert.engine.sys.Received;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * A connected link to one peer carrying whole OpenVPN packets. {@link #send} is called by one thread and
 * {@link #receive} by another; {@link #close} may come from any thread and wakes a blocked receiver.
 */
public interface Transport extends AutoCloseable {
    /** Largest OpenVPN packet either transport accepts. */
    int MAX_PACKET = 65535;

    /**
     * Sends one packet. Throws {@link SendRefusedException} when the local stack refused this one datagram (the
     * link is still up: count it and carry on); any other {@link IOException} means the link is gone.
     */
    default void send(byte[] packet) throws IOException {
        send(packet, 0, packet.length);
    }

    /**
     * Sends the packet at {@code buf[off, off + len)} where it lies, without copying it to a new array; failures as
     * {@link #send(byte[])}. Several threads may send: each packet leaves whole.
     */
    void send(byte[] buf, int off, int len) throws IOException;

    /**
     * Sends the packets laid back to back in {@code buf[off, off + len)}, each {@code segmentSize} bytes and the last
     * possibly shorter, in as few calls as the transport can (UDP: one GSO send; TCP: one framed write). Failures as
     * {@link #send(byte[])}; a refused datagram is reported after the rest of the train went out.
     */
    default void sendTrain(byte[] buf, int off, int len, int segmentSize) throws IOException {
        for (int at = 0; at < len; at += segmentSize) {
            send(buf, off + at, Math.min(segmentSize, len - at));
        }
    }

    /**
     * Blocks for one packet or a train of them ({@code from.segmentSize()} bytes each, the last possibly shorter) and
     * copies it to {@code buf} at {@code off}; {@code len} should be at least {@link #MAX_PACKET}. A transport without
     * trains returns one packet with the segment size set to its length.
     *
     * @return the bytes copied, or -1 once closed
     */
    default int receiveTrain(byte[] buf, int off, int len, Received from) throws IOException {
        byte[] one = off == 0 ? buf : new byte[Math.min(len, MAX_PACKET)];
        int n = receive(one);
        if (n > 0 && one != buf) {
            System.arraycopy(one, 0, buf, off, n);
        }
        from.set(Math.max(n, 0), remote());
        return n;
    }

    /** Blocks until a packet arrives; returns its length, or -1 once closed. */
    int receive(byte[] buf) throws IOException;

    InetSocketAddress remote();

    boolean isTcp();

    @Override
    void close();
}
