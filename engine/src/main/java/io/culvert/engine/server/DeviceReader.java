package io.culvert.engine.server;

import io.culvert.engine.common.DropReason;
import io.culvert.engine.common.EventLoop;
import io.culvert.engine.packet.ChecksumCompletion;
import io.culvert.engine.packet.Segmenter;
import io.culvert.engine.packet.VirtioNetHdr;
import io.culvert.engine.sys.TunFd;
import io.culvert.engine.tun.TunDevice;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * The server's device reader: reads the device and publishes one packet (or frame) per slot of the device's
 * {@link EventLoop.PacketRing}, so the server thread and its {@link PacketSwitch} only ever see whole packets. A plain
 * device is read straight into the slot. On a device opened with offloads ({@link TunDevice#vnetHeaderLength()} 10)
 * a read lands in the reader's own buffer and may be a TCP or UDP super-segment of up to 64 KiB: the
 * {@link Segmenter} cuts it into packets of the kernel's segment size (the MSS its TCP chose, which the server's
 * clamping of SYNs bounds) with their own IP IDs, sequence numbers and checksums, and each goes into its own slot; a
 * whole packet is copied into a slot, its partial checksum ({@link VirtioNetHdr#F_NEEDS_CSUM}) completed first. A
 * full ring makes the reader wait, never drop. A reader with a {@link Direct} sink (the server's fast path, ADR 0041)
 * hands each read's packets to it from its own buffers instead, with no ring and no copy. Refused input is counted through {@code dropped}. Not thread-safe:
 * owned by the one device reader thread; nothing is allocated per packet.
 */
final class DeviceReader {
    /** Most segments per window: 64 KiB in segments of at least 256 bytes; a smaller MSS takes several windows. */
    static final int MAX_SEGMENTS = 256;
    /** Room for an Ethernet header with one VLAN tag in front of a TAP frame's IP packet. */
    private static final int MAX_L2_HEADER = 18;

    /**
     * Where a run-to-completion reader (ADR 0041) hands the packets of each read instead of a ring: {@link #begin},
     * each packet in order, {@link #end}; all on the reader thread.
     */
    interface Direct {
        /** Before the packets of one read; false once the server stops (the reader then ends). */
        boolean begin();

        /** One whole packet at {@code buf[off, off + len)}; the buffer is the reader's again on return. */
        void packet(byte[] buf, int off, int len);

        /** After the packets of one read (flush here). */
        void end();
    }

    private final TunDevice device;
    private final EventLoop.PacketRing ring;
    private final Direct direct;
    private final Consumer<DropReason> dropped;
    private final boolean tap;
    private final int vnet;
    // Offload only: the read, and its segments laid out at a stride.
    private final byte[] in;
    private final byte[] out;
    private final int stride;
    private final Segmenter segmenter;
    private final ChecksumCompletion completion;

    DeviceReader(TunDevice device, EventLoop.PacketRing ring, Consumer<DropReason> dropped) {
        this(device, ring, null, dropped);
    }

    /** A reader that hands each read's packets to {@code direct} on its own thread, with no ring. */
    DeviceReader(TunDevice device, Direct direct, Consumer<DropReason> dropped) {
        this(device, null, direct, dropped);
    }

    private DeviceReader(TunDevice device, EventLoop.PacketRing ring, Direct direct, Consumer<DropReason> dropped) {
        this.device = device;
        this.ring = ring;
        this.direct = direct;
        this.dropped = dropped;
        this.tap = device.isTap();
        this.vnet = device.vnetHeaderLength();
        if (vnet > 0 || direct != null) {
            in = new byte[TunFd.MAX_FRAME];
        } else {
            in = null;
        }
        if (vnet > 0) {
            stride = device.mtu() + (tap ? MAX_L2_HEADER : 0);
            out = new byte[MAX_SEGMENTS * stride];
            segmenter = new Segmenter(MAX_SEGMENTS);
            completion = new ChecksumCompletion();
        } else {
            stride = 0;
            out = null;
            segmenter = null;
            completion = null;
        }
    }

    /** Reads and publishes until the device is closed or the loop stops. */
    void run() throws IOException, InterruptedException {
        if (direct != null && vnet == 0) {
            while (true) {
                int n = device.read(in, 0, in.length);
                if (n < 0 || !direct.begin()) {
                    return;
                }
                try {
                    direct.packet(in, 0, n);
                } finally {
                    direct.end();
                }
            }
        }
        if (vnet == 0) {
            while (true) {
                int slot = ring.claim();
                if (slot < 0) {
                    return;
                }
                byte[] buf = ring.buffer(slot);
                int n = device.read(buf, 0, buf.length);
                if (n < 0) {
                    return;
                }
                ring.publish(slot, n, null);
            }
        }
        while (true) {
            int n = device.read(in, 0, in.length);
            if (n < 0 || !publish(n)) {
                return;
            }
        }
    }

    /** The offload read buffer, at offset 0: tests put a read (virtio header first) there and call {@link #publish}. */
    byte[] buffer() {
        return in;
    }

    /**
     * Publishes the {@code n} bytes just read into {@link #buffer()}: one slot per packet. False once the loop stopped.
     */
    boolean publish(int n) throws InterruptedException {
        if (n <= vnet) {
            return true; // nothing after the virtio header
        }
        if (direct != null) {
            if (!direct.begin()) {
                return false;
            }
            try {
                handOver(n);
            } finally {
                direct.end();
            }
            return true;
        }
        if (VirtioNetHdr.gsoType(in, 0) == VirtioNetHdr.GSO_NONE) {
            return publishWhole(n - vnet);
        }
        int first = 0;
        do { // a super-segment of more segments than one window holds (a small MSS) is cut by windows
            int count = segmenter.segment(in, 0, n, tap, out, 0, stride, 0, first);
            if (count <= 0) {
                dropped.accept(count < 0 ? segmenter.lastDrop() : DropReason.MALFORMED);
                return true;
            }
            for (int i = 0; i < count; i++) {
                int slot = ring.claim();
                if (slot < 0) {
                    return false;
                }
                int len = segmenter.length(i);
                System.arraycopy(out, i * stride, ring.buffer(slot), 0, len);
                ring.publish(slot, len, null);
            }
            first += count;
        } while (first < segmenter.total());
        return true;
    }

    /** The direct reader's {@link #publish}: each packet goes to {@link Direct#packet} from the reader's own arrays. */
    private void handOver(int n) {
        if (VirtioNetHdr.gsoType(in, 0) == VirtioNetHdr.GSO_NONE) {
            int len = n - vnet;
            if ((VirtioNetHdr.flags(in, 0) & VirtioNetHdr.F_NEEDS_CSUM) != 0) {
                DropReason r = completion.complete(in, vnet, len, tap, VirtioNetHdr.csumStart(in, 0),
                        VirtioNetHdr.csumOffset(in, 0));
                if (r != null) {
                    dropped.accept(r);
                    return;
                }
            }
            direct.packet(in, vnet, len);
            return;
        }
        int first = 0;
        do {
            int count = segmenter.segment(in, 0, n, tap, out, 0, stride, 0, first);
            if (count <= 0) {
                dropped.accept(count < 0 ? segmenter.lastDrop() : DropReason.MALFORMED);
                return;
            }
            for (int i = 0; i < count; i++) {
                direct.packet(out, i * stride, segmenter.length(i));
            }
            first += count;
        } while (first < segmenter.total());
    }

    private boolean publishWhole(int len) throws InterruptedException {
        int slot = ring.claim();
        if (slot < 0) {
            return false;
        }
        byte[] buf = ring.buffer(slot);
        if (len > buf.length) {
            dropped.accept(DropReason.OVERSIZED); // the slot stays claimed and is handed out again
            return true;
        }
        System.arraycopy(in, vnet, buf, 0, len);
        if ((VirtioNetHdr.flags(in, 0) & VirtioNetHdr.F_NEEDS_CSUM) != 0) {
            DropReason r = completion.complete(buf, 0, len, tap, VirtioNetHdr.csumStart(in, 0), VirtioNetHdr.csumOffset(in, 0));
            if (r != null) {
                dropped.accept(r);
                return true;
            }
        }
        ring.publish(slot, len, null);
        return true;
    }
}
