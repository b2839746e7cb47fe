package io.culvert.engine.server;

import io.culvert.engine.api.EngineException;
import io.culvert.engine.api.ErrorKind;
import io.culvert.engine.common.Decoded;
import io.culvert.engine.common.DropReason;
import io.culvert.engine.common.Span;
import io.culvert.engine.crypto.AuthDigest;
import io.culvert.engine.crypto.DataCipher;
import io.culvert.engine.protocol.ControlPacket;
import io.culvert.engine.protocol.DataMessages;
import io.culvert.engine.protocol.KeyMethod2;
import io.culvert.engine.protocol.Opcode;
import io.culvert.engine.protocol.PushReply;
import io.culvert.engine.protocol.PushUpdate;
import io.culvert.engine.session.ControlChannel;
import io.culvert.engine.session.DataKeys;
import io.culvert.engine.session.DataPlane;
import io.culvert.engine.session.KeyState;
import io.culvert.engine.session.MssLimit;
import io.culvert.engine.tls.PeerVerification;
import io.culvert.engine.tls.X509Fields;
import io.culvert.engine.packet.MssClamp;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The server side of one client instance, as a sans-I/O state machine: the handshake (stateless start for UDP,
 * stateful for TCP), key-method-2, cipher negotiation, PUSH_REPLY, the data channel, keepalive and
 * renegotiation. The server core feeds it packets and ticks and forwards what it delivers. Data packets are opened
 * and sealed in place through the session's {@link DataPlane}, to which it publishes its key set whenever that
 * changes (keys derived, send key switched, lame duck expired, closing). Not thread-safe: the server thread owns
 * every session.
 */
public final class ServerSession implements ControlChannel.Owner {
    /** How long an instance lingers after EXIT, AUTH_FAILED or a kick, so retransmissions are still acked. */
    private static final long LINGER_MILLIS = 5_000;

    /** What a session needs from the server around it. */
    public interface Io {
        void sendLink(ServerSession session, byte[] packet);

        /** Sends {@code buf[off, off + len)}, which is the session's again on return; the default copies it. */
        default void sendLink(ServerSession session, byte[] buf, int off, int len) {
            sendLink(session, Arrays.copyOfRange(buf, off, off + len));
        }

        /** One decrypted packet/frame from the client, for forwarding. */
        void deliver(ServerSession session, byte[] payload);

        /**
         * One decrypted packet/frame from the client at {@code buf[off, off + len)}, for forwarding; the bytes are the
         * caller's again on return. The default copies them.
         */
        default void deliver(ServerSession session, byte[] buf, int off, int len) {
            deliver(session, Arrays.copyOfRange(buf, off, off + len));
        }

        /**
         * Admits an authenticated client and returns the options to push to it before the per-session ones
         * (config pushes, client-config-dir pushes, server-implied ones, keepalive, ifconfig). Throws to refuse.
         */
        List<String> admit(ServerSession session) throws EngineException;

        void log(ServerSession session, String message);

        void dropped(ServerSession session, DropReason reason);

        /** A renegotiation finished and the instance has new data-channel keys. */
        default void renegotiated(ServerSession session) {}

        /** Whether this client's link runs over IPv6, whose 20 bytes more of outer header {@code mssfix ... mtu} counts. */
        default boolean ipv6Link(ServerSession session) {
            return false;
        }

        /** True when a client-connect script must accept the client before anything is pushed. */
        default boolean wantsClientConnect(ServerSession session) {
            return false;
        }

        /**
         * Starts client-connect for this session; the verdict must come back through
         * {@link ServerSession#clientConnected} on the server thread.
         */
        default void clientConnect(ServerSession session) {
            session.clientConnected(false, "no client-connect available");
        }

        /**
         * Starts {@code auth-user-pass-verify} for this session; the verdict must come back through
         * {@link ServerSession#passwordChecked} on the server thread.
         */
        default void checkPassword(ServerSession session, PasswordCheck.Request request) {
            session.passwordChecked(PasswordCheck.Verdict.reject("no password check available"));
        }
    }

