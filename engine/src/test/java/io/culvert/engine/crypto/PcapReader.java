package io.culvert.engine.crypto;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Test-only reader for classic pcap files (Ethernet, IPv4, UDP or TCP) that yields OpenVPN packets.
 * TCP payloads are concatenated per direction (the captures are loss-free) and split at the 2-byte
 * length prefixes.
 */
final class PcapReader {
    /** One OpenVPN packet; {@code seconds} is the capture time of the frame that completed it. */
    record OvpnPacket(double seconds, boolean fromClient, byte[] data) {}

    private PcapReader() {}

    static List<OvpnPacket> read(byte[] pcap, int serverPort) {
        ByteBuffer b = ByteBuffer.wrap(pcap);
        int magic = b.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        if (magic != 0xA1B2C3D4) {
            b.order(ByteOrder.BIG_ENDIAN);
            if (b.getInt(0) != 0xA1B2C3D4) {
                throw new IllegalArgumentException("not a microsecond pcap");
            }
        }
        if (b.getInt(20) != 1) {
            throw new IllegalArgumentException("link type is not Ethernet");
        }
        List<OvpnPacket> udp = new ArrayList<>();
        TcpStream[] tcp = {new TcpStream(false), new TcpStream(true)};
        int off = 24;
        while (off + 16 <= pcap.length) {
            double t = Integer.toUnsignedLong(b.getInt(off)) + Integer.toUnsignedLong(b.getInt(off + 4)) / 1e6;
            int caplen = b.getInt(off + 8);
            int frame = off + 16;
            off = frame + caplen;
            ByteBuffer f = ByteBuffer.wrap(pcap, frame, caplen).slice().order(ByteOrder.BIG_ENDIAN);
            if ((f.getShort(12) & 0xffff) != 0x0800) {
                continue;
            }
            int ip = 14;
            int ihl = (f.get(ip) & 0x0f) * 4;
            int total = f.getShort(ip + 2) & 0xffff;
            int proto = f.get(ip + 9) & 0xff;
            int l4 = ip + ihl;
            int l4End = ip + total;
            boolean fromClient = (f.getShort(l4 + 2) & 0xffff) == serverPort;
            if (proto == 17) {
                udp.add(new OvpnPacket(t, fromClient, Arrays.copyOfRange(pcap, frame + l4 + 8, frame + l4End)));
            } else if (proto == 6) {
                int dataOff = ((f.get(l4 + 12) & 0xff) >>> 4) * 4;
                tcp[fromClient ? 1 : 0].add(t, pcap, frame + l4 + dataOff, l4End - l4 - dataOff);
            }
        }
        List<OvpnPacket> out = new ArrayList<>(udp);
        out.addAll(tcp[0].packets);
        out.addAll(tcp[1].packets);
        out.sort((x, y) -> Double.compare(x.seconds(), y.seconds()));
        return out;
    }

    private static final class TcpStream {
        final boolean fromClient;
        final ByteArrayOutputStream pending = new ByteArrayOutputStream();
        final List<OvpnPacket> packets = new ArrayList<>();

        TcpStream(boolean fromClient) {
            this.fromClient = fromClient;
        }

        void add(double t, byte[] src, int off, int len) {
            if (len <= 0) {
                return;
            }
            pending.write(src, off, len);
            byte[] buf = pending.toByteArray();
            int pos = 0;
            while (pos + 2 <= buf.length) {
                int n = ((buf[pos] & 0xff) << 8) | (buf[pos + 1] & 0xff);
                if (pos + 2 + n > buf.length) {
                    break;
                }
                packets.add(new OvpnPacket(t, fromClient, Arrays.copyOfRange(buf, pos + 2, pos + 2 + n)));
                pos += 2 + n;
            }
            pending.reset();
            pending.write(buf, pos, buf.length - pos);
        }
    }
}
