package io.culvert.engine.client;

import io.culvert.engine.api.ConnectionState;
import io.culvert.engine.api.EngineEvent.Level;
import io.culvert.engine.api.EngineException;
import io.culvert.engine.api.ErrorKind;
import io.culvert.engine.common.Decoded;
import io.culvert.engine.common.DropReason;
import io.culvert.engine.crypto.ControlWrap;
import io.culvert.engine.crypto.DataChannel;
import io.culvert.engine.crypto.DataCipher;
import io.culvert.engine.crypto.Prf;
import io.culvert.engine.protocol.CompressionFraming;
import io.culvert.engine.protocol.ControlPacket;
import io.culvert.engine.protocol.DataMessages;
import io.culvert.engine.protocol.KeyMethod2;
import io.culvert.engine.protocol.Opcode;
import io.culvert.engine.protocol.PushReply;
import io.culvert.engine.protocol.reliable.ReliableLink;
import io.culvert.engine.tls.TlsChannel;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * One OpenVPN client session (one hard reset until the next), as a sans-I/O state machine: the runner feeds
 * it link packets, device packets and clock ticks, and it answers through {@link SessionIo}. It owns the
 * control channel (reliability, TLS, key-method-2, push), the data channel keys, keepalive and
 * renegotiation. Not thread-safe: one thread owns it.
 */
public final class ClientSession {
    private static final String EKM_LABEL = "EXPORTER-OpenVPN-datakeys";
    private static final long PUSH_REQUEST_INTERVAL = 5_000;

    private final SessionSettings settings;
    private final SessionIo io;
    private final InstantSource clock;
    private final SecureRandom random;
    private final long localSid;
    private final ControlWrap wrap;
    private final int maxControlPayload;

    private long remoteSid;
    private boolean remoteSidKnown;
    private KeyState primary;
    private KeyState lameDuck;
    private KeyState sendKey;
    private final List<List<String>> pushed = new ArrayList<>();
    private PushedConfig config;
    private CompressionFraming framing = CompressionFraming.NONE;
    private int peerId = -1;
    private boolean connected;
    private long nextPushRequest;
    private long keyEstablishedAt;
    private long pushDeadline;
    private long lastSent;
    private long lastReceived;
    private int ping;
    private int pingRestart;
    private boolean exiting;
    private KeyState exitKey;
    private long exitDeadline;
    private boolean finished;
    private ErrorKind failure;
    private String failureDetail;
    private String cipherName;

    public ClientSession(SessionSettings settings, SessionIo io, InstantSource clock, SecureRandom random) {
        this.settings = settings;
        this.io = io;
        this.clock = clock;
        this.random = random;
        long sid;
        do {
            sid = random.nextLong();
        } while (sid == 0);
        this.localSid = sid;
        this.wrap = settings.wrap().newSession(false, clock);
        // 1250-byte budget: IPv4+UDP 28, opcode+sid+4 acks+remote sid+msg id 38, then the wrap.
        this.maxControlPayload = 1250 - 28 - 38 - wrap.overhead();
        this.ping = settings.ping();
        this.pingRestart = settings.pingRestart();
    }

    /** Sends the hard reset that opens the session. */
    public void start() throws EngineException {
        long now = clock.millis();
        primary = newKeyState(0, now);
        primary.reliable.queueReset(Opcode.CONTROL_HARD_RESET_CLIENT_V2);
        lastReceived = now;
        io.state(ConnectionState.WAIT, "");
        flush();
    }

    public boolean finished() {
        return finished;
    }

    /** Why the session failed, or null when it ended on request. */
    public ErrorKind failure() {
        return failure;
    }

    public String failureDetail() {
        return failureDetail;
    }

    public boolean connected() {
        return connected;
    }

