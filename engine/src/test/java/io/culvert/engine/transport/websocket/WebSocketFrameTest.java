package io.culvert.engine.transport.websocket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.transport.websocket.WebSocketFrame.Sender;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WebSocketFrameTest {
    private static final int MAX = WebSocketTransport.MAX_FRAME;

    private static ByteBuffer hex(String h) {
        return ByteBuffer.wrap(HexFormat.of().parseHex(h.replace(" ", "")));
    }

    @Test
    void parsesTheRfcExamples() throws Exception {
        // RFC 6455 section 5.7
        WebSocketFrame hello = WebSocketFrame.parse(hex("81 05 48656c6c6f"), Sender.SERVER, MAX);
        assertEquals(new WebSocketFrame(true, WebSocketFrame.TEXT, "Hello".getBytes(StandardCharsets.US_ASCII)), hello);
        WebSocketFrame masked = WebSocketFrame.parse(hex("81 85 37fa213d 7f9f4d5158"), Sender.CLIENT, MAX);
        assertArrayEquals("Hello".getBytes(StandardCharsets.US_ASCII), masked.payload());
        WebSocketFrame ping = WebSocketFrame.parse(hex("89 05 48656c6c6f"), Sender.SERVER, MAX);
        assertEquals(WebSocketFrame.PING, ping.opcode());
        ByteBuffer two56 = ByteBuffer.allocate(4 + 256).put(hex("82 7e 0100")).put(new byte[256]).flip();
        assertEquals(256, WebSocketFrame.parse(two56, Sender.SERVER, MAX).payload().length);
        ByteBuffer big = ByteBuffer.allocate(10 + 65536).put(hex("82 7f 0000000000010000")).put(new byte[65536]).flip();
        assertEquals(65536, WebSocketFrame.parse(big, Sender.SERVER, MAX).payload().length);
        assertEquals(0, big.remaining());
    }

    @Test
    void writesTheRfcExamples() {
        ByteBuffer out = ByteBuffer.allocate(64);
        new WebSocketFrame(true, WebSocketFrame.TEXT, "Hello".getBytes(StandardCharsets.US_ASCII))
                .writeTo(out, HexFormat.of().parseHex("37fa213d"));
        assertEquals("818537fa213d7f9f4d5158", HexFormat.of().formatHex(out.array(), 0, out.position()));
    }

    @Test
    void roundTripsEveryLengthFormMaskedOrNot() throws Exception {
        Random r = new Random(14);
        for (int len : new int[] {0, 1, 125, 126, 127, 65535, 65536, MAX}) {
            for (Sender sender : Sender.values()) {
                byte[] p = new byte[len];
                r.nextBytes(p);
                WebSocketFrame f = new WebSocketFrame(r.nextBoolean(), WebSocketFrame.BINARY, p);
                byte[] key = sender == Sender.CLIENT ? new byte[] {1, 2, 3, 4} : null;
                ByteBuffer out = ByteBuffer.allocate(f.encodedLength(key != null));
                f.writeTo(out, key);
                assertEquals(0, out.remaining());
                out.flip();
                assertEquals(f, WebSocketFrame.parse(out, sender, MAX), "length " + len);
                assertEquals(0, out.remaining());
            }
        }
    }

    @Test
    void anIncompleteFrameLeavesTheBufferAlone() throws Exception {
        WebSocketFrame f = new WebSocketFrame(true, WebSocketFrame.BINARY, new byte[300]);
        ByteBuffer out = ByteBuffer.allocate(f.encodedLength(true));
        f.writeTo(out, new byte[] {9, 8, 7, 6});
        byte[] wire = out.array();
        for (int n = 0; n < wire.length; n++) {
            ByteBuffer part = ByteBuffer.wrap(wire, 0, n);
            assertNull(WebSocketFrame.parse(part, Sender.CLIENT, MAX), "prefix of " + n);
            assertEquals(0, part.position());
        }
    }

    @Test
    void refusesAFrameDeclaring2To63BytesFromItsHeader() {
        WebSocketException e = assertThrows(WebSocketException.class,
                () -> WebSocketFrame.parse(hex("82 ff 8000000000000000"), Sender.CLIENT, MAX));
        assertEquals(WebSocketException.PROTOCOL_ERROR, e.code());
        WebSocketException big = assertThrows(WebSocketException.class,
                () -> WebSocketFrame.parse(hex("82 ff 4000000000000000"), Sender.CLIENT, MAX));
        assertEquals(WebSocketException.TOO_BIG, big.code());
        WebSocketException justOver = assertThrows(WebSocketException.class,
                () -> WebSocketFrame.parse(hex("82 ff 0000000000010002"), Sender.CLIENT, MAX));
        assertEquals(WebSocketException.TOO_BIG, justOver.code());
    }

    @Test
    void refusesWhatRfc6455Forbids() {
        String[] bad = {
            "82 05 0102030405", // unmasked from a client
            "c2 85 00000000 0102030405", // RSV1 without an extension
            "83 80 00000000", // reserved opcode 3
            "8b 80 00000000", // reserved opcode 0xB
            "09 80 00000000", // fragmented ping
            "89 fe 007e 00000000", // ping of 126 bytes
            "82 fe 0005 00000000", // 16-bit length for 5 bytes
            "82 ff 000000000000ffff 00000000", // 64-bit length for 65535 bytes
            "88 81 00000000 03", // close with a one-byte payload
            "88 82 00000000 03ed", // close code 1005 may not be sent
            "88 82 00000000 0bb7", // close code 2999
        };
        for (String h : bad) {
            WebSocketException e = assertThrows(WebSocketException.class,
                    () -> WebSocketFrame.parse(hex(h), Sender.CLIENT, MAX), h);
            assertEquals(WebSocketException.PROTOCOL_ERROR, e.code(), h);
        }
        assertThrows(WebSocketException.class, () -> WebSocketFrame.parse(hex("82 85 01020304 0102030405"), Sender.SERVER, MAX));
        WebSocketException utf8 = assertThrows(WebSocketException.class,
                () -> WebSocketFrame.parse(hex("88 83 00000000 03e8ff"), Sender.CLIENT, MAX));
        assertEquals(WebSocketException.INVALID_DATA, utf8.code());
    }

    @Test
    void garbageIsRefusedOrParsedNeverAnythingElse() {
        Random r = new Random(6455);
        int parsed = 0;
        int refused = 0;
        for (int i = 0; i < 60_000; i++) {
            byte[] g = new byte[r.nextInt(40)];
            r.nextBytes(g);
            for (Sender sender : Sender.values()) {
                ByteBuffer in = ByteBuffer.wrap(g);
                try {
                    WebSocketFrame f = WebSocketFrame.parse(in, sender, MAX);
                    if (f != null) {
                        parsed++;
                        assertTrue(f.payload().length <= MAX);
                        assertTrue(!f.isControl() || (f.fin() && f.payload().length <= 125));
                        // what was parsed writes back to the bytes it came from
                        ByteBuffer out = ByteBuffer.allocate(f.encodedLength(sender == Sender.CLIENT));
                        byte[] key = sender == Sender.CLIENT ? java.util.Arrays.copyOfRange(g, 2, 6) : null;
                        if (key != null && (g[1] == (byte) 0xFE || g[1] == (byte) 0xFF)) {
                            continue;
                        }
                        f.writeTo(out, key);
                        assertArrayEquals(java.util.Arrays.copyOf(g, in.position()), out.array());
                    } else {
                        assertEquals(0, in.position());
                    }
                } catch (WebSocketException e) {
                    refused++;
                    assertEquals(0, in.position());
                }
            }
        }
        assertTrue(parsed > 100 && refused > 1000, parsed + " parsed, " + refused + " refused");
    }
}