    private final ServerSettings settings;
    private final Io io;
    private final InstantSource clock;
    private final SecureRandom random;
    private final ControlChannel control;
    private final int peerId;
    private final String remoteLabel;
    private PeerInfo peerInfo = PeerInfo.parse("");
    private String peerInfoText = "";
    private String commonName;
    private X509Certificate peerCertificate;
    private DataCipher cipher;
    /** MSS for inner IPv4 TCP that keeps this client's packets within mssfix, both directions; 0 = no clamping. */
    private int mss;
    private boolean ekm;
    /** Whether this client's data channel uses 2.7's epoch format; kept for every key generation. */
    private boolean epochFormat;
    private boolean pushed;
    private boolean pushWanted;
    /** The key state whose username/password is being checked, or null. */
    private KeyState passwordPending;
    /** The key state waiting for client-connect, or null; {@code connectDone} once it accepted the client. */
    private KeyState connectPending;
    private boolean connectDone;
    private String username;
    private KeyState sendKey;
    private boolean closing;
    private long closeAt = Long.MAX_VALUE;
    private String closeReason;
    private final long renegMillis;
    private final DataPlane plane;
    /** Where the last opened or sealed packet lies; server thread only. */
    private final Span span = new Span();
    /** What {@link #plane} was last given: the generations by identity and whether device data was sent. */
    private KeyState publishedPrimary;
    private KeyState publishedLameDuck;
    private KeyState publishedSend;
    private boolean publishedSending;
    private boolean publishedAny;
    private long packetsIn;
    private long packetsOut;
    private final long connectedSince;

    public ServerSession(ServerSettings settings, Io io, InstantSource clock, SecureRandom random, int peerId, String remoteLabel) {
        this(settings, io, clock, random, peerId, remoteLabel, randomSid(random));
    }

    private static long randomSid(SecureRandom random) {
        long sid;
        do {
            sid = random.nextLong();
        } while (sid == 0);
        return sid;
    }

    /** Server session started by the UDP cookie exchange: both resets count as sent and acked. */
    public static ServerSession afterCookie(ServerSettings settings, Io io, InstantSource clock, SecureRandom random,
            int peerId, String remoteLabel, long serverSid, long clientSid) throws EngineException {
        ServerSession s = new ServerSession(settings, io, clock, random, peerId, remoteLabel, serverSid);
        s.control.setRemoteSid(clientSid);
        KeyState ks = s.control.startKey(0, null);
        ks.reliable.assumeResetsExchanged();
        return s;
    }

    private ServerSession(ServerSettings settings, Io io, InstantSource clock, SecureRandom random, int peerId,
            String remoteLabel, long fixedSid) {
        this.settings = settings;
        this.io = io;
        this.clock = clock;
        this.random = random;
        this.peerId = peerId;
        this.remoteLabel = remoteLabel;
        this.control = new ControlChannel(true, settings.wrap().newSession(true, clock), fixedSid, settings.tls(),
                settings.tlsTimeout(), 3600, clock, this);
        this.renegMillis = settings.renegSec() <= 0 ? 0
                : (settings.renegSec() * 900L) + (long) (random.nextDouble() * settings.renegSec() * 100L);
        this.connectedSince = clock.millis();
        this.plane = new DataPlane(clock);
    }

    public int peerId() {
        return peerId;
    }

    public String commonName() {
        return commonName;
    }

    /** The client's certificate from its first handshake, or null before that. */
    public X509Certificate peerCertificate() {
        return peerCertificate;
    }

    public String remoteLabel() {
        return remoteLabel;
    }

    /** True when this session belongs to the client session id {@code clientSid}. */
    public boolean hasClientSessionId(long clientSid) {
        return control.remoteKnown() && control.remoteSid() == clientSid;
    }

    public String cipherName() {
        return cipher == null ? null : cipher.openvpnName();
    }

    public PeerInfo peerInfo() {
        return peerInfo;
    }

    public long connectedSince() {
        return connectedSince;
    }

    /** True once the client has its configuration and data keys. */
    public boolean established() {
        return pushed;
    }

    /** True when the instance should be removed. */
    public boolean finished() {
        return closing && clock.millis() >= closeAt;
    }

    public String closeReason() {
        return closeReason;
    }

    /** Payload bytes from the client (keepalive and OCC messages not counted). */
    public long bytesIn() {
        return plane.bytesIn();
    }

    /** Payload bytes sealed for the client (keepalive messages not counted). */
    public long bytesOut() {
        return plane.bytesOut();
    }

    public long packetsIn() {
        return packetsIn;
    }

    public long packetsOut() {
        return packetsOut;
    }

    // ---- input ------------------------------------------------------------------------------------------

