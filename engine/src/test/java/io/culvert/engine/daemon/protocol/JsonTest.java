package io.culvert.engine.daemon.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    private static final JsonLimits SMALL = new JsonLimits(200, 3, 4);

    @Test
    void writesCompactJsonInInsertionOrder() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "hello");
        m.put("version", 1L);
        m.put("ok", true);
        m.put("none", null);
        m.put("list", List.of("a", 2L));
        assertEquals("{\"type\":\"hello\",\"version\":1,\"ok\":true,\"none\":null,\"list\":[\"a\",2]}", Json.write(m));
    }

    @Test
    void escapesSoADocumentIsAlwaysOneLine() {
        String s = Json.write("a\"b\\c\nd\re\tf\u0001g\u2028h");
        assertEquals("\"a\\\"b\\\\c\\nd\\re\\tf\\u0001g\\u2028h\"", s);
        assertFalse(s.contains("\n"));
    }

    @Test
    void roundTripsEveryValueKind() throws JsonException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("s", "x\ny é \uD83D\uDE00");
        m.put("i", -9007199254740993L);
        m.put("d", 1.5);
        m.put("b", false);
        m.put("n", null);
        m.put("o", Map.of("k", List.of()));
        assertEquals(m, Json.parse(Json.write(m), JsonLimits.PROTOCOL));
    }

    @Test
    void parsesEscapesAndWhitespace() throws JsonException {
        assertEquals(Map.of("a", "\u00e9/\b\f"), Json.parse(" { \"a\" : \"\\u00e9\\/\\b\\f\" } \r\n", JsonLimits.PROTOCOL));
        assertEquals(Arrays.asList(1L, null, true), Json.parse("[1,null,true]", JsonLimits.PROTOCOL));
    }

    @Test
    void rejectsNestingDeeperThanTheLimit() throws JsonException {
        assertEquals(List.of(List.of(List.of())), Json.parse("[[[]]]", SMALL));
        JsonException e = assertThrows(JsonException.class, () -> Json.parse("[[[[]]]]", SMALL));
        assertTrue(e.getMessage().contains("nested deeper than 3"), e.getMessage());
        assertThrows(JsonException.class, () -> Json.parse("{\"a\":{\"b\":{\"c\":{}}}}", SMALL));
    }

    @Test
    void deepNestingAtProtocolLimitsFailsCleanlyWithoutStackOverflow() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        assertThrows(JsonException.class, () -> Json.parse(deep, JsonLimits.PROTOCOL));
    }

    @Test
    void rejectsTooManyMembersOrElements() {
        assertThrows(JsonException.class, () -> Json.parse("[1,2,3,4,5]", SMALL));
        assertThrows(JsonException.class, () -> Json.parse("{\"a\":1,\"b\":2,\"c\":3,\"d\":4,\"e\":5}", SMALL));
    }

    @Test
    void rejectsDocumentsLongerThanTheLimit() {
        JsonException e = assertThrows(JsonException.class, () -> Json.parse("\"" + "x".repeat(250) + "\"", SMALL));
        assertTrue(e.getMessage().contains("longer than 200"), e.getMessage());
    }

    @Test
    void rejectsMalformedInput() {
        for (String bad : List.of("", "{", "{\"a\"}", "{\"a\":1,}", "[1,]", "{a:1}", "'x'", "tru", "nul", "01", "1.", "-", "1e",
                "\"abc", "\"\\x\"", "\"\\u12\"", "\"\\u12g4\"", "\"a\tb\"", "\"a\nb\"", "{} {}", "[1] x", "NaN", "+1",
                "99999999999999999999", "{\"a\":1,\"a\":2}")) {
            assertThrows(JsonException.class, () -> Json.parse(bad, JsonLimits.PROTOCOL), () -> "accepted: " + bad);
        }
    }

    @Test
    void numberBeyondTheDoubleRangeIsRefusedNotReadAsAnUnwritableInfinity() throws JsonException {
        // Found by ServiceProtocolFuzz: "88E888" parsed as Infinity, which Json.write then refused with an
        // IllegalArgumentException, so a parsed message could not be written back.
        for (String big : List.of("88E888", "-1e309", "[1.5e400]", "{\"a\":9E99999}")) {
            JsonException e = assertThrows(JsonException.class, () -> Json.parse(big, JsonLimits.PROTOCOL), big);
            assertTrue(e.getMessage().contains("number out of range"), e.getMessage());
        }
        assertEquals("1.0E308", Json.write(Json.parse("1e308", JsonLimits.PROTOCOL)));
    }

    @Test
    void parseObjectRefusesOtherTopLevelValues() {
        assertThrows(JsonException.class, () -> Json.parseObject("[]", JsonLimits.PROTOCOL));
        assertThrows(JsonException.class, () -> Json.parseObject("\"hello\"", JsonLimits.PROTOCOL));
    }

    @Test
    void writerRefusesNonJsonValues() {
        assertThrows(IllegalArgumentException.class, () -> Json.write(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Json.write(new Object()));
    }
}
