package io.culvert.engine.session;

import io.culvert.engine.common.DropReason;
import io.culvert.engine.common.Span;
import io.culvert.engine.crypto.DataChannel;
import io.culvert.engine.protocol.CompressionFraming;
import io.culvert.engine.protocol.DataMessages;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.InstantSource;
import java.util.Objects;

/**
 * The data channel of one session run to completion by two data threads, without queues: the session publishes the
 * key set as one immutable {@link Keys} snapshot, the sending thread seals with it and the receiving thread opens
 * with it, each in place in its own reused array, and both report back through single-writer fields the session
 * reads on its ticks. Shared by client and server.
 *
 * <p>Thread ownership:
 * <ul>
 *   <li>the <b>session thread</b> calls {@link #publish} (on connect, rekey, send-key switch, lame-duck expiry,
 *       exit) and reads the reports ({@link #lastReceived()}, {@link #lastSent()}, {@link #bytesIn()},
 *       {@link #bytesOut()}); it may also {@link #sealKeepalive} its own pings and exit notices, which the
 *       sealer's monitor serialises with the sending thread;</li>
 *   <li>one <b>sending thread</b> (the device reader, or whoever sends for this session) calls {@link #seal};</li>
 *   <li>one <b>receiving thread</b> (the link reader, or whoever receives for this session) calls {@link #open}.</li>
 * </ul>
 * A packet whose key is not in the current snapshot is dropped ({@link DropReason#NO_KEY}): once a snapshot without
 * a generation is published, no packet opened with that generation is delivered any more.
 *
 * <p>Buffers: the payload to seal lies at an offset with {@link #HEADROOM} free bytes before it and
 * {@link #TAILROOM} after it; a packet to open should have {@link #TAILROOM} spare bytes after it (without them
 * opening still works, through JCE's copying path).
 */
public final class DataPlane {
    /** Free bytes a sender keeps in front of a payload: compression framing 2, V2 header 4, largest crypto prefix. */
    public static final int HEADROOM = 128;
    /** Free bytes after a payload or packet: framing 1, tag or CBC padding 16, the AEAD tag moved behind on opening. */
    public static final int TAILROOM = 48;

