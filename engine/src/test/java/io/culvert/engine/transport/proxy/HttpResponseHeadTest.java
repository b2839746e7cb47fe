package io.culvert.engine.transport.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class HttpResponseHeadTest {

    private static ByteArrayInputStream in(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void readsStatusAndHeadersAndLeavesTheTunnelBytes() throws IOException {
        ByteArrayInputStream in = in("HTTP/1.1 200 Connection established\r\nVia: squid\r\n\r\n\u0000\u0001tunnel");
        HttpResponseHead h = HttpResponseHead.read(in);
        assertEquals(200, h.status());
        assertTrue(h.success());
        assertEquals("HTTP/1.1 200 Connection established", h.statusLine());
        assertEquals(List.of("squid"), h.values("via"));
        assertEquals("\u0000\u0001tunnel", new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
    }

    @Test
    void acceptsBareLineFeeds() throws IOException {
        HttpResponseHead h = HttpResponseHead.read(in("HTTP/1.0 200 OK\nX: 1\n\nrest"));
        assertEquals(200, h.status());
        assertEquals(List.of("1"), h.values("X"));
    }

    @Test
    void listsOfferedAuthSchemesInLowerCase() throws IOException {
        HttpResponseHead h = HttpResponseHead.read(in("HTTP/1.1 407 Proxy Authentication Required\r\n"
                + "Proxy-Authenticate: NTLM\r\nProxy-Authenticate: Basic realm=\"corp\"\r\n\r\n"));
        assertEquals(407, h.status());
        assertEquals(List.of("ntlm", "basic"), h.authSchemes());
    }

    @Test
    void rejectsAnythingButAnHttpStatusLine() {
        ProxyException e = assertThrows(ProxyException.class, () -> HttpResponseHead.read(in("SSH-2.0-OpenSSH_9.2\r\n\r\n")));
        assertEquals(ProxyException.Reason.MALFORMED, e.reason());
        assertTrue(e.getMessage().contains("SSH-2.0-OpenSSH_9.2"), e.getMessage());
        assertThrows(ProxyException.class, () -> HttpResponseHead.read(in("HTTP/1.1 20 OK\r\n\r\n")));
        assertThrows(ProxyException.class, () -> HttpResponseHead.read(in("HTTP/2 200 OK\r\n\r\n")));
    }

    @Test
    void rejectsHeaderWithoutColon() {
        ProxyException e = assertThrows(ProxyException.class,
                () -> HttpResponseHead.read(in("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n")));
        assertEquals("HTTP/1.1 200 OK", e.statusLine());
    }

    @Test
    void rejectsOversizedHead() {
        String huge = "HTTP/1.1 200 OK\r\n" + ("X-Pad: " + "a".repeat(1000) + "\r\n").repeat(17) + "\r\n";
        ProxyException e = assertThrows(ProxyException.class, () -> HttpResponseHead.read(in(huge)));
        assertTrue(e.getMessage().contains("larger than 16384"), e.getMessage());
    }

    @Test
    void rejectsTooManyHeaders() {
        String many = "HTTP/1.1 200 OK\r\n" + "X: 1\r\n".repeat(101) + "\r\n";
        assertThrows(ProxyException.class, () -> HttpResponseHead.read(in(many)));
    }

    @Test
    void reportsAConnectionClosedMidHead() {
        ProxyException e = assertThrows(ProxyException.class, () -> HttpResponseHead.read(in("HTTP/1.1 200 OK\r\nVia: x")));
        assertTrue(e.getMessage().contains("inside its answer"), e.getMessage());
        ProxyException empty = assertThrows(ProxyException.class, () -> HttpResponseHead.read(in("")));
        assertTrue(empty.getMessage().contains("without answering"), empty.getMessage());
    }

    @Test
    void controlCharactersInTheStatusLineAreNeutralised() {
        ProxyException e = assertThrows(ProxyException.class, () -> HttpResponseHead.read(in("HTTP/1.1 99\u001b[2J x\r\n\r\n")));
        assertEquals("HTTP/1.1 99?[2J x", e.statusLine());
    }
}
