package io.culvert.engine.transport.websocket;

import io.culvert.engine.transport.HttpHead;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HandshakeTest {
    private static HttpHead head(String text) throws Exception {
        return Handshake.readHead(new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1)), 8192);
    }

    @Test
    void acceptKeyIsTheRfcExample() {
        assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", Handshake.accept("dGhlIHNhbXBsZSBub25jZQ=="));
    }

    @Test
    void aClientRequestPassesTheServersCheckAndItsAnswerTheClients() throws Exception {
        String key = "dGhlIHNhbXBsZSBub25jZQ==";
        HttpHead req = head(new String(Handshake.request("vpn.example", "/vpn", key), StandardCharsets.ISO_8859_1));
        assertEquals(key, Handshake.checkRequest(req, "/vpn"));
        Handshake.checkResponse(head(new String(Handshake.response(key), StandardCharsets.ISO_8859_1)), key);
    }

    @Test
    void refusesOtherPathsPlainRequestsAndBadKeys() throws Exception {
        String ok = "GET /vpn HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: keep-alive, Upgrade\r\n"
                + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";
        Handshake.checkRequest(head(ok), "/vpn");
        assertEquals(404, assertThrows(WebSocketException.class, () -> Handshake.checkRequest(head(ok), "/other")).code());
        assertEquals(426, assertThrows(WebSocketException.class,
                () -> Handshake.checkRequest(head(ok.replace("Upgrade: websocket\r\n", "")), "/vpn")).code());
        assertEquals(400, assertThrows(WebSocketException.class,
                () -> Handshake.checkRequest(head(ok.replace("dGhlIHNhbXBsZSBub25jZQ==", "short")), "/vpn")).code());
        assertEquals(405, assertThrows(WebSocketException.class,
                () -> Handshake.checkRequest(head(ok.replace("GET", "POST")), "/vpn")).code());
        assertEquals(400, assertThrows(WebSocketException.class,
                () -> Handshake.checkRequest(head(ok.replace("HTTP/1.1", "HTTP/1.0")), "/vpn")).code());
    }

    @Test
    void refusesAnOversizedHead() {
        String big = "GET /vpn HTTP/1.1\r\nX: " + "a".repeat(9000) + "\r\n\r\n";
        assertEquals(431, assertThrows(WebSocketException.class, () -> head(big)).code());
    }

    @Test
    void refusesAWrongAcceptFromTheServer() throws Exception {
        HttpHead answer = head(new String(Handshake.response("AAAAAAAAAAAAAAAAAAAAAA=="), StandardCharsets.ISO_8859_1));
        assertThrows(WebSocketException.class, () -> Handshake.checkResponse(answer, "dGhlIHNhbXBsZSBub25jZQ=="));
        assertThrows(WebSocketException.class, () -> Handshake.checkResponse(head("HTTP/1.1 200 OK\r\n\r\n"), "x"));
    }
}
