package io.culvert.engine.server.route;

import io.culvert.engine.net.Addresses;
import java.net.InetAddress;
import java.nio.ByteBuffer;

/** Hand-built IPv4/IPv6 packets and Ethernet frames for the forwarding tests. */
final class TestPackets {
    private TestPackets() {}

    static InetAddress ip(String literal) {
        return Addresses.literal(literal);
    }

    /** A 28-byte IPv4 packet (20-byte header + 8-byte ICMP echo stub). */
    static byte[] ipv4(String source, String destination) {
        ByteBuffer b = ByteBuffer.allocate(28);
        b.put((byte) 0x45).put((byte) 0).putShort((short) 28).putInt(0).put((byte) 64).put((byte) 1).putShort((short) 0);
        b.put(ip(source).getAddress()).put(ip(destination).getAddress());
        b.put(new byte[] {8, 0, 0, 0, 0, 1, 0, 1});
        return b.array();
    }

    /** A 48-byte IPv6 packet (40-byte header + 8-byte ICMPv6 stub). */
    static byte[] ipv6(String source, String destination) {
        ByteBuffer b = ByteBuffer.allocate(48);
        b.putInt(0x6000_0000).putShort((short) 8).put((byte) 58).put((byte) 64);
        b.put(ip(source).getAddress()).put(ip(destination).getAddress());
        b.put(new byte[] {(byte) 128, 0, 0, 0, 0, 1, 0, 1});
        return b.array();
    }

    /** An Ethernet frame carrying {@code payload}. */
    static byte[] frame(String destination, String source, int etherType, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(14 + payload.length);
        putMac(b, destination);
        putMac(b, source);
        b.putShort((short) etherType).put(payload);
        return b.array();
    }

    /** An ARP who-has request from {@code sourceMac}, as a broadcast frame (60 bytes with padding). */
    static byte[] arpRequest(String sourceMac, String senderIp, String targetIp) {
        ByteBuffer arp = ByteBuffer.allocate(46);
        arp.putShort((short) 1).putShort((short) 0x0800).put((byte) 6).put((byte) 4).putShort((short) 1);
        putMac(arp, sourceMac);
        arp.put(ip(senderIp).getAddress());
        putMac(arp, "00:00:00:00:00:00");
        arp.put(ip(targetIp).getAddress());
        return frame("ff:ff:ff:ff:ff:ff", sourceMac, 0x0806, arp.array());
    }

    static byte[] ipv4Frame(String destinationMac, String sourceMac, String sourceIp, String destinationIp) {
        return frame(destinationMac, sourceMac, 0x0800, ipv4(sourceIp, destinationIp));
    }

    static long mac(String text) {
        return MacAddress.parse(text).bits();
    }

    private static void putMac(ByteBuffer b, String mac) {
        long bits = mac(mac);
        for (int shift = 40; shift >= 0; shift -= 8) {
            b.put((byte) (bits >>> shift));
        }
    }
}
