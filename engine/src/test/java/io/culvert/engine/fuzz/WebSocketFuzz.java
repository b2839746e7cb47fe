package io.culvert.engine.fuzz;

import static io.culvert.engine.fuzz.Oracle.check;

import io.culvert.engine.transport.websocket.Handshake;
import io.culvert.engine.transport.HttpHead;
import io.culvert.engine.transport.websocket.WebSocketException;
import io.culvert.engine.transport.websocket.WebSocketFrame;
import io.culvert.engine.transport.websocket.WebSocketFrame.Sender;
import io.culvert.engine.transport.websocket.WebSocketTransport;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Fuzz target (ADR 0015, 0042) for the WebSocket endpoint's parsers: the first byte picks the frame parser (as a
 * server reading a client, or a client reading a server) or the upgrade request. Oracles: only
 * {@link WebSocketException} (and the head reader's {@link IOException}); a refusal leaves the buffer where it was;
 * an accepted frame is within the limits and writes back to the bytes it came from.
 */
public final class WebSocketFuzz {
    private WebSocketFuzz() {}

    public static void fuzzerTestOneInput(byte[] data) {
        if (data.length < 1) {
            return;
        }
        byte[] rest = Arrays.copyOfRange(data, 1, data.length);
        switch ((data[0] & 0xFF) % 3) {
            case 0 -> frames(rest, Sender.CLIENT);
            case 1 -> frames(rest, Sender.SERVER);
            default -> upgrade(rest);
        }
    }

    private static void frames(byte[] wire, Sender sender) {
        ByteBuffer in = ByteBuffer.wrap(wire);
        for (int i = 0; i < 64; i++) {
            int at = in.position();
            WebSocketFrame f;
            try {
                f = WebSocketFrame.parse(in, sender, WebSocketTransport.MAX_FRAME);
            } catch (WebSocketException e) {
                check(in.position() == at, "a refused frame moved the buffer");
                check(e.code() >= 1002 && e.code() <= 1009, "close code " + e.code());
                return;
            }
            if (f == null) {
                check(in.position() == at, "an incomplete frame moved the buffer");
                return;
            }
            check(f.payload().length <= WebSocketTransport.MAX_FRAME, "payload over the limit");
            check(!f.isControl() || (f.fin() && f.payload().length <= WebSocketFrame.MAX_CONTROL_PAYLOAD), "control frame rules");
            byte[] key = null;
            if (sender == Sender.CLIENT) {
                int lenBytes = (wire[at + 1] & 0x7F) == 126 ? 2 : (wire[at + 1] & 0x7F) == 127 ? 8 : 0;
                key = Arrays.copyOfRange(wire, at + 2 + lenBytes, at + 6 + lenBytes);
            }
            ByteBuffer out = ByteBuffer.allocate(f.encodedLength(key != null));
            f.writeTo(out, key);
            check(Arrays.equals(out.array(), Arrays.copyOfRange(wire, at, in.position())), "frame does not write back");
        }
    }

    private static void upgrade(byte[] head) {
        try {
            HttpHead h = Handshake.readHead(new ByteArrayInputStream(head), 8192);
            String key = Handshake.checkRequest(h, "/vpn");
            check(Handshake.accept(key).length() == 28, "accept key length");
        } catch (WebSocketException e) {
            check(e.code() >= 400 && e.code() < 600, "HTTP status " + e.code());
        } catch (IOException e) {
            check(e.getMessage() != null, "error without a message");
        }
    }
}
