package io.culvert.app.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.culvert.engine.api.EngineEvent.Level;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Traffic rates, the log filter, the challenge encoding; no FX toolkit. */
class ClientModelsTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void trafficHistoryTurnsCountersIntoRatesAndKeepsTheLastN() {
        TrafficHistory h = new TrafficHistory(2);
        assertNull(h.add(T0, ConnectionModelTest.stats(0, 0)));
        assertEquals(new TrafficHistory.Sample(T0.plusSeconds(1), 1, 100, 50), h.add(T0.plusSeconds(1), ConnectionModelTest.stats(100, 50)));
        assertEquals(new TrafficHistory.Sample(T0.plusSeconds(3), 3, 50, 0), h.add(T0.plusSeconds(3), ConnectionModelTest.stats(200, 50)));
        h.add(T0.plusSeconds(4), ConnectionModelTest.stats(200, 50));
        assertEquals(List.of(3L, 4L), h.samples().stream().map(TrafficHistory.Sample::second).toList());
        assertNull(h.add(T0.plusSeconds(4), ConnectionModelTest.stats(999, 999)), "same instant: no sample");
        assertEquals(200, h.totals().tunBytesIn());
    }

    @Test
    void counterResetGivesNoNegativeRate() {
        TrafficHistory h = new TrafficHistory(10);
        h.add(T0, ConnectionModelTest.stats(5000, 5000));
        assertEquals(0, h.add(T0.plusSeconds(1), ConnectionModelTest.stats(10, 10)).inPerSecond());
    }

    @Test
    void logFiltersByLevelAndTextAndCopiesTheVisibleLines() {
        LogModel log = new LogModel();
        log.add(T0, Level.DEBUG, "TLS record in");
        log.add(T0.plusSeconds(1), Level.INFO, "State AUTH");
        log.add(T0.plusSeconds(2), Level.WARN, "TLS handshake slow");
        log.add(T0.plusSeconds(3), Level.ERROR, "AUTH_FAILED");
        log.minLevelProperty().set(Level.INFO);
        assertEquals(3, log.visible().size());
        log.searchProperty().set("tls");
        assertEquals(List.of("TLS handshake slow"), log.visible().stream().map(LogModel.Entry::message).toList());
        assertEquals("10:00:02  WARN  TLS handshake slow\n", log.visibleText(ZoneOffset.UTC));
        log.searchProperty().set("");
        log.minLevelProperty().set(Level.ERROR);
        assertEquals("10:00:03  ERROR  AUTH_FAILED\n", log.visibleText(ZoneOffset.UTC));
    }

    @Test
    void logKeepsTheNewestLines() {
        LogModel log = new LogModel();
        for (int i = 0; i < LogModel.MAX_LINES + 10; i++) {
            log.add(T0, Level.INFO, "line " + i);
        }
        assertEquals(LogModel.MAX_LINES, log.all().size());
        assertEquals("line 10", log.all().getFirst().message());
    }

    @Test
    void staticChallengeAnswersAreSentInScrv1OrConcatenated() {
        Login.Answer a = new Login.Answer("alice", "pass", "123456", false);
        assertEquals("SCRV1:cGFzcw==:MTIzNDU2", a.wirePassword(true, false));
        assertEquals("pass123456", a.wirePassword(true, true));
        assertEquals("pass", a.wirePassword(false, false));
        assertFalse(a.toString().contains("pass,"));
        assertFalse(a.toString().contains("123456"));
    }
}
