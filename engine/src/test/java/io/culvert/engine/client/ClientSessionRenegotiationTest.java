package io.culvert.engine.client;

import static io.culvert.engine.testkit.SessionRig.ipPacket;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.crypto.DataChannel;
import io.culvert.engine.testkit.SessionRig;
import io.culvert.engine.testkit.SessionRig.Wrap;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Soft resets in both directions while data flows: new TLS session, new keys, no data lost. */
class ClientSessionRenegotiationTest {

    /** Traffic generator: one packet each way per call, numbered; checks everything later. */
    private static final class Traffic {
        final SessionRig rig;
        int up;
        int down;

        Traffic(SessionRig rig) {
            this.rig = rig;
        }

        void oneEachWay() {
            rig.session.onTun(ipPacket(up), 0, 60);
            up++;
            rig.scripted().sendData(ipPacket(100_000 + down));
            down++;
        }

        /** Runs {@code seconds} of simulated time with one packet each way per second. */
        void run(int seconds) {
            for (int i = 0; i < seconds * 4; i++) {
                if (i % 4 == 0) {
                    oneEachWay();
                }
                rig.step(SessionRig.STEP);
            }
        }

        void assertNothingLost() {
            List<byte[]> atServer = rig.scripted().received();
            assertEquals(up, atServer.size(), () -> "server drops " + rig.scripted().drops());
            for (int i = 0; i < up; i++) {
                assertArrayEquals(ipPacket(i), atServer.get(i), "client packet " + i);
            }
            assertEquals(down, rig.io.tunWrites.size(), () -> "client drops " + rig.io.drops);
            for (int i = 0; i < down; i++) {
                assertArrayEquals(ipPacket(100_000 + i), rig.io.tunWrites.get(i), "server packet " + i);
            }
        }
    }

    private static Set<Integer> clientDataKeyIds(SessionRig rig) {
        Set<Integer> ids = new TreeSet<>();
        for (byte[] p : rig.io.sent) {
            if ((p[0] & 0xff) >>> 3 == DataChannel.P_DATA_V2) {
                ids.add(p[0] & 7);
            }
        }
        return ids;
    }

    private static boolean logged(SessionRig rig, String text) {
        return rig.io.logs.stream().anyMatch(l -> l.contains(text));
    }

    @Test
    void serverInitiatedSoftResetSwitchesKeysWithoutLosingData() {
        SessionRig rig = SessionRig.againstScript(Wrap.TLS_CRYPT).start();
        Traffic t = new Traffic(rig);
        t.run(3);
        rig.scripted().softReset();
        t.oneEachWay(); // data interleaved with the soft reset
        rig.pump();
        assertTrue(rig.runUntil(() -> logged(rig, "Renegotiation complete (key id 1)"), Duration.ofSeconds(10)));
        assertTrue(logged(rig, "Server requested renegotiation (key id 1)"));
        assertEquals(1, rig.scripted().primaryKeyId());
        assertTrue(rig.scripted().primaryKeysReady());
        assertEquals("EKM", rig.scripted().primaryDerivation(), "renegotiated keys use the first key's method");
        assertEquals(0, rig.scripted().sendKeyId(), "2.6 keeps sending on the old key for a while");
        assertFalse(rig.scripted().controlMessages().stream().skip(1).anyMatch("PUSH_REQUEST"::equals), "no push on renegotiation");

        // Old-key data is still accepted after the new key exists, even when it arrives late.
        rig.scripted().sendData(ipPacket(100_000 + t.down));
        t.down++;
        List<byte[]> late = rig.scripted().takeOutgoing();
        t.run(5);
        for (byte[] p : late) {
            assertEquals(0, p[0] & 7);
            rig.session.onLink(p, 0, p.length);
        }
        // The late packet went to the tun out of order; move it so the ordered check below holds.
        byte[] lateWrite = rig.io.tunWrites.removeLast();
        rig.io.tunWrites.add(t.down - 1 - 5, lateWrite);

        t.run(60); // past the server's 60 s switch delay
        assertEquals(1, rig.scripted().sendKeyId());
        assertEquals(Set.of(0, 1), clientDataKeyIds(rig), "the client followed the server onto key 1");
        List<Integer> serverSaw = rig.scripted().receivedKeyIds();
        assertEquals(1, (int) serverSaw.getLast());
        assertEquals(serverSaw.stream().sorted().toList(), serverSaw, "key ids only move forward: 0… then 1…");
        t.assertNothingLost();
        assertFalse(rig.session.finished());
    }

    @Test
    void clientInitiatedRenegotiationAfterRenegSec() {
        SessionRig rig = SessionRig.with(Wrap.TLS_AUTH).clientRenegSec(100).againstScript();
        rig.start();
        Traffic t = new Traffic(rig);
        t.run(99);
        assertFalse(logged(rig, "reneg-sec"), "not before 100 s");
        t.run(2);
        assertTrue(logged(rig, "Renegotiating data channel keys (reneg-sec)"));
        assertTrue(logged(rig, "Renegotiation complete (key id 1)"));
        assertEquals(1, rig.scripted().primaryKeyId());
        assertTrue(rig.scripted().primaryKeysReady());
        t.run(5);
        assertEquals(Set.of(0), clientDataKeyIds(rig), "2.6 timing: both sides keep the old send key for 60 s");
        t.run(60);
        assertEquals(Set.of(0, 1), clientDataKeyIds(rig));
        assertEquals(1, rig.scripted().sendKeyId());
        assertEquals(1, (int) rig.scripted().receivedKeyIds().getLast());
        t.assertNothingLost();
    }

    @Test
    void repeatedRenegotiationsCycleKeyIdsWithoutLosingData() {
        SessionRig rig = SessionRig.with(Wrap.NONE).script(s -> s.withKeySwitchDelay(Duration.ofSeconds(5))).clientRenegSec(20)
                .againstScript();
        rig.start();
        Traffic t = new Traffic(rig);
        t.run(185); // 9 renegotiations: key ids 1..7, then 1, 2 (never 0 again)
        assertTrue(logged(rig, "Renegotiation complete (key id 7)"));
        assertEquals(2, rig.scripted().primaryKeyId());
        t.assertNothingLost();
        assertFalse(rig.session.finished(), () -> rig.session.failure() + " " + rig.session.failureDetail());
    }

    @Test
    void renegotiationWhileStillSendingOnLameDuckKeepsDataFlowing() {
        // The server keeps its send key 60 s; the client renegotiates every 20 s, so the client's send key is
        // still the old one when the next soft reset pushes that key out of both sides.
        SessionRig rig = SessionRig.with(Wrap.TLS_CRYPT).clientRenegSec(20).againstScript();
        rig.start();
        Traffic t = new Traffic(rig);
        t.run(130);
        t.assertNothingLost();
        assertFalse(rig.session.finished(), () -> rig.session.failure() + " " + rig.session.failureDetail());
    }
}
