package io.culvert.engine.crypto;

import io.culvert.engine.common.Decoded;
import io.culvert.engine.common.DropReason;
import java.time.InstantSource;

/**
 * The server's tls-crypt-v2 wrap. It has no key until a P_CONTROL_HARD_RESET_CLIENT_V3 or P_CONTROL_WKC_V1 brings a
 * WKc: that is unwrapped with the server key (and checked against {@code tls-crypt-v2-max-age}), and Kc then keys
 * tls-crypt for the session (server = NORMAL). Later WKc trailers are cut off unread, as 2.6 does. Unwrapped packets
 * come out in the plain layout with V3 turned into V2 and WKC_V1 into P_CONTROL_V1, so the session above never sees
 * the v2 opcodes. In {@code stateless} mode (the UDP cookie exchange) every WKc re-keys it and packets without one are
 * dropped, so no packet is ever checked against another client's key. Not thread-safe; one instance per session.
 */
final class TlsCryptV2ServerWrap implements ControlWrap {
    private final TlsCryptV2ServerKey serverKey;
    private final int maxAgeDays;
    private final boolean stateless;
    private final InstantSource clock;
    private final int replayWindow;
    private final int replaySeconds;
    private TlsCryptWrap client;

    TlsCryptV2ServerWrap(TlsCryptV2ServerKey serverKey, int maxAgeDays, boolean stateless, InstantSource clock,
            int replayWindow, int replaySeconds) {
        this.serverKey = serverKey;
        this.maxAgeDays = maxAgeDays;
        this.stateless = stateless;
        this.clock = clock;
        this.replayWindow = replayWindow;
        this.replaySeconds = replaySeconds;
    }

    /** Wraps with Kc; there is nothing to send before a client's WKc has keyed this wrap. */
    @Override
    public byte[] wrap(byte[] plain, int off, int len) {
        if (client == null) {
            throw new IllegalStateException("tls-crypt-v2: no client key yet");
        }
        return client.wrap(plain, off, len);
    }

    @Override
    public Decoded<byte[]> unwrap(byte[] wire, int off, int len) {
        return unwrap(wire, off, len, true);
    }

    @Override
    public Decoded<byte[]> unwrapWithoutReplayCheck(byte[] wire, int off, int len) {
        return unwrap(wire, off, len, false);
    }

    private Decoded<byte[]> unwrap(byte[] wire, int off, int len, boolean replayCheck) {
        if (len < 1) {
            return Decoded.drop(DropReason.TRUNCATED);
        }
        int packetLen = len;
        if (WkcTrailer.carriesWkc(wire[off])) {
            int wkcLen = WkcTrailer.length(wire, off, len);
            if (wkcLen < 0) {
                return Decoded.drop(DropReason.MALFORMED);
            }
            packetLen = len - wkcLen;
            if (client == null || stateless) {
                DropReason refused = keyFrom(wire, off + packetLen, wkcLen);
                if (refused != null) {
                    return Decoded.drop(refused);
                }
            }
        } else if (stateless) {
            return Decoded.drop(DropReason.NO_KEY);
        }
        if (client == null) {
            return Decoded.drop(DropReason.NO_KEY);
        }
        Decoded<byte[]> plain = replayCheck ? client.unwrap(wire, off, packetLen)
                : client.unwrapWithoutReplayCheck(wire, off, packetLen);
        if (plain.isOk()) {
            WkcTrailer.normalise(plain.value());
        }
        return plain;
    }

    /** Keys this wrap from the WKc at {@code off}; null when that worked, else why not. */
    private DropReason keyFrom(byte[] wire, int off, int len) {
        Decoded<TlsCryptV2ServerKey.ClientKey> ck = serverKey.unwrap(wire, off, len);
        if (!ck.isOk()) {
            return ck.reason();
        }
        if (maxAgeDays > 0 && !ck.value().youngerThan(maxAgeDays, Math.floorDiv(clock.millis(), 1000))) {
            return DropReason.CONTROL_AUTH_FAILED;
        }
        client = new TlsCryptWrap(ck.value().key(), KeyDirection.NORMAL, new ReplayIds(clock),
                new ReplayWindow(replayWindow, replaySeconds, clock));
        return null;
    }

    @Override
    public int overhead() {
        return TlsCryptWrap.OVERHEAD;
    }
}
