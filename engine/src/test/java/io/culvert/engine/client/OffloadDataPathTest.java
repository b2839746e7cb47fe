package io.culvert.engine.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.common.DropReason;
import io.culvert.engine.common.Span;
import io.culvert.engine.crypto.DataChannel;
import io.culvert.engine.crypto.DataCipher;
import io.culvert.engine.packet.VirtioNetHdr;
import io.culvert.engine.protocol.CompressionFraming;
import io.culvert.engine.session.DataPlane;
import io.culvert.engine.sys.InMemoryUdpSocket;
import io.culvert.engine.sys.Received;
import io.culvert.engine.transport.Transport;
import io.culvert.engine.transport.UdpTransport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The client's data threads on in-memory doubles, with real AES-256-GCM keys: a TCP super-segment read from an
 * offloaded device leaves as one GSO train of datagrams whose plaintexts are the segments a kernel would have made
 * (sequence numbers, IP IDs, lengths and both checksums verified here independently), or datagram by datagram when
 * GSO is refused; a plain device sends one datagram per packet; a GRO train from the link becomes one coalesced
 * super-segment write, or one write per packet to a plain device, and a control packet in a train reaches the session.
 */
class OffloadDataPathTest {
    private static final InstantSource CLOCK = InstantSource.system();
    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 1000);
    private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 1194);
    private static final int MSS = 1000;
    private static final long FIRST_SEQ = 0xfffff000L; // wraps inside the super-segment

    private final InMemoryUdpSocket.Network network = new InMemoryUdpSocket.Network();
    private final DataPlane clientPlane = new DataPlane(CLOCK);
    private final DataPlane serverPlane = new DataPlane(CLOCK);

    OffloadDataPathTest() {
        use(DataCipher.AES_256_GCM, "SHA1");
    }

    /** Publishes keys of {@code cipher} to both ends. */
    private void use(DataCipher cipher, String auth) {
        byte[] key = new byte[256];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (i * 13 + 5);
        }
        DataPlane.Generation c = new DataPlane.Generation(0, DataChannel.create(cipher, auth, key, false, CLOCK));
        DataPlane.Generation s = new DataPlane.Generation(0, DataChannel.create(cipher, auth, key, true, CLOCK));
        clientPlane.publish(new DataPlane.Keys(c, null, c, 7, CompressionFraming.NONE, 0, true));
        serverPlane.publish(new DataPlane.Keys(s, null, s, 7, CompressionFraming.NONE, 0, true));
    }

    /** Records what the data threads hand back and sends trains on a real transport object. */
    private static final class Recorder implements DataPathIo {
        final Transport link;
        final List<byte[]> written = new ArrayList<>();
        final List<byte[]> control = new ArrayList<>();
        final List<DropReason> drops = new ArrayList<>();

        Recorder(Transport link) {
            this.link = link;
        }

        @Override
        public void sendTrain(byte[] buf, int off, int len, int segmentSize) {
            try {
                link.sendTrain(buf, off, len, segmentSize);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void writeDevice(byte[] buf, int off, int len) {
            written.add(Arrays.copyOfRange(buf, off, off + len));
        }

        @Override
        public void control(byte[] buf, int off, int len) {
            control.add(Arrays.copyOfRange(buf, off, off + len));
        }

        @Override
        public void dropped(DropReason reason) {
            drops.add(reason);
        }

        @Override
        public void tunOut(int bytes, int packets) {
        }

        @Override
        public void tunIn(int bytes, int packets) {
        }

        @Override
        public void linkIn(int bytes) {
        }
    }

    @Test
    void superSegmentLeavesAsOneTrainOfKernelStyleSegments() throws Exception {
        InMemoryUdpSocket client = network.open(CLIENT, SERVER, true, false);
        InMemoryUdpSocket server = network.open(SERVER, CLIENT, false, false);
        byte[] payload = payload(10 * MSS - 300);
        sendSuperSegment(client, payload);

        assertEquals(1, client.sendCalls(), "one GSO send for the whole super-segment");
        assertEquals(10, client.datagramsSent());
        checkSegments(openAll(server, 10), payload);
    }

    /**
     * A small MSS (a pushed {@code mssfix 240}) makes the kernel's 60 KB super-segment 300 segments, more than one
     * window of the reader holds: it is cut and sent window by window, every segment whole and in order, PSH only on
     * the very last. (It used to be dropped whole as OVERSIZED, and bulk TCP through such a tunnel stalled.)
     */
    @Test
    void superSegmentOfMoreSegmentsThanOneWindowLeavesWindowByWindow() throws Exception {
        int mss = 200;
        InMemoryUdpSocket client = network.open(CLIENT, SERVER, true, false);
        InMemoryUdpSocket server = network.open(SERVER, CLIENT, false, false);
        byte[] payload = payload(300 * mss);
        sendSuperSegment(client, payload, mss);

        assertEquals(300, client.datagramsSent());
        assertEquals((300 + TunToLink.MAX_SEGMENTS - 1) / TunToLink.MAX_SEGMENTS, client.sendCalls(),
                "one GSO send per window");
        checkSegments(openAll(server, 300), payload, mss);
    }

    @Test
    void cbcSuperSegmentLeavesAsOneTrainWithAShorterLastDatagram() throws Exception {
        use(DataCipher.AES_256_CBC, "SHA256");
        InMemoryUdpSocket client = network.open(CLIENT, SERVER, true, false);
        InMemoryUdpSocket server = network.open(SERVER, CLIENT, false, false);
        byte[] payload = payload(7 * MSS - 333);
        sendSuperSegment(client, payload);

        assertEquals(1, client.sendCalls(), "padded to equal blocks, the full segments make one train; the last is shorter");
        assertEquals(7, client.datagramsSent());
        checkSegments(openAll(server, 7), payload);
    }

    @Test
    void refusedGsoSendsTheSameDatagramsOneByOne() throws Exception {
        InMemoryUdpSocket client = network.open(CLIENT, SERVER, true, false);
        InMemoryUdpSocket server = network.open(SERVER, CLIENT, false, false);
        client.refuseGso();
        byte[] payload = payload(10 * MSS);
        sendSuperSegment(client, payload);

        assertEquals(10, client.sendCalls(), "one send per datagram once GSO is refused");
        assertEquals(10, client.datagramsSent());
        checkSegments(openAll(server, 10), payload);
    }

    @Test
    void plainDeviceSendsOneDatagramPerPacket() throws Exception {
        InMemoryUdpSocket client = network.open(CLIENT, SERVER, true, false);
        InMemoryUdpSocket server = network.open(SERVER, CLIENT, false, false);
        Recorder io = new Recorder(UdpTransport.over(client, SERVER));
        TunToLink reader = new TunToLink(clientPlane, io, false, 0, 1500);
        for (int i = 0; i < 5; i++) {
            byte[] packet = tcpSegment(FIRST_SEQ + (long) i * MSS, 100 + i, payload(MSS), true, true);
            System.arraycopy(packet, 0, reader.buffer(), reader.readOffset(), packet.length);
            reader.forward(packet.length);
        }
        assertEquals(5, client.sendCalls());
        List<byte[]> opened = openAll(server, 5);
        assertEquals(5, opened.size());
        for (int i = 0; i < 5; i++) {
            assertEquals((FIRST_SEQ + (long) i * MSS) & 0xffffffffL, u32(opened.get(i), 24));
            assertTrue(transportValid(opened.get(i)));
        }
    }

    @Test
    void groTrainBecomesOneCoalescedWrite() throws Exception {
        Recorder io = receiveTrain(10);
        assertEquals(1, io.written.size(), "ten in-order segments of one flow: one super-segment write");
        byte[] w = io.written.getFirst();
        assertEquals(VirtioNetHdr.GSO_TCPV4, VirtioNetHdr.gsoType(w, 0));
        assertEquals(MSS, VirtioNetHdr.gsoSize(w, 0));
        byte[] ip = Arrays.copyOfRange(w, VirtioNetHdr.LENGTH, w.length);
        assertEquals(40 + 10 * MSS, u16(ip, 2));
        assertTrue(ipHeaderValid(ip));
        assertEquals(FIRST_SEQ, u32(ip, 24));
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (int i = 0; i < 10; i++) {
            expected.write(segmentPayload(i));
        }
        assertArrayEquals(expected.toByteArray(), Arrays.copyOfRange(ip, 40, ip.length));
        assertEquals(List.of(), io.drops);
        assertEquals(1, io.control.size(), "the control packet at the end of the train goes to the session");
    }

    @Test
    void groTrainToPlainDeviceIsOneWritePerPacket() throws Exception {
        Recorder io = receiveTrainTo(10, 0);
        assertEquals(10, io.written.size());
        for (int i = 0; i < 10; i++) {
            byte[] p = io.written.get(i);
            assertEquals((FIRST_SEQ + (long) i * MSS) & 0xffffffffL, u32(p, 24));
            assertTrue(transportValid(p));
            assertArrayEquals(segmentPayload(i), Arrays.copyOfRange(p, 40, p.length));
        }
    }

    @Test
    void loneDatagramIsWrittenBehindAZeroVirtioHeader() throws Exception {
        Recorder io = receiveTrainTo(1, VirtioNetHdr.LENGTH, false);
        assertEquals(1, io.written.size());
        byte[] w = io.written.getFirst();
        assertArrayEquals(new byte[VirtioNetHdr.LENGTH], Arrays.copyOf(w, VirtioNetHdr.LENGTH));
        byte[] ip = Arrays.copyOfRange(w, VirtioNetHdr.LENGTH, w.length);
        assertEquals(40 + MSS, ip.length);
        assertTrue(ipHeaderValid(ip) && transportValid(ip));
        assertArrayEquals(segmentPayload(0), Arrays.copyOfRange(ip, 40, ip.length));
    }

    private Recorder receiveTrain(int count) throws Exception {
        return receiveTrainTo(count, VirtioNetHdr.LENGTH);
    }

    private Recorder receiveTrainTo(int count, int vnet) throws Exception {
        return receiveTrainTo(count, vnet, true);
    }

    /** The server seals {@code count} segments of one flow and a control packet; the client gets them as one train. */
    private Recorder receiveTrainTo(int count, int vnet, boolean withControl) throws Exception {
        InMemoryUdpSocket client = network.open(CLIENT, SERVER, false, true);
        InMemoryUdpSocket server = network.open(SERVER, CLIENT, false, false);
        byte[] buf = new byte[DataPlane.HEADROOM + 2000 + DataPlane.TAILROOM];
        Span wire = new Span();
        for (int i = 0; i < count; i++) {
            byte[] seg = tcpSegment(FIRST_SEQ + (long) i * MSS, 500 + i, segmentPayload(i), true, false);
            System.arraycopy(seg, 0, buf, DataPlane.HEADROOM, seg.length);
            assertNull(serverPlane.seal(buf, DataPlane.HEADROOM, seg.length, wire));
            server.send(wire.array(), wire.offset(), wire.length(), null);
        }
        if (withControl) {
            byte[] control = new byte[60];
            control[0] = (byte) (4 << 3); // P_CONTROL_V1, shorter than the data datagrams: ends the train
            server.send(control, 0, control.length, null);
        }

        Recorder io = new Recorder(UdpTransport.over(client, SERVER));
        LinkToTun reader = new LinkToTun(clientPlane, io, false, () -> vnet);
        Received from = new Received();
        int n = io.link.receiveTrain(reader.buffer(), 0, Transport.MAX_PACKET, from);
        assertEquals(1, client.receiveCalls(), "one GRO receive");
        reader.deliverTrain(n, from.segmentSize());
        return io;
    }

    private void sendSuperSegment(InMemoryUdpSocket client, byte[] payload) throws Exception {
        sendSuperSegment(client, payload, MSS);
    }

    private void sendSuperSegment(InMemoryUdpSocket client, byte[] payload, int mss) throws Exception {
        Recorder io = new Recorder(UdpTransport.over(client, SERVER));
        TunToLink reader = new TunToLink(clientPlane, io, false, VirtioNetHdr.LENGTH, 1500);
        byte[] packet = tcpSegment(FIRST_SEQ, 0x1234, payload, false, true);
        int csum = partialChecksum(packet);
        packet[36] = (byte) (csum >>> 8);
        packet[37] = (byte) csum;
        byte[] read = new byte[VirtioNetHdr.LENGTH + packet.length];
        VirtioNetHdr.write(read, 0, VirtioNetHdr.F_NEEDS_CSUM, VirtioNetHdr.GSO_TCPV4, 40, mss, 20, 16);
        System.arraycopy(packet, 0, read, VirtioNetHdr.LENGTH, packet.length);
        System.arraycopy(read, 0, reader.buffer(), reader.readOffset(), read.length);
        reader.forward(read.length);
        assertEquals(List.of(), io.drops);
    }

    private void checkSegments(List<byte[]> segments, byte[] payload) {
        checkSegments(segments, payload, MSS);
    }

    private void checkSegments(List<byte[]> segments, byte[] payload, int mss) {
        int count = (payload.length + mss - 1) / mss;
        assertEquals(count, segments.size());
        for (int i = 0; i < count; i++) {
            byte[] p = segments.get(i);
            int chunk = Math.min(mss, payload.length - i * mss);
            assertEquals(40 + chunk, p.length);
            assertEquals(40 + chunk, u16(p, 2), "IPv4 total length");
            assertEquals((0x1234 + i) & 0xffff, u16(p, 4), "IP ID");
            assertTrue(ipHeaderValid(p), "IPv4 header checksum of segment " + i);
            assertEquals((FIRST_SEQ + (long) i * mss) & 0xffffffffL, u32(p, 24), "sequence number");
            int flags = p[33] & 0xff;
            assertEquals(i == count - 1 ? 0x18 : 0x10, flags, "PSH only on the last segment");
            assertTrue(transportValid(p), "TCP checksum of segment " + i);
            assertArrayEquals(Arrays.copyOfRange(payload, i * mss, i * mss + chunk), Arrays.copyOfRange(p, 40, p.length));
        }
    }

    /** Receives {@code count} datagrams (the socket has no GRO: one each) and opens them as the server would. */
    private List<byte[]> openAll(InMemoryUdpSocket server, int count) throws IOException {
        List<byte[]> out = new ArrayList<>();
        byte[] buf = new byte[Transport.MAX_PACKET + DataPlane.TAILROOM];
        Received from = new Received();
        Span p = new Span();
        for (int i = 0; i < count; i++) {
            int n = server.receive(buf, 0, Transport.MAX_PACKET, from);
            assertNull(serverPlane.open(buf, 0, n, p));
            out.add(p.toArray());
        }
        return out;
    }

    private static byte[] payload(int n) {
        byte[] p = new byte[n];
        for (int i = 0; i < n; i++) {
            p[i] = (byte) (i * 31 + (i >>> 8));
        }
        return p;
    }

    private static byte[] segmentPayload(int i) {
        byte[] p = payload(MSS);
        p[0] = (byte) i;
        return p;
    }

    /** An IPv4/TCP packet 10.8.0.2:40000 → 10.8.0.1:5201, ACK (and PSH), with a full checksum or none yet. */
    private static byte[] tcpSegment(long seq, int id, byte[] payload, boolean fullChecksum, boolean psh) {
        byte[] p = new byte[40 + payload.length];
        p[0] = 0x45;
        put16(p, 2, p.length);
        put16(p, 4, id);
        p[6] = 0x40; // DF
        p[8] = 64;
        p[9] = 6;
        p[12] = 10;
        p[13] = 8;
        p[15] = 2;
        p[16] = 10;
        p[17] = 8;
        p[19] = 1;
        put16(p, 10, checksum(p, 0, 20, 0));
        put16(p, 20, 40000);
        put16(p, 22, 5201);
        put16(p, 24, (int) (seq >>> 16) & 0xffff);
        put16(p, 26, (int) seq & 0xffff);
        put16(p, 28, 0x0102);
        put16(p, 30, 0x0304);
        p[32] = 0x50;
        p[33] = (byte) (psh ? 0x18 : 0x10);
        put16(p, 34, 502);
        System.arraycopy(payload, 0, p, 40, payload.length);
        if (fullChecksum) {
            put16(p, 36, checksum(p, 20, p.length - 20, pseudo(p)));
        }
        return p;
    }

    private static int partialChecksum(byte[] p) {
        long s = pseudo(p);
        while (s >>> 16 != 0) {
            s = (s & 0xffff) + (s >>> 16);
        }
        return (int) s;
    }

    private static long pseudo(byte[] p) {
        long s = 0;
        for (int i = 12; i < 20; i += 2) {
            s += u16(p, i);
        }
        return s + 6 + (p.length - 20);
    }

    /** RFC 1071, one 16-bit word at a time. */
    private static int checksum(byte[] p, int off, int len, long initial) {
        long s = initial;
        for (int i = 0; i < len; i += 2) {
            s += i + 1 < len ? u16(p, off + i) : (p[off + i] & 0xff) << 8;
        }
        while (s >>> 16 != 0) {
            s = (s & 0xffff) + (s >>> 16);
        }
        return (int) (~s & 0xffff);
    }

    private static boolean ipHeaderValid(byte[] p) {
        return checksum(p, 0, 20, 0) == 0;
    }

    private static boolean transportValid(byte[] p) {
        return checksum(p, 20, p.length - 20, pseudo(p)) == 0;
    }

    private static int u16(byte[] p, int at) {
        return ((p[at] & 0xff) << 8) | (p[at + 1] & 0xff);
    }

    private static long u32(byte[] p, int at) {
        return ((long) u16(p, at) << 16) | u16(p, at + 2);
    }

    private static void put16(byte[] p, int at, int v) {
        p[at] = (byte) (v >>> 8);
        p[at + 1] = (byte) v;
    }
}