    private KeyState newKeyState(int keyId, long now) throws EngineException {
        try {
            ReliableLink link = new ReliableLink(keyId, localSid, maxControlPayload, settings.tlsTimeout() * 1000L);
            if (remoteSidKnown) {
                link.setRemoteSessionId(remoteSid);
            }
            return new KeyState(keyId, link, TlsChannel.create(settings.tls()), now);
        } catch (GeneralSecurityException e) {
            throw new EngineException(ErrorKind.CONFIG_INVALID, "TLS setup failed: " + e.getMessage(), e);
        }
    }

    // ---- link input -------------------------------------------------------------------------------------

    public void onLink(byte[] buf, int off, int len) {
        if (finished || len < 1) {
            drop(DropReason.TRUNCATED);
            return;
        }
        int opcode = (buf[off] & 0xff) >>> 3;
        if (opcode == Opcode.DATA_V1.code() || opcode == Opcode.DATA_V2.code()) {
            onData(buf, off, len);
            return;
        }
        Decoded<byte[]> plain = wrap.unwrap(buf, off, len);
        if (!plain.isOk()) {
            drop(plain.reason());
            return;
        }
        Decoded<ControlPacket> parsed = ControlPacket.parse(plain.value(), 0, plain.value().length);
        if (!parsed.isOk()) {
            drop(parsed.reason());
            return;
        }
        try {
            onControl(parsed.value());
        } catch (EngineException e) {
            fail(e.kind(), e.getMessage());
        }
    }

    private void onControl(ControlPacket p) throws EngineException {
        long now = clock.millis();
        Opcode op = p.opcode();
        if (op != Opcode.CONTROL_HARD_RESET_SERVER_V2 && op != Opcode.CONTROL_V1 && op != Opcode.ACK_V1
                && op != Opcode.CONTROL_SOFT_RESET_V1) {
            drop(DropReason.BAD_OPCODE);
            return;
        }
        // Checked before a server reset is adopted: a reset that does not ACK our session must not fix the peer's sid.
        if (p.acks().length > 0 && p.remoteSessionId() != localSid) {
            drop(DropReason.WRONG_SESSION);
            return;
        }
        if (!remoteSidKnown) {
            if (op != Opcode.CONTROL_HARD_RESET_SERVER_V2 || p.keyId() != 0) {
                drop(DropReason.UNEXPECTED);
                return;
            }
            remoteSid = p.sessionId();
            remoteSidKnown = true;
            primary.reliable.setRemoteSessionId(remoteSid);
            io.state(ConnectionState.AUTH, "");
        } else if (p.sessionId() != remoteSid) {
            drop(DropReason.WRONG_SESSION);
            return;
        }
        KeyState ks = keyStateFor(p, now);
        if (ks == null) {
            drop(DropReason.UNEXPECTED);
            return;
        }
        if (!ks.reliable.receive(p, now)) {
            drop(ks.reliable.lastDropReason());
            return;
        }
        lastReceived = now;
        progress(ks);
        flush();
    }

    private KeyState keyStateFor(ControlPacket p, long now) throws EngineException {
        if (p.keyId() == primary.keyId) {
            return primary;
        }
        if (lameDuck != null && p.keyId() == lameDuck.keyId) {
            return lameDuck;
        }
        if (p.opcode() == Opcode.CONTROL_SOFT_RESET_V1 && primary.keysReady() && p.keyId() == KeyState.next(primary.keyId)) {
            io.log(Level.INFO, "Server requested renegotiation (key id " + p.keyId() + ")");
            renegotiate(now);
            return primary;
        }
        return null;
    }

    private void renegotiate(long now) throws EngineException {
        KeyState fresh = newKeyState(KeyState.next(primary.keyId), now);
        fresh.reliable.queueReset(Opcode.CONTROL_SOFT_RESET_V1);
        if (sendKey != null && sendKey != primary) {
            // The old lame duck is dropped here (as by the server): never keep sending on it.
            sendKey = primary;
        }
        primary.expiresAt = now + 3600_000L;
        lameDuck = primary;
        primary = fresh;
    }

