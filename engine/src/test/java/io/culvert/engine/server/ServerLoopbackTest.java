package io.culvert.engine.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.api.ConnectionState;
import io.culvert.engine.api.FlowEdge;
import io.culvert.engine.packet.VirtioNetHdr;
import io.culvert.engine.sys.Offloads;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import io.culvert.engine.tun.InMemoryTun;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Culvert server and Culvert clients over loopback sockets with in-memory devices: no root needed. */
class ServerLoopbackTest {

    @Test
    void clientsReachTheServerAndEachOtherInsideTheServer(@TempDir Path dir) throws Exception {
        try (LoopbackNetwork net = new LoopbackNetwork(dir, false, true, false, 16)) {
            assertEquals("127.0.0.1:" + net.server.boundAddress().getPort() + "/udp", net.server.listening(),
                    "the address as people write it, no slash in front");
            int a = net.addClient();
            int b = net.addClient();
            InMemoryTun ta = net.awaitConnected(a, 20);
            InMemoryTun tb = net.awaitConnected(b, 20);
            String addrA = net.addressOf(a);
            String addrB = net.addressOf(b);

            byte[] toServer = Icmp.echo(addrA, "10.8.0.1", 1);
            ta.inject(toServer);
            assertArrayEquals(toServer, net.serverDevice.takeWritten(5, TimeUnit.SECONDS), "client → server device");

            byte[] fromServer = Icmp.echo("10.8.0.1", addrA, 2);
            net.serverDevice.inject(fromServer);
            assertArrayEquals(fromServer, ta.takeWritten(5, TimeUnit.SECONDS), "server device → client");

            byte[] c2c = Icmp.echo(addrA, addrB, 3);
            ta.inject(c2c);
            assertArrayEquals(c2c, tb.takeWritten(5, TimeUnit.SECONDS), "client → client inside the server");
            assertNull(net.serverDevice.takeWritten(300, TimeUnit.MILLISECONDS), "client-to-client never touches the device");

            int peerA = net.server.instances().stream().filter(i -> i.virtualAddresses().contains(addrA)).findFirst().orElseThrow().peerId();
            int peerB = net.server.instances().stream().filter(i -> i.virtualAddresses().contains(addrB)).findFirst().orElseThrow().peerId();
            FlowEdge edge = net.server.flows().stream()
                    .filter(f -> f.source() == peerA && f.destination() == peerB && f.kind() == FlowEdge.Kind.CLIENT_TO_CLIENT)
                    .findFirst().orElseThrow(() -> new AssertionError("no client-to-client edge in " + net.server.flows()));
            assertEquals(1, edge.packets());
            assertEquals(c2c.length, edge.bytes());
            assertTrue(net.server.flows().stream().anyMatch(f -> f.source() == peerA && f.destination() == FlowEdge.SERVER
                    && f.kind() == FlowEdge.Kind.UNICAST_VIA_SERVER && f.packets() == 1));
        }
    }

    @Test
    void aKickedClientIsGoneFromTheListWhenKickReturns(@TempDir Path dir) throws Exception {
        try (LoopbackNetwork net = new LoopbackNetwork(dir, false, false, false, 16)) {
            int a = net.addClient();
            net.awaitConnected(a, 20);
            int peer = net.server.instances().getFirst().peerId();
            assertTrue(net.server.kick(peer), "kick finds the connected client");
            assertTrue(net.server.instances().stream().noneMatch(i -> i.peerId() == peer), "still listed after the kick");
            assertFalse(net.server.kick(peer), "a second kick finds nobody");
            assertFalse(net.server.kick(999), "no such client");
        }
    }

    @Test
    void twoClientsSharingACertificateDoNotBounceEachOther(@TempDir Path dir) throws Exception {
        try (LoopbackNetwork net = new LoopbackNetwork(dir, false, false, false, 16, false)) {
            int a = net.addClient();
            net.awaitConnected(a, 20);
            int b = net.addClient();
            net.awaitConnected(b, 20);
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (System.nanoTime() < until) {
                assertEquals(ConnectionState.CONNECTED, net.clients.get(a).state(),
                        "the replaced client was told to come back (OpenVPN drops it silently)");
                assertEquals(ConnectionState.CONNECTED, net.clients.get(b).state(), "the new login was replaced in turn");
                Thread.sleep(20);
            }
            assertEquals(1, net.server.instances().size(), "one instance for the shared common name");
        }
    }

