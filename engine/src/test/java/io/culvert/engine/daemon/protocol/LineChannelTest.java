package io.culvert.engine.daemon.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LineChannelTest {

    private static LineChannel reading(byte[] bytes, int maxLine) {
        return new LineChannel(new ByteArrayInputStream(bytes), OutputStream.nullOutputStream(), maxLine);
    }

    private static LineChannel reading(String text) {
        return reading(text.getBytes(StandardCharsets.UTF_8), Protocol.MAX_LINE_BYTES);
    }

    @Test
    void readsOneLineAtATimeAndSkipsBlankLines() throws Exception {
        LineChannel c = reading("{\"a\":1}\n\n{\"b\":\"\u00e9\"}\n");
        assertEquals("{\"a\":1}", c.read());
        assertEquals("{\"b\":\"\u00e9\"}", c.read());
        assertNull(c.read());
    }

    @Test
    void writesOneLinePerMessage() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LineChannel c = new LineChannel(new ByteArrayInputStream(new byte[0]), out);
        c.write(Json.write(Map.of("text", "two\nlines")));
        assertEquals("{\"text\":\"two\\nlines\"}\n", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void refusesALineLongerThanTheLimitWithoutBufferingItAll() {
        byte[] huge = new byte[10_000];
        java.util.Arrays.fill(huge, (byte) ' ');
        JsonException e = assertThrows(JsonException.class, () -> reading(huge, 100).read());
        assertTrue(e.getMessage().contains("longer than 100 bytes"), e.getMessage());
    }

    @Test
    void acceptsALineOfExactlyTheLimit() throws Exception {
        String line = "{\"a\":\"" + "x".repeat(92) + "\"}";
        assertEquals(100, line.length());
        assertEquals(100, reading((line + "\n").getBytes(StandardCharsets.UTF_8), 100).read().length());
    }

    @Test
    void refusesInvalidUtf8() {
        byte[] bad = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}', '\n'};
        assertThrows(JsonException.class, () -> reading(bad, 100).read());
    }

    @Test
    void refusesAStreamThatEndsInsideALine() {
        assertThrows(JsonException.class, () -> reading("{\"a\":1}").read());
    }

    @Test
    void aLineThatIsNotAnObjectIsRefusedByTheCodec() throws Exception {
        String line = reading("[1,2]\n").read();
        assertEquals("[1,2]", line, "framing only splits lines");
        assertThrows(JsonException.class, () -> MessageCodec.parseToService(line));
        assertThrows(JsonException.class, () -> MessageCodec.parseToClient(line, id -> null));
    }
}