    /**
     * One packet from this client (already demultiplexed).
     *
     * @return true when the packet authenticated (a server lets a client float only on such a packet)
     */
    public boolean onLink(byte[] buf, int off, int len) {
        if (len < 1) {
            io.dropped(this, DropReason.TRUNCATED);
            return false;
        }
        int opcode = (buf[off] & 0xff) >>> 3;
        if (opcode == Opcode.DATA_V1.code() || opcode == Opcode.DATA_V2.code()) {
            return onData(buf, off, len);
        }
        Decoded<ControlPacket> p = control.decode(buf, off, len);
        if (!p.isOk()) {
            io.dropped(this, p.reason());
            return false;
        }
        try {
            onControl(p.value());
        } catch (EngineException e) {
            fail(e);
        }
        publish();
        return true;
    }

    private void onControl(ControlPacket p) throws EngineException {
        Opcode op = p.opcode();
        if (op == Opcode.CONTROL_HARD_RESET_SERVER_V2 || op == Opcode.CONTROL_HARD_RESET_CLIENT_V1
                || op == Opcode.CONTROL_HARD_RESET_SERVER_V1 || op == Opcode.CONTROL_HARD_RESET_CLIENT_V3
                || op == Opcode.CONTROL_WKC_V1) {
            io.dropped(this, DropReason.BAD_OPCODE);
            return;
        }
        if (!control.remoteKnown()) {
            if (op != Opcode.CONTROL_HARD_RESET_CLIENT_V2 || p.keyId() != 0) {
                io.dropped(this, DropReason.UNEXPECTED);
                return;
            }
            control.setRemoteSid(p.sessionId());
            control.startKey(0, Opcode.CONTROL_HARD_RESET_SERVER_V2);
        } else if (p.sessionId() != control.remoteSid()) {
            io.dropped(this, DropReason.WRONG_SESSION);
            return;
        }
        if (op == Opcode.CONTROL_HARD_RESET_CLIENT_V2 && control.primary().keyId != 0) {
            io.dropped(this, DropReason.UNEXPECTED);
            return;
        }
        control.accept(p);
    }

    @Override
    public void onHandshakeDone(KeyState ks) {
        // The server speaks second: it answers the client's key-method-2 message in onRecord.
    }

    @Override
    public void onRecord(KeyState ks, byte[] record) throws EngineException {
        if (ks.remote == null) {
            Decoded<KeyMethod2> km = KeyMethod2.parse(record, 0, record.length, true);
            if (!km.isOk()) {
                throw new EngineException(ErrorKind.TLS_HANDSHAKE_FAILED, "malformed key-method-2 message from client");
            }
            ks.remote = km.value();
            if (ks.keyId == 0) {
                firstKeyMethod(ks);
            } else {
                // Like the first key: answer at once, but use the key only once its credentials are checked.
                writeOwnKeyMethod(ks);
                if (needsPasswordCheck(ks)) {
                    startPasswordCheck(ks);
                } else {
                    finishRenegotiation(ks);
                }
            }
            return;
        }
        for (String msg : ks.messages.feed(record, 0, record.length)) {
            onMessage(ks, msg);
        }
    }

    private void firstKeyMethod(KeyState ks) throws EngineException {
        peerInfo = PeerInfo.parse(ks.remote.peerInfo());
        peerInfoText = ks.remote.peerInfo() == null ? "" : ks.remote.peerInfo();
        peerCertificate = ks.tls.peerCertificate();
        String certName = certificateName();
        commonName = certName == null ? "UNDEF" : certName;
        cipher = CipherNegotiation.choose(settings.dataCiphers(), settings.fallbackCipher(), peerInfo, ks.remote.options())
                .orElse(null);
        ekm = peerInfo.has(PeerInfo.TLS_KEY_EXPORT);
        epochFormat = CipherNegotiation.epochFormat(peerInfo, cipher);
        writeOwnKeyMethod(ks);
        if (peerCertificate != null && certName == null) {
            // openvpn's verify_cert: a field missing at depth 0 fails the certificate
            refuse(ks, "VERIFY ERROR: could not extract " + String.join(" ", settings.clientAuth().usernameFields())
                    + " from X509 subject string ('" + peerCertificate.getSubjectX500Principal().getName() + "')");
            return;
        }
        if (cipher == null) {
            refuse(ks, "Data channel cipher negotiation failed (no shared cipher)");
            return;
        }
        pushWanted = peerInfo.has(PeerInfo.REQUEST_PUSH);
        username = sentUsername(ks) ? ks.remote.username() : null;
        if (needsPasswordCheck(ks)) {
            startPasswordCheck(ks);
            return;
        }
        if (peerCertificate == null) {
            refuse(ks, "no client certificate and no password check");
            return;
        }
        maybePush(ks);
    }

