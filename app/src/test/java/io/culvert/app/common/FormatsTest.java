package io.culvert.app.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The app's one set of number formats: rates in bit/s with decimal prefixes, byte totals in binary units. */
class FormatsTest {

    @Test
    void bytesUseBinaryUnits() {
        assertEquals("0 B", Formats.bytes(0));
        assertEquals("1023 B", Formats.bytes(1023));
        assertEquals("1.5 KiB", Formats.bytes(1536));
        assertEquals("50.0 MiB", Formats.bytes(50L * 1024 * 1024));
        assertEquals("2.0 GiB", Formats.bytes(2L << 30));
    }

    @Test
    void ratesAreBitsPerSecondWithThreeSignificantDigits() {
        assertEquals("0 bit/s", Formats.rate(0));
        assertEquals("800 bit/s", Formats.rate(100));
        assertEquals("10.0 kbit/s", Formats.rate(1250));
        assertEquals("437 kbit/s", Formats.rate(54_625));
        assertEquals("8.00 Mbit/s", Formats.rate(1_000_000));
        assertEquals("25.2 Mbit/s", Formats.rate(3 * 1024 * 1024));
        assertEquals("1.00 Gbit/s", Formats.rate(125_000_000));
        assertEquals("1.00 kbit/s", Formats.bits(999.7), "rounds up into the next prefix, not \"1000 bit/s\"");
        assertEquals("100 kbit/s", Formats.bits(99_960));
    }

    @Test
    void chartTicksAreShortRoundNumbers() {
        assertEquals("0", Formats.bitsTick(0));
        assertEquals("250 kbit/s", Formats.bitsTick(250_000));
        assertEquals("2.5 Mbit/s", Formats.bitsTick(2_500_000));
        assertEquals("5 Mbit/s", Formats.bitsTick(5_000_000));
        assertEquals("25 bit/s", Formats.bitsTick(25));
    }

    @Test
    void countsAndPacketsAreCompact() {
        assertEquals("73", Formats.count(73));
        assertEquals("1.2k", Formats.count(1234));
        assertEquals("34k", Formats.count(34_000));
        assertEquals("3.5", Formats.packets(3.46));
        assertEquals("120", Formats.packets(120.2));
    }

    @Test
    void durationsRemotesAndAges() {
        assertEquals("1:01:05", Formats.duration(Duration.ofSeconds(3665)));
        assertEquals("vpn.example.com:443/tcp", Formats.remote("vpn.example.com 443 tcp"));
        assertEquals("vpn.example.com", Formats.remote("vpn.example.com"));
        Instant t = Instant.parse("2026-03-01T10:00:00Z");
        assertEquals("42s", Formats.age(t, t.plusSeconds(42)));
        assertEquals("5m 03s", Formats.age(t, t.plusSeconds(303)));
        assertEquals("2h 07m", Formats.age(t, t.plusSeconds(2 * 3600 + 7 * 60 + 5)));
        assertEquals("3d 04h", Formats.age(t, t.plusSeconds(3 * 86400 + 4 * 3600)));
        assertEquals("0s", Formats.age(t, t.minusSeconds(5)));
        assertEquals("", Formats.age(null, t));
    }
}