    /** Moves a key state forward as far as its input allows: TLS, key-method-2, control messages. */
    private void progress(KeyState ks) throws EngineException {
        try {
            if (!ks.tls.started() && ks.reliable.peerResetReceived() && ks.reliable.ownResetAcked()) {
                ks.tls.start();
            }
            byte[] in = ks.reliable.takeInOrderStream();
            if (in.length > 0) {
                ks.tls.feed(in);
            }
            if (ks.tls.handshakeDone() && ks.local == null) {
                ks.local = localKeyMethod2();
                ks.tls.write(ks.local.toBytes());
            }
            for (byte[] record : ks.tls.takeRecords()) {
                onPlaintext(ks, record);
            }
            byte[] out = ks.tls.takeOutgoing();
            if (out.length > 0) {
                ks.reliable.queueStream(out);
            }
        } catch (SSLException e) {
            boolean cert = hasCause(e, CertificateException.class);
            throw new EngineException(cert ? ErrorKind.CERTIFICATE_REJECTED : ErrorKind.TLS_HANDSHAKE_FAILED, e.getMessage(), e);
        }
    }

    private KeyMethod2 localKeyMethod2() {
        byte[] preMaster = new byte[48];
        byte[] r1 = new byte[32];
        byte[] r2 = new byte[32];
        random.nextBytes(preMaster);
        random.nextBytes(r1);
        random.nextBytes(r2);
        String user = null;
        String pass = null;
        if (settings.credentials() != null) {
            user = settings.credentials().username();
            pass = config != null && config.authToken() != null ? config.authToken() : settings.credentials().password();
        }
        return new KeyMethod2(preMaster, r1, r2, Handshake.optionsString(settings), user, pass,
                Handshake.peerInfo(settings.dataCiphers()));
    }

    private void onPlaintext(KeyState ks, byte[] record) throws EngineException {
        if (ks.remote == null) {
            Decoded<KeyMethod2> km = KeyMethod2.parse(record, 0, record.length, false);
            if (!km.isOk()) {
                throw new EngineException(ErrorKind.TLS_HANDSHAKE_FAILED, "malformed key-method-2 message from server");
            }
            ks.remote = km.value();
            if (ks.keyId == 0) {
                io.state(ConnectionState.GET_CONFIG, "");
                io.log(Level.INFO, "Control Channel: " + ks.tls.description());
                sendPushRequest(clock.millis());
            } else {
                deriveKeys(ks);
                io.log(Level.INFO, "Renegotiation complete (key id " + ks.keyId + ")");
            }
            return;
        }
        for (String msg : ks.messages.feed(record, 0, record.length)) {
            onControlMessage(msg);
        }
    }

    private void sendPushRequest(long now) throws EngineException {
        if (keyEstablishedAt == 0) {
            keyEstablishedAt = now;
            pushDeadline = now + settings.handWindow() * 1000L;
        }
        nextPushRequest = now + PUSH_REQUEST_INTERVAL;
        sendControlMessage(primary, "PUSH_REQUEST");
    }

    private void sendControlMessage(KeyState ks, String msg) throws EngineException {
        byte[] text = msg.getBytes(StandardCharsets.US_ASCII);
        byte[] withNul = Arrays.copyOf(text, text.length + 1);
        try {
            ks.tls.write(withNul);
        } catch (SSLException e) {
            throw new EngineException(ErrorKind.TLS_HANDSHAKE_FAILED, e.getMessage(), e);
        }
        byte[] out = ks.tls.takeOutgoing();
        ks.reliable.queueStream(out);
    }