    /** True when {@code ks}'s key-method-2 credentials must pass auth-user-pass-verify before the key is used. */
    private boolean needsPasswordCheck(KeyState ks) {
        ClientAuth auth = settings.clientAuth();
        return auth.passwords() != null && (sentUsername(ks) || !auth.passwordOptional());
    }

    private static boolean sentUsername(KeyState ks) {
        return ks.remote.username() != null && !ks.remote.username().isEmpty();
    }

    /** The client's name from its certificate ({@code x509-username-field}, CN by default), or null. */
    private String certificateName() {
        if (peerCertificate == null) {
            return null;
        }
        List<String> fields = settings.clientAuth().usernameFields();
        return fields.equals(List.of("CN")) ? PeerVerification.commonName(peerCertificate)
                : X509Fields.username(peerCertificate, fields);
    }

    private void startPasswordCheck(KeyState ks) throws EngineException {
        if (!sentUsername(ks)) {
            io.log(this, "client sent no username/password");
            refuseBare(ks);
            return;
        }
        passwordPending = ks;
        String certName = certificateName();
        io.checkPassword(this, new PasswordCheck.Request(ks.remote.username(), ks.remote.password() == null ? ""
                : ks.remote.password(), peerCertificate, certName, null, ks.remote.peerInfo()));
    }

    /** The verdict of the check {@link Io#checkPassword} started; on the server thread. */
    public void passwordChecked(PasswordCheck.Verdict verdict) {
        KeyState ks = passwordPending;
        passwordPending = null;
        if (ks == null || closing) {
            return;
        }
        try {
            checked(ks, verdict);
        } finally {
            publish();
        }
    }

    private void checked(KeyState ks, PasswordCheck.Verdict verdict) {
        try {
            if (!verdict.accepted()) {
                io.log(this, "username/password refused: " + verdict.reason());
                refuseBare(ks);
                return;
            }
            if (settings.clientAuth().usernameAsCommonName()) {
                commonName = ks.remote.username();
            }
            if (ks.keyId == 0) {
                maybePush(ks);
            } else {
                finishRenegotiation(ks);
            }
        } catch (EngineException e) {
            fail(e);
        }
    }

    private void maybePush(KeyState ks) throws EngineException {
        if (!pushWanted || pushed || cipher == null || closing || passwordPending != null || connectPending != null) {
            return;
        }
        if (!connectDone && io.wantsClientConnect(this)) {
            connectPending = ks;
            io.clientConnect(this);
            return;
        }
        push(ks);
    }

    /** The verdict of the client-connect script {@link Io#clientConnect} started; on the server thread. */
    public void clientConnected(boolean accepted, String reason) {
        KeyState ks = connectPending;
        connectPending = null;
        if (ks == null || closing) {
            return;
        }
        try {
            connected(ks, accepted, reason);
        } finally {
            publish();
        }
    }

    private void connected(KeyState ks, boolean accepted, String reason) {
        try {
            if (!accepted) {
                io.log(this, "client-connect refused the client: " + reason);
                refuseBare(ks);
                return;
            }
            connectDone = true;
            maybePush(ks);
        } catch (EngineException e) {
            fail(e);
        }
    }

    /** The username the client logged in with, or null. */
    public String username() {
        return username;
    }

    /** The client's peer info as it sent it ({@code IV_...=...} lines). */
    public String peerInfoText() {
        return peerInfoText;
    }

    private void finishRenegotiation(KeyState ks) throws EngineException {
        deriveKeys(ks);
        io.log(this, "renegotiated data channel keys (key id " + ks.keyId + ")");
        io.renegotiated(this);
    }

    private void writeOwnKeyMethod(KeyState ks) throws EngineException {
        byte[] r1 = new byte[32];
        byte[] r2 = new byte[32];
        random.nextBytes(r1);
        random.nextBytes(r2);
        ks.local = new KeyMethod2(null, r1, r2, settings.optionsString(), null, null, null);
        control.writeRecord(ks, ks.local.toBytes());
    }

