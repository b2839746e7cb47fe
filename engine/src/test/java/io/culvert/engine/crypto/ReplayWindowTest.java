package io.culvert.engine.crypto;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.testkit.ManualClock;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReplayWindowTest {
    private final ManualClock clock = ManualClock.at(Instant.ofEpochSecond(1_000));
    private final ReplayWindow window = ReplayWindow.defaults(clock);

    @Test
    void acceptsIncreasingIds() {
        for (long id = 1; id <= 500; id++) {
            assertTrue(window.accept(id), "id " + id);
        }
    }

    @Test
    void neverAcceptsIdZeroOrOutOfRangeIds() {
        assertFalse(window.accept(0));
        assertFalse(window.accept(-1));
        assertFalse(window.accept(0x1_0000_0000L));
        assertTrue(window.accept(0xFFFFFFFFL));
    }

    @Test
    void rejectsDuplicates() {
        assertTrue(window.accept(1));
        assertFalse(window.accept(1));
        assertTrue(window.accept(5));
        assertFalse(window.accept(5));
        assertFalse(window.accept(1));
    }

    @Test
    void acceptsReorderedIdsWithinWindowOnce() {
        assertTrue(window.accept(10));
        for (long id = 9; id >= 1; id--) {
            assertTrue(window.accept(id), "id " + id);
        }
        assertFalse(window.accept(3));
        assertTrue(window.accept(100));
        assertTrue(window.accept(100 - 63), "oldest slot in a 64 window");
        assertFalse(window.accept(100 - 64), "one past the window");
    }

    @Test
    void rejectsIdsOlderThanWindowAfterJump() {
        assertTrue(window.accept(1));
        assertTrue(window.accept(1000));
        assertFalse(window.accept(2));
        assertFalse(window.accept(936));
        assertTrue(window.accept(937));
        assertTrue(window.accept(999));
    }

    @Test
    void firstPacketMayBeLateAndEarlierIdsStillArrive() {
        assertTrue(window.accept(5));
        assertTrue(window.accept(2));
        assertTrue(window.accept(1));
        assertFalse(window.accept(2));
    }

    @Test
    void lateIdExpiresWhenANewerIdIsOlderThanTheTimeWindow() {
        assertTrue(window.accept(1));
        assertTrue(window.accept(2));
        assertTrue(window.accept(3));
        // 4 missing; 5 received at t0
        assertTrue(window.accept(5));
        clock.advanceSeconds(15);
        assertTrue(window.accept(6));
        clock.advanceSeconds(1); // 5 was received 16 s ago > 15 s
        assertFalse(window.accept(4), "older than an id received more than 15 s ago");
        assertTrue(window.accept(7), "new ids are unaffected");
    }

    @Test
    void lateIdWithinTimeWindowIsAccepted() {
        assertTrue(window.accept(3));
        clock.advanceSeconds(15);
        assertTrue(window.accept(2), "exactly 15 s is still fine");
        assertTrue(window.accept(4));
        clock.advanceSeconds(1);
        assertFalse(window.accept(1));
    }

    @Test
    void zeroSizeWindowRequiresStrictlyIncreasingIds() {
        ReplayWindow strict = new ReplayWindow(0, 15, clock);
        assertTrue(strict.accept(2));
        assertFalse(strict.accept(1));
        assertFalse(strict.accept(2));
        assertTrue(strict.accept(9));
    }

    @Test
    void newerTimestampStartsNewSequenceAndOlderOneIsRejected() {
        assertTrue(window.accept(5, 100));
        assertTrue(window.accept(1, 101), "new sequence");
        assertFalse(window.accept(6, 100), "timestamp went back");
        assertTrue(window.accept(2, 101));
        assertFalse(window.accept(1, 101));
    }

    @Test
    void rejectsInvalidSettings() {
        assertThrows(IllegalArgumentException.class, () -> new ReplayWindow(65537, 15, clock));
        assertThrows(IllegalArgumentException.class, () -> new ReplayWindow(64, 601, clock));
    }
}
