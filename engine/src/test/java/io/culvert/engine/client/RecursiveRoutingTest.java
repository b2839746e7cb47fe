package io.culvert.engine.client;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** OpenVPN's drop_if_recursive_routing: same destination address, port and protocol as the link. */
class RecursiveRoutingTest {
    private static byte[] ipv4(int proto, int a, int b, int c, int d, int dstPort) {
        byte[] p = new byte[28];
        p[0] = 0x45;
        p[9] = (byte) proto;
        p[16] = (byte) a;
        p[17] = (byte) b;
        p[18] = (byte) c;
        p[19] = (byte) d;
        p[20] = 0x30;
        p[21] = 0x39; // source port 12345
        p[22] = (byte) (dstPort >>> 8);
        p[23] = (byte) dstPort;
        return p;
    }

    @Test
    void dropsOnlyPacketsToTheServersAddressPortAndProtocol() {
        RecursiveRouting udp = RecursiveRouting.forLink(new InetSocketAddress("192.0.2.7", 1194), false);
        assertTrue(udp.matches(ipv4(17, 192, 0, 2, 7, 1194), 0, 28));
        assertFalse(udp.matches(ipv4(17, 192, 0, 2, 7, 53), 0, 28), "another port");
        assertFalse(udp.matches(ipv4(6, 192, 0, 2, 7, 1194), 0, 28), "TCP to a UDP server's port");
        assertFalse(udp.matches(ipv4(17, 192, 0, 2, 8, 1194), 0, 28), "another address");
        assertFalse(udp.matches(ipv4(17, 192, 0, 2, 7, 1194), 0, 22), "truncated");
        RecursiveRouting tcp = RecursiveRouting.forLink(new InetSocketAddress("192.0.2.7", 443), true);
        assertTrue(tcp.matches(ipv4(6, 192, 0, 2, 7, 443), 0, 28));
    }

    @Test
    void ipv6PacketsAreComparedOverAnIpv6Link() {
        RecursiveRouting v6 = RecursiveRouting.forLink(new InetSocketAddress("2001:db8::7", 1194), false);
        byte[] p = new byte[48];
        p[0] = 0x60;
        p[6] = 17;
        p[24] = 0x20;
        p[25] = 0x01;
        p[26] = 0x0d;
        p[27] = (byte) 0xb8;
        p[39] = 7;
        p[42] = (byte) (1194 >>> 8);
        p[43] = (byte) 1194;
        assertTrue(v6.matches(p, 0, 48));
        RecursiveRouting v4 = RecursiveRouting.forLink(new InetSocketAddress("192.0.2.7", 1194), false);
        assertFalse(v4.matches(p, 0, 48), "IPv6 packets over an IPv4 link are not compared");
    }

    @Test
    void aLinkThroughAProxyHasNoKnownAddress() {
        assertNull(RecursiveRouting.forLink(InetSocketAddress.createUnresolved("vpn.example", 1194), true));
    }
}
