package io.culvert.app.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class FormatsTest {

    @Test
    void bytesUseBinaryUnits() {
        assertEquals("0 B", Formats.bytes(0));
        assertEquals("1023 B", Formats.bytes(1023));
        assertEquals("1.5 KiB", Formats.bytes(1536));
        assertEquals("50.0 MiB", Formats.bytes(50L * 1024 * 1024));
    }

    @Test
    void ratesAreBitsPerSecond() {
        assertEquals("0 bit/s", Formats.rate(0));
        assertEquals("800 bit/s", Formats.rate(100));
        assertEquals("10.0 kbit/s", Formats.rate(1250));
        assertEquals("437 kbit/s", Formats.rate(54_625));
        assertEquals("8.00 Mbit/s", Formats.rate(1_000_000));
    }

    @Test
    void agesAreCompact() {
        Instant t = Instant.parse("2026-03-01T10:00:00Z");
        assertEquals("42s", Formats.age(t, t.plusSeconds(42)));
        assertEquals("5m 03s", Formats.age(t, t.plusSeconds(303)));
        assertEquals("2h 07m", Formats.age(t, t.plusSeconds(2 * 3600 + 7 * 60 + 5)));
        assertEquals("3d 04h", Formats.age(t, t.plusSeconds(3 * 86400 + 4 * 3600)));
        assertEquals("0s", Formats.age(t, t.minusSeconds(5)));
        assertEquals("", Formats.age(null, t));
    }
}
