package io.culvert.engine.crypto;

import static io.culvert.engine.crypto.StaticKeyTest.logged;
import static io.culvert.engine.crypto.StaticKeyTest.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.common.Decoded;
import io.culvert.engine.common.DropReason;
import io.culvert.engine.testkit.ManualClock;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Replays the real OpenVPN 2.6.14 sessions in {@code captures/}: every control packet must unwrap
 * (with the replay check) and every data packet must decrypt, and our decode of each packet must
 * equal the line the independent reference decoder wrote to {@code decoded.txt}.
 */
class CaptureTest {
    private static final int PORT = 1194;
    private static final String[] OPS = {"?", "P_CONTROL_HARD_RESET_CLIENT_V1", "P_CONTROL_HARD_RESET_SERVER_V1",
        "P_CONTROL_SOFT_RESET_V1", "P_CONTROL_V1", "P_ACK_V1", "P_DATA_V1", "P_CONTROL_HARD_RESET_CLIENT_V2",
        "P_CONTROL_HARD_RESET_SERVER_V2", "P_DATA_V2", "P_CONTROL_HARD_RESET_CLIENT_V3", "P_CONTROL_WKC_V1"};
    private static final Pattern PACKET_LINE = Pattern.compile("^\\s+\\d+\\.\\d+s (.*)$");
    private static final HexFormat HEX = HexFormat.of();

    /** The result of walking one capture with our code. */
    private record Walk(List<String> clientLines, List<String> serverLines, List<byte[]> clientPlain, List<byte[]> serverPlain) {}

    @ParameterizedTest
    @ValueSource(strings = {"udp-tls-crypt-aes256gcm", "udp-tls-crypt-chacha20poly1305", "udp-tls-auth-aes256gcm",
        "tcp-tls-crypt-aes256gcm", "udp-none-aes256gcm"})
    void everyPacketDecodesLikeTheReferenceDecoder(String dir) {
        Walk walk = walk(dir);
        List<String> expectedClient = new ArrayList<>();
        List<String> expectedServer = new ArrayList<>();
        for (String line : resource(dir + "/decoded.txt").split("\n")) {
            Matcher m = PACKET_LINE.matcher(line);
            if (m.matches()) {
                (m.group(1).startsWith("client->server") ? expectedClient : expectedServer).add(m.group(1));
            }
        }
        assertTrue(expectedClient.size() > 10 && expectedServer.size() > 8, "reference decode has packets");
        assertEquals(expectedClient, walk.clientLines());
        assertEquals(expectedServer, walk.serverLines());
    }

    @ParameterizedTest
    @ValueSource(strings = {"udp-tls-crypt-aes256gcm", "udp-tls-crypt-chacha20poly1305", "udp-tls-auth-aes256gcm"})
    void dataPlaintextIsRouterSolicitationThenPings(String dir) {
        Walk walk = walk(dir);
        assertEquals(6, walk.clientPlain().size());
        assertEquals(5, walk.serverPlain().size());
        byte[] rs = walk.clientPlain().getFirst();
        assertEquals(48, rs.length);
        assertEquals(6, (rs[0] & 0xff) >>> 4, "IPv6");
        assertEquals(58, rs[6], "next header ICMPv6");
        assertEquals(133, rs[40] & 0xff, "Router Solicitation");
        for (byte[] echo : walk.clientPlain().subList(1, 6)) {
            assertEquals("0a6200020a620001", HEX.formatHex(echo, 12, 20), "10.98.0.2 -> 10.98.0.1");
            assertEquals(8, echo[20], "echo request");
        }
        for (byte[] reply : walk.serverPlain()) {
            assertEquals(84, reply.length);
            assertEquals(0, reply[20], "echo reply");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"udp-tls-crypt-aes256gcm", "udp-tls-crypt-chacha20poly1305", "udp-tls-auth-aes256gcm"})
    void exporterKey2MatchesTheKeysOpenvpnLogged(String dir) {
        byte[] key2 = key2(dir);
        String client = resource(dir + "/client.log");
        String server = resource(dir + "/server.log");
        String c2s = HEX.formatHex(key2, 0, 32);
        String s2c = HEX.formatHex(key2, 128, 160);
        assertEquals(c2s, logged(client, "Outgoing Data Channel: CIPHER KEY"));
        assertEquals(s2c, logged(client, "Incoming Data Channel: CIPHER KEY"));
        assertEquals(s2c, logged(server, "Outgoing Data Channel: CIPHER KEY"));
        assertEquals(c2s, logged(server, "Incoming Data Channel: CIPHER KEY"));
    }

