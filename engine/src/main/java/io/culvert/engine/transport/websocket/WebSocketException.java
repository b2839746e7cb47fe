package io.culvert.engine.transport.websocket;

import java.io.IOException;

/**
 * The peer broke RFC 6455 or a Culvert limit, or the upgrade failed. Carries the close code to send (or, for an
 * upgrade, the HTTP status to answer). The message names what was wrong, never payload bytes.
 */
public final class WebSocketException extends IOException {
    /** Close code 1002: protocol error. */
    public static final int PROTOCOL_ERROR = 1002;
    /** Close code 1003: a data type we do not accept (text). */
    public static final int UNSUPPORTED_DATA = 1003;
    /** Close code 1007: a close reason that is not UTF-8. */
    public static final int INVALID_DATA = 1007;
    /** Close code 1009: message too big. */
    public static final int TOO_BIG = 1009;

    private final int code;

    public WebSocketException(int code, String message) {
        super(message);
        this.code = code;
    }

    /** The close code (1002, 1003, 1007, 1009) or, for a refused upgrade, the HTTP status (400, 404, 426 …). */
    public int code() {
        return code;
    }
}
