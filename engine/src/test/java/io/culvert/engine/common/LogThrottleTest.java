package io.culvert.engine.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LogThrottleTest {
    @Test
    void aBurstCostsOneLineAndTheNextLineCountsWhatWasHeldBack() {
        LogThrottle t = new LogThrottle(5000);

        assertEquals(0, t.admit(1_000));
        for (int i = 0; i < 999; i++) {
            assertEquals(-1, t.admit(1_001 + i));
        }
        assertEquals(999, t.admit(6_000));
        assertEquals(-1, t.admit(6_001));
        assertEquals(1, t.admit(20_000));
    }
}
