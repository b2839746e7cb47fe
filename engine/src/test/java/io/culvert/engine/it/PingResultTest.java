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

    /** CulvertServerInteropTest's failed mesh on a loaded machine: the third reply was late, none was lost. */
    @Test
    void aLateReplyIsNotALossButAGapIs() {
        PingResult late = PingResult.parse("""
                PING 10.77.0.3 (10.77.0.3) 56(84) bytes of data.
                64 bytes from 10.77.0.3: icmp_seq=1 ttl=64 time=41.1 ms
                64 bytes from 10.77.0.3: icmp_seq=2 ttl=64 time=34.7 ms
                64 bytes from 10.77.0.3: icmp_seq=3 ttl=64 time=312 ms

                --- 10.77.0.3 ping statistics ---
                4 packets transmitted, 3 received, 25% packet loss, time 608ms
                rtt min/avg/max/mdev = 34.650/129.220/311.873/129.181 ms, pipe 2
                """);
        assertFalse(late.noLoss());
        assertTrue(late.answered(3));
        assertFalse(late.answered(4));
        PingResult lost = PingResult.parse("""
                64 bytes from 10.77.0.3: icmp_seq=1 ttl=64 time=0.4 ms
                From 10.77.0.1 icmp_seq=2 Destination Host Unreachable
                64 bytes from 10.77.0.3: icmp_seq=3 ttl=64 time=0.5 ms
                64 bytes from 10.77.0.3: icmp_seq=4 ttl=64 time=0.5 ms

                --- 10.77.0.3 ping statistics ---
                4 packets transmitted, 3 received, +1 errors, 25% packet loss, time 608ms
                """);
        assertFalse(lost.answered(3), "request 2 was never answered");
        // what Netns.ping returns, knowing its -c count: the late reply is no loss there, the gap is
        assertTrue(PingResult.parse(late.output(), 3).noLoss(), "SampleConfigInteropTest on CI: 3 of 3 answered, one late");
        assertFalse(PingResult.parse(lost.output(), 3).noLoss());
        assertFalse(PingResult.parse("connect: Network is unreachable").answered(3));
    }

    /** IPv6 addresses hold colons: Ipv6TransportInteropTest's link check. */
    @Test
    void anIpv6ReplyCounts() {
        PingResult r = PingResult.parse("""
                PING fd00:77::1(fd00:77::1) 56 data bytes
                64 bytes from fd00:77::1: icmp_seq=1 ttl=64 time=0.051 ms

                --- fd00:77::1 ping statistics ---
                1 packets transmitted, 1 received, 0% packet loss, time 0ms
                """, 1);
        assertTrue(r.noLoss(), r.output());
        assertTrue(PingResult.parse("64 bytes from localhost (::1): icmp_seq=1 ttl=64 time=0.05 ms\n", 1).noLoss());
    }

    @Test
    void garbageCountsAsLoss() {
        assertFalse(PingResult.parse("connect: Network is unreachable").noLoss());
    }
}