    @Test
    void capturedPacketsAreRejectedWhenReplayedOrTampered() {
        String dir = "udp-tls-crypt-aes256gcm";
        List<PcapReader.OvpnPacket> packets = packets(dir);
        ManualClock clock = ManualClock.at(Instant.ofEpochSecond((long) packets.getFirst().seconds()));
        ControlWrap server = ControlWrapSpec.tlsCrypt(StaticKey.parse(resource("pki/tc.key"))).newSession(true, clock);
        byte[] reset = packets.getFirst().data();
        assertTrue(server.unwrap(reset).isOk());
        assertEquals(DropReason.REPLAY, server.unwrap(reset).reason());
        byte[] bad = reset.clone();
        bad[bad.length - 1] ^= 1;
        assertEquals(DropReason.CONTROL_AUTH_FAILED, server.unwrap(bad).reason());

        DataChannel dc = DataChannel.create(cipher(dir), "SHA1", key2(dir), true, clock);
        byte[] data = packets.stream().filter(p -> p.fromClient() && p.data()[0] >>> 3 == 9).findFirst().orElseThrow().data();
        assertTrue(dc.decrypt(data, 0, data.length).isOk());
        assertEquals(DropReason.REPLAY, dc.decrypt(data, 0, data.length).reason());
    }