    private void onMessage(KeyState ks, String msg) throws EngineException {
        if (msg.startsWith("PUSH_REQUEST")) {
            pushWanted = true;
            maybePush(ks);
        } else if (msg.startsWith("EXIT")) {
            close("client exited");
        } else {
            io.log(this, "ignoring control message '" + msg + "'");
        }
    }

    private void push(KeyState ks) throws EngineException {
        List<String> options;
        try {
            options = new ArrayList<>(io.admit(this));
        } catch (EngineException e) {
            refuse(ks, e.getMessage());
            return;
        }
        if (peerInfo.has(PeerInfo.DATA_V2)) {
            options.add("peer-id " + peerId);
        }
        if (!peerInfo.ciphers().isEmpty()) {
            options.add("cipher " + cipher.openvpnName());
        }
        StringBuilder flags = new StringBuilder();
        if (peerInfo.has(PeerInfo.CC_EXIT_NOTIFY)) {
            flags.append(ekm ? " cc-exit tls-ekm" : " cc-exit");
        } else if (ekm) {
            options.add("key-derivation tls-ekm");
        }
        if (epochFormat) {
            flags.append(" aead-epoch");
        }
        if (!flags.isEmpty()) {
            options.add("protocol-flags" + flags);
        }
        if (peerInfo.sentMtu()) {
            options.add("tun-mtu " + settings.tunMtu());
        }
        deriveKeys(ks);
        sendKey = ks;
        List<List<String>> words = options.stream().map(o -> List.of(o.split(" "))).toList();
        for (PushReply part : PushReply.split(words)) {
            control.sendMessage(ks, part.toMessage());
        }
        pushed = true;
        mss = MssLimit.ipv4Mss(settings.mssfix(), cipher, AuthDigest.byName(settings.auth()).orElse(AuthDigest.SHA1),
                settings.framing(), new MssLimit.Link(settings.tcp(), io.ipv6Link(this), peerInfo.has(PeerInfo.DATA_V2),
                        settings.tap()), epochFormat);
        io.log(this, "established: cipher " + cipher.openvpnName() + (ekm ? ", keys by TLS-EKM" : ", keys by PRF")
                + (epochFormat ? ", epoch data format (aead-epoch)" : "")
                + ", peer-id " + peerId + ", mssfix " + settings.mssfix() + " (MSS " + mss + ")");
    }

    /** AUTH_FAILED without a reason: a client is not told why its credentials failed. */
    private void refuseBare(KeyState ks) throws EngineException {
        control.sendMessage(ks, "AUTH_FAILED");
        control.flush();
        close("refused");
    }

    private void refuse(KeyState ks, String reason) throws EngineException {
        io.log(this, "refusing client: " + reason);
        control.sendMessage(ks, "AUTH_FAILED," + reason);
        control.flush();
        close("refused: " + reason);
    }

    private void deriveKeys(KeyState ks) throws EngineException {
        DataKeys.derive(ks, true, ekm, epochFormat, cipher, settings.auth(), control.remoteSid(), control.localSid(), clock);
    }

    @Override
    public void onPeerRenegotiation(KeyState fresh) {
        io.log(this, "client started renegotiation (key id " + fresh.keyId + ")");
        keepSendKeyAlive();
    }

    /** A new generation retires the old lame duck: never keep sending on a key neither side has any more. */
    private void keepSendKeyAlive() {
        if (sendKey != null && sendKey != control.primary() && sendKey != control.lameDuck()) {
            sendKey = control.lameDuck();
        }
    }

    @Override
    public void send(byte[] wirePacket) {
        io.sendLink(this, wirePacket);
    }

    @Override
    public void dropped(DropReason reason) {
        io.dropped(this, reason);
    }

    // ---- data -------------------------------------------------------------------------------------------

