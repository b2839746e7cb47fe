package io.culvert.engine.session;

import io.culvert.engine.crypto.DataChannel;
import io.culvert.engine.protocol.ControlMessageReader;
import io.culvert.engine.protocol.KeyMethod2;
import io.culvert.engine.protocol.reliable.ReliableLink;
import io.culvert.engine.tls.TlsChannel;

/**
 * One key generation of a session (key_id 0..7): its reliability layer, TLS session, key-method-2 exchange
 * and, once derived, its data-channel keys. Not thread-safe; owned by the session thread.
 */
public final class KeyState {
    public final int keyId;
    public final ReliableLink reliable;
    public final TlsChannel tls;
    public final long startedAt;
    public final ControlMessageReader messages = new ControlMessageReader();
    public KeyMethod2 local;
    public KeyMethod2 remote;
    public DataChannel data;
    /** When the data keys were derived. */
    public long activeAt;
    boolean handshakeReported;
    /** When this key, as a lame duck, stops being accepted. */
    public long expiresAt = Long.MAX_VALUE;

    KeyState(int keyId, ReliableLink reliable, TlsChannel tls, long now) {
        this.keyId = keyId;
        this.reliable = reliable;
        this.tls = tls;
        this.startedAt = now;
    }

    public boolean keysReady() {
        return data != null;
    }

    /** key_id after this one: 1..7 then back to 1, never 0 again. */
    public static int next(int keyId) {
        return keyId % 7 + 1;
    }
}
