package io.culvert.engine.client;

import io.culvert.engine.common.DropReason;

/**
 * What the client's two data threads ({@link TunToLink}, {@link LinkToTun}) need from their runner: a link to send
 * trains on, a device to write, the session's queue for control packets, and counters. Implementations are called
 * from both data threads at once and must be thread-safe.
 */
interface DataPathIo {
    /**
     * Sends the packets laid back to back in {@code buf[off, off + len)}, {@code segmentSize} bytes each (the last
     * possibly shorter); counts and logs a refused datagram, reports a failed link to the session.
     */
    void sendTrain(byte[] buf, int off, int len, int segmentSize);

    /** Writes one packet, or with a virtio header first one super-segment, to the device; counts a failure. */
    void writeDevice(byte[] buf, int off, int len);

    /** Hands a copy of the control packet {@code buf[off, off + len)} to the session; may wait (TCP) or drop (UDP). */
    void control(byte[] buf, int off, int len) throws InterruptedException;

    /** Counts a dropped packet. */
    void dropped(DropReason reason);

    /** Counts bytes read from the device (IP packets, without virtio headers) and the packets they made. */
    void tunOut(int bytes, int packets);

    /** Counts bytes written to the device (IP packets, without virtio headers) and the packets they were. */
    void tunIn(int bytes, int packets);

    /** Counts bytes received from the link. */
    void linkIn(int bytes);
}
