package io.culvert.engine.crypto;

import io.culvert.engine.common.Decoded;
import io.culvert.engine.common.DropReason;
import java.util.Arrays;
import java.util.Objects;

/** The identity wrap for configurations without tls-auth or tls-crypt. Stateless and thread-safe. */
final class NoControlWrap implements ControlWrap {
    static final NoControlWrap INSTANCE = new NoControlWrap();

    private NoControlWrap() {}

    @Override
    public byte[] wrap(byte[] plain, int off, int len) {
        Objects.checkFromIndexSize(off, len, plain.length);
        if (len < HEADER) {
            throw new IllegalArgumentException("control packet shorter than " + HEADER + " bytes");
        }
        return Arrays.copyOfRange(plain, off, off + len);
    }

    @Override
    public Decoded<byte[]> unwrap(byte[] wire, int off, int len) {
        return unwrapWithoutReplayCheck(wire, off, len);
    }

    @Override
    public Decoded<byte[]> unwrapWithoutReplayCheck(byte[] wire, int off, int len) {
        Objects.checkFromIndexSize(off, len, wire.length);
        if (len < HEADER) {
            return Decoded.drop(DropReason.TRUNCATED);
        }
        return Decoded.ok(Arrays.copyOfRange(wire, off, off + len));
    }

    @Override
    public int overhead() {
        return 0;
    }
}
