package io.culvert.engine.client;

import io.culvert.engine.common.DropReason;
import io.culvert.engine.common.Span;
import io.culvert.engine.packet.TcpCoalescer;
import io.culvert.engine.packet.VirtioNetHdr;
import io.culvert.engine.protocol.Opcode;
import io.culvert.engine.session.DataPlane;
import io.culvert.engine.sys.Received;
import io.culvert.engine.transport.Transport;
import io.culvert.engine.packet.MssClamp;
import java.io.IOException;
import java.util.function.IntSupplier;

/**
 * The link reader, run to completion: receives a packet or a UDP GRO train, splits the train into its datagrams,
 * opens each data packet in place, clamps it and writes it to the device; control packets go to the session. When
 * the device takes virtio headers, the opened packets of one train go through a {@link TcpCoalescer}, which merges
 * consecutive segments of a TCP flow into one super-segment per write, and is flushed at the end of every train: no
 * packet waits for the next one. A lone datagram skips the coalescer and is written behind a virtio header put in
 * place of its spent OpenVPN header. A data packet that arrives before the session has published keys is dropped.
 * Not thread-safe: owned by the one link reader thread; nothing is allocated per data packet.
 */
final class LinkToTun {
    private static final int MAX_FLOWS = 8;
    private static final int MAX_PACKETS = 128;

    private final DataPlane plane;
    private final DataPathIo io;
    private final boolean tap;
    private final IntSupplier deviceVnet;
    private final byte[] train = new byte[Transport.MAX_PACKET + DataPlane.TAILROOM];
    private final byte[] one = new byte[Transport.MAX_PACKET + DataPlane.TAILROOM];
    private final byte[] withHeader = new byte[VirtioNetHdr.LENGTH + Transport.MAX_PACKET];
    private final Received received = new Received();
    private final Span payload = new Span();
    private TcpCoalescer coalescer;
    private int coalesced;

    /**
     * @param deviceVnet the device's virtio header length, -1 while there is no device (data is dropped then)
     */
    LinkToTun(DataPlane plane, DataPathIo io, boolean tap, IntSupplier deviceVnet) {
        this.plane = plane;
        this.io = io;
        this.tap = tap;
        this.deviceVnet = deviceVnet;
    }

    /** Receives and delivers until the link is closed; an {@link IOException} means the link failed. */
    void run(Transport transport) throws IOException, InterruptedException {
        while (true) {
            int n = transport.receiveTrain(train, 0, Transport.MAX_PACKET, received);
            if (n < 0) {
                return;
            }
            deliverTrain(n, received.segmentSize());
        }
    }

    /** The array a train is received into, at offset 0; tests put a train there and call {@link #deliverTrain}. */
    byte[] buffer() {
        return train;
    }

    /** Delivers the train of {@code n} bytes at 0 in {@code segmentSize}-byte datagrams (the last may be shorter). */
    void deliverTrain(int n, int segmentSize) throws InterruptedException {
        int vnet = deviceVnet.getAsInt();
        int size = segmentSize > 0 ? segmentSize : n;
        // A lone datagram has nothing to merge with: it skips the coalescer's copy.
        TcpCoalescer batch = vnet > 0 && n > size ? coalescer() : null;
        int at = 0;
        do {
            int len = Math.min(size, n - at);
            // The last datagram has tail room behind it; an earlier one is opened in a copy, or the tag the opener
            // moves behind the ciphertext would overwrite the next datagram.
            if (at + len == n) {
                deliver(train, at, len, vnet, batch);
            } else {
                System.arraycopy(train, at, one, 0, len);
                deliver(one, 0, len, vnet, batch);
            }
            at += len;
        } while (at < n);
        if (batch != null) {
            batch.flush();
        }
    }

    private void deliver(byte[] buf, int off, int len, int vnet, TcpCoalescer batch) throws InterruptedException {
        io.linkIn(len);
        int opcode = len > 0 ? (buf[off] & 0xff) >>> 3 : -1;
        if (opcode != Opcode.DATA_V1.code() && opcode != Opcode.DATA_V2.code()) {
            io.control(buf, off, len);
            return;
        }
        DropReason drop = plane.open(buf, off, len, payload);
        if (drop != null) {
            io.dropped(drop);
            return;
        }
        if (payload.length() == 0) {
            return; // keepalive ping or OCC message
        }
        if (vnet < 0) {
            return; // no device yet
        }
        DataPlane.Keys keys = plane.keys();
        MssClamp.clampTunnel(payload.array(), payload.offset(), payload.length(), tap, keys == null ? 0 : keys.mss());
        if (batch != null) {
            if (!batch.add(payload.array(), payload.offset(), payload.length())) {
                io.dropped(DropReason.OVERSIZED);
            }
            return;
        }
        if (vnet > 0 && payload.array() == buf && payload.offset() - VirtioNetHdr.LENGTH >= off) {
            // The opened packet's own header and tag lie before the payload and are spent: the virtio header goes there.
            VirtioNetHdr.writeNone(buf, payload.offset() - VirtioNetHdr.LENGTH);
            io.writeDevice(buf, payload.offset() - VirtioNetHdr.LENGTH, VirtioNetHdr.LENGTH + payload.length());
        } else if (vnet > 0) {
            VirtioNetHdr.writeNone(withHeader, 0);
            System.arraycopy(payload.array(), payload.offset(), withHeader, VirtioNetHdr.LENGTH, payload.length());
            io.writeDevice(withHeader, 0, VirtioNetHdr.LENGTH + payload.length());
        } else {
            io.writeDevice(payload.array(), payload.offset(), payload.length());
        }
        io.tunIn(payload.length(), 1);
    }

    private TcpCoalescer coalescer() {
        if (coalescer == null) {
            coalescer = new TcpCoalescer(tap, this::write, MAX_FLOWS, MAX_PACKETS, 4 * Transport.MAX_PACKET);
        }
        return coalescer;
    }

    /** The coalescer's sink: one packet or super-segment, behind its virtio header. */
    private void write(byte[] buf, int off, int len) {
        io.writeDevice(buf, off, len);
        int segments = 1;
        int gsoSize = VirtioNetHdr.gsoSize(buf, off);
        int bytes = len - VirtioNetHdr.LENGTH;
        if (VirtioNetHdr.gsoType(buf, off) != VirtioNetHdr.GSO_NONE && gsoSize > 0) {
            int headers = VirtioNetHdr.hdrLen(buf, off);
            segments = (bytes - headers + gsoSize - 1) / gsoSize;
        }
        io.tunIn(bytes, segments);
    }
}
