package io.culvert.engine.warmup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.InstantSource;
import org.junit.jupiter.api.Test;

class WarmupTest {

    @Test
    void runsCompleteHandshakesAndPacketRoundsWithBothKeyTypes() throws Exception {
        // Four rounds: RSA, EC, RSA, EC, each a full handshake through tls-crypt, exported keys, packets both ways;
        // a round that fails to handshake or to open a packet throws instead of counting.
        assertEquals(4, Warmup.run(4, InstantSource.system().instant().plusSeconds(60), InstantSource.system()));
    }

    @Test
    void stopsAtTheDeadline() throws Exception {
        assertEquals(0, Warmup.run(1000, InstantSource.system().instant().minusSeconds(1), InstantSource.system()));
    }

    @Test
    void startRunsOnceOnALowPriorityDaemonAndCanBeTurnedOff() throws Exception {
        String before = System.getProperty(Warmup.PROPERTY); // the test JVM runs with culvert.warmup=off
        Thread t;
        try {
            System.setProperty(Warmup.PROPERTY, "off");
            assertEquals(null, Warmup.start(InstantSource.system()), "off means no thread");
            System.clearProperty(Warmup.PROPERTY);
            t = Warmup.start(InstantSource.system());
            assertTrue(t.isDaemon() && t.getPriority() == Thread.MIN_PRIORITY);
            assertEquals(null, Warmup.start(InstantSource.system()), "a second start in the same JVM does nothing");
        } finally {
            if (before == null) {
                System.clearProperty(Warmup.PROPERTY);
            } else {
                System.setProperty(Warmup.PROPERTY, before);
            }
        }
        // It runs in the idle scheduling class (IdleThreadTest), so on a busy machine it may take long: a daemon, left
        // to finish on spare CPU; the budget is tested on run() above.
    }
}
