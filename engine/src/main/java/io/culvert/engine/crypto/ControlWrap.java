package io.culvert.engine.crypto;

import io.culvert.engine.common.Decoded;

/**
 * Per-session protection of control packets (none, tls-auth, tls-crypt or tls-crypt-v2). The plain form is the
 * TLS_WRAP_NONE layout: {@code [op|keyid][own sid 8][ack count][acks…][remote sid if acks>0]
 * [msg id unless P_ACK_V1][payload]}. Created by {@link ControlWrapSpec#newSession}; not thread-safe
 * (wrapping and unwrapping use separate state, so one thread may do each).
 */
public interface ControlWrap {
    /** Length of the opcode byte plus the session id, which every layout starts with. */
    int HEADER = 9;

    /** Wraps one plain control packet, consuming the next replay id (the first is 1). */
    byte[] wrap(byte[] plain, int off, int len);

    /** Authenticates (in constant time), then replay-checks; returns the plain layout or why it was dropped. */
    Decoded<byte[]> unwrap(byte[] wire, int off, int len);

    /** Like {@link #unwrap} but leaves the replay window untouched (stateless cookie checks). */
    Decoded<byte[]> unwrapWithoutReplayCheck(byte[] wire, int off, int len);

    /** Bytes the wrapped form adds to the plain form. */
    int overhead();

    default byte[] wrap(byte[] plain) {
        return wrap(plain, 0, plain.length);
    }

    default Decoded<byte[]> unwrap(byte[] wire) {
        return unwrap(wire, 0, wire.length);
    }
}
