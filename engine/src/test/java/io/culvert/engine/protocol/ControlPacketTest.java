package io.culvert.engine.protocol;

import static org.junit.jupiter.api.Assertions.*;

import io.culvert.engine.common.Decoded;
import io.culvert.engine.common.DropReason;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class ControlPacketTest {

    private static final String DIR = "udp-none-aes256gcm";
    private static final long CLIENT_SID = 0x086f2696a31f1102L;
    private static final long SERVER_SID = 0xfd09431f48efc45cL;
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void firstClientResetIsFourteenGoldenBytes() {
        var reset = new ControlPacket(Opcode.CONTROL_HARD_RESET_CLIENT_V2, 0, CLIENT_SID, new long[0], 0, 0, null);
        byte[] expected = HEX.parseHex("38086f2696a31f11020000000000");
        assertArrayEquals(expected, reset.toBytes());
        assertEquals(14, reset.encodedLength());
        assertArrayEquals(expected, Capture.udpFrames(DIR).getFirst().bytes());
        assertEquals(reset, ControlPacket.parse(expected, 0, expected.length).value());
    }

    @Test
    void serverResetCarriesAckRecordAndRemoteSid() {
        var reset = new ControlPacket(Opcode.CONTROL_HARD_RESET_SERVER_V2, 0, SERVER_SID, new long[] {0}, CLIENT_SID, 0, null);
        byte[] expected = HEX.parseHex("40fd09431f48efc45c0100000000086f2696a31f110200000000");
        assertArrayEquals(expected, reset.toBytes());
        assertArrayEquals(expected, Capture.udpFrames(DIR).get(1).bytes());
    }

    @Test
    void ackPacketHasNoMessageIdAndKeepsAckOrder() {
        ControlPacket ack = ControlPacket.ack(0, CLIENT_SID, new long[] {1, 0}, SERVER_SID);
        byte[] expected = HEX.parseHex("28086f2696a31f1102" + "02" + "00000001" + "00000000" + "fd09431f48efc45c");
        assertArrayEquals(expected, ack.toBytes());
        assertArrayEquals(expected, Capture.udpFrames(DIR).get(4).bytes());
        assertEquals(-1, ControlPacket.parse(expected, 0, expected.length).value().messageId());
    }

    @Test
    void everyControlPacketOfTheCaptureMatchesTheReferenceDecodeAndRoundTrips() {
        List<Capture.DecodedControl> reference = Capture.decodedControls(DIR);
        List<Capture.Frame> controlFrames = Capture.udpFrames(DIR).stream()
                .filter(f -> Opcode.fromCode(Opcode.opcodeOf(f.bytes()[0])).isControl()).toList();
        assertEquals(16, reference.size());
        assertEquals(reference.size(), controlFrames.size());
        for (int i = 0; i < reference.size(); i++) {
            var ref = reference.get(i);
            byte[] wire = controlFrames.get(i).bytes();
            ControlPacket p = ControlPacket.parse(wire, 0, wire.length).value();
            assertEquals(ref.fromServer(), controlFrames.get(i).fromServer());
            assertEquals(ref.opcode(), "P_" + p.opcode().name(), "packet " + i);
            assertEquals(ref.keyId(), p.keyId());
            assertEquals(ref.length(), wire.length);
            assertEquals(ref.sid(), p.sessionId());
            assertArrayEquals(ref.acks(), p.acks());
            assertEquals(ref.remoteSid() == null ? 0 : ref.remoteSid(), p.remoteSessionId());
            assertEquals(ref.msgId() == null ? -1 : ref.msgId(), p.messageId());
            assertEquals(ref.payload() == null ? 0 : ref.payload(), p.payloadLength());
            assertArrayEquals(wire, p.toBytes(), "round trip of packet " + i);
            assertEquals(wire.length, p.encodedLength());
        }
    }

    @Test
    void dataPacketsAreRejectedAsBadOpcode() {
        byte[] data = Capture.udpFrames(DIR).stream().filter(f -> f.bytes()[0] == 0x48).findFirst().orElseThrow().bytes();
        assertEquals(DropReason.BAD_OPCODE, ControlPacket.parse(data, 0, data.length).reason());
        assertEquals(DropReason.BAD_OPCODE, ControlPacket.parse(new byte[] {0x30}, 0, 1).reason());
    }

    @Test
    void rejectsUnknownOpcodes() {
        for (int op : new int[] {0, 12, 20, 31}) {
            byte[] b = new byte[20];
            b[0] = (byte) (op << 3);
            assertEquals(DropReason.BAD_OPCODE, ControlPacket.parse(b, 0, b.length).reason(), "opcode " + op);
        }
    }

    @Test
    void rejectsTruncatedPacketAtEveryLength() {
        for (Capture.Frame f : Capture.udpFrames(DIR)) {
            byte[] wire = f.bytes();
            if (wire[0] == 0x48) {
                continue;
            }
            ControlPacket full = ControlPacket.parse(wire, 0, wire.length).value();
            int minimum = full.encodedLength() - full.payloadLength();
            for (int n = 0; n < minimum; n++) {
                assertEquals(DropReason.TRUNCATED, ControlPacket.parse(wire, 0, n).reason(), "length " + n);
            }
        }
    }

    @Test
    void rejectsMoreThanEightAcks() {
        byte[] b = new byte[10 + 9 * 4 + 8 + 4];
        b[0] = 0x20;
        b[9] = 9;
        assertEquals(DropReason.MALFORMED, ControlPacket.parse(b, 0, b.length).reason());
        b[9] = (byte) 0xFF;
        assertEquals(DropReason.MALFORMED, ControlPacket.parse(b, 0, b.length).reason());
    }

    @Test
    void rejectsBytesAfterAnAckRecord() {
        byte[] ack = ControlPacket.ack(0, 1, new long[] {7}, 2).toBytes();
        byte[] longer = java.util.Arrays.copyOf(ack, ack.length + 1);
        assertEquals(DropReason.MALFORMED, ControlPacket.parse(longer, 0, longer.length).reason());
    }

    @Test
    void parsesAtAnOffsetAndReadsUnsignedIds() {
        var p = new ControlPacket(Opcode.CONTROL_V1, 5, -1L, new long[] {0xFFFF_FFFFL, 0x8000_0000L}, Long.MIN_VALUE,
                0xFFFF_FFFEL, new byte[] {1, 2, 3});
        byte[] body = p.toBytes();
        byte[] framed = new byte[body.length + 7];
        System.arraycopy(body, 0, framed, 3, body.length);
        Decoded<ControlPacket> d = ControlPacket.parse(framed, 3, body.length);
        assertEquals(p, d.value());
        assertEquals(0xFFFF_FFFEL, d.value().messageId());
        assertEquals(0x25, body[0] & 0xFF);
    }

    @Test
    void equalityUsesArrayContentsAndArraysAreCopied() {
        long[] acks = {3, 4};
        byte[] payload = {9};
        var a = new ControlPacket(Opcode.CONTROL_V1, 0, 1, acks, 2, 5, payload);
        acks[0] = 99;
        payload[0] = 0;
        var b = new ControlPacket(Opcode.CONTROL_V1, 0, 1, new long[] {3, 4}, 2, 5, new byte[] {9});
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        a.payload()[0] = 1;
        assertEquals(9, a.payload()[0]);
        assertNotEquals(a, new ControlPacket(Opcode.CONTROL_V1, 0, 1, new long[] {3, 4}, 2, 5, new byte[] {8}));
    }

    @Test
    void remoteSidIsNormalisedToZeroWithoutAcks() {
        var p = new ControlPacket(Opcode.CONTROL_V1, 0, 1, new long[0], 12345, 1, null);
        assertEquals(0, p.remoteSessionId());
    }

    @Test
    void constructorRejectsInvalidValues() {
        assertThrows(IllegalArgumentException.class, () -> new ControlPacket(Opcode.DATA_V2, 0, 1, null, 0, 0, null));
        assertThrows(IllegalArgumentException.class, () -> new ControlPacket(Opcode.CONTROL_V1, 8, 1, null, 0, 0, null));
        assertThrows(IllegalArgumentException.class, () -> new ControlPacket(Opcode.CONTROL_V1, 0, 1, new long[9], 0, 0, null));
        assertThrows(IllegalArgumentException.class, () -> new ControlPacket(Opcode.CONTROL_V1, 0, 1, null, 0, -1, null));
        assertThrows(IllegalArgumentException.class, () -> new ControlPacket(Opcode.ACK_V1, 0, 1, null, 0, 0, null));
    }
}
