package io.culvert.engine.testkit;

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
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLException;

/**
 * The server side of one OpenVPN 2.6 client session, in memory and sans-I/O, built from the engine's own
 * building blocks (control wrap, reliable link, TLS in server mode, key-method-2, push, data channel). It is
 * a stateful server (random session id, retransmits its reset), which 2.6 clients accept like the cookie
 * server. Feed it client packets with {@link #onPacket}, collect its packets with {@link #takeOutgoing},
 * drive its timers with {@link #tick}. Protocol violations by the client throw {@link IllegalStateException}
 * so a test fails loudly. Not thread-safe.
 */
public final class ScriptedServer {
    private static final String EKM_LABEL = "EXPORTER-OpenVPN-datakeys";

    private final ServerScript script;
    private final InstantSource clock;
    private final long sid;
    private final ControlWrap wrap;
    private final int maxPayload;
    private final List<byte[]> outgoing = new ArrayList<>();
    private final List<byte[]> received = new ArrayList<>();
    private final List<Integer> receivedKeyIds = new ArrayList<>();
    private final List<String> controlMessages = new ArrayList<>();
    private final Map<DropReason, Integer> drops = new EnumMap<>(DropReason.class);

    private long clientSid;
    private boolean clientKnown;
    private ServerKey primary;
    private ServerKey lameDuck;
    private ServerKey sendKey;
    private long renegotiatedAt;
    private boolean pushAnswered;
    private PushReply push;
    private CompressionFraming framing = CompressionFraming.NONE;
    private int peerId = -1;
    private int pingSeconds;
    private long lastDataSent;
    private int pingsReceived;
    private int occExitsReceived;

    public ScriptedServer(ServerScript script, InstantSource clock, SecureRandom random) {
        this.script = script;
        this.clock = clock;
        long s;
        do {
            s = random.nextLong();
        } while (s == 0);
        this.sid = s;
        this.wrap = script.wrap().newSession(true, clock);
        this.maxPayload = ReliableLink.maxPayload(1250, 28, wrap.overhead());
    }

    // ---- input ------------------------------------------------------------------------------------------

    /** One packet from the client, as it came off the wire. */
    public void onPacket(byte[] wire) {
        if (wire.length == 0) {
            drop(DropReason.TRUNCATED);
            return;
        }
        int opcode = (wire[0] & 0xff) >>> 3;
        if (opcode == DataChannel.P_DATA_V1 || opcode == DataChannel.P_DATA_V2) {
            onData(wire);
            return;
        }
        Decoded<byte[]> plain = wrap.unwrap(wire);
        if (!plain.isOk()) {
            drop(plain.reason());
            return;
        }
        Decoded<ControlPacket> parsed = ControlPacket.parse(plain.value(), 0, plain.value().length);
        if (!parsed.isOk()) {
            drop(parsed.reason());
            return;
        }
        onControl(parsed.value());
    }

    private void onControl(ControlPacket p) {
        if (!clientKnown) {
            if (p.opcode() != Opcode.CONTROL_HARD_RESET_CLIENT_V2 || p.keyId() != 0) {
                drop(DropReason.UNEXPECTED);
                return;
            }
            clientSid = p.sessionId();
            clientKnown = true;
            primary = newKey(0);
            primary.link.queueReset(Opcode.CONTROL_HARD_RESET_SERVER_V2);
        } else if (p.sessionId() != clientSid) {
            drop(DropReason.WRONG_SESSION);
            return;
        }
        ServerKey k = keyFor(p);
        if (k == null) {
            drop(DropReason.UNEXPECTED);
            return;
        }
        if (!k.link.receive(p, clock.millis())) {
            drop(k.link.lastDropReason());
            return;
        }
        progress(k);
        flush();
    }

    private ServerKey keyFor(ControlPacket p) {
        if (p.keyId() == primary.keyId) {
            return primary;
        }
        if (lameDuck != null && p.keyId() == lameDuck.keyId) {
            return lameDuck;
        }
        if (p.opcode() == Opcode.CONTROL_SOFT_RESET_V1 && primary.data != null && p.keyId() == ServerKey.next(primary.keyId)) {
            startRenegotiation();
            return primary;
        }
        return null;
    }

    private void progress(ServerKey k) {
        try {
            byte[] in = k.link.takeInOrderStream();
            if (in.length > 0) {
                k.tls.feed(in);
            }
            for (byte[] record : k.tls.takeRecords()) {
                onPlaintext(k, record);
            }
            byte[] out = k.tls.takeOutgoing();
            if (out.length > 0) {
                k.link.queueStream(out);
            }
        } catch (SSLException e) {
            throw new IllegalStateException("server TLS failed on key " + k.keyId + ": " + e.getMessage(), e);
        }
    }

