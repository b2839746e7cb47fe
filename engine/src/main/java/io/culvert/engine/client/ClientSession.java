package io.culvert.engine.client;

import io.culvert.engine.api.ConnectionState;
import io.culvert.engine.api.EngineEvent.Level;
import io.culvert.engine.api.EngineException;
import io.culvert.engine.api.ErrorKind;
import io.culvert.engine.common.Decoded;
import io.culvert.engine.common.DropReason;
import io.culvert.engine.crypto.ControlWrapSpec;
import io.culvert.engine.common.Mssfix;
import io.culvert.engine.crypto.AuthDigest;
import io.culvert.engine.crypto.DataCipher;
import io.culvert.engine.session.MssLimit;
import io.culvert.engine.packet.MssClamp;
import io.culvert.engine.protocol.CompressionFraming;
import io.culvert.engine.protocol.ControlPacket;
import io.culvert.engine.protocol.DataMessages;
import io.culvert.engine.protocol.EarlyNegotiation;
import io.culvert.engine.protocol.KeyMethod2;
import io.culvert.engine.protocol.Opcode;
import io.culvert.engine.protocol.PushReply;
import io.culvert.engine.protocol.PushUpdate;
import io.culvert.engine.session.ControlChannel;
import io.culvert.engine.session.DataKeys;
import io.culvert.engine.session.DataPlane;
import io.culvert.engine.common.Span;
import io.culvert.engine.session.KeyState;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * One OpenVPN client session (one hard reset until the next), as a sans-I/O state machine: the runner feeds
 * it link packets, device packets and clock ticks, and it answers through {@link SessionIo}. It speaks the
 * client's part: key-method-2 first, PUSH_REQUEST, applying PUSH_REPLY, keepalive, renegotiation and exit;
 * the {@link ControlChannel} carries TLS. Not thread-safe: one thread owns it. The data channel runs through a
 * {@link DataPlane}: the session publishes its key set there, and a runner's data threads may seal and open packets
 * with it directly ({@link #dataPlane()}); {@link #onTun} and data packets given to {@link #onLink} take the same
 * path on the session's own thread (tests, and runners without data threads), never both for one session.
 */
public final class ClientSession implements ControlChannel.Owner {
    private static final long PUSH_REQUEST_INTERVAL = 5_000;

    private final SessionSettings settings;
    private final SessionIo io;
    private final InstantSource clock;
    private final SecureRandom random;
    private final ControlChannel control;
    private final DataPlane plane;
    /** Session-thread buffers for the data packets it seals or opens itself. */
    private final byte[] txBuf = new byte[DataPlane.HEADROOM + 65536 + DataPlane.TAILROOM];
    private final byte[] rxBuf = new byte[65536 + DataPlane.TAILROOM];
    private final Span span = new Span();
    /** Data-plane payload bytes already fed to {@link #inactivity}. */
    private long trafficSeen;

    private KeyState sendKey;
    private final List<List<String>> pushed = new ArrayList<>();
    /** The options of a PUSH_UPDATE whose last part has not arrived yet. */
    private final List<PushUpdate.Item> updateItems = new ArrayList<>();
    /** Options one update may carry across its parts; more is refused rather than held. */
    private static final int MAX_UPDATE_ITEMS = 1024;
    private PushedConfig config;
    /** Whether the server chose 2.7's epoch data format; kept for every key generation of the session. */
    private boolean epochFormat;
    private CompressionFraming framing;
    private DataCipher cipher;
    private int peerId = -1;
    /** MSS for inner IPv4 TCP that keeps packets within mssfix, both directions; 0 = no clamping. */
    private int mss;
    private boolean connected;
    private long nextPushRequest;
    private long keyEstablishedAt;
    private long pushDeadline;
    private int ping;
    private int pingRestart;
    private boolean exiting;
    private KeyState exitKey;
    private long exitDeadline;
    private boolean finished;
    private final Inactivity inactivity;
    private boolean inactive;
    /** The auth token and its user from an earlier session (OpenVPN keeps them across restarts), or null. */
    private String carriedToken;
    private String carriedTokenUser;
    /** {@code session-timeout} seconds, 0 = off; a pushed one replaces it. */
    private int sessionTimeout;
    /** When the session timeout started counting: the session's start, and again at a push with timer options. */
    private long sessionTimerFrom;
    private boolean sessionTimedOut;
    /** {@code connect-timeout}: the server must answer (its reset) before this instant (clock millis); 0 = no limit. */
    private long serverPollDeadline;
    private boolean serverPollTimedOut;
    private boolean nextRemoteAsked;
    private ErrorKind failure;
    private String failureDetail;
    /** Handshake packets sent before the server's first answer, and when the first of them left (clock millis). */
    private int unanswered;
    private long firstUnansweredAt;

    public ClientSession(SessionSettings settings, SessionIo io, InstantSource clock, SecureRandom random) {
        this.settings = settings;
        this.framing = settings.configuredFraming();
        this.io = io;
        this.clock = clock;
        this.random = random;
        long sid;
        do {
            sid = random.nextLong();
        } while (sid == 0);
        this.control = new ControlChannel(false, settings.wrap().newSession(false, clock), sid, settings.tls(),
                settings.tlsTimeout(), 3600, clock, this);
        this.ping = settings.ping();
        this.pingRestart = settings.pingRestart();
        this.inactivity = new Inactivity(settings.inactiveSeconds(), settings.inactiveBytes(), clock.millis());
        this.plane = new DataPlane(clock);
        this.sessionTimerFrom = clock.millis();
    }

    /**
     * Sets the two limits OpenVPN times outside the handshake: {@code session-timeout} (seconds, 0 = off), counted
     * from now and again from a push that carries timer options; and {@code connect-timeout} /
     * {@code server-poll-timeout}, the instant (clock millis, 0 = none) by which the server's first packet must have
     * arrived, else the session ends with "Server poll timeout, restarting" and the next remote is tried at once.
     */
    public void limits(int sessionTimeoutSeconds, long serverPollDeadlineMillis) {
        this.sessionTimeout = sessionTimeoutSeconds;
        this.sessionTimerFrom = clock.millis();
        this.serverPollDeadline = serverPollDeadlineMillis;
    }

    /**
     * Sends {@code token} (pushed by the server in an earlier session; null = none) instead of the password, with
     * {@code user} (its pushed auth-token-user; null = the profile's username), as OpenVPN does after a restart.
     */
    public void authToken(String token, String user) {
        this.carriedToken = token;
        this.carriedTokenUser = user;
    }

    /** The auth token to carry to the next session: the one pushed in this session, or the carried one; null = none. */
    public String authToken() {
        return config != null && config.authToken() != null ? config.authToken() : carriedToken;
    }

    /** The auth-token-user to carry with {@link #authToken()}, or null. */
    public String authTokenUser() {
        return config != null && config.authTokenUser() != null ? config.authTokenUser() : carriedTokenUser;
    }

    /** The data plane the session publishes its keys to; the runner's data threads seal and open with it. */
    public DataPlane dataPlane() {
        return plane;
    }

    /** Sends the hard reset that opens the session. */
    public void start() throws EngineException {
        control.startKey(0, tlsCryptV2() == null ? Opcode.CONTROL_HARD_RESET_CLIENT_V2 : Opcode.CONTROL_HARD_RESET_CLIENT_V3);
        control.noteReceived();
        io.state(ConnectionState.WAIT, "");
        control.flush();
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

    /** Whether the session ended because of {@code inactive}: the client should exit, not reconnect. */
    public boolean inactive() {
        return inactive;
    }

    /** Whether the session ended because of {@code session-timeout}: the client should exit, not reconnect. */
    public boolean sessionTimedOut() {
        return sessionTimedOut;
    }

    /** Whether the server did not answer within {@code connect-timeout}: the next remote is tried without a pause. */
    public boolean serverPollTimedOut() {
        return serverPollTimedOut;
    }

    /**
     * Whether the server's RESTART carried OpenVPN's {@code [N]} flag ({@code explicit-exit-notify 2} on a stopping
     * server): the client reconnects to its next remote, not to this one.
     */
    public boolean nextRemoteAsked() {
        return nextRemoteAsked;
    }

    // ---- link input -------------------------------------------------------------------------------------

    public void onLink(byte[] buf, int off, int len) {
        if (finished || len < 1) {
            io.dropped(DropReason.TRUNCATED);
            return;
        }
        int opcode = (buf[off] & 0xff) >>> 3;
        if (opcode == Opcode.DATA_V1.code() || opcode == Opcode.DATA_V2.code()) {
            onData(buf, off, len);
            return;
        }
        Decoded<ControlPacket> parsed = control.decode(buf, off, len);
        if (!parsed.isOk()) {
            io.dropped(parsed.reason());
            return;
        }
        try {
            onControl(parsed.value());
        } catch (EngineException e) {
            fail(e.kind(), e.detail());
        }
    }

    private void onControl(ControlPacket p) throws EngineException {
        Opcode op = p.opcode();
        if (op != Opcode.CONTROL_HARD_RESET_SERVER_V2 && op != Opcode.CONTROL_V1 && op != Opcode.ACK_V1
                && op != Opcode.CONTROL_SOFT_RESET_V1) {
            io.dropped(DropReason.BAD_OPCODE);
            return;
        }
        // Checked before a server reset is adopted: a reset that does not ACK our session must not fix the peer's sid.
        if (p.ackCount() > 0 && p.remoteSessionId() != control.localSid()) {
            io.dropped(DropReason.WRONG_SESSION);
            return;
        }
        if (!control.remoteKnown()) {
            if (op != Opcode.CONTROL_HARD_RESET_SERVER_V2 || p.keyId() != 0) {
                io.dropped(DropReason.UNEXPECTED);
                return;
            }
            if (!earlyNegotiation(p)) {
                io.dropped(DropReason.MALFORMED);
                return;
            }
            control.setRemoteSid(p.sessionId());
            io.state(ConnectionState.AUTH, "");
        } else if (p.sessionId() != control.remoteSid()) {
            io.dropped(DropReason.WRONG_SESSION);
            return;
        }
        control.accept(p);
    }

    /** The tls-crypt-v2 client key, or null without tls-crypt-v2. */
    private ControlWrapSpec.TlsCryptV2Client tlsCryptV2() {
        return settings.wrap() instanceof ControlWrapSpec.TlsCryptV2Client v2 ? v2 : null;
    }

    /** Applies the server reset's TLVs: a tls-crypt-v2 client resends its WKc if asked. False if they are malformed. */
    private boolean earlyNegotiation(ControlPacket serverReset) {
        byte[] tlv = serverReset.payload();
        Decoded<EarlyNegotiation> neg = EarlyNegotiation.parse(tlv, 0, tlv.length);
        if (!neg.isOk()) {
            return false;
        }
        if (neg.value().resendWkc() && tlsCryptV2() != null) {
            control.primary().reliable.sendFirstStreamPacketAs(Opcode.CONTROL_WKC_V1, tlsCryptV2().key().wkc().length);
        }
        return true;
    }

    @Override
    public void onHandshakeDone(KeyState ks) throws EngineException {
        ks.local = localKeyMethod2();
        control.writeRecord(ks, ks.local.toBytes());
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
        // openvpn's key_method_2_write: the auth token (pushed in this session or an earlier one) replaces the
        // password; auth-token-user, when pushed, replaces the username sent with it
        String token = config != null && config.authToken() != null ? config.authToken() : carriedToken;
        String tokenUser = config != null && config.authTokenUser() != null ? config.authTokenUser() : carriedTokenUser;
        if (settings.credentials() != null || (token != null && tokenUser != null)) {
            user = token != null && tokenUser != null ? tokenUser : settings.credentials().username();
            pass = token != null ? token : settings.credentials().password();
        }
        return new KeyMethod2(preMaster, r1, r2, Handshake.optionsString(settings), user, pass,
                Handshake.peerInfo(settings.dataCiphers(), settings.advertiseCompression()));
    }

    @Override
    public void onRecord(KeyState ks, byte[] record) throws EngineException {
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
                publish();
                io.log(Level.INFO, "Renegotiation complete (key id " + ks.keyId + ")");
            }
            return;
        }
        for (String msg : ks.messages.feed(record, 0, record.length)) {
            onControlMessage(msg);
        }
    }

    @Override
    public void onPeerRenegotiation(KeyState fresh) {
        io.log(Level.INFO, "Server requested renegotiation (key id " + fresh.keyId + ")");
        keepSendKeyAlive();
        publish();
    }

    @Override
    public void send(byte[] wirePacket) {
        io.sendLink(wirePacket);
        if (!control.remoteKnown()) {
            long now = clock.millis();
            if (unanswered++ == 0) {
                firstUnansweredAt = now;
            } else {
                io.noAnswer(unanswered, now - firstUnansweredAt); // a retransmission: the first packet went unanswered
            }
        }
    }

    /** Handshake packets sent so far that the server has not answered; 0 once it has. */
    public int unansweredHandshakePackets() {
        return control.remoteKnown() ? 0 : unanswered;
    }

    @Override
    public void dropped(DropReason reason) {
        io.dropped(reason);
    }

    private void renegotiate() throws EngineException {
        control.startKey(KeyState.next(control.primary().keyId), Opcode.CONTROL_SOFT_RESET_V1);
        keepSendKeyAlive();
        publish();
    }

    /** A new generation retires the old lame duck: never keep sending on a key neither side has any more. */
    private void keepSendKeyAlive() {
        if (sendKey != null && sendKey != control.primary() && sendKey != control.lameDuck()) {
            sendKey = control.lameDuck();
        }
    }

    private void sendPushRequest(long now) throws EngineException {
        if (keyEstablishedAt == 0) {
            keyEstablishedAt = now;
            pushDeadline = now + settings.handWindow() * 1000L;
        }
        nextPushRequest = now + PUSH_REQUEST_INTERVAL;
        control.sendMessage(control.primary(), "PUSH_REQUEST");
    }

    private void onControlMessage(String msg) throws EngineException {
        if (msg.startsWith("AUTH_FAILED")) {
            boolean temp = msg.startsWith("AUTH_FAILED,TEMP");
            throw new EngineException(temp ? ErrorKind.SERVER_RESTART : ErrorKind.AUTH_FAILED, msg);
        } else if (msg.startsWith("PUSH_REPLY")) {
            onPushReply(msg);
        } else if (msg.startsWith(PushUpdate.PREFIX)) {
            onPushUpdate(msg);
        } else if (msg.startsWith("RESTART")) {
            nextRemoteAsked = restartFlags(msg).indexOf('N') >= 0;
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

    /** The flags of {@code RESTART,[flags]...} (openvpn: N = next server, P = keep passwords), or "" without any. */
    static String restartFlags(String msg) {
        if (!msg.startsWith("RESTART,[")) {
            return "";
        }
        int end = msg.indexOf(']', 9);
        return end < 0 ? msg.substring(9) : msg.substring(9, end);
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
            String line = String.join(" ", option);
            switch (PullFilter.verdict(settings.pullFilters(), option, settings.routeNopull())) {
                case APPLY -> pushed.add(option);
                case IGNORED -> io.log(Level.DEBUG, "Pushed option removed by filter: '" + line + "'");
                case NOT_PULLED -> io.log(Level.DEBUG, "Pushed option not taken (route-nopull): '" + line + "'");
                case REJECTED -> throw new EngineException(ErrorKind.PUSH_REJECTED,
                        "Pushed option rejected by filter: '" + line + "'");
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

    /**
     * A PUSH_UPDATE part (OpenVPN 2.7): taken only once the tunnel is up on an authenticated session (we announce
     * IV_PROTO_PUSH_UPDATE); parts are collected until the last, then the update is applied to the pushed options as
     * a whole, or refused as a whole (malformed, or an option 2.7 does not let an update change). A refused update is
     * logged and counted; the session goes on with the configuration it had.
     */
    private void onPushUpdate(String msg) {
        if (!connected || config == null) {
            io.dropped(DropReason.UNEXPECTED);
            io.log(Level.WARN, "Ignoring PUSH_UPDATE before the tunnel is up");
            return;
        }
        PushUpdate part;
        try {
            part = PushUpdate.parse(msg);
        } catch (PushUpdate.MalformedUpdateException e) {
            updateItems.clear();
            io.dropped(DropReason.MALFORMED);
            io.log(Level.WARN, "Refusing malformed PUSH_UPDATE: " + e.getMessage());
            return;
        }
        updateItems.addAll(part.items());
        if (updateItems.size() > MAX_UPDATE_ITEMS) {
            updateItems.clear();
            io.dropped(DropReason.OVERSIZED);
            io.log(Level.WARN, "Refusing PUSH_UPDATE: more than " + MAX_UPDATE_ITEMS + " options");
            return;
        }
        if (!part.isComplete()) {
            return;
        }
        List<PushUpdate.Item> items = List.copyOf(updateItems);
        updateItems.clear();
        PushedUpdate.Result r = PushedUpdate.apply(pushed, items, settings.pullFilters(), settings.routeNopull());
        for (String s : r.skipped()) {
            io.log(Level.INFO, "PUSH_UPDATE: skipped " + s);
        }
        if (r.refusal() != null) {
            io.dropped(DropReason.UNEXPECTED);
            io.log(Level.WARN, "Refusing PUSH_UPDATE: " + r.refusal());
            return;
        }
        PushedConfig next;
        try {
            next = PushedConfig.from(r.options());
        } catch (PushedConfig.BadPushException e) {
            io.dropped(DropReason.MALFORMED);
            io.log(Level.WARN, "Refusing PUSH_UPDATE: " + e.getMessage());
            return;
        }
        if (r.changes().isEmpty()) {
            io.log(Level.WARN, "No updatable options found in incoming PUSH_UPDATE message");
            return;
        }
        PushedConfig previous = config;
        pushed.clear();
        pushed.addAll(r.options());
        config = next;
        ping = next.ping() >= 0 ? next.ping() : settings.ping();
        pingRestart = next.pingRestart() >= 0 ? next.pingRestart() : settings.pingRestart();
        io.log(Level.INFO, "PUSH_UPDATE received: " + String.join(", ", r.changes()));
        io.updateTunnel(previous, next, r.changes());
    }

    private void applyPush(PushedConfig c) throws EngineException {
        cipher = negotiatedCipher(c);
        if (c.compression() != null) {
            Optional<CompressionFraming> f = CompressionFraming.fromPushed(c.compression(), settings.allowCompression());
            if (f.isEmpty()) {
                throw new EngineException(ErrorKind.UNSUPPORTED_PUSH,
                        "server pushed compression settings that are not allowed: " + String.join(" ", c.compression()));
            }
            framing = f.get();
        }
        peerId = c.peerId();
        epochFormat = c.aeadEpoch();
        if (epochFormat && (peerId < 0 || !cipher.aead())) {
            // As 2.7 refuses it: the format needs P_DATA_V2 and an AEAD cipher.
            throw new EngineException(ErrorKind.UNSUPPORTED_PUSH, "the server chose the epoch data format (protocol-flags "
                    + "aead-epoch) " + (peerId < 0 ? "without a peer-id; it needs P_DATA_V2" : "with " + cipher.openvpnName()
                    + "; it needs an AEAD cipher"));
        }
        Mssfix mssfix = c.mssfix() != null ? c.mssfix() : Mssfix.effective(settings.mssfix(), settings.tunMtu());
        mss = MssLimit.ipv4Mss(mssfix, cipher, AuthDigest.byName(settings.auth()).orElse(AuthDigest.SHA1), framing,
                new MssLimit.Link(settings.tcp(), io.ipv6Link(), peerId >= 0, settings.tap()), epochFormat);
        if (epochFormat) {
            io.log(Level.INFO, "Data channel: epoch data format (protocol-flags aead-epoch), " + cipher.openvpnName());
        }
        io.log(Level.DEBUG, "mssfix " + mssfix + ": TCP MSS clamped to " + mss + " (IPv6: " + Math.max(0, mss - 20) + ")");
        if (c.ping() >= 0) {
            ping = c.ping();
        }
        if (c.pingRestart() >= 0) {
            pingRestart = c.pingRestart();
        }
        if (c.sessionTimeout() >= 0) {
            sessionTimeout = c.sessionTimeout();
        }
        if (c.timers()) {
            sessionTimerFrom = clock.millis(); // openvpn's do_init_timers on pushed OPT_P_TIMER options
        }
        for (String ignored : c.ignored()) {
            io.log(Level.DEBUG, "Pushed option not applied: " + ignored);
        }
        deriveKeys(control.primary());
        sendKey = control.primary();
        // Keys go to the data threads before the device comes up and "Initialization Sequence Completed" is announced:
        // a program that reacts to it may send at once, and its first packets must not meet a data path without keys.
        connected = true;
        publish();
        try {
            io.configureTunnel(c, cipher.openvpnName(), control.primary().tls.description());
        } catch (EngineException | RuntimeException e) {
            connected = false;
            publish();
            throw e;
        }
        control.noteReceived();
        io.state(ConnectionState.CONNECTED, "");
    }

    private DataCipher negotiatedCipher(PushedConfig c) throws EngineException {
        String name = c.cipher() != null ? c.cipher() : settings.fallbackCipher();
        if (name == null) {
            throw new EngineException(ErrorKind.CIPHER_NEGOTIATION_FAILED,
                    "server pushed no cipher and no data-ciphers-fallback is set (BF-CBC is not supported)");
        }
        Optional<DataCipher> found = DataCipher.byName(name);
        boolean allowed = settings.dataCiphers().stream().anyMatch(n -> n.equalsIgnoreCase(name))
                || name.equalsIgnoreCase(settings.fallbackCipher());
        if (found.isEmpty() || !allowed) {
            throw new EngineException(ErrorKind.CIPHER_NEGOTIATION_FAILED,
                    "server pushed cipher " + name + ", which is not in data-ciphers " + settings.dataCiphers());
        }
        return found.get();
    }

    private void deriveKeys(KeyState ks) throws EngineException {
        DataKeys.derive(ks, false, config.tlsEkm(), epochFormat, cipher, settings.auth(), control.localSid(), control.remoteSid(),
                clock);
    }

    // ---- data channel -----------------------------------------------------------------------------------

    /**
     * Publishes the current key set to the data threads: every generation with keys, the send key, framing, MSS and
     * whether device data is still sent. Called on every change (connect, rekey, send-key switch, lame-duck expiry,
     * exit).
     */
    private void publish() {
        if (!connected || sendKey == null || !sendKey.keysReady()) {
            plane.publish(null);
            return;
        }
        KeyState p = control.primary();
        KeyState l = control.lameDuck();
        plane.publish(new DataPlane.Keys(p != null && p.keysReady() ? DataPlane.Generation.of(p) : null,
                l != null && l.keysReady() ? DataPlane.Generation.of(l) : null, DataPlane.Generation.of(sendKey), peerId,
                framing, mss, !exiting));
    }

    /** The server sends on the new key: it has its keys, so we may switch too (the data threads already have). */
    private void followPeerToPrimary() {
        KeyState p = control.primary();
        if (sendKey != null && sendKey != p && p.keysReady() && p.data.opener().heard()) {
            sendKey = p;
            publish();
        }
    }

    /** A data packet that reached the session thread: opened here, as a runner's link thread would. */
    private void onData(byte[] buf, int off, int len) {
        if (len > rxBuf.length - DataPlane.TAILROOM) {
            io.dropped(DropReason.OVERSIZED);
            return;
        }
        System.arraycopy(buf, off, rxBuf, 0, len);
        DropReason drop = plane.open(rxBuf, 0, len, span);
        if (drop != null) {
            io.dropped(drop);
            return;
        }
        followPeerToPrimary();
        if (span.length() == 0) {
            return; // keepalive ping or OCC message
        }
        MssClamp.clampTunnel(span.array(), span.offset(), span.length(), settings.tap(), mss);
        io.writeTun(span.array(), span.offset(), span.length());
    }

    /** Encrypts and sends one packet read from the device on the session thread; dropped until the tunnel is up. */
    public void onTun(byte[] buf, int off, int len) {
        if (!connected || exiting || sendKey == null || len <= 0 || len > 65536) {
            return;
        }
        System.arraycopy(buf, off, txBuf, DataPlane.HEADROOM, len);
        MssClamp.clampTunnel(txBuf, DataPlane.HEADROOM, len, settings.tap(), mss);
        if (plane.seal(txBuf, DataPlane.HEADROOM, len, span) == null) {
            io.sendLink(Arrays.copyOfRange(span.array(), span.offset(), span.offset() + span.length()));
        }
    }

    /** Sends one of the session's own data-channel messages (ping, OCC exit) on the send key. */
    private void sendData(byte[] buf, int off, int len) {
        System.arraycopy(buf, off, txBuf, DataPlane.HEADROOM, len);
        if (plane.sealKeepalive(txBuf, DataPlane.HEADROOM, len, span) != null) {
            io.log(Level.WARN, "No key to send on (packet id exhausted?); waiting for renegotiation");
            return;
        }
        io.sendLink(Arrays.copyOfRange(span.array(), span.offset(), span.offset() + span.length()));
        control.noteSent();
    }

    /** Feeds what the data threads moved since the last tick to the {@code inactive} timer. */
    private void noteDataTraffic(long now) {
        long total = plane.bytesIn() + plane.bytesOut();
        if (total != trafficSeen && inactivity.enabled()) {
            inactivity.traffic((int) Math.min(total - trafficSeen, Integer.MAX_VALUE), Math.min(now, plane.lastTraffic()));
        }
        trafficSeen = total;
    }

    // ---- timers -----------------------------------------------------------------------------------------

    /** Runs due timers: retransmissions, keepalive, timeouts, renegotiation. */
    public void tick() {
        if (finished) {
            return;
        }
        long now = clock.millis();
        KeyState primary = control.primary();
        try {
            if (exiting) {
                if (now >= exitDeadline || (exitKey != null && config.ccExit() && exitKey.reliable.allAcked())) {
                    finished = true;
                    return;
                }
            }
            noteDataTraffic(now);
            if (!exiting && inactivity.expired(now)) {
                io.log(Level.INFO, "Inactivity timeout (--inactive), exiting");
                inactive = true;
                requestExit();
                control.flush();
                return;
            }
            if (!exiting && sessionTimeout > 0 && now - sessionTimerFrom >= sessionTimeout * 1000L) {
                io.log(Level.INFO, "Session timeout, exiting");
                sessionTimedOut = true;
                requestExit();
                control.flush();
                return;
            }
            if (serverPollDeadline != 0 && !control.remoteKnown() && now >= serverPollDeadline) {
                io.log(Level.INFO, "Server poll timeout, restarting");
                serverPollTimedOut = true;
                requestExit();
                return;
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
                followPeerToPrimary();
                keepalive(now);
                boolean renegDue = settings.renegSec() > 0 && now - primary.activeAt >= settings.renegSec() * 1000L;
                if (primary.keysReady() && (renegDue || sendKey.data.needsNewKeys())) {
                    io.log(Level.INFO, "Renegotiating data channel keys (" + (renegDue ? "reneg-sec" : "key usage limit") + ")");
                    renegotiate();
                }
                if (sendKey != control.primary() && control.primary().keysReady()
                        && now - control.primary().activeAt > Math.min(settings.handWindow(), 60) * 1000L) {
                    sendKey = control.primary();
                }
                control.expireLameDuck(sendKey);
                publish();
            }
            if (control.primary().reliable.peerResetReceived() || control.primary().tls.started()) {
                control.progress(control.primary());
            }
            control.flush();
        } catch (EngineException e) {
            fail(e.kind(), e.detail());
        }
    }

    private void keepalive(long now) throws EngineException {
        long lastReceived = Math.max(control.lastReceived(), plane.lastReceived());
        if (pingRestart > 0 && now - lastReceived >= pingRestart * 1000L) {
            throw new EngineException(ErrorKind.KEEPALIVE_TIMEOUT, "Inactivity timeout (--ping-restart), restarting");
        }
        if (ping > 0 && now - Math.max(control.lastSent(), plane.lastSent()) >= ping * 1000L) {
            byte[] p = DataMessages.ping();
            sendData(p, 0, p.length);
        }
    }

    /**
     * Ends the session at once without telling the server: its path is gone (the route to the server changed), so an
     * exit notice would leave by the wrong way or not at all; the server times the old session out.
     */
    public void abandon() {
        if (finished) {
            return;
        }
        exiting = true;
        publish(); // device data stops here
        finished = true;
    }

    /** Starts a graceful exit: tells the server (explicit-exit-notify) and finishes shortly after. */
    public void requestExit() {
        if (exiting || finished) {
            return;
        }
        exiting = true;
        publish(); // device data stops here; the exit notice below still goes out on the send key
        long now = clock.millis();
        exitDeadline = now;
        if (!connected || settings.tcp() || settings.explicitExitNotify() <= 0) {
            finished = true;
            return;
        }
        try {
            // Mid-renegotiation the new key's TLS is not up yet; EXIT goes on the key that has a session.
            exitKey = control.primary().tls.handshakeDone() ? control.primary() : control.lameDuck();
            if (config.ccExit() && exitKey != null) {
                control.sendMessage(exitKey, "EXIT");
                control.flush();
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

    private void fail(ErrorKind kind, String detail) {
        if (!finished) {
            failure = kind;
            failureDetail = detail;
            finished = true;
            plane.publish(null);
        }
    }
}