    /** Opens a data packet in place in {@code buf} (the caller's array, which the packet may be overwritten in). */
    private boolean onData(byte[] buf, int off, int len) {
        DropReason drop = plane.open(buf, off, len, span);
        if (drop != null) {
            io.dropped(this, drop);
            return drop == DropReason.BAD_COMPRESSION;
        }
        control.noteReceived();
        KeyState primary = control.primary();
        if (sendKey != primary && primary != null && primary.keysReady() && primary.data.opener().heard()) {
            sendKey = primary;
            publish();
        }
        byte[] p = span.array();
        int at = span.offset();
        int n = span.length();
        if (n == 0) {
            // A keepalive ping or an OCC message: the plane delivers neither; an OCC EXIT closes the instance.
            if (plane.exitHeard()) {
                close("client exited");
                publish();
            }
            return true;
        }
        packetsIn++;
        MssClamp.clampTunnel(p, at, n, settings.tap(), mss);
        io.deliver(this, p, at, n);
        return true;
    }
    /** Encrypts one packet/frame for this client and sends it; {@code buf} is left as it was (the packet is copied). */
    public void sendData(byte[] buf, int off, int len) {
        byte[] room = new byte[DataPlane.HEADROOM + len + DataPlane.TAILROOM];
        System.arraycopy(buf, off, room, DataPlane.HEADROOM, len);
        sendDataInPlace(room, DataPlane.HEADROOM, len);
    }

    /**
     * Encrypts one packet/frame for this client in place and sends it: {@code buf} has {@link DataPlane#HEADROOM}
     * free bytes before {@code off} and {@link DataPlane#TAILROOM} after the payload, and is overwritten. Nothing is
     * allocated. Dropped before the client is established and once the instance is closing.
     */
    public void sendDataInPlace(byte[] buf, int off, int len) {
        if (!pushed || sendKey == null) {
            return;
        }
        MssClamp.clampTunnel(buf, off, len, settings.tap(), mss);
        if (plane.seal(buf, off, len, span) == null) {
            packetsOut++;
            io.sendLink(this, span.array(), span.offset(), span.length());
        }
    }

    /** Seals one of the session's own messages (a keepalive ping) on the send key and sends it. */
    private void sendOwn(byte[] message) {
        byte[] room = new byte[DataPlane.HEADROOM + message.length + DataPlane.TAILROOM];
        System.arraycopy(message, 0, room, DataPlane.HEADROOM, message.length);
        if (plane.sealKeepalive(room, DataPlane.HEADROOM, message.length, span) == null) {
            io.sendLink(this, span.array(), span.offset(), span.length());
            control.noteSent();
        }
    }

    /**
     * Publishes the key set to the {@link DataPlane} when it changed since the last time: every generation with keys,
     * the send key, framing, MSS and whether device data is sent (not before the push, not once closing). Called at
     * the end of everything that may change it; allocates only on a change.
     */
    private void publish() {
        KeyState send = sendKey != null && sendKey.keysReady() && cipher != null ? sendKey : null;
        KeyState p = control.primary() != null && control.primary().keysReady() ? control.primary() : null;
        KeyState l = control.lameDuck() != null && control.lameDuck().keysReady() ? control.lameDuck() : null;
        boolean sending = pushed && !closing;
        if (publishedAny && send == publishedSend && p == publishedPrimary && l == publishedLameDuck
                && sending == publishedSending) {
            return;
        }
        publishedAny = true;
        publishedSend = send;
        publishedPrimary = p;
        publishedLameDuck = l;
        publishedSending = sending;
        if (send == null && p == null && l == null) {
            plane.publish(null);
            return;
        }
        int v2 = peerInfo.has(PeerInfo.DATA_V2) ? peerId : -1;
        plane.publish(new DataPlane.Keys(p == null ? null : DataPlane.Generation.of(p),
                l == null ? null : DataPlane.Generation.of(l), send == null ? null : DataPlane.Generation.of(send), v2,
                settings.framing(), mss, sending && send != null));
    }

    // ---- timers and commands ----------------------------------------------------------------------------

