package io.culvert.engine.management;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.culvert.engine.testkit.ManualClock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LogLimiterTest {
    private static final String NAME = "io.culvert.engine.management.LogLimiterTest";

    @Test
    void warningFloodIsCutToTheQuotaAndSummarisedOnceTheWindowHasPassed() {
        ManualClock clock = new ManualClock(1_000_000);
        try (LogCapture log = new LogCapture(NAME)) {
            LogLimiter limiter = new LogLimiter(LoggerFactory.getLogger(NAME), 3, 60_000, clock);
            for (int i = 0; i < 1000; i++) {
                limiter.warn("slow client", "client {} is not reading", i);
            }
            limiter.warn("long line", "client {} sent a long line", "x");
            clock.advanceMillis(30_000);
            limiter.flush();
            assertEquals(List.of("WARN client 0 is not reading", "WARN client 1 is not reading",
                    "WARN client 2 is not reading", "WARN client x sent a long line"), log.messages);

            clock.advanceMillis(30_000);
            limiter.flush();
            limiter.flush();
            assertEquals("WARN Management: 997 similar messages suppressed (slow client)", log.messages.getLast());
            assertEquals(5, log.lines.get());

            limiter.warn("slow client", "client {} is not reading", "again");
            assertEquals("WARN client again is not reading", log.messages.getLast());
        }
    }
}
