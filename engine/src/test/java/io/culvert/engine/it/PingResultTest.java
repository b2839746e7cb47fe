package io.culvert.engine.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PingResultTest {

    @Test
    void parsesIputilsSummary() {
        PingResult r = PingResult.parse("""
                --- 10.77.0.1 ping statistics ---
                5 packets transmitted, 5 received, 0% packet loss, time 822ms
                rtt min/avg/max/mdev = 0.301/0.488/0.902/0.214 ms
                """);
        assertEquals(5, r.transmitted());
        assertEquals(0.0, r.lossPercent());
        assertEquals(0.488, r.avgRttMillis());
        assertTrue(r.noLoss());
    }

    @Test
    void totalLossHasNoRtt() {
        PingResult r = PingResult.parse("3 packets transmitted, 0 received, 100% packet loss, time 2040ms\n");
        assertEquals(100.0, r.lossPercent());
        assertTrue(Double.isNaN(r.avgRttMillis()));
        assertFalse(r.noLoss());
    }

    @Test
    void garbageCountsAsLoss() {
        assertFalse(PingResult.parse("connect: Network is unreachable").noLoss());
    }
}
