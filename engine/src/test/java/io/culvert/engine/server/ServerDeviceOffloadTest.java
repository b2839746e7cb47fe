package io.culvert.engine.server;

import static io.culvert.engine.server.TcpPackets.ACK;
import static io.culvert.engine.server.TcpPackets.PSH;
import static io.culvert.engine.server.TcpPackets.SYN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.common.DropReason;
import io.culvert.engine.common.EventLoop;
import io.culvert.engine.packet.VirtioNetHdr;
import io.culvert.engine.tun.InMemoryTun;
import io.culvert.engine.tun.TunDevice;
import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The server's device reader and writer on in-memory devices. With offloads: a TCP super-segment read from the device
 * reaches the server thread as one ring slot per segment, each what a kernel would have made (length, IP ID, sequence
 * number, flags, both checksums verified here independently), also through a ring with fewer slots than segments; a
 * whole packet with a partial checksum arrives completed; a burst of in-order segments written in one batch leaves as
 * one write of a super-segment with a valid virtio header, at the end of the batch; TAP frames alike, each segment
 * behind the frame's Ethernet header. Without offloads: one packet per
 * read and per write, at once, with no header. A run-to-completion reader (ADR 0041) hands the same packets to its
 * {@link DeviceReader.Direct} with no ring: all packets of one read between one begin and one end.
 */
@Timeout(20)
class ServerDeviceOffloadTest {
    private static final byte[] CLIENT = {10, 8, 0, 2};
    private static final byte[] HOST = {10, 8, 0, 1};
    private static final int MSS = 1000;
    private static final long FIRST_SEQ = 0xfffff000L; // wraps inside the super-segment

    /** A loop whose device ring has {@code slots} slots; every published packet is copied into {@code got}. */
    private record Rig(EventLoop loop, EventLoop.PacketRing ring, List<byte[]> got, Thread owner) implements AutoCloseable {
        static Rig start(int slots) {
            EventLoop loop = new EventLoop(Clock.systemUTC(), 50, 16);
            List<byte[]> got = new CopyOnWriteArrayList<>();
            EventLoop.PacketRing ring = loop.ring(slots, ServerRunner.slotBytes(1500),
                    (buf, len, meta) -> got.add(Arrays.copyOf(buf, len)));
            Thread owner = Thread.ofPlatform().start(() -> loop.run(new EventLoop.Owner() {
                @Override
                public void endOfBatch() {}

                @Override
                public void tick(long nowMillis) {}

                @Override
                public void failed(RuntimeException e) {
                    throw e;
                }
            }));
            return new Rig(loop, ring, got, owner);
        }

        void await(int count) throws InterruptedException {
            while (got.size() < count) {
                Thread.sleep(5);
            }
        }

        @Override
        public void close() throws InterruptedException {
            loop.stop();
            owner.join(2000);
        }
    }

