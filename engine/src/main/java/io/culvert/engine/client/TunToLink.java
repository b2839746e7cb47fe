package io.culvert.engine.client;

import io.culvert.engine.common.DropReason;
import io.culvert.engine.common.Span;
import io.culvert.engine.packet.ChecksumCompletion;
import io.culvert.engine.packet.Segmenter;
import io.culvert.engine.packet.VirtioNetHdr;
import io.culvert.engine.session.DataPlane;
import io.culvert.engine.sys.TunFd;
import io.culvert.engine.packet.MssClamp;
import io.culvert.engine.tun.TunDevice;
import java.io.IOException;

/**
 * The device reader, run to completion: reads a packet, clamps its MSS, seals it in place and sends it. On a device
 * opened with offloads ({@link TunDevice#vnetHeaderLength()} 10) a read may be a TCP or UDP super-segment: the
 * {@link Segmenter} lays its segments out at a fixed stride with {@link DataPlane#HEADROOM} before each, each is
 * sealed in place, and the sealed datagrams are moved back to back and leave as trains of equal-size datagrams
 * (AEAD overhead is constant, so one super-segment is one train; CBC padding can split it into runs) — one
 * {@code sendmsg} with UDP GSO, one framed {@code write} over TCP. A whole packet with a partial checksum
 * ({@link VirtioNetHdr#F_NEEDS_CSUM}) is completed and takes the one-packet path. Nothing is sent before keys are
 * published. Not thread-safe: owned by the one device reader thread; nothing is allocated per packet.
 */
final class TunToLink {
    /** Most segments per window: 64 KiB in segments of at least 512 bytes; a smaller MSS takes several windows. */
    static final int MAX_SEGMENTS = 128;

    private final DataPlane plane;
    private final DataPathIo io;
    private final boolean tap;
    private final int vnet;
    private final byte[] in = new byte[DataPlane.HEADROOM + TunFd.MAX_FRAME + DataPlane.TAILROOM];
    private final Span wire = new Span();
    // Offload only: the segments at a stride, and where each sealed one lies.
    private final Segmenter segmenter;
    private final ChecksumCompletion completion;
    private final byte[] out;
    private final int stride;
    private final int[] wireAt;
    private final int[] wireLength;
    /** Drops packets routed into the tunnel towards the server; null with allow-recursive-routing (or TAP). */
    private RecursiveRouting recursion;

    /**
     * @param vnet the device's virtio header length: 0 for a plain device, one packet per read
     * @param maxSegment the largest segment (packet or frame) a super-segment splits into: the device MTU, plus the
     *     Ethernet header for TAP
     */
    TunToLink(DataPlane plane, DataPathIo io, boolean tap, int vnet, int maxSegment) {
        this.plane = plane;
        this.io = io;
        this.tap = tap;
        this.vnet = vnet;
        if (vnet > 0) {
            segmenter = new Segmenter(MAX_SEGMENTS);
            completion = new ChecksumCompletion();
            stride = DataPlane.HEADROOM + maxSegment + DataPlane.TAILROOM;
            out = new byte[MAX_SEGMENTS * stride];
            wireAt = new int[MAX_SEGMENTS];
            wireLength = new int[MAX_SEGMENTS];
        } else {
            segmenter = null;
            completion = null;
            stride = 0;
            out = null;
            wireAt = null;
            wireLength = null;
        }
    }

    /** Turns on OpenVPN's recursive-routing check ({@code null}: off, as with {@code allow-recursive-routing}). */
    TunToLink dropRecursive(RecursiveRouting check) {
        this.recursion = tap ? null : check;
        return this;
    }

    /** Reads and forwards until the device is closed. */
    void run(TunDevice device) throws IOException {
        int at = DataPlane.HEADROOM - vnet;
        while (true) {
            int n = device.read(in, at, TunFd.MAX_FRAME);
            if (n < 0) {
                return;
            }
            forward(n);
        }
    }

    /** The array a read goes to, at {@link #readOffset()}: tests put a read there and call {@link #forward}. */
    byte[] buffer() {
        return in;
    }

