package io.culvert.engine.testkit;

import io.culvert.engine.crypto.DataChannel;
import io.culvert.engine.protocol.ControlMessageReader;
import io.culvert.engine.protocol.KeyMethod2;
import io.culvert.engine.protocol.reliable.ReliableLink;
import io.culvert.engine.tls.TlsChannel;

/** One key generation on the server side: reliability, TLS, key-method-2 pair and data keys. Not thread-safe. */
final class ServerKey {
    final int keyId;
    final ReliableLink link;
    final TlsChannel tls;
    final ControlMessageReader messages = new ControlMessageReader();
    final long startedAt;
    KeyMethod2 client;
    KeyMethod2 server;
    DataChannel data;
    String derivation;

    ServerKey(int keyId, ReliableLink link, TlsChannel tls, long startedAt) {
        this.keyId = keyId;
        this.link = link;
        this.tls = tls;
        this.startedAt = startedAt;
    }

    static int next(int keyId) {
        return keyId % 7 + 1;
    }
}