    private static Walk walk(String dir) {
        List<PcapReader.OvpnPacket> packets = packets(dir);
        ManualClock clock = ManualClock.at(Instant.ofEpochSecond((long) packets.getFirst().seconds()));
        ControlWrap serverSide;
        ControlWrap clientSide;
        String how;
        int replayIdOff;
        if (dir.contains("tls-crypt")) {
            ControlWrapSpec spec = ControlWrapSpec.tlsCrypt(StaticKey.parse(resource("pki/tc.key")));
            serverSide = spec.newSession(true, clock);
            clientSide = spec.newSession(false, clock);
            how = " [tls-crypt]";
            replayIdOff = 9;
        } else if (dir.contains("tls-auth")) {
            StaticKey ta = StaticKey.parse(resource("pki/ta.key"));
            serverSide = ControlWrapSpec.tlsAuth(ta, KeyDirection.fromConfig("0"), "SHA1").newSession(true, clock);
            clientSide = ControlWrapSpec.tlsAuth(ta, KeyDirection.fromConfig("1"), "SHA1").newSession(false, clock);
            how = "";
            replayIdOff = 9 + 20;
        } else {
            serverSide = ControlWrapSpec.none().newSession(true, clock);
            clientSide = ControlWrapSpec.none().newSession(false, clock);
            how = null;
            replayIdOff = -1;
        }
        byte[] key2 = key2(dir);
        DataChannel serverData = DataChannel.create(cipher(dir), "SHA1", key2, true, clock);
        DataChannel clientData = DataChannel.create(cipher(dir), "SHA1", key2, false, clock);

        Walk walk = new Walk(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (PcapReader.OvpnPacket p : packets) {
            clock.set(Instant.ofEpochSecond((long) p.seconds()));
            byte[] pkt = p.data();
            int op = (pkt[0] & 0xff) >>> 3;
            String head = (p.fromClient() ? "client->server " : "server->client ") + OPS[op] + " key_id=" + (pkt[0] & 7)
                    + " " + pkt.length + " bytes";
            String line;
            if (op == 6 || op == 9) {
                Decoded<byte[]> d = (p.fromClient() ? serverData : clientData).decrypt(pkt, 0, pkt.length);
                assertTrue(d.isOk(), () -> dir + ": " + head + " decrypts: " + d);
                byte[] plain = d.value();
                (p.fromClient() ? walk.clientPlain() : walk.serverPlain()).add(plain);
                int pidOff = op == 9 ? 4 : 1;
                line = head + " peer-id=" + (op == 9 ? String.valueOf(Bytes.getUnsignedInt(pkt, 0) & 0xFFFFFF) : "-")
                        + " pid=" + Bytes.getUnsignedInt(pkt, pidOff) + " -> " + plain.length + " bytes plaintext: " + describeIp(plain);
            } else {
                Decoded<byte[]> d = (p.fromClient() ? serverSide : clientSide).unwrap(pkt);
                assertTrue(d.isOk(), () -> dir + ": " + head + " unwraps: " + d);
                String extra = how == null ? ""
                        : " wrap-pid=" + Bytes.getUnsignedInt(pkt, replayIdOff) + " time=" + Bytes.getUnsignedInt(pkt, replayIdOff + 4) + how;
                line = head + describeControl(op, d.value(), extra);
            }
            (p.fromClient() ? walk.clientLines() : walk.serverLines()).add(line);
        }
        return walk;
    }

    /** Formats the plain control layout the way decode_capture.py prints it. */
    private static String describeControl(int op, byte[] plain, String extra) {
        StringBuilder sb = new StringBuilder(" sid=").append(HEX.formatHex(plain, 1, 9)).append(extra).append(" acks=[");
        int n = plain[9] & 0xff;
        int pos = 10;
        for (int i = 0; i < n; i++, pos += 4) {
            sb.append(i == 0 ? "" : ", ").append(Bytes.getUnsignedInt(plain, pos));
        }
        sb.append(']');
        if (n > 0) {
            sb.append(" remote-sid=").append(HEX.formatHex(plain, pos, pos + 8));
            pos += 8;
        }
        if (op != 5) {
            sb.append(" msg-pid=").append(Bytes.getUnsignedInt(plain, pos));
            pos += 4;
        }
        if (plain.length > pos) {
            sb.append(" payload=").append(plain.length - pos);
        }
        return sb.toString();
    }

    private static String describeIp(byte[] p) {
        if ((p[0] & 0xff) >>> 4 == 4) {
            return "IPv4 " + dotted(p, 12) + " -> " + dotted(p, 16) + " proto " + p[9] + (p[9] == 1 ? " ICMP type " + p[20] : "");
        }
        return "IPv6 next-header " + p[6] + (p[6] == 58 ? " ICMPv6 type " + (p[40] & 0xff) : "");
    }

    private static String dotted(byte[] p, int off) {
        return (p[off] & 0xff) + "." + (p[off + 1] & 0xff) + "." + (p[off + 2] & 0xff) + "." + (p[off + 3] & 0xff);
    }

    private static List<PcapReader.OvpnPacket> packets(String dir) {
        try (InputStream in = CaptureTest.class.getResourceAsStream("/captures/" + dir + "/capture.pcap")) {
            return PcapReader.read(in.readAllBytes(), PORT);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] key2(String dir) {
        for (String line : resource(dir + "/keylog-client.txt").split("\n")) {
            String[] f = line.strip().split("\\s+");
            if (f.length == 3 && f[0].equals("EXPORTER_SECRET")) {
                return new Tls13Exporter(HEX.parseHex(f[2])).export("EXPORTER-OpenVPN-datakeys", 256);
            }
        }
        throw new IllegalStateException("no EXPORTER_SECRET in key log");
    }

    private static DataCipher cipher(String dir) {
        String log = resource(dir + "/client.log");
        Matcher m = Pattern.compile("Master Encrypt \\(cipher, ([\\w-]+),").matcher(log);
        assertTrue(m.find());
        return DataCipher.byName(m.group(1)).orElseThrow();
    }
}
