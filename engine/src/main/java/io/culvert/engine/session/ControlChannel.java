package io.culvert.engine.session;

import io.culvert.engine.api.EngineException;
import io.culvert.engine.api.ErrorKind;
import io.culvert.engine.common.Decoded;
import io.culvert.engine.common.DropReason;
import io.culvert.engine.crypto.ControlWrap;
import io.culvert.engine.protocol.ControlPacket;
import io.culvert.engine.protocol.Opcode;
import io.culvert.engine.protocol.reliable.ReliableLink;
import io.culvert.engine.tls.TlsChannel;
import io.culvert.engine.tls.TlsSettings;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.time.InstantSource;
import java.util.Arrays;
import javax.net.ssl.SSLException;

/**
 * The control channel of one session, for either role: wraps and unwraps control packets, keeps the key
 * generations (primary and lame duck), pumps TLS bytes through each generation's reliability layer and hands
 * decrypted records to the owner. The owner decides what the records mean (key-method-2, control messages).
 * Not thread-safe; owned by the session thread.
 *
 * <pre>
 * in:  wire → unwrap → ControlPacket → session-id checks → key generation → ReliableLink → TlsChannel → records
 * out: records/resets → TlsChannel → ReliableLink.poll → wrap → wire
 * </pre>
 */
public final class ControlChannel {
    /** Callbacks into the session that owns this channel. */
    public interface Owner {
        /** The TLS handshake of {@code ks} has just completed. */
        void onHandshakeDone(KeyState ks) throws EngineException;

        /** One decrypted TLS record of {@code ks}. */
        void onRecord(KeyState ks, byte[] record) throws EngineException;

        /** The peer asked for a renegotiation; the new generation is already primary. */
        void onPeerRenegotiation(KeyState fresh) throws EngineException;

        void send(byte[] wirePacket);

        void dropped(DropReason reason);
    }

    private final boolean server;
    private final ControlWrap wrap;
    private final long localSid;
    private final TlsSettings tls;
    private final long tlsTimeoutMillis;
    private final int maxPayload;
    private final InstantSource clock;
    private final Owner owner;
    private final long lameDuckMillis;
    private long remoteSid;
    private boolean remoteKnown;
    private KeyState primary;
    private KeyState lameDuck;
    private long lastReceived;
    private long lastSent;

    public ControlChannel(boolean server, ControlWrap wrap, long localSid, TlsSettings tls, int tlsTimeoutSeconds,
            int tranWindowSeconds, InstantSource clock, Owner owner) {
        this.server = server;
        this.wrap = wrap;
        this.localSid = localSid;
        this.tls = tls;
        this.tlsTimeoutMillis = tlsTimeoutSeconds * 1000L;
        this.lameDuckMillis = tranWindowSeconds * 1000L;
        this.clock = clock;
        this.owner = owner;
        // 1250-byte budget: IPv4+UDP 28, then the wrap; ReliableLink reserves the header with 4 acks.
        this.maxPayload = ReliableLink.maxPayload(1250, 28, wrap.overhead());
    }

    public long localSid() {
        return localSid;
    }

    public long remoteSid() {
        return remoteSid;
    }

    public boolean remoteKnown() {
        return remoteKnown;
    }

    public void setRemoteSid(long sid) {
        remoteSid = sid;
        remoteKnown = true;
        if (primary != null) {
            primary.reliable.setRemoteSessionId(sid);
        }
    }

    public KeyState primary() {
        return primary;
    }

    public KeyState lameDuck() {
        return lameDuck;
    }

    public long lastReceived() {
        return lastReceived;
    }

    public long lastSent() {
        return lastSent;
    }

    /** Starts generation {@code keyId}; the previous primary, if it has keys, becomes the lame duck. */
    public KeyState startKey(int keyId, Opcode reset) throws EngineException {
        long now = clock.millis();
        KeyState ks;
        try {
            ReliableLink link = new ReliableLink(keyId, localSid, maxPayload, tlsTimeoutMillis);
            if (remoteKnown) {
                link.setRemoteSessionId(remoteSid);
            }
            ks = new KeyState(keyId, link, TlsChannel.create(tls), now);
        } catch (GeneralSecurityException e) {
            throw new EngineException(ErrorKind.CONFIG_INVALID, "TLS setup failed: " + e.getMessage(), e);
        }
        if (reset != null) {
            ks.reliable.queueReset(reset);
        }
        if (primary != null && primary.keysReady()) {
            primary.expiresAt = now + lameDuckMillis;
            lameDuck = primary;
        }
        primary = ks;
        return ks;
    }

    /** Drops the lame duck once it has expired and is no longer needed for sending. */
    public void expireLameDuck(KeyState stillSending) {
        if (lameDuck != null && clock.millis() >= lameDuck.expiresAt && lameDuck != stillSending) {
            lameDuck = null;
        }
    }

    /** Unwraps and parses one control packet off the wire. */
    public Decoded<ControlPacket> decode(byte[] buf, int off, int len) {
        Decoded<byte[]> plain = wrap.unwrap(buf, off, len);
        if (!plain.isOk()) {
            return Decoded.drop(plain.reason());
        }
        return ControlPacket.parse(plain.value(), 0, plain.value().length);
    }

