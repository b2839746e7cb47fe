package io.culvert.engine.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Test helper: the OpenVPN packets of a capture under src/test/resources/captures, and its reference decode. */
final class Capture {

    /** One UDP payload, i.e. one OpenVPN packet. */
    record Frame(boolean fromServer, byte[] bytes) {}

    /** One control-packet line of decoded.txt. */
    record DecodedControl(boolean fromServer, String opcode, int keyId, int length, long sid, long[] acks,
                          Long remoteSid, Long msgId, Integer payload) {}

    private static final int SERVER_PORT = 1194;

    private Capture() {}

    static byte[] resource(String path) {
        try (InputStream in = Capture.class.getResourceAsStream("/captures/" + path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a microsecond little-endian Ethernet pcap of IPv4/UDP traffic. */
    static List<Frame> udpFrames(String dir) {
        ByteBuffer b = ByteBuffer.wrap(resource(dir + "/capture.pcap")).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt(0) != 0xa1b2c3d4) {
            throw new IllegalStateException("not a little-endian pcap");
        }
        List<Frame> frames = new ArrayList<>();
        int p = 24;
        while (p + 16 <= b.limit()) {
            int captured = b.getInt(p + 8);
            int f = p + 16;
            p = f + captured;
            byte[] d = Arrays.copyOfRange(b.array(), f, f + captured);
            if (((d[12] & 0xFF) << 8 | (d[13] & 0xFF)) != 0x0800 || d[23] != 17) {
                continue;
            }
            int udp = 14 + (d[14] & 0x0F) * 4;
            int srcPort = (d[udp] & 0xFF) << 8 | (d[udp + 1] & 0xFF);
            int udpLen = (d[udp + 4] & 0xFF) << 8 | (d[udp + 5] & 0xFF);
            frames.add(new Frame(srcPort == SERVER_PORT, Arrays.copyOfRange(d, udp + 8, udp + udpLen)));
        }
        return frames;
    }

    private static final Pattern CONTROL_LINE = Pattern.compile(
            "(client->server|server->client) (P_\\w+) key_id=(\\d) (\\d+) bytes sid=(\\p{XDigit}{16}) acks=\\[([\\d, ]*)]"
                    + "(?: remote-sid=(\\p{XDigit}{16}))?(?: msg-pid=(\\d+))?(?: payload=(\\d+))?");

    static List<DecodedControl> decodedControls(String dir) {
        List<DecodedControl> out = new ArrayList<>();
        for (String line : new String(resource(dir + "/decoded.txt"), StandardCharsets.UTF_8).split("\n")) {
            Matcher m = CONTROL_LINE.matcher(line);
            if (!m.find()) {
                continue;
            }
            long[] acks = m.group(6).isBlank() ? new long[0]
                    : Arrays.stream(m.group(6).split(",\\s*")).mapToLong(Long::parseLong).toArray();
            out.add(new DecodedControl(m.group(1).startsWith("server"), m.group(2), Integer.parseInt(m.group(3)),
                    Integer.parseInt(m.group(4)), Long.parseUnsignedLong(m.group(5), 16), acks,
                    m.group(7) == null ? null : Long.parseUnsignedLong(m.group(7), 16),
                    m.group(8) == null ? null : Long.parseLong(m.group(8)),
                    m.group(9) == null ? null : Integer.parseInt(m.group(9))));
        }
        return out;
    }

    /** The quoted text of every "control message: '...'" line. */
    static List<String> decodedControlMessages(String dir) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("control message: '(.*)'").matcher(
                new String(resource(dir + "/decoded.txt"), StandardCharsets.UTF_8));
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
