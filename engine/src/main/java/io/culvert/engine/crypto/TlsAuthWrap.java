package io.culvert.engine.crypto;

import io.culvert.engine.common.Decoded;
import io.culvert.engine.common.DropReason;
import java.security.GeneralSecurityException;
import java.util.Objects;
import javax.crypto.Mac;

/**
 * tls-auth: {@code [op][sid 8][hmac H][replay id 4][time 4][rest]}, where the HMAC covers
 * {@code replay id || time || op || sid || rest}. Not thread-safe; one instance per session.
 */
final class TlsAuthWrap implements ControlWrap {
    private final int macLen;
    private final Mac sendMac;
    private final Mac receiveMac;
    private final byte[] computed;
    private final ReplayIds ids;
    private final ReplayWindow window;

    TlsAuthWrap(StaticKey key, KeyDirection dir, AuthDigest digest, ReplayIds ids, ReplayWindow window) {
        this.macLen = digest.length();
        this.sendMac = Jce.hmac(digest.jceName(), key.hmacSlot(dir.sendIndex()), 0, macLen);
        this.receiveMac = Jce.hmac(digest.jceName(), key.hmacSlot(dir.receiveIndex()), 0, macLen);
        this.computed = new byte[macLen];
        this.ids = ids;
        this.window = window;
    }

    @Override
    public byte[] wrap(byte[] plain, int off, int len) {
        Objects.checkFromIndexSize(off, len, plain.length);
        if (len < HEADER) {
            throw new IllegalArgumentException("control packet shorter than " + HEADER + " bytes");
        }
        int pidOff = HEADER + macLen;
        byte[] out = new byte[len + macLen + 8];
        System.arraycopy(plain, off, out, 0, HEADER);
        ids.writeNext(out, pidOff);
        System.arraycopy(plain, off + HEADER, out, pidOff + 8, len - HEADER);
        try {
            sendMac.update(out, pidOff, 8);
            sendMac.update(out, 0, HEADER);
            sendMac.update(out, pidOff + 8, len - HEADER);
            sendMac.doFinal(out, HEADER);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC failed", e);
        }
        return out;
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
        Objects.checkFromIndexSize(off, len, wire.length);
        int pidOff = off + HEADER + macLen;
        int restLen = len - HEADER - macLen - 8;
        if (restLen < 0) {
            return Decoded.drop(DropReason.TRUNCATED);
        }
        try {
            receiveMac.update(wire, pidOff, 8);
            receiveMac.update(wire, off, HEADER);
            receiveMac.update(wire, pidOff + 8, restLen);
            receiveMac.doFinal(computed, 0);
        } catch (GeneralSecurityException e) {
            return Decoded.drop(DropReason.CONTROL_AUTH_FAILED);
        }
        if (!Bytes.constantTimeEquals(computed, 0, wire, off + HEADER, macLen)) {
            return Decoded.drop(DropReason.CONTROL_AUTH_FAILED);
        }
        if (replayCheck && !window.accept(Bytes.getUnsignedInt(wire, pidOff), Bytes.getUnsignedInt(wire, pidOff + 4))) {
            return Decoded.drop(DropReason.REPLAY);
        }
        byte[] plain = new byte[HEADER + restLen];
        System.arraycopy(wire, off, plain, 0, HEADER);
        System.arraycopy(wire, pidOff + 8, plain, HEADER, restLen);
        return Decoded.ok(plain);
    }

    @Override
    public int overhead() {
        return macLen + 8;
    }
}