    private void onControlMessage(String msg) throws EngineException {
        if (msg.startsWith("AUTH_FAILED")) {
            boolean temp = msg.startsWith("AUTH_FAILED,TEMP");
            throw new EngineException(temp ? ErrorKind.SERVER_RESTART : ErrorKind.AUTH_FAILED, msg);
        } else if (msg.startsWith("PUSH_REPLY")) {
            onPushReply(msg);
        } else if (msg.startsWith("RESTART")) {
            throw new EngineException(ErrorKind.SERVER_RESTART, "server sent " + msg);
        } else if (msg.startsWith("HALT")) {
            throw new EngineException(ErrorKind.SERVER_HALT, "server sent " + msg);
        } else if (msg.startsWith("AUTH_PENDING")) {
            extendPushWait(msg);
        } else if (msg.startsWith("INFO")) {
            io.log(Level.INFO, "Server info: " + msg);
        } else {
            io.log(Level.WARN, "Ignoring unknown control message: " + msg);
        }
    }

    /** AUTH_PENDING[,timeout N]: wait up to N s (capped at max(reneg-sec/2, hand-window)) from key establishment. */
    private void extendPushWait(String msg) {
        int max = Math.max(settings.renegSec() / 2, settings.handWindow());
        int timeout = settings.handWindow();
        for (String keyword : msg.split(",")) {
            if (keyword.startsWith("timeout ")) {
                try {
                    timeout = Integer.parseInt(keyword.substring(8).trim());
                } catch (NumberFormatException e) {
                    io.log(Level.DEBUG, "Ignoring AUTH_PENDING parameter: " + keyword);
                }
            }
        }
        timeout = Math.min(Math.max(timeout, 0), max);
        if (config == null && keyEstablishedAt != 0) {
            pushDeadline = keyEstablishedAt + timeout * 1000L;
        }
        io.log(Level.INFO, "Authentication pending, waiting up to " + timeout + " s: " + msg);
    }

    private void onPushReply(String msg) throws EngineException {
        if (config != null) {
            return;
        }
        Decoded<PushReply> reply = PushReply.parse(msg);
        if (!reply.isOk()) {
            throw new EngineException(ErrorKind.UNSUPPORTED_PUSH, "malformed PUSH_REPLY");
        }
        for (List<String> option : reply.value().options()) {
            if (PullFilter.accepts(settings.pullFilters(), option, settings.routeNopull())) {
                pushed.add(option);
            }
        }
        if (reply.value().continuation() == 2) {
            return;
        }
        try {
            config = PushedConfig.from(pushed);
        } catch (PushedConfig.BadPushException e) {
            throw new EngineException(ErrorKind.UNSUPPORTED_PUSH, e.getMessage());
        }
        applyPush(config);
    }

    private void applyPush(PushedConfig c) throws EngineException {
        cipherName = negotiatedCipher(c);
        if (c.compression() != null) {
            Optional<CompressionFraming> f = CompressionFraming.fromPushed(c.compression());
            if (f.isEmpty()) {
                throw new EngineException(ErrorKind.UNSUPPORTED_PUSH,
                        "server pushed compression settings that are not allowed: " + String.join(" ", c.compression()));
            }
            framing = f.get();
        }
        peerId = c.peerId();
        if (c.ping() >= 0) {
            ping = c.ping();
        }
        if (c.pingRestart() >= 0) {
            pingRestart = c.pingRestart();
        }
        for (String ignored : c.ignored()) {
            io.log(Level.DEBUG, "Pushed option not applied: " + ignored);
        }
        deriveKeys(primary);
        sendKey = primary;
        io.configureTunnel(c, cipherName, primary.tls.description());
        connected = true;
        lastReceived = clock.millis();
        io.state(ConnectionState.CONNECTED, "");
    }

    private String negotiatedCipher(PushedConfig c) throws EngineException {
        String name = c.cipher() != null ? c.cipher() : settings.fallbackCipher();
        if (name == null) {
            throw new EngineException(ErrorKind.CIPHER_NEGOTIATION_FAILED,
                    "server pushed no cipher and no data-ciphers-fallback is set (BF-CBC is not supported)");
        }
        Optional<DataCipher> cipher = DataCipher.byName(name);
        boolean allowed = settings.dataCiphers().stream().anyMatch(n -> n.equalsIgnoreCase(name))
                || name.equalsIgnoreCase(settings.fallbackCipher());
        if (cipher.isEmpty() || !allowed) {
            throw new EngineException(ErrorKind.CIPHER_NEGOTIATION_FAILED,
                    "server pushed cipher " + name + ", which is not in data-ciphers " + settings.dataCiphers());
        }
        return cipher.get().openvpnName();
    }

