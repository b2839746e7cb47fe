package io.culvert.engine.transport.proxy;

import java.io.IOException;

/**
 * A proxy refused or botched the tunnel handshake. The message names the proxy and, for HTTP, carries its status
 * line; it never contains credentials. Immutable.
 */
public final class ProxyException extends IOException {
    /** Why the handshake failed. */
    public enum Reason {
        /** The proxy answered with a refusal (HTTP 403, 502 and the like; a SOCKS reply code). */
        REFUSED,
        /** The proxy wants credentials we do not have (HTTP 407 with none to send). */
        AUTH_REQUIRED,
        /** The proxy refused the credentials we sent. */
        AUTH_REJECTED,
        /** The user declined to give credentials. */
        AUTH_CANCELLED,
        /** The proxy only offers an authentication scheme Culvert does not speak (NTLM, Digest, GSSAPI). */
        UNSUPPORTED_AUTH,
        /** The proxy's answer is not valid HTTP or SOCKS, or is too large. */
        MALFORMED
    }

    private final Reason reason;
    private final String statusLine;

    public ProxyException(Reason reason, String message, String statusLine) {
        super(message);
        this.reason = reason;
        this.statusLine = statusLine;
    }

    public ProxyException(Reason reason, String message) {
        this(reason, message, null);
    }

    public Reason reason() {
        return reason;
    }

    /** The HTTP status line the proxy sent, or null (SOCKS, or no valid status line). */
    public String statusLine() {
        return statusLine;
    }
}
