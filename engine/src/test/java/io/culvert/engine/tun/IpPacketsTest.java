package io.culvert.engine.tun;

import static io.culvert.engine.tun.TestPackets.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class IpPacketsTest {

    @Test
    void readsIpv4Addresses() {
        byte[] p = TestPackets.ipv4Tcp(TestPackets.tcp(0x02, new byte[0]));

        assertEquals(4, IpPackets.version(p, 0));
        assertTrue(IpPackets.isIpv4(p, 0, p.length));
        assertFalse(IpPackets.isIpv6(p, 0, p.length));
        assertEquals(0x0a080002, IpPackets.ipv4Source(p, 0));
        assertEquals(0xc0000207, IpPackets.ipv4Destination(p, 0));
    }

    @Test
    void readsIpv6Addresses() {
        byte[] p = TestPackets.ipv6Tcp(new byte[0], TestPackets.tcp(0x02, new byte[0]));

        assertEquals(6, IpPackets.version(p, 0));
        assertTrue(IpPackets.isIpv6(p, 0, p.length));
        assertFalse(IpPackets.isIpv4(p, 0, p.length));
        assertArrayEquals(hex("20010db8000000000000000000000002"), IpPackets.ipv6Source(p, 0));
        assertArrayEquals(hex("20010db8000000000000000000000099"), IpPackets.ipv6Destination(p, 0));
    }

    @Test
    void rejectsHeadersThatAreTooShort() {
        byte[] p = TestPackets.ipv4Tcp(TestPackets.tcp(0x02, new byte[0]));
        byte[] v6 = TestPackets.ipv6Tcp(new byte[0], TestPackets.tcp(0x02, new byte[0]));

        assertFalse(IpPackets.isIpv4(p, 0, 19));
        assertFalse(IpPackets.isIpv6(v6, 0, 39));
        assertEquals(-1, IpPackets.version(p, 0, 0));
        assertEquals(4, IpPackets.version(p, 0, 1));
    }

    @Test
    void readsEthernetHeaderAtOffset() {
        byte[] f = hex("aa" + "01005e0000fb" + "02aabbccddee" + "86dd");

        assertTrue(IpPackets.isEthernet(f, 1, 14));
        assertFalse(IpPackets.isEthernet(f, 1, 13));
        assertEquals(0x01005e0000fbL, IpPackets.ethernetDestination(f, 1));
        assertEquals(0x02aabbccddeeL, IpPackets.ethernetSource(f, 1));
        assertEquals(IpPackets.ETHERTYPE_IPV6, IpPackets.etherType(f, 1));
    }

    @Test
    void classifiesGroupMacs() {
        assertTrue(IpPackets.isBroadcastOrMulticastMac(0xffffffffffffL));
        assertTrue(IpPackets.isBroadcastOrMulticastMac(0x01005e0000fbL));
        assertTrue(IpPackets.isBroadcastOrMulticastMac(0x333300000001L));
        assertFalse(IpPackets.isBroadcastOrMulticastMac(0x02aabbccddeeL));
        assertFalse(IpPackets.isBroadcastOrMulticastMac(0x00155d010203L));
    }
}