    /**
     * The server's device with offloads, as the runner opens it unless offloads are off: a TCP super-segment the
     * device hands out reaches the client as the segments a kernel would have made; a SYN with a partial checksum
     * arrives completed and clamped to the server's MSS; what clients send reaches the device behind virtio headers,
     * a burst of in-order segments as fewer, larger writes. With {@code CULVERT_OFFLOAD=off} the runner asks for a
     * plain device and every packet is one write as it is.
     */
    @Test
    void theServerDeviceWithOffloadsCutsSuperSegmentsAndCoalescesWrites(@TempDir Path dir) throws Exception {
        boolean offload = Offloads.current().enabled();
        try (LoopbackNetwork net = new LoopbackNetwork(dir, false, false, false, 16, true, true)) {
            assertEquals(offload, net.offloadAsked, "the runner asks for offloads unless they are off");
            int a = net.addClient();
            InMemoryTun ta = net.awaitConnected(a, 20);
            byte[] client = InetAddress.getByName(net.addressOf(a)).getAddress();
            byte[] server = InetAddress.getByName("10.8.0.1").getAddress();
            int vnet = offload ? VirtioNetHdr.LENGTH : 0;

            // server device → client
            int mss = 1000;
            byte[] payload = TcpPackets.payload(10 * mss - 300, 0);
            byte[] superSegment = TcpPackets.superSegment(server, client, 0xfffff000L, 0x1234, mss, payload);
            if (offload) {
                net.serverDevice.inject(superSegment);
            } else {
                for (byte[] seg : kernelSegments(superSegment, mss)) {
                    net.serverDevice.inject(seg); // what the kernel hands a plain device
                }
            }
            List<byte[]> got = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                byte[] p = ta.takeWritten(5, TimeUnit.SECONDS);
                assertTrue(p != null, "segment " + i + " reached the client");
                got.add(p);
            }
            ServerDeviceOffloadTest.checkSegments(got, payload);

            byte[] syn = TcpPackets.tcp(server, client, 77, 9, TcpPackets.SYN, TcpPackets.mssOption(1460), new byte[0], !offload);
            net.serverDevice.inject(offload ? TcpPackets.needsChecksum(syn) : syn);
            byte[] clamped = ta.takeWritten(5, TimeUnit.SECONDS);
            assertEquals(syn.length, clamped.length);
            assertTrue(TcpPackets.tcpChecksumValid(clamped), "the SYN's checksum is complete and right after clamping");
            int clampedMss = TcpPackets.u16(clamped, 42);
            assertTrue(clampedMss < 1460 && clampedMss >= 1000, "MSS clamped by the server's mssfix: " + clampedMss);

            // client → server device: a burst of in-order segments of one flow
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            for (int i = 0; i < 20; i++) {
                byte[] seg = TcpPackets.tcp(client, server, 5000 + (long) i * mss, i, TcpPackets.ACK, new byte[0],
                        TcpPackets.payload(mss, i), true);
                expected.write(seg, 40, mss);
                ta.inject(seg);
            }
            ByteArrayOutputStream stream = new ByteArrayOutputStream();
            int writes = 0;
            while (stream.size() < 20 * mss) {
                byte[] w = net.serverDevice.takeWritten(5, TimeUnit.SECONDS);
                assertTrue(w != null, "the device got " + stream.size() + " of " + 20 * mss + " bytes");
                writes++;
                byte[] ip = Arrays.copyOfRange(w, vnet, w.length);
                assertEquals(ip.length, TcpPackets.u16(ip, 2), "IPv4 total length");
                assertTrue(TcpPackets.ipHeaderValid(ip));
                assertEquals(5000 + stream.size(), TcpPackets.u32(ip, 24), "in order, nothing lost");
                if (offload) {
                    VirtioNetHdr h = VirtioNetHdr.parse(w, 0);
                    if (ip.length > 40 + mss) {
                        assertEquals(new VirtioNetHdr(VirtioNetHdr.F_NEEDS_CSUM, VirtioNetHdr.GSO_TCPV4, 40, mss, 20, 16), h);
                        assertEquals(TcpPackets.fold(TcpPackets.pseudo(ip)), TcpPackets.u16(ip, 36));
                    } else {
                        assertEquals(VirtioNetHdr.NONE, h);
                        assertTrue(TcpPackets.tcpChecksumValid(ip));
                    }
                } else {
                    assertEquals(40 + mss, ip.length, "a plain device gets one packet per write");
                    assertTrue(TcpPackets.tcpChecksumValid(ip));
                }
                stream.write(ip, 40, ip.length - 40);
            }
            assertArrayEquals(expected.toByteArray(), stream.toByteArray());
            if (!offload) {
                assertEquals(20, writes);
            }
        }
    }

    /** The packets a kernel without TSO would have read for {@code superSegment}: the reference segmentation. */
    private static List<byte[]> kernelSegments(byte[] superSegment, int mss) {
        byte[] p = Arrays.copyOfRange(superSegment, VirtioNetHdr.LENGTH, superSegment.length);
        byte[] src = Arrays.copyOfRange(p, 12, 16);
        byte[] dst = Arrays.copyOfRange(p, 16, 20);
        int payload = p.length - 40;
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i * mss < payload; i++) {
            int chunk = Math.min(mss, payload - i * mss);
            boolean last = (i + 1) * mss >= payload;
            out.add(TcpPackets.tcp(src, dst, TcpPackets.u32(p, 24) + (long) i * mss, TcpPackets.u16(p, 4) + i,
                    last ? TcpPackets.ACK | TcpPackets.PSH : TcpPackets.ACK, new byte[0],
                    Arrays.copyOfRange(p, 40 + i * mss, 40 + i * mss + chunk), true));
        }
        return out;
    }
}
