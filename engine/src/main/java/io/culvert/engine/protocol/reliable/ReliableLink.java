package io.culvert.engine.protocol.reliable;

import io.culvert.engine.common.DropReason;
import io.culvert.engine.protocol.ControlPacket;
import io.culvert.engine.protocol.Opcode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The control-channel reliability layer of one key state: numbers outgoing reset/P_CONTROL_V1 packets,
 * retransmits them with exponential backoff until ACKed (send window 6), reorders incoming ones into a
 * byte stream (receive window 12), and schedules ACKs. Sans-I/O: the caller feeds parsed packets to
 * {@link #receive}, transmits what {@link #poll} returns (wrapping each with tls-auth/tls-crypt afresh),
 * and sleeps until {@link #nextWakeupMillis}. Session ids are checked here: a packet whose ACK record
 * names another remote session id than ours, or whose own sid is not the peer's, is rejected.
 * Message ids do not wrap (a key state ends long before 2^32 packets). Not thread-safe.
 */
public final class ReliableLink {

    public static final int SEND_WINDOW = 6;
    public static final int RECEIVE_WINDOW = ReceiveWindow.SIZE;
    /** ACK ids carried by a reset or P_CONTROL_V1 ({@code CONTROL_SEND_ACK_MAX}). */
    public static final int PIGGYBACK_ACKS = 4;
    /** Later ACKs after which an unACKed packet is resent at once ({@code N_ACK_RETRANSMIT}). */
    public static final int FAST_RETRANSMIT_ACKS = 3;
    /** Worst-case control header: opcode, sid, ACK count, 4 ACKs, remote sid, message id. */
    public static final int CONTROL_HEADER_MAX = 1 + 8 + 1 + 4 * PIGGYBACK_ACKS + 8 + 4;

    private static final long MAX_TIMEOUT_MILLIS = 24L * 3600 * 1000;

    private final int keyId;
    private final long localSessionId;
    private final int maxPayload;
    private final long initialTimeoutMillis;
    private int ackOnlyLimit = ControlPacket.MAX_ACKS;

    private long remoteSessionId;
    private boolean remoteKnown;

    private Opcode resetToSend;
    private boolean resetQueued;
    private final ByteQueue unsent = new ByteQueue();
    private long nextSendId;
    private final List<InFlight> inFlight = new ArrayList<>(SEND_WINDOW);
    private boolean ownResetAcked;
    private Opcode firstStreamOpcode = Opcode.CONTROL_V1;
    private int firstStreamReserve;

    private final AckTracker acks = new AckTracker();
    private final ReceiveWindow rx = new ReceiveWindow();
    private DropReason lastDrop;

    private static final class InFlight {
        final long id;
        final Opcode opcode;
        final byte[] payload;
        long nextTry;
        long timeout;
        int laterAcks;

        InFlight(long id, Opcode opcode, byte[] payload, long timeout) {
            this.id = id;
            this.opcode = opcode;
            this.payload = payload;
            this.timeout = timeout;
        }
    }

    public ReliableLink(int keyId, long localSessionId, int maxPayloadPerPacket, long initialTimeoutMillis) {
        if (keyId < 0 || keyId > 7 || maxPayloadPerPacket < 1 || initialTimeoutMillis < 1) {
            throw new IllegalArgumentException("bad key id, payload size or timeout");
        }
        this.keyId = keyId;
        this.localSessionId = localSessionId;
        this.maxPayload = maxPayloadPerPacket;
        this.initialTimeoutMillis = initialTimeoutMillis;
    }

    /**
     * TLS bytes that fit in one P_CONTROL_V1 of at most {@code maxPacketSize} bytes on the wire
     * (2.6 default 1250), counting the IP+UDP header (28 for IPv4, 48 for IPv6), a worst-case header
     * with 4 ACKs, and the tls-auth/tls-crypt overhead (0 for none, 40 for tls-crypt).
     */
    public static int maxPayload(int maxPacketSize, int ipUdpHeader, int wrapOverhead) {
        return maxPacketSize - ipUdpHeader - CONTROL_HEADER_MAX - wrapOverhead;
    }

    public int keyId() {
        return keyId;
    }

    public long localSessionId() {
        return localSessionId;
    }

    /** Fixes the peer's session id; until then the first received packet's sid is adopted. */
    public void setRemoteSessionId(long sid) {
        remoteSessionId = sid;
        remoteKnown = true;
    }

    public long remoteSessionId() {
        return remoteSessionId;
    }

    public boolean remoteSessionIdKnown() {
        return remoteKnown;
    }

    /** Limits dedicated P_ACK_V1 records to {@code n} ids (4 for 2.6's SoftEther workaround; default 8). */
    public void setAckOnlyLimit(int n) {
        if (n < 1 || n > ControlPacket.MAX_ACKS) {
            throw new IllegalArgumentException("ack limit must be 1..8");
        }
        ackOnlyLimit = n;
    }

    /** Queues this key state's hard or soft reset as message id 0 with an empty payload. */
    public void queueReset(Opcode resetOpcode) {
        if (!resetOpcode.isReset()) {
            throw new IllegalArgumentException("not a reset opcode: " + resetOpcode);
        }
        if (resetQueued || nextSendId != 0 || unsent.size() != 0) {
            throw new IllegalStateException("the reset must be the first packet");
        }
        resetToSend = resetOpcode;
        resetQueued = true;
    }

    /**
     * For a 2.6 UDP server's stateless cookie handshake: both resets count as exchanged and ACKed, so
     * the first packet each side sends from now on is message id 1.
     */
    public void assumeResetsExchanged() {
        if (resetQueued || nextSendId != 0 || rx.next() != 0 || unsent.size() != 0) {
            throw new IllegalStateException("already started");
        }
        resetQueued = true;
        ownResetAcked = true;
        nextSendId = 1;
        rx.skipReset();
    }

    /**
     * Sends message id 1 (the first after the reset) as {@code opcode}, with {@code reserve} bytes less payload, and
     * keeps that opcode on its retransmissions; for a tls-crypt-v2 client whose server asked it to resend its WKc in a
     * P_CONTROL_WKC_V1. No effect once message 1 exists.
     */
    public void sendFirstStreamPacketAs(Opcode opcode, int reserve) {
        if (opcode != Opcode.CONTROL_V1 && opcode != Opcode.CONTROL_WKC_V1 || reserve < 0 || reserve >= maxPayload) {
            throw new IllegalArgumentException("bad first packet opcode or reserve");
        }
        firstStreamOpcode = opcode;
        firstStreamReserve = reserve;
    }

    /** Queues TLS ciphertext; it is cut into P_CONTROL_V1 payloads regardless of TLS record boundaries. */
    public void queueStream(byte[] tlsBytes) {
        unsent.append(Objects.requireNonNull(tlsBytes));
    }

    /**
     * Processes a parsed control packet for this key id: ACKs first, then a reset or P_CONTROL_V1 is
     * stored and ACKed if its id is in the receive window, re-ACKed if already received, or dropped
     * without ACK if too far ahead. Returns false if the packet was dropped; see {@link #lastDropReason}.
     */
    public boolean receive(ControlPacket p, long nowMillis) {
        lastDrop = null;
        if (p.keyId() != keyId) {
            return drop(DropReason.UNEXPECTED);
        }
        if (p.ackCount() > 0 && p.remoteSessionId() != localSessionId
                || remoteKnown && p.sessionId() != remoteSessionId) {
            return drop(DropReason.WRONG_SESSION);
        }
        if (p.opcode().isReset() && p.messageId() != 0) {
            return drop(DropReason.UNEXPECTED);
        }
        if (!remoteKnown) {
            setRemoteSessionId(p.sessionId());
        }
        processAcks(p.acks());
        if (p.opcode() == Opcode.ACK_V1) {
            return true;
        }
        long id = p.messageId();
        if (rx.tooFarAhead(id)) {
            return drop(DropReason.WINDOW_FULL);
        }
        if (!acks.add(id)) {
            return drop(DropReason.WINDOW_FULL);
        }
        rx.store(p);
        return true;
    }

    /** Why the last {@link #receive} returned false, or null if it accepted the packet. */
    public DropReason lastDropReason() {
        return lastDrop;
    }

    /** In-order P_CONTROL_V1 payloads received since the last call, joined; empty if none. */
    public byte[] takeInOrderStream() {
        return rx.takeStream();
    }

    /** True once the peer's reset (message id 0) has been received in order. */
    public boolean peerResetReceived() {
        return rx.resetReceived();
    }

    /** The payload of the peer's reset (early-negotiation TLVs), empty if none. */
    public byte[] peerResetPayload() {
        return rx.resetPayload();
    }

    /**
     * The packets to transmit now: due retransmissions (lowest id first; timeouts double on each send,
     * or resend at once after {@value #FAST_RETRANSMIT_ACKS} later ACKs), new packets while the send
     * window has room, each with up to {@value #PIGGYBACK_ACKS} ACKs, and then P_ACK_V1 packets for ACKs
     * still pending.
     */
    public List<ControlPacket> poll(long nowMillis) {
        List<ControlPacket> out = new ArrayList<>();
        for (InFlight f : inFlight) {
            if (f.nextTry <= nowMillis || f.laterAcks >= FAST_RETRANSMIT_ACKS) {
                out.add(transmit(f, nowMillis));
            }
        }
        while (canCreate()) {
            InFlight f = create();
            inFlight.add(f);
            out.add(transmit(f, nowMillis));
        }
        while (acks.hasPending()) {
            out.add(ControlPacket.ack(keyId, localSessionId, acks.take(ackOnlyLimit), remoteSessionId));
        }
        return out;
    }

    /** Resends every unACKed packet at the next poll with a fresh timeout (2.6's one-time "burst"). */
    public void retransmitAllNow(long nowMillis) {
        for (InFlight f : inFlight) {
            f.nextTry = nowMillis;
            f.timeout = initialTimeoutMillis;
        }
    }

    /** When {@link #poll} next has something to send (never before {@code nowMillis}); Long.MAX_VALUE if idle. */
    public long nextWakeupMillis(long nowMillis) {
        if (acks.hasPending() || canCreate()) {
            return nowMillis;
        }
        long t = Long.MAX_VALUE;
        for (InFlight f : inFlight) {
            t = Math.min(t, f.laterAcks >= FAST_RETRANSMIT_ACKS ? nowMillis : Math.max(nowMillis, f.nextTry));
        }
        return t;
    }

    /** Nothing queued and everything sent has been ACKed. */
    public boolean allAcked() {
        return inFlight.isEmpty() && unsent.size() == 0 && !(resetQueued && nextSendId == 0);
    }

    public boolean ownResetAcked() {
        return ownResetAcked;
    }

    /** Payload bytes not yet ACKed by the peer: queued but unsent, plus in flight. */
    public int pendingOutgoingBytes() {
        int n = unsent.size();
        for (InFlight f : inFlight) {
            n += f.payload.length;
        }
        return n;
    }

    /** Packets sent and not yet ACKed (at most {@value #SEND_WINDOW}). */
    public int unackedCount() {
        return inFlight.size();
    }

    public long nextSendId() {
        return nextSendId;
    }

    public long nextReceiveId() {
        return rx.next();
    }

    private boolean drop(DropReason reason) {
        lastDrop = reason;
        return false;
    }

    private void processAcks(long[] ids) {
        for (long id : ids) {
            InFlight acked = null;
            for (InFlight f : inFlight) {
                if (f.id == id) {
                    acked = f;
                    break;
                }
            }
            if (acked == null) {
                continue;
            }
            inFlight.remove(acked);
            if (acked.opcode.isReset()) {
                ownResetAcked = true;
            }
            for (InFlight f : inFlight) {
                if (f.id < id) {
                    f.laterAcks++;
                }
            }
        }
    }

    private boolean canCreate() {
        boolean hasData = resetQueued && nextSendId == 0 || unsent.size() > 0;
        long lowest = inFlight.isEmpty() ? nextSendId : inFlight.getFirst().id;
        return hasData && nextSendId < lowest + SEND_WINDOW;
    }

    private InFlight create() {
        long id = nextSendId++;
        if (resetQueued && id == 0) {
            return new InFlight(id, resetToSend, new byte[0], initialTimeoutMillis);
        }
        if (id == 1) {
            return new InFlight(id, firstStreamOpcode, unsent.take(maxPayload - firstStreamReserve), initialTimeoutMillis);
        }
        return new InFlight(id, Opcode.CONTROL_V1, unsent.take(maxPayload), initialTimeoutMillis);
    }

    private ControlPacket transmit(InFlight f, long nowMillis) {
        f.nextTry = nowMillis + f.timeout;
        f.timeout = Math.min(f.timeout * 2, MAX_TIMEOUT_MILLIS);
        f.laterAcks = 0;
        long[] ackIds = remoteKnown ? acks.take(PIGGYBACK_ACKS) : new long[0];
        return new ControlPacket(f.opcode, keyId, localSessionId, ackIds, remoteSessionId, f.id, f.payload);
    }
}
