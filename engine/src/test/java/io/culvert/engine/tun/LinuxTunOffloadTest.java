package io.culvert.engine.tun;

import io.culvert.engine.net.IpHeaders;
import static io.culvert.engine.tun.TestPackets.u16;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.culvert.engine.sys.Offloads;
import io.culvert.engine.sys.TunFd;
import io.culvert.engine.sys.TunOffload;
import io.culvert.engine.packet.VirtioNetHdr;
import java.io.IOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A TUN device opened with a virtio header hands out TCP super-segments: bash inside a namespace opens a TCP
 * connection across the device to a peer the test plays (it answers the SYN and acknowledges data), and the reads
 * must show a {@code GSO_TCPV4} header on a packet longer than the MTU. Opened without offloads, the same flow
 * never exceeds the MTU, and so does a device asked for offloads while they are switched off. Needs root and
 * /dev/net/tun.
 */
@Tag("netns")
class LinuxTunOffloadTest {
    private static final int MTU = 1400;
    private static final int PEER = 0x0afd0002;

    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor();
    private NetnsSupport ns;
    private TunDevice device;
    private Process sender;

    @BeforeEach
    void createNamespace() throws IOException {
        NetnsSupport.requireRootOrFailInCi();
        ns = NetnsSupport.create();
    }

    @AfterEach
    void cleanUp() throws IOException {
        watchdog.shutdownNow();
        if (sender != null) {
            sender.destroyForcibly();
        }
        if (device != null) {
            device.close();
        }
        if (ns != null) {
            ns.close();
        }
    }

    @Test
    void offloadedDeviceHandsOutTcpSuperSegments() throws Exception {
        device = openInNamespace(true);
        if (!Offloads.current().enabled()) {
            // culvert.offload=off / CULVERT_OFFLOAD=off: the offload request is ignored and the device is plain.
            assertEquals(0, device.vnetHeaderLength());
            assertTrue(runFlow(0).largest <= MTU);
            return;
        }
        assertEquals(VirtioNetHdr.LENGTH, device.vnetHeaderLength());
        assertTrue(device.offloads().containsAll(java.util.Set.of(TunOffload.CSUM, TunOffload.TSO4)), device.offloads().toString());

        Flow flow = runFlow(10);

        assertTrue(flow.largest > MTU, "largest packet " + flow.largest + " bytes, MTU " + MTU);
        assertEquals(VirtioNetHdr.GSO_TCPV4, flow.largestHeader.gsoType() & ~VirtioNetHdr.GSO_ECN, flow.largestHeader.toString());
        assertTrue(flow.largestHeader.gsoSize() > 0 && flow.largestHeader.gsoSize() <= MTU - 40, flow.largestHeader.toString());
    }

    /**
     * Issue 10: the engine caps super-segments ({@link TunDevice#SUPER_SEGMENT_LIMIT}) so that one read never becomes
     * a train longer than a plain peer's socket holds. Capped at 3 here, no read carries more than 3 segments, yet
     * reads still carry more than one.
     */
    @Test
    void superSegmentsStayWithinTheDeviceLimit() throws Exception {
        device = openInNamespace(true);
        if (device.vnetHeaderLength() == 0) {
            return; // offloads switched off: every read is one packet, the other tests cover it
        }
        ns.netConfig().limitSuperSegments(device.name(), 3);

        Flow flow = runFlow(10, false);

        int mss = MTU - 40;
        assertTrue(flow.largest > MTU, "no super-segment at all: largest " + flow.largest + " bytes");
        assertTrue(flow.largest <= 40 + 3 * mss, "largest read " + flow.largest + " bytes: more than 3 segments of " + mss);
    }

    @Test
    void plainDeviceKeepsEveryPacketWithinTheMtu() throws Exception {
        device = openInNamespace(false);
        assertEquals(0, device.vnetHeaderLength());
        assertTrue(device.offloads().isEmpty());

        Flow flow = runFlow(0);

        assertTrue(flow.dataPackets > 10, "data packets: " + flow.dataPackets);
        assertTrue(flow.largest <= MTU, "largest packet " + flow.largest + " bytes, MTU " + MTU);
    }

    private record Flow(int largest, VirtioNetHdr largestHeader, int dataPackets) {}

    /**
     * Starts a bash TCP sender in the namespace, answers its SYN, and acknowledges data until 200 kB arrived or a
     * super-segment came (when {@code hdr} is 10).
     */
    private Flow runFlow(int hdr) throws Exception {
        return runFlow(hdr, true);
    }

