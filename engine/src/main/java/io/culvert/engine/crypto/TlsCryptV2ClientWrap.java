package io.culvert.engine.crypto;

import io.culvert.engine.common.Decoded;
import java.util.Arrays;

/**
 * The client's tls-crypt-v2 wrap: tls-crypt with Kc (client = INVERSE), replay ids starting after 0x0F000000 (which
 * tells a 2.6 server the client understands early negotiation), and the WKc appended in the clear to
 * P_CONTROL_HARD_RESET_CLIENT_V3 and P_CONTROL_WKC_V1. Not thread-safe; one instance per session.
 */
final class TlsCryptV2ClientWrap implements ControlWrap {
    /** {@code EARLY_NEG_START}: the replay counter's starting value. */
    static final long EARLY_NEG_START = 0x0F00_0000L;

    private final TlsCryptWrap inner;
    private final byte[] wkc;

    TlsCryptV2ClientWrap(TlsCryptWrap inner, byte[] wkc) {
        this.inner = inner;
        this.wkc = wkc.clone();
    }

    @Override
    public byte[] wrap(byte[] plain, int off, int len) {
        byte[] wrapped = inner.wrap(plain, off, len);
        if (!WkcTrailer.carriesWkc(plain[off])) {
            return wrapped;
        }
        byte[] out = Arrays.copyOf(wrapped, wrapped.length + wkc.length);
        System.arraycopy(wkc, 0, out, wrapped.length, wkc.length);
        return out;
    }

    @Override
    public Decoded<byte[]> unwrap(byte[] wire, int off, int len) {
        return inner.unwrap(wire, off, len);
    }

    @Override
    public Decoded<byte[]> unwrapWithoutReplayCheck(byte[] wire, int off, int len) {
        return inner.unwrapWithoutReplayCheck(wire, off, len);
    }

    @Override
    public int overhead() {
        return inner.overhead();
    }
}
