package io.culvert.engine.client;

import static io.culvert.engine.testkit.SessionRig.ipPacket;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.api.ConnectionState;
import io.culvert.engine.common.DropReason;
import io.culvert.engine.crypto.DataChannel;
import io.culvert.engine.protocol.ControlPacket;
import io.culvert.engine.protocol.Opcode;
import io.culvert.engine.testkit.SessionRig;
import io.culvert.engine.testkit.SessionRig.Wrap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A connected session under attack: nothing throws, nothing gets through, the tunnel keeps working. */
class ClientSessionHostileInputTest {

    private static boolean isData(byte[] p) {
        int op = (p[0] & 0xff) >>> 3;
        return op == DataChannel.P_DATA_V1 || op == DataChannel.P_DATA_V2;
    }

    private static void assertDataFlows(SessionRig rig, int n) {
        int up = rig.scripted().received().size();
        int down = rig.io.tunWrites.size();
        rig.clientTun(ipPacket(n));
        rig.serverTun(ipPacket(n + 1));
        assertEquals(up + 1, rig.scripted().received().size());
        assertArrayEquals(ipPacket(n), rig.scripted().received().getLast());
        assertEquals(down + 1, rig.io.tunWrites.size());
        assertArrayEquals(ipPacket(n + 1), rig.io.tunWrites.getLast());
    }

