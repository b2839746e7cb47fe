package io.culvert.engine.client;

import io.culvert.engine.crypto.DataChannel;
import io.culvert.engine.protocol.ControlMessageReader;
import io.culvert.engine.protocol.KeyMethod2;
import io.culvert.engine.protocol.reliable.ReliableLink;
import io.culvert.engine.tls.TlsChannel;

/**
 * One key generation of a session (key_id 0..7): its reliability layer, TLS session, key-method-2 exchange
 * and, once derived, its data-channel keys. Not thread-safe; owned by the session thread.
 */
final class KeyState {
    final int keyId;
    final ReliableLink reliable;
    final TlsChannel tls;
    final long startedAt;
    final ControlMessageReader messages = new ControlMessageReader();
    KeyMethod2 local;
    KeyMethod2 remote;
    DataChannel data;
    long activeAt;
    /** When this key, as a lame duck, stops being accepted. */
    long expiresAt = Long.MAX_VALUE;

    KeyState(int keyId, ReliableLink reliable, TlsChannel tls, long now) {
        this.keyId = keyId;
        this.reliable = reliable;
        this.tls = tls;
        this.startedAt = now;
    }

    boolean keysReady() {
        return data != null;
    }

    /** key_id after this one: 1..7 then back to 1, never 0 again. */
    static int next(int keyId) {
        return keyId % 7 + 1;
    }
}
