package io.culvert.engine.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.testkit.SessionRig;
import io.culvert.engine.testkit.SessionRig.Wrap;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code inactive N [bytes]}: the session ends for good after N seconds without tunnel traffic. */
class ClientSessionInactivityTest {
    private static final String LOG_LINE = "INFO Inactivity timeout (--inactive), exiting";

    private static SessionRig rig(int seconds, long bytes) {
        return SessionRig.with(Wrap.TLS_CRYPT).settings(s -> s.withInactivity(seconds, bytes)).againstScript();
    }

    /** Steps until {@code at} millis after {@code t0} (keepalive pings flow meanwhile); returns whether the session went inactive. */
    private static boolean runTo(SessionRig rig, long t0, long at) {
        while (rig.clock.millis() - t0 < at && !rig.session.inactive()) {
            rig.step(SessionRig.STEP);
        }
        return rig.session.inactive();
    }

    @Test
    void exitsAfterTheTimeoutCountedFromTheStartDespiteKeepalivePings() {
        SessionRig rig = rig(30, 0);
        long t0 = rig.clock.millis();
        rig.connected();
        assertFalse(runTo(rig, t0, 29_750), "still inside the 30 s");
        assertTrue(rig.io.tunWrites.isEmpty(), "only keepalives so far");
        assertTrue(runTo(rig, t0, 30_000));
        assertEquals(30_000, rig.clock.millis() - t0);
        assertTrue(rig.io.logs.contains(LOG_LINE), rig.io.logs.toString());
        assertEquals(1, rig.io.logs.stream().filter(LOG_LINE::equals).count(), "said once");
        rig.runUntil(rig.session::finished, Duration.ofSeconds(3));
        assertTrue(rig.session.finished());
        assertNull(rig.session.failure(), "an inactivity exit is not a failure to retry");
        assertEquals(List.of("PUSH_REQUEST", "EXIT"), rig.scripted().controlMessages(), "the server is told (cc-exit)");
    }

    @Test
    void trafficInEitherDirectionRestartsTheTimer() {
        SessionRig rig = rig(30, 0);
        long t0 = rig.clock.millis();
        rig.connected();
        assertFalse(runTo(rig, t0, 20_000));
        rig.clientTun(SessionRig.ipPacket(1));
        assertFalse(runTo(rig, t0, 40_000));
        rig.serverTun(SessionRig.ipPacket(2));
        assertEquals(1, rig.io.tunWrites.size());
        assertFalse(runTo(rig, t0, 69_750), "30 s after the last packet at 40 s");
        assertTrue(runTo(rig, t0, 70_000));
        assertEquals(70_000, rig.clock.millis() - t0);
    }

    @Test
    void trafficBelowTheByteThresholdDoesNotCount() {
        SessionRig rig = rig(30, 1000);
        long t0 = rig.clock.millis();
        rig.connected();
        for (int i = 0; i < 5; i++) { // 5 x 2 x 60 = 600 bytes, less than 1000
            assertFalse(runTo(rig, t0, 5_000L * (i + 1)));
            rig.clientTun(SessionRig.ipPacket(i));
            rig.serverTun(SessionRig.ipPacket(i));
        }
        assertTrue(runTo(rig, t0, 30_000), "600 bytes in 30 s is inactivity with a 1000-byte threshold");
        assertEquals(30_000, rig.clock.millis() - t0);
    }

    @Test
    void reachingTheByteThresholdRestartsTheTimer() {
        SessionRig rig = rig(30, 1000);
        long t0 = rig.clock.millis();
        rig.connected();
        assertFalse(runTo(rig, t0, 20_000));
        for (int i = 0; i < 17; i++) { // 17 x 60 = 1020 bytes
            rig.clientTun(SessionRig.ipPacket(i));
        }
        assertFalse(runTo(rig, t0, 49_750));
        assertTrue(runTo(rig, t0, 50_000));
    }

    @Test
    void withoutInactiveTheSessionStaysUp() {
        SessionRig rig = rig(0, 0);
        long t0 = rig.clock.millis();
        rig.connected();
        assertFalse(runTo(rig, t0, 120_000));
        assertTrue(rig.session.connected());
        assertFalse(rig.session.finished(), rig.session.failure() + " " + rig.session.failureDetail());
    }
}