    /**
     * Processes a control packet whose session id the caller has accepted: routes it to its key generation
     * (starting one on a peer's soft reset), runs the reliability layer and TLS, then sends what is due.
     */
    public void accept(ControlPacket p) throws EngineException {
        if (p.ackCount() > 0 && p.remoteSessionId() != localSid) {
            owner.dropped(DropReason.WRONG_SESSION);
            return;
        }
        KeyState ks = generationFor(p);
        if (ks == null) {
            owner.dropped(DropReason.UNEXPECTED);
            return;
        }
        long now = clock.millis();
        if (!ks.reliable.receive(p, now)) {
            DropReason r = ks.reliable.lastDropReason();
            owner.dropped(r == null ? DropReason.WINDOW_FULL : r);
            return;
        }
        lastReceived = now;
        progress(ks);
        flush();
    }

    private KeyState generationFor(ControlPacket p) throws EngineException {
        if (primary != null && p.keyId() == primary.keyId) {
            return primary;
        }
        if (lameDuck != null && p.keyId() == lameDuck.keyId) {
            return lameDuck;
        }
        if (p.opcode() == Opcode.CONTROL_SOFT_RESET_V1 && primary != null && primary.keysReady()
                && p.keyId() == KeyState.next(primary.keyId)) {
            KeyState fresh = startKey(p.keyId(), Opcode.CONTROL_SOFT_RESET_V1);
            owner.onPeerRenegotiation(fresh);
            return fresh;
        }
        return null;
    }

    /** Moves a generation forward as far as its input allows. */
    public void progress(KeyState ks) throws EngineException {
        try {
            if (!ks.tls.started() && ks.reliable.peerResetReceived() && ks.reliable.ownResetAcked() && !server) {
                ks.tls.start();
            }
            byte[] in = ks.reliable.takeInOrderStream();
            if (in.length > 0) {
                ks.tls.feed(in);
            }
            if (ks.tls.handshakeDone() && !ks.handshakeReported) {
                ks.handshakeReported = true;
                owner.onHandshakeDone(ks);
            }
            for (byte[] record : ks.tls.takeRecords()) {
                owner.onRecord(ks, record);
            }
            byte[] out = ks.tls.takeOutgoing();
            if (out.length > 0) {
                ks.reliable.queueStream(out);
            }
        } catch (SSLException e) {
            sendAlert(ks);
            String alert = TlsChannel.receivedAlert(e);
            if (alert != null) {
                throw new EngineException(ErrorKind.TLS_HANDSHAKE_FAILED,
                        "the " + (server ? "client" : "server") + " refused the TLS handshake: TLS alert " + alert, e);
            }
            boolean cert = hasCause(e, CertificateException.class);
            throw new EngineException(cert ? ErrorKind.CERTIFICATE_REJECTED : ErrorKind.TLS_HANDSHAKE_FAILED, e.getMessage(), e);
        }
    }

    /**
     * Sends the alert a failed TLS channel left behind in control packets, once and without waiting for its ACK, as
     * OpenVPN 2.7 does in its S_ERROR_PRE state before it drops the session.
     */
    private void sendAlert(KeyState ks) {
        byte[] alert = ks.tls.takeOutgoing();
        if (alert.length > 0) {
            ks.reliable.queueStream(alert);
            flush(ks, clock.millis());
        }
    }

    /** Writes one plaintext record (key-method-2 message) on a generation. */
    public void writeRecord(KeyState ks, byte[] plaintext) throws EngineException {
        try {
            ks.tls.write(plaintext);
        } catch (SSLException e) {
            throw new EngineException(ErrorKind.TLS_HANDSHAKE_FAILED, e.getMessage(), e);
        }
        ks.reliable.queueStream(ks.tls.takeOutgoing());
    }

    /** Sends one NUL-terminated control message (PUSH_REQUEST, PUSH_REPLY, EXIT …). */
    public void sendMessage(KeyState ks, String message) throws EngineException {
        byte[] text = message.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        writeRecord(ks, Arrays.copyOf(text, text.length + 1));
    }

    /** Sends whatever the reliability layers have due: new packets, retransmissions, acks. */
    public void flush() {
        long now = clock.millis();
        if (primary != null) {
            flush(primary, now);
        }
        if (lameDuck != null) {
            flush(lameDuck, now);
        }
    }

    private void flush(KeyState ks, long now) {
        for (ControlPacket p : ks.reliable.poll(now)) {
            byte[] plain = p.toBytes();
            owner.send(wrap.wrap(plain, 0, plain.length));
            lastSent = now;
        }
    }

    /** Marks that something (e.g. a data packet) was sent, for keepalive timing. */
    public void noteSent() {
        lastSent = clock.millis();
    }

    /** Marks that an authenticated packet arrived, for ping-restart timing. */
    public void noteReceived() {
        lastReceived = clock.millis();
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }
}