    private void onPlaintext(ServerKey k, byte[] record) throws SSLException {
        if (k.client == null) {
            Decoded<KeyMethod2> km = KeyMethod2.parse(record, 0, record.length, true);
            if (!km.isOk()) {
                throw new IllegalStateException("client key-method-2 message does not parse: " + km.reason());
            }
            String info = km.value().peerInfo();
            if (!info.contains("IV_PROTO=") || !info.contains("IV_CIPHERS=")) {
                throw new IllegalStateException("client peer-info lacks IV_PROTO or IV_CIPHERS: " + info);
            }
            k.client = km.value();
            byte[] r1 = new byte[32];
            byte[] r2 = new byte[32];
            new SecureRandom().nextBytes(r1);
            new SecureRandom().nextBytes(r2);
            k.server = new KeyMethod2(null, r1, r2, script.options(), "", "", "");
            k.tls.write(k.server.toBytes());
            if (k.keyId != 0) {
                deriveKeys(k);
            }
            return;
        }
        for (String msg : k.messages.feed(record, 0, record.length)) {
            controlMessages.add(msg);
            if (msg.equals("PUSH_REQUEST") && !pushAnswered) {
                pushAnswered = true;
                answerPush(k, script.pushResponse());
            }
        }
    }

    /** Sends these messages now as if answering PUSH_REQUEST (e.g. the PUSH_REPLY after an AUTH_PENDING). */
    public void sendPushResponse(String... messages) {
        try {
            answerPush(primary, List.of(messages));
        } catch (SSLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void answerPush(ServerKey k, List<String> messages) throws SSLException {
        List<PushReply> parts = new ArrayList<>();
        for (String m : messages) {
            if (m.startsWith(PushReply.PREFIX)) {
                parts.add(PushReply.parse(m).value());
            }
        }
        if (!parts.isEmpty()) {
            push = PushReply.merge(parts);
            String cipher = push.find("cipher").map(o -> o.get(1)).orElse("AES-256-GCM");
            push.find("peer-id").ifPresent(o -> peerId = Integer.parseInt(o.get(1)));
            push.find("ping").ifPresent(o -> pingSeconds = Integer.parseInt(o.get(1)));
            for (List<String> o : push.options()) {
                if (CompressionFraming.isCompressionOption(o)) {
                    framing = CompressionFraming.fromPushed(o).orElse(CompressionFraming.NONE);
                }
            }
            if (DataCipher.byName(cipher).isPresent()) {
                deriveKeys(k);
                sendKey = k;
            }
        }
        for (String m : messages) {
            sendControlMessage(m);
        }
    }

    private boolean pushSaysEkm() {
        return push.find("key-derivation").map(o -> o.contains("tls-ekm")).orElse(false)
                || push.find("protocol-flags").map(o -> o.contains("tls-ekm")).orElse(false);
    }

    private void deriveKeys(ServerKey k) throws SSLException {
        boolean ekm = switch (script.derivation()) {
            case EKM -> true;
            case PRF -> false;
            case FOLLOW_PUSH -> pushSaysEkm();
        };
        byte[] key2 = ekm
                ? k.tls.exportKeyingMaterial(EKM_LABEL, 256)
                : Prf.openvpnKeyExpansion(k.client.preMaster(), k.client.random1(), k.server.random1(), k.client.random2(),
                        k.server.random2(), sidBytes(clientSid), sidBytes(sid));
        DataCipher cipher = DataCipher.byName(push.find("cipher").map(o -> o.get(1)).orElse("AES-256-GCM")).orElseThrow();
        boolean epoch = cipher.aead() && push.find("protocol-flags").map(o -> o.contains("aead-epoch")).orElse(false);
        k.data = epoch ? DataChannel.createEpoch(cipher, key2, true, clock)
                : DataChannel.create(cipher, script.authDigest(), key2, true, clock);
        k.derivation = ekm ? "EKM" : "PRF";
    }

    private void onData(byte[] wire) {
        int keyId = wire[0] & 0x07;
        ServerKey k = primary != null && primary.keyId == keyId ? primary
                : lameDuck != null && lameDuck.keyId == keyId ? lameDuck : null;
        if (k == null || k.data == null) {
            drop(DropReason.NO_KEY);
            return;
        }
        Decoded<byte[]> plain = k.data.decrypt(wire, 0, wire.length);
        if (!plain.isOk()) {
            drop(plain.reason());
            return;
        }
        Decoded<byte[]> payload = framing.unframe(plain.value(), 0, plain.value().length);
        if (!payload.isOk()) {
            drop(payload.reason());
            return;
        }
        byte[] p = payload.value();
        if (DataMessages.isPing(p, 0, p.length)) {
            pingsReceived++;
        } else if (DataMessages.occOpcode(p, 0, p.length) == DataMessages.OCC_EXIT) {
            occExitsReceived++;
        } else {
            received.add(p);
            receivedKeyIds.add(keyId);
        }
    }

    // ---- output -----------------------------------------------------------------------------------------

    /** Sends one control message (NUL added) on the primary key. */
    public void sendControlMessage(String msg) {
        byte[] text = msg.getBytes(StandardCharsets.US_ASCII);
        try {
            primary.tls.write(Arrays.copyOf(text, text.length + 1));
        } catch (SSLException e) {
            throw new IllegalStateException(e);
        }
        primary.link.queueStream(primary.tls.takeOutgoing());
        flush();
    }

    /** Encrypts one tun packet to the client on the current send key and queues it; returns the wire packet. */
    public byte[] sendData(byte[] payload) {
        if (sendKey == null) {
            throw new IllegalStateException("no data keys yet");
        }
        maybeSwitchSendKey();
        byte[] framed = framing.frame(payload, 0, payload.length);
        byte[] packet = sendKey.data.encrypt(sendKey.keyId, peerId, framed, 0, framed.length);
        outgoing.add(packet);
        lastDataSent = clock.millis();
        return packet;
    }

    /** Starts a server-initiated renegotiation: a soft reset with the next key id. */
    public void softReset() {
        if (primary == null || primary.data == null) {
            throw new IllegalStateException("nothing to renegotiate");
        }
        startRenegotiation();
        flush();
    }

    private void startRenegotiation() {
        ServerKey fresh = newKey(ServerKey.next(primary.keyId));
        fresh.link.queueReset(Opcode.CONTROL_SOFT_RESET_V1);
        if (sendKey != null && sendKey != primary) {
            sendKey = primary; // 2.6 sends only on the primary or the lame duck
        }
        lameDuck = primary;
        primary = fresh;
        renegotiatedAt = clock.millis();
    }

    /** Retransmissions, the switch to a renegotiated send key, and keepalive pings at the pushed interval. */
    public void tick() {
        if (primary == null) {
            return;
        }
        maybeSwitchSendKey();
        if (sendKey != null && pingSeconds > 0 && clock.millis() - lastDataSent >= pingSeconds * 1000L) {
            sendData(DataMessages.ping());
        }
        flush();
    }

    private void maybeSwitchSendKey() {
        if (sendKey != null && sendKey != primary && primary.data != null
                && clock.millis() - renegotiatedAt >= script.keySwitchDelay().toMillis()) {
            sendKey = primary;
        }
    }

    /** Packets to deliver to the client, in send order; clears the queue. */
    public List<byte[]> takeOutgoing() {
        List<byte[]> out = List.copyOf(outgoing);
        outgoing.clear();
        return out;
    }

    private void flush() {
        long now = clock.millis();
        for (ServerKey k : lameDuck == null ? List.of(primary) : List.of(primary, lameDuck)) {
            for (ControlPacket p : k.link.poll(now)) {
                outgoing.add(wrap.wrap(p.toBytes()));
            }
        }
    }

    private ServerKey newKey(int keyId) {
        ReliableLink link = new ReliableLink(keyId, sid, maxPayload, script.tlsTimeoutMillis());
        link.setRemoteSessionId(clientSid);
        try {
            return new ServerKey(keyId, link, TlsChannel.create(script.tls()), clock.millis());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private void drop(DropReason reason) {
        drops.merge(reason, 1, Integer::sum);
    }

    private static byte[] sidBytes(long v) {
        return ByteBuffer.allocate(8).putLong(v).array();
    }

    // ---- observations -----------------------------------------------------------------------------------

    /** Decrypted tun payloads from the client (pings and OCC excluded), in arrival order. */
    public List<byte[]> received() {
        return List.copyOf(received);
    }

    /** The key id each {@link #received()} payload arrived on. */
    public List<Integer> receivedKeyIds() {
        return List.copyOf(receivedKeyIds);
    }

    /** Control messages read from the client (PUSH_REQUEST, EXIT …). */
    public List<String> controlMessages() {
        return List.copyOf(controlMessages);
    }

    public int pingsReceived() {
        return pingsReceived;
    }

    public int occExitsReceived() {
        return occExitsReceived;
    }

    public Map<DropReason, Integer> drops() {
        return Map.copyOf(drops);
    }

    /** The client's latest key-method-2 message, or null. */
    public KeyMethod2 clientKeyMethod2() {
        return primary == null ? null : primary.client != null ? primary.client : lameDuck != null ? lameDuck.client : null;
    }

    public int primaryKeyId() {
        return primary == null ? -1 : primary.keyId;
    }

    /** Whether the primary key has data-channel keys. */
    public boolean primaryKeysReady() {
        return primary != null && primary.data != null;
    }

    /** "EKM" or "PRF" for the primary key's data keys, null before. */
    public String primaryDerivation() {
        return primary == null ? null : primary.derivation;
    }

    public int sendKeyId() {
        return sendKey == null ? -1 : sendKey.keyId;
    }

    public long sessionId() {
        return sid;
    }

    public long clientSessionId() {
        return clientSid;
    }
}