    private static final VarHandle LAST_RECEIVED;
    private static final VarHandle LAST_SENT;
    private static final VarHandle BYTES_IN;
    private static final VarHandle BYTES_OUT;
    private static final VarHandle TRAFFIC_IN_AT;
    private static final VarHandle TRAFFIC_OUT_AT;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            LAST_RECEIVED = l.findVarHandle(DataPlane.class, "lastReceived", long.class);
            LAST_SENT = l.findVarHandle(DataPlane.class, "lastSent", long.class);
            BYTES_IN = l.findVarHandle(DataPlane.class, "bytesIn", long.class);
            BYTES_OUT = l.findVarHandle(DataPlane.class, "bytesOut", long.class);
            TRAFFIC_IN_AT = l.findVarHandle(DataPlane.class, "trafficInAt", long.class);
            TRAFFIC_OUT_AT = l.findVarHandle(DataPlane.class, "trafficOutAt", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** One key generation as the data threads see it. */
    public record Generation(int keyId, DataChannel channel) {
        public Generation {
            Objects.requireNonNull(channel, "channel");
        }

        /** The data-thread view of a key state that has its keys. */
        public static Generation of(KeyState ks) {
            return new Generation(ks.keyId, ks.data);
        }
    }

    /**
     * What the data threads need, published as one value: the primary and lame-duck generations (either may be
     * null), the one the session sends on, the peer-id (-1 for P_DATA_V1), the compression framing, the MSS the
     * owner clamps TCP to (0 = none), and whether data from the device is sent at all (false while exiting).
     */
    public record Keys(Generation primary, Generation lameDuck, Generation send, int peerId, CompressionFraming framing,
            int mss, boolean sending) {
        public Keys {
            Objects.requireNonNull(framing, "framing");
            if (peerId < -1 || peerId > 0xFFFFFF) {
                throw new IllegalArgumentException("peer id must be -1 or 0..0xFFFFFF, got " + peerId);
            }
        }

        /** The generation a data packet's key id names, or null. */
        public Generation forKeyId(int keyId) {
            if (primary != null && primary.keyId() == keyId) {
                return primary;
            }
            if (lameDuck != null && lameDuck.keyId() == keyId) {
                return lameDuck;
            }
            return null;
        }

        /** The generation to seal with: the primary as soon as the peer was heard on it, else {@link #send}. */
        public Generation sender() {
            if (send != primary && primary != null && primary.channel().opener().heard()) {
                return primary;
            }
            return send;
        }

        /** The same key set with device data stopped or resumed. */
        public Keys withSending(boolean on) {
            return new Keys(primary, lameDuck, send, peerId, framing, mss, on);
        }
    }

    private final InstantSource clock;
    private volatile Keys keys;
    /** Set once by the receiving thread when the peer sent OCC EXIT (explicit-exit-notify); read by the session. */
    private volatile boolean exitHeard;
    @SuppressWarnings("unused") // through LAST_RECEIVED
    private long lastReceived;
    @SuppressWarnings("unused") // through LAST_SENT
    private long lastSent;
    @SuppressWarnings("unused") // through BYTES_IN
    private long bytesIn;
    @SuppressWarnings("unused") // through BYTES_OUT
    private long bytesOut;
    @SuppressWarnings("unused") // through TRAFFIC_IN_AT
    private long trafficInAt;
    @SuppressWarnings("unused") // through TRAFFIC_OUT_AT
    private long trafficOutAt;

    public DataPlane(InstantSource clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    // ---- session thread ---------------------------------------------------------------------------------

    /** Makes {@code next} the key set the data threads use from their next packet on; null stops the data path. */
    public void publish(Keys next) {
        keys = next;
    }

    /** The published key set, or null. Any thread. */
    public Keys keys() {
        return keys;
    }

    /** When an authenticated data packet last arrived (epoch millis, 0 before the first). */
    public long lastReceived() {
        return (long) LAST_RECEIVED.getOpaque(this);
    }

    /** When a data packet was last sealed for sending (epoch millis, 0 before the first). */
    public long lastSent() {
        return (long) LAST_SENT.getOpaque(this);
    }

    /** True once the peer sent an OCC EXIT message (explicit-exit-notify) on this plane. Any thread. */
    public boolean exitHeard() {
        return exitHeard;
    }

    /** Payload bytes delivered from the link so far (keepalive and OCC messages not counted). */
    public long bytesIn() {
        return (long) BYTES_IN.getOpaque(this);
    }

    /** Payload bytes sealed from the device so far (keepalive and exit messages not counted). */
    public long bytesOut() {
        return (long) BYTES_OUT.getOpaque(this);
    }

    /** When payload bytes last moved either way (keepalive and OCC messages not counted; epoch millis, 0 before). */
    public long lastTraffic() {
        return Math.max((long) TRAFFIC_IN_AT.getOpaque(this), (long) TRAFFIC_OUT_AT.getOpaque(this));
    }

    /**
     * Seals one of the session's own messages (ping, OCC) on the send key, even while device data is stopped;
     * the same contract as {@link #seal}.
     */
    public DropReason sealKeepalive(byte[] buf, int off, int len, Span wire) {
        Keys k = keys;
        return k == null ? DropReason.NO_KEY : seal(k, buf, off, len, wire);
    }

    // ---- sending thread ---------------------------------------------------------------------------------

    /**
     * Frames and seals the payload at {@code buf[off, off + len)} in place ({@link #HEADROOM} free bytes before,
     * {@link #TAILROOM} after). Returns null and points {@code wire} at the packet to send, or returns why nothing
     * is sent: {@link DropReason#NO_KEY} before keys are published, while exiting, or when the key's packet ids are
     * exhausted (the session renegotiates long before). Allocates nothing.
     */
    public DropReason seal(byte[] buf, int off, int len, Span wire) {
        Keys k = keys;
        if (k == null || !k.sending()) {
            return DropReason.NO_KEY;
        }
        DropReason drop = seal(k, buf, off, len, wire);
        if (drop == null) {
            BYTES_OUT.setOpaque(this, (long) BYTES_OUT.getOpaque(this) + len);
            TRAFFIC_OUT_AT.setOpaque(this, (long) LAST_SENT.getOpaque(this));
        }
        return drop;
    }

    private DropReason seal(Keys k, byte[] buf, int off, int len, Span wire) {
        Generation g = k.sender();
        if (g == null || len <= 0) {
            return g == null ? DropReason.NO_KEY : DropReason.TRUNCATED;
        }
        k.framing().frameInPlace(buf, off, len, wire);
        int framedOff = wire.offset();
        DataChannel channel = g.channel();
        int n = channel.sealer().seal(g.keyId(), k.peerId(), buf, framedOff, wire.length());
        if (n < 0) {
            return DropReason.NO_KEY;
        }
        wire.set(buf, framedOff - channel.headroom(k.peerId() >= 0), n);
        LAST_SENT.setOpaque(this, clock.millis());
        return null;
    }

    // ---- receiving thread -------------------------------------------------------------------------------

    /**
     * Opens one data packet at {@code buf[off, off + len)} in place: picks the generation its key id names,
     * authenticates, decrypts, replay-checks and unframes it. Returns null on success with {@code payload} pointing
     * at the inner packet, of length 0 for a keepalive ping or OCC message (nothing to deliver; an OCC EXIT sets
     * {@link #exitHeard()}); otherwise returns
     * why it was dropped. Allocates nothing, except to decompress a compressed payload.
     */
    public DropReason open(byte[] buf, int off, int len, Span payload) {
        Keys k = keys;
        if (k == null || len < 1) {
            return k == null ? DropReason.NO_KEY : DropReason.TRUNCATED;
        }
        Generation g = k.forKeyId(buf[off] & 0x07);
        if (g == null) {
            return DropReason.NO_KEY;
        }
        DropReason drop = g.channel().opener().open(buf, off, len, payload);
        if (drop != null) {
            return drop;
        }
        Keys current = keys;
        Generation still = current == null ? null : current.forKeyId(g.keyId());
        if (current != k && (still == null || still.channel() != g.channel())) {
            return DropReason.NO_KEY; // retired while this packet was being opened
        }
        long now = clock.millis();
        LAST_RECEIVED.setOpaque(this, now);
        drop = k.framing().unframeInPlace(payload.array(), payload.offset(), payload.length(), payload);
        if (drop != null) {
            return drop;
        }
        byte[] p = payload.array();
        if (DataMessages.isPing(p, payload.offset(), payload.length()) || DataMessages.isOcc(p, payload.offset(), payload.length())) {
            if (!exitHeard && DataMessages.occOpcode(p, payload.offset(), payload.length()) == DataMessages.OCC_EXIT) {
                exitHeard = true;
            }
            payload.set(p, payload.offset(), 0);
            return null;
        }
        if (payload.length() == 0) {
            return DropReason.TRUNCATED;
        }
        BYTES_IN.setOpaque(this, (long) BYTES_IN.getOpaque(this) + payload.length());
        TRAFFIC_IN_AT.setOpaque(this, now);
        return null;
    }
}
