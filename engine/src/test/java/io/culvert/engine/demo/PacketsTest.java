package io.culvert.engine.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PacketsTest {
    private static final int A = Packets.address("10.89.0.2");
    private static final int S = Packets.address("10.89.0.1");

    @Test
    void echoRequestHasValidChecksumsAndAddresses() {
        byte[] p = Packets.echoRequest(A, S, 7, 100);
        assertEquals(100, p.length);
        assertEquals(0, Packets.checksum(p, 0, 20), "IPv4 header sums to zero");
        assertEquals(0, Packets.checksum(p, 20, 80), "ICMP sums to zero");
        assertArrayEquals(new byte[] {10, 89, 0, 2, 10, 89, 0, 1}, Arrays.copyOfRange(p, 12, 20));
        assertTrue(Packets.isEchoRequest(p));
    }

    @Test
    void echoReplySwapsAddressesAndKeepsChecksumsValid() {
        byte[] reply = Packets.echoReply(Packets.echoRequest(A, S, 7, 64));
        assertArrayEquals(new byte[] {10, 89, 0, 1, 10, 89, 0, 2}, Arrays.copyOfRange(reply, 12, 20));
        assertEquals(0, reply[20]);
        assertEquals(0, Packets.checksum(reply, 0, 20));
        assertEquals(0, Packets.checksum(reply, 20, 44));
        assertFalse(Packets.isEchoRequest(reply));
    }

    @Test
    void udpDatagramCarriesPortsAndLength() {
        byte[] p = Packets.udp(A, Packets.address("10.89.0.255"), 5678, 137, 140);
        assertEquals(140, p.length);
        assertEquals(17, p[9]);
        assertArrayEquals(new byte[] {0x16, 0x2e, 0, (byte) 137, 0, 120}, Arrays.copyOfRange(p, 20, 26));
        assertEquals(0, Packets.checksum(p, 0, 20));
    }

    @Test
    void everyDemoClientHasACertificateAndKey() {
        for (String name : DemoPki.CLIENTS) {
            assertTrue(DemoPki.certificate(name).startsWith("-----BEGIN CERTIFICATE-----"), name);
            assertTrue(DemoPki.privateKey(name).startsWith("-----BEGIN PRIVATE KEY-----"), name);
        }
        assertTrue(DemoPki.tlsCryptKey().contains("BEGIN OpenVPN Static key V1"));
    }
}
