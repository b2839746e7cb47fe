package io.culvert.engine.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RttStatsTest {

    @Test
    void percentilesOverEveryReplyAndLossFromTheSummary() {
        StringBuilder out = new StringBuilder("PING 10.77.0.1 (10.77.0.1) 56(84) bytes of data.\n");
        for (int i = 100; i >= 1; i--) { // replies out of order: 1.00 … 0.01 ms
            out.append("64 bytes from 10.77.0.1: icmp_seq=").append(i).append(" ttl=64 time=").append(i / 100.0).append(" ms\n");
        }
        out.append("--- 10.77.0.1 ping statistics ---\n102 packets transmitted, 100 received, 1.96% packet loss, time 1010ms\n");
        RttStats r = RttStats.parse(out.toString());
        assertEquals(0.5, r.percentile(50), 1e-9);
        assertEquals(0.99, r.percentile(99), 1e-9);
        assertEquals(1.0, r.percentile(100), 1e-9);
        assertEquals(2, r.lost());
    }

    @Test
    void noReplyHasNoPercentile() {
        RttStats r = RttStats.parse("3 packets transmitted, 0 received, 100% packet loss, time 2040ms\n");
        assertTrue(Double.isNaN(r.percentile(50)));
        assertEquals(3, r.lost());
    }
}
