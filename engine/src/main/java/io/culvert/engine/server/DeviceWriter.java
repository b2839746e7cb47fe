package io.culvert.engine.server;

import io.culvert.engine.common.DropReason;
import io.culvert.engine.packet.TcpCoalescer;
import io.culvert.engine.tun.TunDevice;
import java.io.IOException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's way to its device, the {@link ServerCore.Device} its {@link PacketSwitch} writes to. A plain device is
 * written at once, one packet per write. A device opened with offloads takes a virtio header before every write:
 * the packets of one event-loop batch go through a {@link TcpCoalescer}, which merges consecutive in-order segments
 * of a TCP flow into one super-segment, and leave at {@link #flush()} (the runner's end of batch and tick), each
 * result in one write; the coalescer is bounded and flushes early when full. Failed writes are logged at debug, as a
 * full device queue is routine. Not thread-safe: owned by the server thread; nothing is allocated per packet.
 */
final class DeviceWriter implements ServerCore.Device {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceWriter.class);
    /** Super-segments per flush (64 KiB each). */
    static final int MAX_FLOWS = 8;
    /** Results per flush: more than a batch of a full ring, so a batch is one flush. */
    static final int MAX_PACKETS = 128;
    /** Bytes for packets that are not merged: a batch's worth of full-size packets. */
    private static final int PASS_THROUGH_BYTES = 256 * 1024;

    private final TunDevice device;
    private final TcpCoalescer coalescer;
    /** Counts a packet the coalescer refused (larger than an IP packet can be); set before the first packet. */
    Consumer<DropReason> dropped = reason -> { };

    DeviceWriter(TunDevice device) {
        this.device = device;
        this.coalescer = device.vnetHeaderLength() > 0
                ? new TcpCoalescer(device.isTap(), this::writeNow, MAX_FLOWS, MAX_PACKETS, PASS_THROUGH_BYTES) : null;
    }

    @Override
    public void write(byte[] buf, int off, int len) {
        if (coalescer == null) {
            writeNow(buf, off, len);
        } else if (!coalescer.add(buf, off, len)) {
            dropped.accept(DropReason.OVERSIZED);
        }
    }

    /** Writes what the batch left in the coalescer; nothing to do for a plain device. */
    void flush() {
        if (coalescer != null) {
            coalescer.flush();
        }
    }

    private void writeNow(byte[] buf, int off, int len) {
        try {
            device.write(buf, off, len);
        } catch (IOException e) {
            LOG.debug("device write failed: {}", e.getMessage());
        }
    }
}
