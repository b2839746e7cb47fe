package io.culvert.engine.tun;

import io.culvert.engine.sys.TunOffload;
import io.culvert.engine.sys.TunFd;
import java.io.IOException;
import java.util.Set;

/**
 * A layer-3 (TUN) or layer-2 (TAP) virtual interface: one {@link #read} or {@link #write} call moves one
 * IP packet or Ethernet frame, without any packet-information prefix. Implementations allow one reader
 * thread and one writer thread at the same time; {@link #close} may be called from any thread.
 */
public interface TunDevice extends AutoCloseable {

    /**
     * Most segments in one super-segment a device opened with offloads hands the engine (its {@code gso_max_segs}),
     * set by {@link NetConfig#limitSuperSegments}. Each super-segment leaves as one back-to-back train of datagrams;
     * a peer with a plain socket (stock openvpn reads one datagram at a time into the kernel's default 208 KiB
     * buffer, about 60 full-size datagrams) drops the tail of a 45-datagram train whenever it falls behind, and
     * under random loss those bursts of drops cut its TCP throughput to a third and less (issue 10). Thirty-two
     * leave room for two trains and keep most of the batching.
     */
    int SUPER_SEGMENT_LIMIT = 32;

    /** The interface name the kernel assigned, for example {@code tun0}. */
    String name();

    /** True for a TAP (Ethernet) device, false for a TUN (IP) device. */
    boolean isTap();

    /** The MTU the device was opened with. */
    int mtu();

    /**
     * 0 for a plain device; {@link TunFd#VNET_HEADER_LENGTH} (10) when it was opened with offloads: then each read returns,
     * and each write takes, a {@code struct virtio_net_hdr} ({@code packet.VirtioNetHdr}) before the packet, and a read may return a TCP (or UDP, with USO)
     * super-segment of up to 64 KiB that the caller splits.
     */
    default int vnetHeaderLength() {
        return 0;
    }

    /** The offloads the kernel accepted; empty for a plain device. */
    default Set<TunOffload> offloads() {
        return Set.of();
    }

    /**
     * Blocks until one packet or frame is available and copies it into {@code buf}.
     *
     * @return its length, or -1 once the device is closed (also when closed while blocked here)
     * @throws IOException if the packet does not fit into {@code len} bytes or the device fails
     */
    int read(byte[] buf, int off, int len) throws IOException;

    /** Sends one packet or frame into the kernel. */
    void write(byte[] buf, int off, int len) throws IOException;

    /** Releases the device; idempotent, never throws, wakes a blocked reader. */
    @Override
    void close();
}
