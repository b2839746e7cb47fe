package io.culvert.engine.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one HTTP head reader, with the limits each caller gives it (the proxy's answer, the WebSocket upgrade). */
class HttpHeadTest {
    private static InputStream in(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void readsExactlyTheHeadAndLeavesWhatFollows() throws Exception {
        InputStream in = in("GET /vpn HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, Upgrade\r\nX: 1\r\nx: 2\r\n\r\nFRAMES");
        HttpHead h = HttpHead.read(in, 8192, 64);
        assertEquals("GET /vpn HTTP/1.1", h.firstLine());
        assertEquals(List.of("1", "2"), h.values("X"));
        assertEquals("1, 2", h.value("x"));
        assertTrue(h.hasToken("connection", "upgrade"));
        assertEquals("FRAMES", new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
        assertEquals("HTTP/1.0 200 OK", HttpHead.read(in("HTTP/1.0 200 OK\nA: b\n\n"), 100, 1).firstLine(),
                "a bare LF LF ends the head too, as OpenVPN accepts");
    }

    @Test
    void eachCallersLimitsHoldAndEveryFaultIsNamed() {
        String head = "HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\n\r\n";
        assertEquals(HttpHead.Fault.TOO_LARGE,
                assertThrows(HttpHead.Malformed.class, () -> HttpHead.read(in(head), head.length() - 1, 64)).fault());
        assertEquals(HttpHead.Fault.TOO_MANY_HEADERS,
                assertThrows(HttpHead.Malformed.class, () -> HttpHead.read(in(head), 8192, 1)).fault());
        assertEquals(HttpHead.Fault.MALFORMED_HEADER,
                assertThrows(HttpHead.Malformed.class, () -> HttpHead.read(in("HTTP/1.1 200 OK\r\nno colon\r\n\r\n"), 8192, 64)).fault());
        assertEquals(HttpHead.Fault.CLOSED_BEFORE, assertThrows(HttpHead.Malformed.class, () -> HttpHead.read(in(""), 10, 1)).fault());
        HttpHead.Malformed inside = assertThrows(HttpHead.Malformed.class, () -> HttpHead.read(in("HTTP/1.1 99\u001b[2J x\r\nA"), 100, 1));
        assertEquals(HttpHead.Fault.CLOSED_INSIDE, inside.fault());
        assertEquals("HTTP/1.1 99?[2J x", inside.firstLine(), "what reaches a message is printable");
    }
}