    private void deriveKeys(KeyState ks) throws EngineException {
        byte[] key2;
        try {
            if (config.tlsEkm()) {
                key2 = ks.tls.exportKeyingMaterial(EKM_LABEL, 256);
            } else {
                key2 = Prf.openvpnKeyExpansion(ks.local.preMaster(), ks.local.random1(), ks.remote.random1(),
                        ks.local.random2(), ks.remote.random2(), sid(localSid), sid(remoteSid));
            }
            ks.data = DataChannel.create(DataCipher.byName(cipherName).orElseThrow(), settings.auth(), key2, false, clock);
        } catch (SSLException | IllegalArgumentException e) {
            throw new EngineException(ErrorKind.TLS_HANDSHAKE_FAILED, "data channel key derivation failed: " + e.getMessage(), e);
        } finally {
            ks.activeAt = clock.millis();
        }
        Arrays.fill(key2, (byte) 0);
    }

    private static byte[] sid(long v) {
        return ByteBuffer.allocate(8).putLong(v).array();
    }

    // ---- data channel -----------------------------------------------------------------------------------

    private void onData(byte[] buf, int off, int len) {
        int keyId = buf[off] & 0x07;
        KeyState ks = dataKey(keyId);
        if (ks == null) {
            drop(DropReason.NO_KEY);
            return;
        }
        Decoded<byte[]> plain = ks.data.decrypt(buf, off, len);
        if (!plain.isOk()) {
            drop(plain.reason());
            return;
        }
        byte[] framed = plain.value();
        Decoded<byte[]> payload = framing.unframe(framed, 0, framed.length);
        if (!payload.isOk()) {
            drop(payload.reason());
            return;
        }
        lastReceived = clock.millis();
        if (ks != sendKey && ks == primary) {
            // The server sends on the new key: it has its keys, so we may switch too.
            sendKey = primary;
        }
        byte[] p = payload.value();
        if (DataMessages.isPing(p, 0, p.length)) {
            return;
        }
        if (DataMessages.isOcc(p, 0, p.length)) {
            return;
        }
        if (p.length == 0) {
            drop(DropReason.TRUNCATED);
            return;
        }
        io.writeTun(p, 0, p.length);
    }

    private KeyState dataKey(int keyId) {
        if (primary != null && primary.keyId == keyId && primary.keysReady()) {
            return primary;
        }
        if (lameDuck != null && lameDuck.keyId == keyId && lameDuck.keysReady()) {
            return lameDuck;
        }
        return null;
    }

    /** Encrypts and sends one packet read from the device; dropped until the tunnel is up. */
    public void onTun(byte[] buf, int off, int len) {
        if (!connected || exiting || sendKey == null || len <= 0) {
            return;
        }
        if (settings.mssfix() > 0) {
            MssFix.apply(buf, off, len, settings.tap(), settings.mssfix());
        }
        sendData(buf, off, len);
    }

    private void sendData(byte[] buf, int off, int len) {
        byte[] framed = framing.frame(buf, off, len);
        byte[] packet = sendKey.data.encrypt(sendKey.keyId, peerId, framed, 0, framed.length);
        if (packet == null) {
            io.log(Level.WARN, "Packet id exhausted; waiting for renegotiation");
            return;
        }
        io.sendLink(packet);
        lastSent = clock.millis();
    }

    // ---- timers -----------------------------------------------------------------------------------------

