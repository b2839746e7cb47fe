package io.culvert.engine.server;

import io.culvert.engine.common.Decoded;
import io.culvert.engine.common.DropReason;
import io.culvert.engine.crypto.ControlWrap;
import io.culvert.engine.crypto.ControlWrapSpec;
import io.culvert.engine.protocol.ControlPacket;
import io.culvert.engine.protocol.EarlyNegotiation;
import io.culvert.engine.protocol.Opcode;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.InstantSource;

/**
 * The UDP server's stateless handshake start (OpenVPN 2.6 "HMAC cookie"): answers a client's hard reset with a
 * server reset whose session id is a cookie bound to the client's address, at most 1,000 a second, and accepts the
 * client's next packet only when it carries a valid cookie. No state is kept per client until then. Not
 * thread-safe: owned by the server thread.
 */
final class StatelessStart {
    /** What to do with a packet from an address that has no instance. */
    sealed interface Verdict {
        /** Send this datagram back to the sender; still no instance. */
        record Reply(byte[] datagram) implements Verdict {}

        /** A valid cookie: start an instance for client session {@code clientSid}, our session id {@code serverSid}. */
        record Start(long serverSid, long clientSid) implements Verdict {}

        /** Drop the packet and count it. */
        record Drop(DropReason reason) implements Verdict {}
    }

    private final boolean v2;
    private final CookieJar cookies;
    private final ControlWrap wrap;
    private final RateLimiter limiter;
    private ConnectLimits limits;

    StatelessStart(ControlWrapSpec spec, int handWindowSeconds, InstantSource clock, SecureRandom random) {
        this.v2 = spec instanceof ControlWrapSpec.TlsCryptV2Server;
        this.cookies = new CookieJar(clock, handWindowSeconds, random);
        // Stateless replies carry a timestamp from before any session's, so a client never sees a session's
        // first replay id as a replay of the cookie reply (2.6 does the same with its standalone wrap).
        InstantSource statelessClock = InstantSource.fixed(Instant.ofEpochMilli(clock.millis() - 1000));
        this.wrap = spec instanceof ControlWrapSpec.TlsCryptV2Server s ? s.newStateless(statelessClock)
                : spec.newSession(true, statelessClock);
        this.limiter = new RateLimiter(1000, clock);
    }

    /** Applies {@code connect-freq-initial} to the replies, instead of the built-in limit, when it is configured. */
    void limits(ConnectLimits l) {
        this.limits = l;
    }

    private boolean replyAllowed() {
        return limits != null && limits.limitsInitial() ? limits.initialAllowed() : limiter.tryAcquire();
    }

    /** Judges one datagram ({@code len} ≥ 1) from {@code from}, which has no instance. */
    Verdict handle(InetSocketAddress from, byte[] buf, int len) {
        int opcode = (buf[0] & 0xff) >>> 3;
        boolean v3Reset = v2 && opcode == Opcode.CONTROL_HARD_RESET_CLIENT_V3.code();
        if (opcode != Opcode.CONTROL_HARD_RESET_CLIENT_V2.code() && opcode != Opcode.CONTROL_V1.code()
                && opcode != Opcode.ACK_V1.code() && !v3Reset && !(v2 && opcode == Opcode.CONTROL_WKC_V1.code())) {
            return new Verdict.Drop(DropReason.UNEXPECTED);
        }
        // tls-crypt-v2: the wrap takes the WKc off and hands back V3 as a V2 reset and WKC_V1 as a P_CONTROL_V1.
        Decoded<byte[]> plain = wrap.unwrapWithoutReplayCheck(buf, 0, len);
        if (!plain.isOk()) {
            return new Verdict.Drop(plain.reason());
        }
        Decoded<ControlPacket> parsed = ControlPacket.parse(plain.value(), 0, plain.value().length);
        if (!parsed.isOk()) {
            return new Verdict.Drop(parsed.reason());
        }
        ControlPacket p = parsed.value();
        if (p.keyId() != 0) {
            return new Verdict.Drop(DropReason.UNEXPECTED);
        }
        if (p.opcode() == Opcode.CONTROL_HARD_RESET_CLIENT_V2) {
            // A v2 client without early negotiation (before 2.6) could not resend its WKc, so we would have to keep
            // state for it; like 2.6's force-cookie, it is refused.
            if (p.messageId() != 0 || v3Reset && buf[9] != 0x0F || !replyAllowed()) {
                return new Verdict.Drop(DropReason.UNEXPECTED);
            }
            long sid = cookies.sessionIdFor(from, p.sessionId());
            ControlPacket reply = new ControlPacket(Opcode.CONTROL_HARD_RESET_SERVER_V2, 0, sid, new long[] {0},
                    p.sessionId(), 0, new EarlyNegotiation(v3Reset).toBytes());
            byte[] b = reply.toBytes();
            return new Verdict.Reply(wrap.wrap(b, 0, b.length));
        }
        if (!cookieAccepted(p, from)) {
            return new Verdict.Drop(DropReason.WRONG_SESSION);
        }
        return new Verdict.Start(p.remoteSessionId(), p.sessionId());
    }

    /** §2.7: an ACK of the server's reset whose remote sid is our cookie; acked ids and message id at most 1. */
    private boolean cookieAccepted(ControlPacket p, InetSocketAddress from) {
        if (p.ackCount() == 0 || !cookies.valid(p.remoteSessionId(), from, p.sessionId())) {
            return false;
        }
        for (long ack : p.acks()) {
            if (ack > 1) {
                return false;
            }
        }
        return p.opcode() == Opcode.ACK_V1 || p.messageId() <= 1;
    }
}
