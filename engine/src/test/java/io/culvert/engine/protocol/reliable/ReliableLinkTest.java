package io.culvert.engine.protocol.reliable;

import static org.junit.jupiter.api.Assertions.*;

import io.culvert.engine.common.DropReason;
import io.culvert.engine.protocol.ControlPacket;
import io.culvert.engine.protocol.Opcode;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReliableLinkTest {

    private static final long C = 0x086f2696a31f1102L;
    private static final long S = 0xfd09431f48efc45cL;
    private static final HexFormat HEX = HexFormat.of();

    private static ControlPacket control(long sid, long id, long[] acks, long remote, int payloadByte, int n) {
        byte[] payload = new byte[n];
        Arrays.fill(payload, (byte) payloadByte);
        return new ControlPacket(Opcode.CONTROL_V1, 0, sid, acks, remote, id, payload);
    }

    private static ControlPacket ackFromPeer(long... ids) {
        return ControlPacket.ack(0, S, ids, C);
    }

    private static ReliableLink sender(int maxPayload) {
        var link = new ReliableLink(0, C, maxPayload, 2000);
        link.setRemoteSessionId(S);
        return link;
    }

    private static long[] ids(List<ControlPacket> packets) {
        return packets.stream().mapToLong(ControlPacket::messageId).toArray();
    }

    @Test
    void handshakeOpeningMatchesTheCapture() {
        var client = new ReliableLink(0, C, 1184, 2000);
        var server = new ReliableLink(0, S, 1184, 2000);
        client.queueReset(Opcode.CONTROL_HARD_RESET_CLIENT_V2);
        List<ControlPacket> out = client.poll(0);
        assertEquals(1, out.size());
        assertArrayEquals(HEX.parseHex("38086f2696a31f11020000000000"), out.getFirst().toBytes());
        assertEquals(2000, client.nextWakeupMillis(0));

        assertTrue(server.receive(out.getFirst(), 0));
        assertTrue(server.peerResetReceived());
        assertEquals(C, server.remoteSessionId());
        server.queueReset(Opcode.CONTROL_HARD_RESET_SERVER_V2);
        out = server.poll(0);
        assertEquals(1, out.size(), "the ACK rides on the server reset");
        assertArrayEquals(HEX.parseHex("40fd09431f48efc45c0100000000086f2696a31f110200000000"), out.getFirst().toBytes());

        assertTrue(client.receive(out.getFirst(), 1));
        assertTrue(client.ownResetAcked());
        assertTrue(client.peerResetReceived());
        assertEquals(1, client.nextWakeupMillis(1), "an ACK is due now");
        client.queueStream(new byte[277]);
        out = client.poll(1);
        assertEquals(1, out.size(), "the ACK of server msg 0 rides on the ClientHello packet");
        ControlPacket hello = out.getFirst();
        assertEquals(Opcode.CONTROL_V1, hello.opcode());
        assertArrayEquals(new long[] {0}, hello.acks());
        assertEquals(S, hello.remoteSessionId());
        assertEquals(1, hello.messageId());
        assertEquals(303, hello.encodedLength());

        assertTrue(server.receive(hello, 2));
        assertEquals(277, server.takeInOrderStream().length);
        assertEquals(0, server.takeInOrderStream().length);
        out = server.poll(2);
        assertEquals(1, out.size());
        assertEquals(ControlPacket.ack(0, S, new long[] {1, 0}, C), out.getFirst());
        assertTrue(client.receive(out.getFirst(), 3));
        assertTrue(client.allAcked());
        assertEquals(Long.MAX_VALUE, client.nextWakeupMillis(3));
        assertTrue(client.poll(3).isEmpty());
    }

    @Test
    void retransmitBackoffDoublesFromTheInitialTimeout() {
        var link = new ReliableLink(0, C, 100, 2000);
        link.queueReset(Opcode.CONTROL_HARD_RESET_CLIENT_V2);
        byte[] first = link.poll(0).getFirst().toBytes();
        long[] sendTimes = {2000, 6000, 14000, 30000, 62000};
        long previous = 0;
        for (long t : sendTimes) {
            assertEquals(t, link.nextWakeupMillis(previous + 1));
            assertTrue(link.poll(t - 1).isEmpty(), "nothing before " + t);
            List<ControlPacket> again = link.poll(t);
            assertEquals(1, again.size());
            assertArrayEquals(first, again.getFirst().toBytes(), "a retransmission keeps its message id");
            previous = t;
        }
        assertFalse(link.ownResetAcked());
    }

    @Test
    void lowestDueIdIsRetransmittedFirst() {
        var link = sender(10);
        link.queueStream(new byte[30]);
        assertArrayEquals(new long[] {0, 1, 2}, ids(link.poll(0)));
        assertTrue(link.receive(ackFromPeer(1), 500));
        assertArrayEquals(new long[] {0, 2}, ids(link.poll(2000)));
    }

    @Test
    void sendWindowNeverHoldsMoreThanSixUnacked() {
        var link = sender(100);
        link.queueStream(new byte[2000]);
        List<ControlPacket> out = link.poll(0);
        assertArrayEquals(new long[] {0, 1, 2, 3, 4, 5}, ids(out));
        out.forEach(p -> assertEquals(100, p.payloadLength()));
        assertTrue(link.poll(1).isEmpty());
        assertEquals(6, link.unackedCount());
        assertEquals(2000, link.nextWakeupMillis(1));

        link.receive(ackFromPeer(0), 10);
        assertArrayEquals(new long[] {6}, ids(link.poll(10)));
        link.receive(ackFromPeer(3), 11);
        assertTrue(link.poll(11).isEmpty(), "id 1 is still unacked, so 7 is outside the window");
        link.receive(ackFromPeer(1, 2), 12);
        assertArrayEquals(new long[] {7, 8, 9}, ids(link.poll(12)));
        assertEquals(6, link.unackedCount());
        assertEquals(1600, link.pendingOutgoingBytes(), "1000 unsent + 6 x 100 in flight");
    }

    @Test
    void fastRetransmitAfterThreeLaterAcks() {
        var link = sender(100);
        link.queueStream(new byte[600]);
        link.poll(0);
        link.receive(ackFromPeer(1), 10);
        link.receive(ackFromPeer(1), 10);
        link.receive(ackFromPeer(2), 10);
        assertTrue(link.poll(10).isEmpty(), "a repeated ACK of an acked id does not count");
        link.receive(ackFromPeer(3), 10);
        assertEquals(10, link.nextWakeupMillis(10));
        assertArrayEquals(new long[] {0}, ids(link.poll(10)));
        assertTrue(link.poll(10).isEmpty());
        assertEquals(2000, link.nextWakeupMillis(10), "ids 4 and 5 are due first; id 0 now waits 4 s");
        assertArrayEquals(new long[] {4, 5}, ids(link.poll(2000)));
        assertArrayEquals(new long[] {0}, ids(link.poll(4010)));
    }

    @Test
    void oneAckRecordWithThreeHigherIdsTriggersFastRetransmit() {
        var link = sender(100);
        link.queueStream(new byte[400]);
        link.poll(0);
        link.receive(ackFromPeer(3, 2, 1), 5);
        assertArrayEquals(new long[] {0}, ids(link.poll(5)));
    }

    @Test
    void acksRideOnControlPacketsPendingFirstThenRecentlyAcked() {
        var link = new ReliableLink(0, C, 100, 2000);
        link.receive(new ControlPacket(Opcode.CONTROL_HARD_RESET_SERVER_V2, 0, S, null, 0, 0, null), 0);
        link.receive(control(S, 1, null, 0, 1, 5), 0);
        link.receive(control(S, 2, null, 0, 2, 5), 0);
        List<ControlPacket> out = link.poll(0);
        assertEquals(List.of(ControlPacket.ack(0, C, new long[] {0, 1, 2}, S)), out);
        link.queueStream(new byte[10]);
        out = link.poll(1);
        assertEquals(1, out.size());
        assertArrayEquals(new long[] {2, 1, 0}, out.getFirst().acks(), "recently acked ids are repeated, newest first");
        link.receive(control(S, 3, null, 0, 3, 5), 2);
        link.setAckOnlyLimit(4);
        assertArrayEquals(new long[] {3, 2, 1, 0}, link.poll(2).getFirst().acks());
    }

    @Test
    void piggybackCarriesAtMostFourAndAckOnlyAtMostEight() {
        var link = new ReliableLink(0, C, 100, 2000);
        for (int id = 0; id < 14; id++) {
            link.receive(control(S, id, null, 0, id, 1), 0);
        }
        link.queueStream(new byte[10]);
        List<ControlPacket> out = link.poll(0);
        assertEquals(3, out.size());
        assertEquals(Opcode.CONTROL_V1, out.get(0).opcode());
        assertArrayEquals(new long[] {0, 1, 2, 3}, out.get(0).acks());
        assertEquals(Opcode.ACK_V1, out.get(1).opcode());
        assertArrayEquals(new long[] {4, 5, 6, 7, 8, 9, 10, 11}, out.get(1).acks());
        assertEquals(Opcode.ACK_V1, out.get(2).opcode());
        assertArrayEquals(new long[] {12, 13, 11, 10, 9, 8, 7, 6}, out.get(2).acks());
        assertTrue(link.poll(0).isEmpty());
    }

    @Test
    void receiveWindowDropsIdsTwelveAheadWithoutAck() {
        var link = new ReliableLink(0, S, 100, 2000);
        assertTrue(link.receive(new ControlPacket(Opcode.CONTROL_HARD_RESET_CLIENT_V2, 0, C, null, 0, 0, null), 0));
        assertEquals(1, link.poll(0).size());

        assertFalse(link.receive(control(C, 13, null, 0, 13, 1), 1));
        assertEquals(DropReason.WINDOW_FULL, link.lastDropReason());
        assertTrue(link.poll(1).isEmpty(), "no ACK for a packet beyond the window");

        assertTrue(link.receive(control(C, 12, null, 0, 12, 1), 2));
        assertNull(link.lastDropReason());
        assertArrayEquals(new long[] {12, 0}, link.poll(2).getFirst().acks());
        assertEquals(0, link.takeInOrderStream().length);
        for (int id = 11; id >= 1; id--) {
            assertTrue(link.receive(control(C, id, null, 0, id, 1), 3));
        }
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, link.takeInOrderStream());
        assertEquals(13, link.nextReceiveId());
        assertTrue(link.receive(control(C, 13, null, 0, 13, 1), 4));
        assertArrayEquals(new byte[] {13}, link.takeInOrderStream());
    }

    @Test
    void duplicatesAreReAckedButDeliveredOnce() {
        var link = new ReliableLink(0, S, 100, 2000);
        link.receive(control(C, 0, null, 0, 7, 3), 0);
        link.poll(0);
        assertTrue(link.receive(control(C, 0, null, 0, 7, 3), 1));
        assertEquals(List.of(ControlPacket.ack(0, S, new long[] {0}, C)), link.poll(1));
        assertArrayEquals(new byte[] {7, 7, 7}, link.takeInOrderStream());
        link.receive(control(C, 2, null, 0, 9, 1), 2);
        link.receive(control(C, 2, null, 0, 9, 1), 2);
        link.receive(control(C, 1, null, 0, 8, 1), 2);
        assertArrayEquals(new byte[] {8, 9}, link.takeInOrderStream());
    }

    @Test
    void rejectsWrongSessionIdsBeforeTouchingState() {
        var link = sender(100);
        link.queueStream(new byte[50]);
        link.poll(0);
        assertFalse(link.receive(ControlPacket.ack(0, S, new long[] {0}, 0xBADL), 1));
        assertEquals(DropReason.WRONG_SESSION, link.lastDropReason());
        assertEquals(1, link.unackedCount());
        assertFalse(link.receive(ControlPacket.ack(0, 0xBADL, new long[] {0}, C), 1));
        assertEquals(DropReason.WRONG_SESSION, link.lastDropReason());
        assertFalse(link.receive(control(0xBADL, 0, null, 0, 1, 1), 1));
        assertEquals(1, link.unackedCount());
        assertTrue(link.poll(1).isEmpty(), "nothing was acked or accepted");
        assertTrue(link.receive(ackFromPeer(0), 1));
        assertEquals(0, link.unackedCount());
    }

    @Test
    void rejectsOtherKeyIdsAndResetsWithNonZeroIds() {
        var link = sender(100);
        assertFalse(link.receive(new ControlPacket(Opcode.CONTROL_V1, 1, S, null, 0, 0, null), 0));
        assertEquals(DropReason.UNEXPECTED, link.lastDropReason());
        assertFalse(link.receive(new ControlPacket(Opcode.CONTROL_HARD_RESET_SERVER_V2, 0, S, null, 0, 3, null), 0));
        assertEquals(DropReason.UNEXPECTED, link.lastDropReason());
        assertFalse(link.peerResetReceived());
        assertTrue(link.poll(0).isEmpty());
    }

    @Test
    void cutsTheStreamIgnoringWriteBoundaries() {
        var link = sender(100);
        byte[] a = new byte[150];
        byte[] b = new byte[130];
        Arrays.fill(a, (byte) 1);
        Arrays.fill(b, (byte) 2);
        link.queueStream(a);
        link.queueStream(b);
        assertEquals(280, link.pendingOutgoingBytes());
        List<ControlPacket> out = link.poll(0);
        assertArrayEquals(new int[] {100, 100, 80}, out.stream().mapToInt(ControlPacket::payloadLength).toArray());
        byte[] second = out.get(1).payload();
        assertEquals(1, second[49]);
        assertEquals(2, second[50]);
        assertEquals(280, link.pendingOutgoingBytes(), "in flight until acked");
        link.receive(ackFromPeer(0, 1, 2), 1);
        assertEquals(0, link.pendingOutgoingBytes());
        assertTrue(link.allAcked());
    }

    @Test
    void resetMustBeTheFirstPacket() {
        var link = sender(100);
        link.queueStream(new byte[1]);
        assertThrows(IllegalStateException.class, () -> link.queueReset(Opcode.CONTROL_SOFT_RESET_V1));
        assertThrows(IllegalArgumentException.class, () -> sender(1).queueReset(Opcode.CONTROL_V1));
    }

    @Test
    void softResetTracksOwnResetAck() {
        var link = new ReliableLink(2, C, 100, 2000);
        link.setRemoteSessionId(S);
        link.queueReset(Opcode.CONTROL_SOFT_RESET_V1);
        ControlPacket reset = link.poll(0).getFirst();
        assertEquals(Opcode.CONTROL_SOFT_RESET_V1, reset.opcode());
        assertEquals(2, reset.keyId());
        assertFalse(link.allAcked());
        assertTrue(link.receive(new ControlPacket(Opcode.CONTROL_SOFT_RESET_V1, 2, S, new long[] {0}, C, 0, null), 5));
        assertTrue(link.ownResetAcked());
        assertTrue(link.peerResetReceived());
        assertTrue(link.allAcked());
    }

    @Test
    void statelessServerStartsAtMessageIdOne() {
        var server = new ReliableLink(0, S, 100, 2000);
        server.setRemoteSessionId(C);
        server.assumeResetsExchanged();
        assertTrue(server.ownResetAcked());
        assertTrue(server.peerResetReceived());
        assertTrue(server.receive(control(C, 1, new long[] {0}, S, 5, 2), 0));
        assertArrayEquals(new byte[] {5, 5}, server.takeInOrderStream());
        server.queueStream(new byte[3]);
        ControlPacket p = server.poll(0).getFirst();
        assertEquals(1, p.messageId());
        assertArrayEquals(new long[] {1}, p.acks());
    }

    @Test
    void burstResendsEverythingNowWithFreshTimeouts() {
        var link = sender(100);
        link.queueStream(new byte[200]);
        link.poll(0);
        link.poll(2000);
        assertEquals(6000, link.nextWakeupMillis(2000));
        link.retransmitAllNow(2500);
        assertArrayEquals(new long[] {0, 1}, ids(link.poll(2500)));
        assertEquals(4500, link.nextWakeupMillis(2500));
    }

    @Test
    void learnsPeerResetPayload() {
        var link = new ReliableLink(0, C, 100, 2000);
        link.receive(new ControlPacket(Opcode.CONTROL_HARD_RESET_SERVER_V2, 0, S, null, 0, 0, new byte[] {0, 1, 0, 2, 0, 0}), 0);
        assertArrayEquals(new byte[] {0, 1, 0, 2, 0, 0}, link.peerResetPayload());
        assertEquals(0, link.takeInOrderStream().length, "reset payloads are not TLS bytes");
    }

    @Test
    void maxPayloadLeavesRoomForWorstCaseHeaders() {
        assertEquals(1184, ReliableLink.maxPayload(1250, 28, 0));
        assertEquals(1124, ReliableLink.maxPayload(1250, 48, 40));
    }
}
