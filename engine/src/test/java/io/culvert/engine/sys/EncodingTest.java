package io.culvert.engine.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** The sockaddr, msghdr and cmsg encodings, the virtio header and the offload switch, without any system call. */
class EncodingTest {

    @Test
    void ipv4SockaddrIsFamilyPortInNetworkOrderThenAddress() throws Exception {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(SockAddr.STORAGE_SIZE);
            InetSocketAddress addr = new InetSocketAddress(InetAddress.getByName("192.0.2.7"), 1194);

            assertEquals(SockAddr.IN_SIZE, SockAddr.write(addr, Libc.AF_INET, s));

            assertEquals(Libc.AF_INET, s.get(ValueLayout.JAVA_SHORT, 0));
            assertEquals(1194 >> 8, s.get(ValueLayout.JAVA_BYTE, 2));
            assertEquals((byte) 1194, s.get(ValueLayout.JAVA_BYTE, 3));
            assertEquals((byte) 192, s.get(ValueLayout.JAVA_BYTE, 4));
            assertEquals(7, s.get(ValueLayout.JAVA_BYTE, 7));
            assertEquals(addr, SockAddr.read(s));
        }
    }

    @Test
    void ipv4PeerOnAnIpv6SocketIsMappedAndReadsBackAsIpv4() throws Exception {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(SockAddr.STORAGE_SIZE);
            InetSocketAddress addr = new InetSocketAddress(InetAddress.getByName("198.51.100.1"), 65000);

            assertEquals(SockAddr.IN6_SIZE, SockAddr.write(addr, Libc.AF_INET6, s));

            assertEquals(Libc.AF_INET6, s.get(ValueLayout.JAVA_SHORT, 0));
            assertEquals((byte) 0xff, s.get(ValueLayout.JAVA_BYTE, 18));
            InetSocketAddress back = SockAddr.read(s);
            assertTrue(back.getAddress() instanceof Inet4Address, back.toString());
            assertEquals(addr, back);
        }
    }

    @Test
    void ipv6SockaddrRoundTripsAndAnIpv6PeerOnAnIpv4SocketIsRefused() throws Exception {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(SockAddr.STORAGE_SIZE);
            InetSocketAddress addr = new InetSocketAddress(InetAddress.getByName("2001:db8::99"), 443);

            SockAddr.write(addr, Libc.AF_INET6, s);

            assertEquals(addr, SockAddr.read(s));
            assertThrows(IllegalArgumentException.class, () -> SockAddr.write(addr, Libc.AF_INET, s));
            assertThrows(IllegalArgumentException.class,
                    () -> SockAddr.write(InetSocketAddress.createUnresolved("example.org", 1), Libc.AF_INET, s));
        }
    }

    @Test
    void udpSegmentControlMessageIsFoundWhereTheKernelReadsIt() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment control = a.allocate(64, 8);

            int space = MsgHdr.writeUdpSegment(control, 1350);

            assertEquals(MsgHdr.CMSG_SPACE_SMALL, space);
            assertEquals(MsgHdr.CMSG_HDR_SIZE + 2, control.get(ValueLayout.JAVA_LONG, 0));
            assertEquals(Libc.SOL_UDP, control.get(ValueLayout.JAVA_INT, 8));
            assertEquals(Libc.UDP_SEGMENT, control.get(ValueLayout.JAVA_INT, 12));
            assertEquals(1350, control.get(ValueLayout.JAVA_SHORT, 16));
        }
    }

    @Test
    void groSegmentSizeIsFoundAfterAnotherControlMessage() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment control = a.allocate(64, 8);
            // An IP_TOS message (level 0, type 1, one byte) first, then UDP_GRO with an int.
            control.set(ValueLayout.JAVA_LONG, 0, 17);
            control.set(ValueLayout.JAVA_INT, 8, 0);
            control.set(ValueLayout.JAVA_INT, 12, 1);
            control.set(ValueLayout.JAVA_LONG, 24, 20);
            control.set(ValueLayout.JAVA_INT, 32, Libc.SOL_UDP);
            control.set(ValueLayout.JAVA_INT, 36, Libc.UDP_GRO);
            control.set(ValueLayout.JAVA_INT, 40, 1280);

            assertEquals(1280, MsgHdr.findUdpGro(control, 48));
            assertEquals(0, MsgHdr.findUdpGro(control, 24), "no GRO message within the first 24 bytes");
            control.set(ValueLayout.JAVA_LONG, 0, 4000);
            assertEquals(0, MsgHdr.findUdpGro(control, 48), "a corrupt length ends the walk");
        }
    }

    @Test
    void msghdrFieldsSitAtTheAbiOffsets() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment msg = a.allocate(MsgHdr.SIZE, 8);
            MemorySegment name = a.allocate(28);
            MemorySegment iov = a.allocate(16);
            MemorySegment control = a.allocate(24);

            MsgHdr.write(msg, name, 28, iov, 1, control, 24);

            assertEquals(name.address(), msg.get(ValueLayout.JAVA_LONG, 0));
            assertEquals(28, MsgHdr.nameLen(msg));
            assertEquals(iov.address(), msg.get(ValueLayout.JAVA_LONG, 16));
            assertEquals(1, msg.get(ValueLayout.JAVA_LONG, 24));
            assertEquals(control.address(), msg.get(ValueLayout.JAVA_LONG, 32));
            assertEquals(24, MsgHdr.controlLen(msg));
            assertEquals(0, MsgHdr.flags(msg));
        }
    }

    @Test
    void offloadsAreOnUnlessSwitchedOff() {
        assertTrue(Offloads.from(null, null).enabled());
        assertFalse(Offloads.from("off", null).enabled());
        assertFalse(Offloads.from(null, " OFF ").enabled());
        assertTrue(Offloads.from("on", "off").enabled(), "the property wins over the environment");
    }

    @Test
    void offloadBitsAreTheKernelFlags() {
        assertEquals(java.util.Set.of(TunOffload.CSUM, TunOffload.TSO4, TunOffload.TSO6), TunOffload.of(0x07));
        assertEquals(java.util.Set.of(TunOffload.USO4, TunOffload.USO6), TunOffload.of(0x60));
    }
}