    int readOffset() {
        return DataPlane.HEADROOM - vnet;
    }

    /** Forwards the {@code n} bytes just read to {@link #readOffset()}. */
    void forward(int n) {
        DataPlane.Keys keys = plane.keys();
        if (n <= vnet) {
            return;
        }
        boolean up = keys != null && keys.sending();
        if (recursion != null && recursion.matches(in, DataPlane.HEADROOM, n - vnet)) {
            io.tunOut(n - vnet, 1);
            io.dropped(DropReason.RECURSIVE_ROUTING); // openvpn: "Recursive routing detected, packet dropped"
            return;
        }
        if (vnet == 0 || VirtioNetHdr.gsoType(in, DataPlane.HEADROOM - vnet) == VirtioNetHdr.GSO_NONE) {
            io.tunOut(n - vnet, 1);
            if (up) {
                forwardOne(n - vnet, keys);
            }
            return;
        }
        if (!up) {
            io.tunOut(n - vnet, 1);
            return; // the tunnel is not up (any more): dropped, as before the session had keys
        }
        int bytes = 0;
        int segments = 0;
        // A super-segment of more segments than one window holds (a small MSS) is cut, sealed and sent by windows.
        do {
            int count = segmenter.segment(in, DataPlane.HEADROOM - vnet, n, tap, out, 0, stride, DataPlane.HEADROOM,
                    segments);
            if (count <= 0) {
                if (segments == 0) {
                    io.tunOut(n - vnet, 1);
                }
                io.dropped(count < 0 ? segmenter.lastDrop() : DropReason.MALFORMED);
                break;
            }
            int sealed = 0;
            for (int i = 0; i < count; i++) {
                int len = segmenter.length(i);
                bytes += len;
                // Segments of a super-segment are never SYNs: nothing to clamp.
                DropReason drop = plane.seal(out, i * stride + DataPlane.HEADROOM, len, wire);
                if (drop != null) {
                    io.dropped(drop);
                    continue;
                }
                wireAt[sealed] = wire.offset();
                wireLength[sealed] = wire.length();
                sealed++;
            }
            segments += count;
            sendRuns(sealed);
        } while (segments < segmenter.total());
        if (segments > 0) {
            io.tunOut(bytes, segments);
        }
    }

    private void forwardOne(int len, DataPlane.Keys keys) {
        int hdr = DataPlane.HEADROOM - vnet;
        if (vnet > 0 && (VirtioNetHdr.flags(in, hdr) & VirtioNetHdr.F_NEEDS_CSUM) != 0) {
            DropReason r = completion.complete(in, DataPlane.HEADROOM, len, tap, VirtioNetHdr.csumStart(in, hdr),
                    VirtioNetHdr.csumOffset(in, hdr));
            if (r != null) {
                io.dropped(r);
                return;
            }
        }
        MssClamp.clampTunnel(in, DataPlane.HEADROOM, len, tap, keys.mss());
        DropReason drop = plane.seal(in, DataPlane.HEADROOM, len, wire);
        if (drop == null) {
            io.sendTrain(wire.array(), wire.offset(), wire.length(), wire.length());
        }
    }

    /**
     * Moves the sealed datagrams back to back, in order, and sends each run of equal size (a shorter one may end a
     * run) as one train. Each sealed datagram lies within its own stride slot, so moving it down never overwrites
     * one not yet moved.
     */
    private void sendRuns(int sealed) {
        int i = 0;
        while (i < sealed) {
            int size = wireLength[i];
            int start = wireAt[i];
            int end = start + size;
            int j = i + 1;
            while (j < sealed && wireLength[j] <= size && wireAt[j] >= end) {
                System.arraycopy(out, wireAt[j], out, end, wireLength[j]);
                end += wireLength[j];
                j++;
                if (wireLength[j - 1] < size) {
                    break;
                }
            }
            io.sendTrain(out, start, end - start, size);
            i = j;
        }
    }
}