    public void tick() {
        long now = clock.millis();
        try {
            KeyState primary = control.primary();
            if (primary == null) {
                return;
            }
            if (!closing) {
                if (!primary.keysReady() && now - primary.startedAt > settings.handWindow() * 1000L) {
                    throw new EngineException(ErrorKind.HANDSHAKE_TIMEOUT, "TLS handshake did not complete within "
                            + settings.handWindow() + " s");
                }
                if (plane.exitHeard()) {
                    close("client exited");
                    return;
                }
                long lastReceived = Math.max(control.lastReceived(), plane.lastReceived());
                if (settings.pingRestart() > 0 && now - lastReceived > settings.pingRestart() * 1000L
                        && now - connectedSince > settings.pingRestart() * 1000L) {
                    throw new EngineException(ErrorKind.KEEPALIVE_TIMEOUT, "Inactivity timeout (--ping-restart)");
                }
                if (settings.sessionTimeout() > 0 && now - connectedSince >= settings.sessionTimeout() * 1000L) {
                    // openvpn's check_session_timeout: SIGTERM on the instance, which closes it without a word to the client
                    io.log(this, "Session timeout, exiting");
                    close("session-timeout");
                    return;
                }
                if (pushed && settings.ping() > 0 && now - Math.max(control.lastSent(), plane.lastSent())
                        >= settings.ping() * 1000L) {
                    sendOwn(DataMessages.ping());
                }
                boolean renegDue = renegMillis > 0 && now - primary.activeAt >= renegMillis;
                if (pushed && primary.keysReady() && (renegDue || primary.data.needsNewKeys())) {
                    io.log(this, "renegotiating data channel keys (" + (renegDue ? "reneg-sec" : "key usage limit") + ")");
                    control.startKey(KeyState.next(primary.keyId), Opcode.CONTROL_SOFT_RESET_V1);
                    keepSendKeyAlive();
                }
                // A client derives renegotiated keys as it reads our key-method-2 message, so once that is acked we
                // may send on the new key; the client switches when it sees our first packet on it.
                KeyState fresh = control.primary();
                if (sendKey != fresh && fresh.keysReady() && fresh.reliable.allAcked()) {
                    sendKey = fresh;
                }
                control.expireLameDuck(sendKey);
            }
            control.progress(control.primary());
            control.flush();
        } catch (EngineException e) {
            fail(e);
        } finally {
            publish();
        }
    }

    /** Whether the client announced it takes PUSH_UPDATE messages (IV_PROTO bit 12, as OpenVPN 2.7 checks). */
    public boolean takesPushUpdate() {
        return peerInfo.has(PeerInfo.PUSH_UPDATE);
    }

    /**
     * Sends a PUSH_UPDATE (split as 2.7 splits it) on the current key: only to an established client that announced
     * support, never while closing. False when it was not sent.
     */
    public boolean pushUpdate(List<PushUpdate.Item> items) {
        if (closing || !pushed || !takesPushUpdate()) {
            return false;
        }
        // During a renegotiation the new key's TLS may not be up yet: the update goes on the key that is.
        KeyState ks = control.primary() != null && control.primary().tls.handshakeDone() ? control.primary()
                : control.lameDuck() != null && control.lameDuck().tls.handshakeDone() ? control.lameDuck() : null;
        if (ks == null) {
            return false;
        }
        try {
            for (PushUpdate part : PushUpdate.split(items)) {
                control.sendMessage(ks, part.toMessage());
            }
            control.flush();
        } catch (EngineException e) {
            fail(e);
            return false;
        }
        io.log(this, "PUSH_UPDATE sent: " + items.stream().map(PushUpdate.Item::text).toList());
        return true;
    }

    /** Tells the client to reconnect (RESTART) or go away (HALT) and removes the instance shortly after. */
    public void kick(boolean halt, String reason) {
        tellAndClose(halt ? "HALT," + reason : "RESTART," + reason, reason);
    }

    /**
     * The server is stopping ({@code explicit-exit-notify}): tells the client to reconnect, to its next remote when
     * {@code nextServer} (OpenVPN's {@code RESTART,[N]}), and removes the instance shortly after. The messages are
     * stock's own, so a stock client logs "Connection reset command was pushed by server ('[N]')".
     */
    public void notifyExit(boolean nextServer) {
        tellAndClose(nextServer ? "RESTART,[N]" : "RESTART", "server shutting down");
    }

    private void tellAndClose(String message, String reason) {
        if (closing) {
            return;
        }
        try {
            if (control.primary() != null && control.primary().tls.handshakeDone()) {
                control.sendMessage(control.primary(), message);
                control.flush();
            }
        } catch (EngineException e) {
            // the instance goes away anyway
        }
        close(reason);
    }

    /**
     * Closes the instance without telling the client, as OpenVPN does to an older instance replaced by a new login
     * with the same common name: a RESTART would send that client back, and its new login would replace this one in
     * turn, so two clients sharing a certificate would bounce each other for ever.
     */
    public void drop(String reason) {
        close(reason);
    }

    private void close(String reason) {
        if (!closing) {
            closing = true;
            closeReason = reason;
            closeAt = clock.millis() + LINGER_MILLIS;
            pushed = false;
            publish();
        }
    }

    private void fail(EngineException e) {
        io.log(this, e.getMessage());
        closing = true;
        closeReason = e.kind().name();
        closeAt = clock.millis();
        publish();
    }
}
