package io.culvert.engine.net;

import io.culvert.engine.tun.TestPackets;
import io.culvert.engine.net.IpHeaders;
import static io.culvert.engine.tun.TestPackets.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class IpHeadersTest {

    @Test
    void readsIpv4Addresses() {
        byte[] p = TestPackets.ipv4Tcp(TestPackets.tcp(0x02, new byte[0]));

        assertEquals(4, IpHeaders.version(p, 0));
        assertTrue(IpHeaders.isIpv4(p, 0, p.length));
        assertFalse(IpHeaders.isIpv6(p, 0, p.length));
        assertEquals(0x0a080002, IpHeaders.ipv4Source(p, 0));
        assertEquals(0xc0000207, IpHeaders.ipv4Destination(p, 0));
    }

    @Test
    void readsIpv6Addresses() {
        byte[] p = TestPackets.ipv6Tcp(new byte[0], TestPackets.tcp(0x02, new byte[0]));

        assertEquals(6, IpHeaders.version(p, 0));
        assertTrue(IpHeaders.isIpv6(p, 0, p.length));
        assertFalse(IpHeaders.isIpv4(p, 0, p.length));
        assertArrayEquals(hex("20010db8000000000000000000000002"), IpHeaders.ipv6Source(p, 0));
        assertArrayEquals(hex("20010db8000000000000000000000099"), IpHeaders.ipv6Destination(p, 0));
    }

    @Test
    void rejectsHeadersThatAreTooShort() {
        byte[] p = TestPackets.ipv4Tcp(TestPackets.tcp(0x02, new byte[0]));
        byte[] v6 = TestPackets.ipv6Tcp(new byte[0], TestPackets.tcp(0x02, new byte[0]));

        assertFalse(IpHeaders.isIpv4(p, 0, 19));
        assertFalse(IpHeaders.isIpv6(v6, 0, 39));
        assertEquals(-1, IpHeaders.version(p, 0, 0));
        assertEquals(4, IpHeaders.version(p, 0, 1));
    }

    @Test
    void readsEthernetHeaderAtOffset() {
        byte[] f = hex("aa" + "01005e0000fb" + "02aabbccddee" + "86dd");

        assertTrue(IpHeaders.isEthernet(f, 1, 14));
        assertFalse(IpHeaders.isEthernet(f, 1, 13));
        assertEquals(0x01005e0000fbL, IpHeaders.ethernetDestination(f, 1));
        assertEquals(0x02aabbccddeeL, IpHeaders.ethernetSource(f, 1));
        assertEquals(IpHeaders.ETHERTYPE_IPV6, IpHeaders.etherType(f, 1));
    }

    @Test
    void classifiesGroupMacs() {
        assertTrue(IpHeaders.isBroadcastOrMulticastMac(0xffffffffffffL));
        assertTrue(IpHeaders.isBroadcastOrMulticastMac(0x01005e0000fbL));
        assertTrue(IpHeaders.isBroadcastOrMulticastMac(0x333300000001L));
        assertFalse(IpHeaders.isBroadcastOrMulticastMac(0x02aabbccddeeL));
        assertFalse(IpHeaders.isBroadcastOrMulticastMac(0x00155d010203L));
    }
}
