package io.culvert.engine.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.config.ServerClients.Rate;
import io.culvert.engine.testkit.ManualClock;
import org.junit.jupiter.api.Test;

/** connect-freq and connect-freq-initial count as OpenVPN 2.7's otime.c and reflect_filter.c do. */
class ConnectLimitsTest {

    @Test
    void connectFreqAllowsNSessionsInAWindowOfSSeconds() {
        ManualClock clock = new ManualClock(1_000_000);
        ConnectLimits l = new ConnectLimits(new Rate(2, 10), null, clock);
        assertTrue(l.sessionAllowed());
        assertTrue(l.sessionAllowed());
        assertFalse(l.sessionAllowed(), "a third in the same window");
        clock.advanceMillis(9_000);
        assertFalse(l.sessionAllowed(), "the window is 10 s from its first session");
        clock.advanceMillis(1_000);
        assertTrue(l.sessionAllowed(), "a new window");
    }

    @Test
    void connectFreqInitialCountsRepliesAndForgetsCompletedHandshakes() {
        ManualClock clock = new ManualClock(1_000_000);
        ConnectLimits l = new ConnectLimits(null, new Rate(2, 10), clock);
        assertTrue(l.initialAllowed());
        assertTrue(l.initialAllowed());
        assertFalse(l.initialAllowed(), "over the limit in this period");
        ConnectLimits c = new ConnectLimits(null, new Rate(2, 10), clock);
        assertTrue(c.initialAllowed());
        assertTrue(c.initialAllowed());
        assertTrue(c.sessionAllowed(), "no connect-freq: every session may start");
        assertTrue(c.initialAllowed(), "a completed handshake no longer counts against connect-freq-initial");
        assertFalse(c.initialAllowed());
        clock.advanceMillis(11_000);
        assertTrue(c.initialAllowed(), "a period later");
    }
}