    /** Runs due timers: retransmissions, keepalive, timeouts, renegotiation. */
    public void tick() {
        if (finished) {
            return;
        }
        long now = clock.millis();
        try {
            if (exiting) {
                if (now >= exitDeadline || (exitKey != null && config.ccExit() && exitKey.reliable.allAcked())) {
                    finished = true;
                    return;
                }
            }
            boolean awaitingPush = primary.keyId == 0 && primary.remote != null && !primary.keysReady();
            if (awaitingPush && pushDeadline != 0 && now > pushDeadline) {
                throw new EngineException(ErrorKind.PUSH_TIMEOUT, "No reply from server to push requests");
            }
            if (!awaitingPush && !primary.keysReady() && now - primary.startedAt > settings.handWindow() * 1000L) {
                throw new EngineException(ErrorKind.HANDSHAKE_TIMEOUT,
                        "TLS key negotiation failed to complete within " + settings.handWindow() + " seconds");
            }
            if (config == null && primary.remote != null && primary.keyId == 0 && now >= nextPushRequest) {
                sendPushRequest(now);
            }
            if (connected) {
                keepalive(now);
                if (settings.renegSec() > 0 && primary.keysReady() && now - primary.activeAt >= settings.renegSec() * 1000L) {
                    io.log(Level.INFO, "Renegotiating data channel keys (reneg-sec)");
                    renegotiate(now);
                }
                if (sendKey != primary && primary.keysReady() && now - primary.activeAt > Math.min(settings.handWindow(), 60) * 1000L) {
                    sendKey = primary;
                }
                if (lameDuck != null && now >= lameDuck.expiresAt && lameDuck != sendKey) {
                    lameDuck = null;
                }
            }
            if (primary.reliable.peerResetReceived() || primary.tls.started()) {
                progress(primary);
            }
            flush();
        } catch (EngineException e) {
            fail(e.kind(), e.getMessage());
        }
    }

    private void keepalive(long now) throws EngineException {
        if (pingRestart > 0 && now - lastReceived >= pingRestart * 1000L) {
            throw new EngineException(ErrorKind.KEEPALIVE_TIMEOUT, "Inactivity timeout (--ping-restart), restarting");
        }
        if (ping > 0 && now - lastSent >= ping * 1000L) {
            byte[] p = DataMessages.ping();
            sendData(p, 0, p.length);
        }
    }

    /** Starts a graceful exit: tells the server (explicit-exit-notify) and finishes shortly after. */
    public void requestExit() {
        if (exiting || finished) {
            return;
        }
        exiting = true;
        long now = clock.millis();
        exitDeadline = now;
        if (!connected || settings.tcp() || settings.explicitExitNotify() <= 0) {
            finished = true;
            return;
        }
        try {
            // Mid-renegotiation the new key's TLS is not up yet; EXIT goes on the key that has a session.
            exitKey = primary.tls.handshakeDone() ? primary : lameDuck;
            if (config.ccExit() && exitKey != null) {
                sendControlMessage(exitKey, "EXIT");
                flush();
                exitDeadline = now + 2000;
            } else {
                byte[] exit = DataMessages.occExit();
                for (int i = 0; i < Math.max(1, settings.explicitExitNotify()); i++) {
                    sendData(exit, 0, exit.length);
                }
                exitDeadline = now + 100;
            }
        } catch (EngineException e) {
            finished = true;
        }
    }

    private void flush() {
        long now = clock.millis();
        flush(primary, now);
        if (lameDuck != null) {
            flush(lameDuck, now);
        }
    }

    private void flush(KeyState ks, long now) {
        for (ControlPacket p : ks.reliable.poll(now)) {
            byte[] plain = p.toBytes();
            io.sendLink(wrap.wrap(plain, 0, plain.length));
            lastSent = now;
        }
    }

    private void fail(ErrorKind kind, String detail) {
        if (!finished) {
            failure = kind;
            failureDetail = detail;
            finished = true;
        }
    }

    private void drop(DropReason reason) {
        io.dropped(reason);
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
