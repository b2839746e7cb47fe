package io.culvert.engine.protocol;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ControlMessagesTest {

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void encodeAppendsNul() {
        assertArrayEquals(ascii("PUSH_REQUEST\0"), ControlMessages.encode("PUSH_REQUEST"));
        assertArrayEquals(new byte[] {'E', 'X', 'I', 'T', 0}, ControlMessages.encode("EXIT"));
    }

    @Test
    void encodeRejectsNonPrintableAndOversizedMessages() {
        assertThrows(IllegalArgumentException.class, () -> ControlMessages.encode("A\0B"));
        assertThrows(IllegalArgumentException.class, () -> ControlMessages.encode("A\nB"));
        assertThrows(IllegalArgumentException.class, () -> ControlMessages.encode("é"));
        assertThrows(IllegalArgumentException.class, () -> ControlMessages.encode("x".repeat(2047)));
        assertEquals(2047, ControlMessages.encode("x".repeat(2046)).length);
    }

    @Test
    void splitsSeveralMessagesInOneRecord() {
        byte[] b = ascii("PUSH_REPLY,ping 10\0EXIT\0");
        assertEquals(List.of("PUSH_REPLY,ping 10", "EXIT"), ControlMessages.split(b, 0, b.length));
    }

    @Test
    void stripsTrailingCrLfAndDropsOtherNonPrintables() {
        byte[] b = ascii("INFO,hello\r\n\0BAD\u0001X\0\0AUTH_FAILED\n\0tab\there\0");
        assertEquals(List.of("INFO,hello", "AUTH_FAILED"), ControlMessages.split(b, 0, b.length));
    }

    @Test
    void dropsBytesWithoutTerminatingNul() {
        byte[] b = ascii("EXIT\0PUSH_REQ");
        assertEquals(List.of("EXIT"), ControlMessages.split(b, 0, b.length));
        assertEquals(List.of(), ControlMessages.split(b, 0, 4));
    }

    @Test
    void readerJoinsMessagesSplitAcrossReads() {
        var r = new ControlMessageReader();
        byte[] b = ascii("PUSH_REPLY,route-gateway 10.98.0.1\0EXIT\0RESTART");
        assertEquals(List.of(), r.feed(b, 0, 10));
        assertEquals(List.of("PUSH_REPLY,route-gateway 10.98.0.1"), r.feed(b, 10, 26));
        assertEquals(List.of("EXIT"), r.feed(b, 36, b.length - 36));
        assertEquals(7, r.bufferedBytes());
        assertEquals(List.of("RESTART"), r.feed(new byte[] {0}, 0, 1));
        assertEquals(0, r.bufferedBytes());
    }

    @Test
    void readerDiscardsAnOversizedMessageAndRecovers() {
        var r = new ControlMessageReader();
        byte[] big = ascii("x".repeat(5000));
        for (int i = 0; i < 10; i++) {
            assertEquals(List.of(), r.feed(big, 0, big.length));
            assertTrue(r.bufferedBytes() < 2047);
        }
        assertEquals(1, r.droppedMessages());
        byte[] tail = ascii("tail\0EXIT\0");
        assertEquals(List.of("EXIT"), r.feed(tail, 0, tail.length), "the oversized message's tail is not a message");
    }

    @Test
    void readerKeepsTheLongestAllowedMessage() {
        var r = new ControlMessageReader();
        byte[] b = ControlMessages.encode("y".repeat(2046));
        assertEquals(List.of("y".repeat(2046)), r.feed(b, 0, b.length));
        byte[] tooLong = ascii("z".repeat(2047) + "\0OK\0");
        assertEquals(List.of("OK"), r.feed(tooLong, 0, tooLong.length));
    }

    @Test
    void readerCountsDroppedNonPrintableMessages() {
        var r = new ControlMessageReader();
        byte[] b = ascii("A\u0007B\0\0OK\0");
        assertEquals(List.of("OK"), r.feed(b, 0, b.length));
        assertEquals(1, r.droppedMessages());
    }
}