    /** As {@link #runFlow(int)}; {@code stopAtSuperSegment} false reads all 200 kB to find the largest read. */
    private Flow runFlow(int hdr, boolean stopAtSuperSegment) throws Exception {
        sender = ns.start("bash", "-c", "exec 3<>/dev/tcp/10.253.0.2/5001; head -c 200000 /dev/zero >&3; sleep 5");
        ScheduledFuture<?> timeout = watchdog.schedule(device::close, 15, TimeUnit.SECONDS);
        try {
            byte[] buf = new byte[TunFd.MAX_FRAME];
            long peerSeq = 0x10203040L;
            long received = 0;
            int largest = 0;
            VirtioNetHdr largestHeader = null;
            int dataPackets = 0;
            while (received < 200_000) {
                int n = device.read(buf, 0, buf.length);
                if (n < 0) {
                    fail("no super-segment within 15 s; largest " + largest + " bytes");
                }
                int ip = hdr;
                if (n - ip < 40 || (buf[ip] & 0xf0) != 0x40 || buf[ip + 9] != 6 || IpHeaders.ipv4Destination(buf, ip) != PEER) {
                    continue;
                }
                int ihl = (buf[ip] & 0x0f) * 4;
                int tcp = ip + ihl;
                int flags = buf[tcp + 13] & 0xff;
                long seq = u32(buf, tcp + 4);
                int payload = u16(buf, ip + 2) - ihl - ((buf[tcp + 12] & 0xf0) >> 2);
                if ((flags & 0x02) != 0) {
                    byte[] synAck = reply(buf, ip, peerSeq, seq + 1, 0x12, true);
                    write(synAck, hdr);
                    continue;
                }
                if (payload <= 0) {
                    continue;
                }
                dataPackets++;
                received += payload;
                int length = n - hdr;
                if (length > largest) {
                    largest = length;
                    largestHeader = hdr > 0 ? VirtioNetHdr.parse(buf, 0) : null;
                }
                if (stopAtSuperSegment && hdr > 0 && largest > MTU) {
                    break;
                }
                write(reply(buf, ip, peerSeq + 1, seq + payload, 0x10, false), hdr);
            }
            return new Flow(largest, largestHeader, dataPackets);
        } finally {
            timeout.cancel(false);
        }
    }

    private void write(byte[] packet, int hdr) throws IOException {
        byte[] out = new byte[hdr + packet.length];
        if (hdr > 0) {
            VirtioNetHdr.NONE.writeTo(out, 0);
        }
        System.arraycopy(packet, 0, out, hdr, packet.length);
        device.write(out, 0, out.length);
    }

    /** A packet from the peer back to the sender: SYN-ACK (with MSS and window scale) or ACK, checksums complete. */
    private static byte[] reply(byte[] p, int ip, long seq, long ack, int flags, boolean options) {
        int ihl = (p[ip] & 0x0f) * 4;
        int tcpIn = ip + ihl;
        int tcpLen = options ? 28 : 20;
        byte[] r = new byte[20 + tcpLen];
        r[0] = 0x45;
        TestPackets.setShort(r, 2, r.length);
        r[8] = 64;
        r[9] = 6;
        System.arraycopy(p, ip + 16, r, 12, 4);
        System.arraycopy(p, ip + 12, r, 16, 4);
        TestPackets.setShort(r, 10, TestPackets.checksum(r, 0, 20, 0));
        System.arraycopy(p, tcpIn + 2, r, 20, 2);
        System.arraycopy(p, tcpIn, r, 22, 2);
        putU32(r, 24, seq);
        putU32(r, 28, ack);
        r[32] = (byte) ((tcpLen / 4) << 4);
        r[33] = (byte) flags;
        TestPackets.setShort(r, 34, 0xffff);
        if (options) {
            r[40] = 2;
            r[41] = 4;
            TestPackets.setShort(r, 42, MTU - 40);
            r[44] = 1;
            r[45] = 3;
            r[46] = 3;
            r[47] = 7;
        }
        TestPackets.setShort(r, 36, TestPackets.tcpChecksum4(r, 0));
        return r;
    }

    private static long u32(byte[] p, int at) {
        return ((long) u16(p, at) << 16) | u16(p, at + 2);
    }

    private static void putU32(byte[] p, int at, long v) {
        TestPackets.setShort(p, at, (int) (v >>> 16) & 0xffff);
        TestPackets.setShort(p, at + 2, (int) v & 0xffff);
    }

    private TunDevice openInNamespace(boolean offload) throws IOException {
        TunDevice opened = LinuxTun.open("cvo" + NetnsSupport.randomSuffix(), false, MTU, offload);
        try {
            ns.adopt(opened.name());
            NetConfig config = ns.netConfig();
            config.setLinkUp(opened.name(), 0);
            config.addAddress(opened.name(), "10.253.0.1/30");
            return opened;
        } catch (IOException | RuntimeException e) {
            opened.close();
            throw e;
        }
    }
}