    /** One hostile packet: random, mutated, truncated, extended, re-labelled or replayed. */
    private static byte[] hostile(Random r, List<byte[]> corpus) {
        byte[] base = corpus.get(r.nextInt(corpus.size()));
        switch (r.nextInt(7)) {
            case 0 -> {
                byte[] p = new byte[r.nextInt(1600)];
                r.nextBytes(p);
                return p;
            }
            case 1 -> {
                byte[] p = base.clone();
                for (int i = 1 + r.nextInt(3); i > 0; i--) {
                    p[r.nextInt(p.length)] ^= (byte) (1 << r.nextInt(8));
                }
                return p;
            }
            case 2 -> {
                return Arrays.copyOf(base, r.nextInt(base.length));
            }
            case 3 -> {
                byte[] p = Arrays.copyOf(base, base.length + 1 + r.nextInt(64));
                for (int i = base.length; i < p.length; i++) {
                    p[i] = (byte) r.nextInt();
                }
                return p;
            }
            case 4 -> {
                byte[] p = base.clone();
                p[0] = (byte) r.nextInt(256);
                return p;
            }
            case 5 -> {
                byte[] p = new byte[1 + r.nextInt(200)];
                r.nextBytes(p);
                p[0] = (byte) ((r.nextBoolean() ? DataChannel.P_DATA_V2 : Opcode.CONTROL_V1.code()) << 3 | r.nextInt(8));
                return p;
            }
            default -> {
                return base.clone(); // verbatim replay
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Wrap.class, names = {"TLS_CRYPT", "TLS_AUTH"})
    void hundredThousandHostilePacketsAreAllDroppedAndTunnelSurvives(Wrap wrap) {
        SessionRig rig = SessionRig.againstScript(wrap).start();
        for (int i = 0; i < 20; i++) {
            assertDataFlows(rig, 10 * i);
        }
        List<byte[]> corpus = new ArrayList<>(rig.serverSent);
        assertTrue(corpus.stream().anyMatch(ClientSessionHostileInputTest::isData));
        assertTrue(corpus.stream().anyMatch(p -> !isData(p)));
        assertEquals(0, rig.io.totalDrops());

        Random r = new Random(20250101L + wrap.ordinal());
        int sent = 0;
        for (int round = 0; round < 100; round++) {
            for (int i = 0; i < 1000; i++) {
                byte[] p = hostile(r, corpus);
                rig.session.onLink(p, 0, p.length);
                sent++;
            }
            assertEquals(sent, rig.io.totalDrops(), () -> "every hostile packet is dropped, none accepted: " + rig.io.drops);
            rig.step(SessionRig.STEP);
            assertDataFlows(rig, 1000 + 10 * round);
        }
        assertTrue(rig.session.connected());
        assertFalse(rig.session.finished(), () -> rig.session.failure() + " " + rig.session.failureDetail());
        assertNull(rig.session.failure());
        assertEquals(ConnectionState.CONNECTED, rig.io.states.getLast());
        assertEquals(1, rig.io.configured.size(), "the tunnel was configured once");
        for (DropReason expected : List.of(DropReason.REPLAY, DropReason.DECRYPT_FAILED, DropReason.CONTROL_AUTH_FAILED,
                DropReason.TRUNCATED, DropReason.NO_KEY)) {
            assertTrue(rig.io.drops(expected) > 0, () -> expected + " never reported: " + rig.io.drops);
        }
    }

    @Test
    void hostileDataPacketsWithoutControlWrapNeverThrow() {
        SessionRig rig = SessionRig.againstScript(Wrap.NONE).start();
        assertDataFlows(rig, 0);
        List<byte[]> data = rig.serverSent.stream().filter(ClientSessionHostileInputTest::isData).toList();
        Random r = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            byte[] p = hostile(r, data);
            if (p.length > 0 && !isData(p)) {
                continue; // without tls-auth/tls-crypt, forged control packets can legitimately kill TLS
            }
            rig.session.onLink(p, 0, p.length);
        }
        assertFalse(rig.session.finished());
        assertDataFlows(rig, 100);
    }

    @Test
    void replayedDataPacketIsDroppedAsReplay() {
        SessionRig rig = SessionRig.againstScript(Wrap.TLS_CRYPT).start();
        byte[] packet = rig.scripted().sendData(ipPacket(1));
        rig.pump();
        rig.session.onLink(packet, 0, packet.length);
        assertEquals(1, rig.io.tunWrites.size());
        assertEquals(1, rig.io.drops(DropReason.REPLAY));
        assertEquals(1, rig.io.totalDrops());
    }

    @Test
    void bitFlipInCiphertextIsDecryptFailed() {
        SessionRig rig = SessionRig.againstScript(Wrap.TLS_CRYPT).start();
        byte[] packet = rig.scripted().sendData(ipPacket(1));
        rig.scripted().takeOutgoing();
        packet[packet.length - 1] ^= 0x01;
        rig.session.onLink(packet, 0, packet.length);
        assertEquals(0, rig.io.tunWrites.size());
        assertEquals(1, rig.io.drops(DropReason.DECRYPT_FAILED));
    }

    @Test
    void dataOnUnknownKeyIdIsNoKey() {
        SessionRig rig = SessionRig.againstScript(Wrap.TLS_CRYPT).start();
        byte[] packet = rig.scripted().sendData(ipPacket(1));
        rig.scripted().takeOutgoing();
        packet[0] = (byte) (packet[0] & ~7 | 5);
        rig.session.onLink(packet, 0, packet.length);
        assertEquals(1, rig.io.drops(DropReason.NO_KEY));
    }

    @Test
    void replayedAndTamperedControlPacketsAreDropped() {
        SessionRig rig = SessionRig.againstScript(Wrap.TLS_CRYPT).start();
        byte[] control = rig.serverSent.getFirst();
        rig.session.onLink(control, 0, control.length);
        assertEquals(1, rig.io.drops(DropReason.REPLAY));
        byte[] tampered = control.clone();
        tampered[tampered.length - 1] ^= 0x40;
        rig.session.onLink(tampered, 0, tampered.length);
        assertEquals(1, rig.io.drops(DropReason.CONTROL_AUTH_FAILED));
        rig.session.onLink(new byte[0], 0, 0);
        assertEquals(1, rig.io.drops(DropReason.TRUNCATED));
        assertDataFlows(rig, 1);
    }

    @Test
    void controlPacketFromAnotherSessionIsWrongSession() {
        SessionRig rig = SessionRig.againstScript(Wrap.NONE).start();
        byte[] p = new ControlPacket(Opcode.CONTROL_V1, 0, rig.scripted().sessionId() ^ 1, new long[0], 0, 50, new byte[10]).toBytes();
        rig.session.onLink(p, 0, p.length);
        assertEquals(1, rig.io.drops(DropReason.WRONG_SESSION));
        assertDataFlows(rig, 1);
    }

    @Test
    void controlPacketFarAheadOfReceiveWindowIsWindowFull() {
        SessionRig rig = SessionRig.againstScript(Wrap.NONE).start();
        byte[] p = new ControlPacket(Opcode.CONTROL_V1, 0, rig.scripted().sessionId(), new long[0], 0, 1000, new byte[10]).toBytes();
        rig.session.onLink(p, 0, p.length);
        assertEquals(1, rig.io.drops(DropReason.WINDOW_FULL));
        assertDataFlows(rig, 1);
    }

    @Test
    void resetWithNonZeroMessageIdIsUnexpected() {
        SessionRig rig = SessionRig.againstScript(Wrap.NONE).start();
        byte[] p = new ControlPacket(Opcode.CONTROL_HARD_RESET_SERVER_V2, 0, rig.scripted().sessionId(), new long[0], 0, 3, null)
                .toBytes();
        rig.session.onLink(p, 0, p.length);
        assertEquals(1, rig.io.drops(DropReason.UNEXPECTED), () -> "drops " + rig.io.drops);
        assertDataFlows(rig, 1);
    }

    @Test
    void forgedServerResetAckingAnotherSessionDoesNotHijackTheHandshake() {
        SessionRig rig = SessionRig.againstScript(Wrap.NONE);
        rig.toServer.hold(true);
        rig.start();
        // An off-path forger without the client's session id: a server reset whose ACK names the wrong client.
        byte[] forged = new ControlPacket(Opcode.CONTROL_HARD_RESET_SERVER_V2, 0, 0x1122334455667788L, new long[] {0},
                0x0BADL, 0, null).toBytes();
        rig.session.onLink(forged, 0, forged.length);
        assertEquals(1, rig.io.drops(DropReason.WRONG_SESSION));
        assertEquals(List.of(ConnectionState.WAIT), rig.io.states, "the forged reset must not move the session on");
        rig.toServer.hold(false);
        rig.pump();
        assertTrue(rig.session.connected(), () -> rig.io.drops + " " + rig.session.failure());
        assertDataFlows(rig, 1);
    }

    @Test
    void emptyTunReadIsIgnored() {
        SessionRig rig = SessionRig.againstScript(Wrap.TLS_CRYPT).start();
        int sent = rig.io.sent.size();
        rig.session.onTun(new byte[0], 0, 0);
        assertEquals(sent, rig.io.sent.size());
        assertDataFlows(rig, 1);
    }
}
