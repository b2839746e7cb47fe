package io.culvert.engine.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** OpenVPN's shaper rule: each write of n bytes holds the next one back by max(n, 100) / rate, no burst. */
class ShaperTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    @Test
    void eachWriteHoldsTheNextBackByItsSizeOverTheRate() {
        Shaper s = new Shaper(100_000, now::get); // 10 µs a byte
        assertEquals(0, s.delayNanos(), "the first write goes at once");
        s.wrote(1500);
        assertEquals(15_000_000, s.delayNanos());
        now.addAndGet(10_000_000);
        assertEquals(5_000_000, s.delayNanos());
        now.addAndGet(4_500_000);
        assertEquals(0, s.delayNanos(), "under a millisecond left: openvpn writes");
    }

    @Test
    void smallPacketsCountAsAHundredBytesAndTheGapIsCappedAtTenSeconds() {
        Shaper s = new Shaper(1000, now::get);
        s.wrote(20);
        assertEquals(100_000_000, s.delayNanos(), "max(n, 100)");
        Shaper slow = new Shaper(100, now::get);
        slow.wrote(60_000);
        assertEquals(10_000_000_000L, slow.delayNanos(), "SHAPER_MAX_TIMEOUT");
    }

    @Test
    void theRateIsClampedToOpenvpnsRange() {
        Shaper s = new Shaper(10, now::get);
        s.wrote(100);
        assertEquals(1_000_000_000, s.delayNanos(), "SHAPER_MIN is 100 bytes a second");
    }

    @Test
    void sendingPacesRealWritesToTheRate() {
        Shaper s = new Shaper(200_000); // 5 µs a byte: 1000 bytes every 5 ms
        AtomicInteger writes = new AtomicInteger();
        long t0 = System.nanoTime();
        for (int i = 0; i < 41; i++) {
            s.send(1000, writes::incrementAndGet);
        }
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(41, writes.get());
        assertTrue(millis >= 195 && millis < 400, "40 gaps of 5 ms (less up to 1 ms each): " + millis + " ms");
    }
}