    private static Thread reading(TunDevice device, EventLoop.PacketRing ring, List<DropReason> drops) {
        DeviceReader reader = new DeviceReader(device, ring, drops::add);
        return Thread.ofPlatform().daemon().start(() -> {
            try {
                reader.run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void aSuperSegmentReachesTheServerThreadAsOneSlotPerKernelStyleSegment() throws Exception {
        InMemoryTun memory = new InMemoryTun("stun0", false, 1500);
        List<DropReason> drops = new CopyOnWriteArrayList<>();
        byte[] payload = TcpPackets.payload(10 * MSS - 300, 0);
        List<byte[]> got;
        try (Rig rig = Rig.start(4)) { // fewer slots than segments: the reader waits, nothing is lost
            Thread reader = reading(new OffloadTun(memory), rig.ring(), drops);
            memory.inject(TcpPackets.superSegment(HOST, CLIENT, FIRST_SEQ, 0x1234, MSS, payload));
            rig.await(10);
            memory.close();
            reader.join(2000);
            got = List.copyOf(rig.got());
        }
        assertEquals(List.of(), drops);
        checkSegments(got, payload);
    }

    @Test
    void aWholePacketWithAPartialChecksumArrivesCompleted() throws Exception {
        InMemoryTun memory = new InMemoryTun("stun0", false, 1500);
        List<DropReason> drops = new CopyOnWriteArrayList<>();
        byte[] syn = TcpPackets.tcp(HOST, CLIENT, 77, 9, SYN, TcpPackets.mssOption(1460), new byte[0], false);
        try (Rig rig = Rig.start(4)) {
            reading(new OffloadTun(memory), rig.ring(), drops);
            memory.inject(TcpPackets.needsChecksum(syn));
            rig.await(1);
            byte[] p = rig.got().getFirst();
            assertEquals(syn.length, p.length, "the packet without its virtio header");
            assertTrue(TcpPackets.tcpChecksumValid(p), "checksum completed");
            assertArrayEquals(Arrays.copyOfRange(syn, 0, 36), Arrays.copyOfRange(p, 0, 36));
            memory.close();
        }
        assertEquals(List.of(), drops);
    }

    @Test
    void segmentsOfOneBatchLeaveAsOneCoalescedWriteAtTheEndOfTheBatch() throws Exception {
        InMemoryTun memory = new InMemoryTun("stun0", false, 1500);
        DeviceWriter writer = new DeviceWriter(new OffloadTun(memory));
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        for (int i = 0; i < 10; i++) {
            byte[] seg = TcpPackets.tcp(CLIENT, HOST, FIRST_SEQ + (long) i * MSS, 100 + i, ACK, new byte[0],
                    TcpPackets.payload(MSS, i), true);
            expected.write(seg, 40, MSS);
            System.arraycopy(seg, 0, buf, 7, seg.length); // the caller's buffer is reused for the next packet
            writer.write(buf, 7, seg.length);
        }
        assertNull(memory.takeWritten(0, TimeUnit.MILLISECONDS), "nothing is written before the end of the batch");
        writer.flush();
        byte[] w = memory.takeWritten(1, TimeUnit.SECONDS);
        assertNull(memory.takeWritten(0, TimeUnit.MILLISECONDS), "ten in-order segments of one flow: one write");
        VirtioNetHdr h = VirtioNetHdr.parse(w, 0);
        assertEquals(new VirtioNetHdr(VirtioNetHdr.F_NEEDS_CSUM, VirtioNetHdr.GSO_TCPV4, 40, MSS, 20, 16), h);
        byte[] ip = Arrays.copyOfRange(w, VirtioNetHdr.LENGTH, w.length);
        assertEquals(40 + 10 * MSS, ip.length);
        assertEquals(ip.length, TcpPackets.u16(ip, 2), "IPv4 total length");
        assertTrue(TcpPackets.ipHeaderValid(ip));
        assertEquals(FIRST_SEQ, TcpPackets.u32(ip, 24));
        assertEquals(TcpPackets.fold(TcpPackets.pseudo(ip)), TcpPackets.u16(ip, 36), "the pseudo-header sum, as NEEDS_CSUM says");
        assertArrayEquals(expected.toByteArray(), Arrays.copyOfRange(ip, 40, ip.length));
    }

    @Test
    void aPlainDeviceIsReadAndWrittenOnePacketAtATimeWithoutAHeader() throws Exception {
        InMemoryTun memory = new InMemoryTun("stun0", false, 1500);
        List<DropReason> drops = new CopyOnWriteArrayList<>();
        DeviceWriter writer = new DeviceWriter(memory);
        for (int i = 0; i < 5; i++) {
            byte[] seg = TcpPackets.tcp(CLIENT, HOST, FIRST_SEQ + (long) i * MSS, i, ACK, new byte[0],
                    TcpPackets.payload(MSS, i), true);
            writer.write(seg, 0, seg.length);
            assertArrayEquals(seg, memory.takeWritten(0, TimeUnit.MILLISECONDS), "written at once, as it is");
        }
        writer.flush();
        assertNull(memory.takeWritten(0, TimeUnit.MILLISECONDS));

        byte[] seg = TcpPackets.tcp(HOST, CLIENT, 5, 6, ACK, new byte[0], TcpPackets.payload(MSS, 0), true);
        try (Rig rig = Rig.start(4)) {
            reading(memory, rig.ring(), drops);
            memory.inject(seg);
            memory.inject(seg);
            rig.await(2);
            assertArrayEquals(seg, rig.got().get(0));
            assertArrayEquals(seg, rig.got().get(1));
            memory.close();
        }
        assertEquals(List.of(), drops);
    }

    @Test
    void aTapSuperSegmentBecomesFramesAndABurstOfFramesOneWrite() throws Exception {
        InMemoryTun memory = new InMemoryTun("stap0", true, 1500);
        List<DropReason> drops = new CopyOnWriteArrayList<>();
        byte[] ethernet = {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00}; // to the client's MAC, IPv4
        byte[] payload = TcpPackets.payload(10 * MSS - 300, 0);
        byte[] read = TcpPackets.superSegment(HOST, CLIENT, FIRST_SEQ, 0x1234, MSS, payload);
        byte[] frame = new byte[read.length + ethernet.length];
        VirtioNetHdr.write(frame, 0, VirtioNetHdr.F_NEEDS_CSUM, VirtioNetHdr.GSO_TCPV4, 14 + 40, MSS, 14 + 20, 16);
        System.arraycopy(ethernet, 0, frame, VirtioNetHdr.LENGTH, ethernet.length);
        System.arraycopy(read, VirtioNetHdr.LENGTH, frame, VirtioNetHdr.LENGTH + ethernet.length,
                read.length - VirtioNetHdr.LENGTH);
        List<byte[]> got = new ArrayList<>();
        try (Rig rig = Rig.start(4)) {
            reading(new OffloadTun(memory), rig.ring(), drops);
            memory.inject(frame);
            rig.await(10);
            for (byte[] f : rig.got()) {
                assertArrayEquals(ethernet, Arrays.copyOf(f, 14), "each segment keeps the frame's Ethernet header");
                got.add(Arrays.copyOfRange(f, 14, f.length));
            }
            memory.close();
        }
        assertEquals(List.of(), drops);
        checkSegments(got, payload);

        InMemoryTun out = new InMemoryTun("stap1", true, 1500);
        DeviceWriter writer = new DeviceWriter(new OffloadTun(out));
        byte[] back = new byte[14 + 40 + MSS];
        System.arraycopy(ethernet, 0, back, 0, 14);
        for (int i = 0; i < 10; i++) {
            byte[] seg = TcpPackets.tcp(CLIENT, HOST, FIRST_SEQ + (long) i * MSS, 100 + i, ACK, new byte[0],
                    TcpPackets.payload(MSS, i), true);
            System.arraycopy(seg, 0, back, 14, seg.length);
            writer.write(back, 0, back.length);
        }
        writer.flush();
        byte[] w = out.takeWritten(1, TimeUnit.SECONDS);
        assertNull(out.takeWritten(0, TimeUnit.MILLISECONDS), "ten in-order frames of one flow: one write");
        assertEquals(new VirtioNetHdr(VirtioNetHdr.F_NEEDS_CSUM, VirtioNetHdr.GSO_TCPV4, 14 + 40, MSS, 14 + 20, 16),
                VirtioNetHdr.parse(w, 0));
        assertEquals(VirtioNetHdr.LENGTH + 14 + 40 + 10 * MSS, w.length);
        assertArrayEquals(ethernet, Arrays.copyOfRange(w, VirtioNetHdr.LENGTH, VirtioNetHdr.LENGTH + 14));
    }

    static void checkSegments(List<byte[]> segments, byte[] payload) {
        checkSegments(segments, payload, MSS);
    }

    static void checkSegments(List<byte[]> segments, byte[] payload, int mss) {
        int count = (payload.length + mss - 1) / mss;
        assertEquals(count, segments.size());
        for (int i = 0; i < count; i++) {
            byte[] p = segments.get(i);
            int chunk = Math.min(mss, payload.length - i * mss);
            assertEquals(40 + chunk, p.length);
            assertEquals(40 + chunk, TcpPackets.u16(p, 2), "IPv4 total length");
            assertEquals((0x1234 + i) & 0xffff, TcpPackets.u16(p, 4), "IP ID");
            assertTrue(TcpPackets.ipHeaderValid(p), "IPv4 header checksum of segment " + i);
            assertEquals((FIRST_SEQ + (long) i * mss) & 0xffffffffL, TcpPackets.u32(p, 24), "sequence number");
            assertEquals(i == count - 1 ? ACK | PSH : ACK, p[33] & 0xff, "PSH only on the last segment");
            assertTrue(TcpPackets.tcpChecksumValid(p), "TCP checksum of segment " + i);
            assertArrayEquals(Arrays.copyOfRange(payload, i * mss, i * mss + chunk), Arrays.copyOfRange(p, 40, p.length));
        }
    }

    /** A direct sink that records each read's packets between begin and end. */
    private static final class Sink implements DeviceReader.Direct {
        final List<byte[]> got = new CopyOnWriteArrayList<>();
        final List<Integer> perRead = new CopyOnWriteArrayList<>();
        private int inRead = -1;

        @Override
        public boolean begin() {
            assertEquals(-1, inRead, "begin after end");
            inRead = 0;
            return true;
        }

        @Override
        public void packet(byte[] buf, int off, int len) {
            assertTrue(inRead >= 0, "a packet between begin and end");
            inRead++;
            got.add(Arrays.copyOfRange(buf, off, off + len));
        }

        @Override
        public void end() {
            perRead.add(inRead);
            inRead = -1;
        }

        void await(int reads) throws InterruptedException {
            while (perRead.size() < reads) {
                Thread.sleep(5);
            }
        }
    }

    private static Thread readingDirect(TunDevice device, Sink sink, List<DropReason> drops) {
        DeviceReader reader = new DeviceReader(device, sink, drops::add);
        return Thread.ofPlatform().daemon().start(() -> {
            try {
                reader.run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void aDirectReaderHandsASuperSegmentsSegmentsOverInOneGo() throws Exception {
        InMemoryTun memory = new InMemoryTun("stun0", false, 1500);
        List<DropReason> drops = new CopyOnWriteArrayList<>();
        byte[] payload = TcpPackets.payload(10 * MSS - 300, 0);
        Sink sink = new Sink();
        Thread reader = readingDirect(new OffloadTun(memory), sink, drops);
        memory.inject(TcpPackets.superSegment(HOST, CLIENT, FIRST_SEQ, 0x1234, MSS, payload));
        sink.await(1);
        byte[] syn = TcpPackets.tcp(HOST, CLIENT, 77, 9, SYN, TcpPackets.mssOption(1460), new byte[0], false);
        memory.inject(TcpPackets.needsChecksum(syn));
        sink.await(2);
        memory.close();
        reader.join(2000);
        assertEquals(List.of(10, 1), sink.perRead, "one begin/end per read");
        assertEquals(List.of(), drops);
        checkSegments(sink.got.subList(0, 10), payload);
        byte[] p = sink.got.get(10);
        assertEquals(syn.length, p.length, "the whole packet without its virtio header");
        assertTrue(TcpPackets.tcpChecksumValid(p), "checksum completed");
    }

    /**
     * A small MSS (a client's {@code mssfix 140}) makes a 30 KB super-segment 300 segments, more than one window of
     * the reader holds: all 300 are handed over in order within the read's one begin/end, none dropped. (It used to
     * be dropped whole as OVERSIZED.)
     */
    @Test
    void aDirectReaderCutsASuperSegmentOfMoreSegmentsThanOneWindowWindowByWindow() throws Exception {
        int mss = 100;
        InMemoryTun memory = new InMemoryTun("stun0", false, 1500);
        List<DropReason> drops = new CopyOnWriteArrayList<>();
        byte[] payload = TcpPackets.payload(300 * mss, 0);
        Sink sink = new Sink();
        Thread reader = readingDirect(new OffloadTun(memory), sink, drops);
        memory.inject(TcpPackets.superSegment(HOST, CLIENT, FIRST_SEQ, 0x1234, mss, payload));
        sink.await(1);
        memory.close();
        reader.join(2000);
        assertTrue(300 > DeviceReader.MAX_SEGMENTS, "more segments than one window");
        assertEquals(List.of(300), sink.perRead, "one begin/end for the read");
        assertEquals(List.of(), drops);
        checkSegments(sink.got, payload, mss);
    }

    @Test
    void aDirectReaderOnAPlainDeviceHandsOverOnePacketPerRead() throws Exception {
        InMemoryTun memory = new InMemoryTun("stun0", false, 1500);
        List<DropReason> drops = new CopyOnWriteArrayList<>();
        byte[] seg = TcpPackets.tcp(HOST, CLIENT, 5, 6, ACK, new byte[0], TcpPackets.payload(MSS, 0), true);
        Sink sink = new Sink();
        Thread reader = readingDirect(memory, sink, drops);
        memory.inject(seg);
        memory.inject(seg);
        sink.await(2);
        memory.close();
        reader.join(2000);
        assertEquals(List.of(1, 1), sink.perRead);
        assertArrayEquals(seg, sink.got.get(0));
        assertArrayEquals(seg, sink.got.get(1));
        assertEquals(List.of(), drops);
    }
}
