package io.culvert.engine.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.culvert.engine.common.Decoded;
import io.culvert.engine.common.DropReason;
import io.culvert.engine.crypto.ControlWrap;
import io.culvert.engine.crypto.ControlWrapSpec;
import io.culvert.engine.protocol.ControlPacket;
import io.culvert.engine.protocol.Opcode;
import io.culvert.engine.testkit.ManualClock;
import io.culvert.engine.testkit.MemoryPki;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The stateless start with tls-crypt: a reset is answered with a cookie and no state; only the ACK that brings the
 * cookie back from the same address starts an instance; resets beyond 1,000 a second are not answered.
 */
class StatelessStartTest {
    private static final InetSocketAddress FROM = new InetSocketAddress("192.0.2.5", 1194);
    private final ManualClock clock = new ManualClock();
    private final ControlWrapSpec spec = ControlWrapSpec.tlsCrypt(MemoryPki.shared().tlsCryptKey());
    private final StatelessStart start = new StatelessStart(spec, 60, clock, new SecureRandom());
    private final ControlWrap client = spec.newSession(false, clock);

    private StatelessStart.Verdict feed(InetSocketAddress from, ControlPacket p) {
        byte[] wire = client.wrap(p.toBytes());
        return start.handle(from, wire, wire.length);
    }

    private ControlPacket serverReset(StatelessStart.Verdict v) {
        byte[] reply = assertInstanceOf(StatelessStart.Verdict.Reply.class, v).datagram();
        Decoded<byte[]> plain = client.unwrap(reply);
        ControlPacket p = ControlPacket.parse(plain.value(), 0, plain.value().length).value();
        assertEquals(Opcode.CONTROL_HARD_RESET_SERVER_V2, p.opcode());
        return p;
    }

    @Test
    void theCookieComesBackFromTheSameAddressAndStartsAnInstance() {
        ControlPacket reset = new ControlPacket(Opcode.CONTROL_HARD_RESET_CLIENT_V2, 0, 0x1234, null, 0, 0, null);
        ControlPacket server = serverReset(feed(FROM, reset));
        assertEquals(0x1234, server.remoteSessionId());

        ControlPacket ack = ControlPacket.ack(0, 0x1234, new long[] {0}, server.sessionId());
        InetSocketAddress elsewhere = new InetSocketAddress("192.0.2.6", 1194);
        assertEquals(new StatelessStart.Verdict.Drop(DropReason.WRONG_SESSION), feed(elsewhere, ack),
                "a cookie is bound to the address it was given to");
        assertEquals(new StatelessStart.Verdict.Start(server.sessionId(), 0x1234), feed(FROM, ack));
        ControlPacket forged = ControlPacket.ack(0, 0x1234, new long[] {0}, server.sessionId() ^ 1);
        assertEquals(new StatelessStart.Verdict.Drop(DropReason.WRONG_SESSION), feed(FROM, forged));
    }

    @Test
    void resetsBeyondTheRateLimitAreNotAnswered() {
        int replies = 0;
        for (int i = 0; i < 1500; i++) {
            ControlPacket reset = new ControlPacket(Opcode.CONTROL_HARD_RESET_CLIENT_V2, 0, i + 1, null, 0, 0, null);
            if (feed(FROM, reset) instanceof StatelessStart.Verdict.Reply) {
                replies++;
            }
        }
        assertEquals(1000, replies);
        clock.advance(Duration.ofSeconds(1));
        ControlPacket reset = new ControlPacket(Opcode.CONTROL_HARD_RESET_CLIENT_V2, 0, 99_999, null, 0, 0, null);
        assertInstanceOf(StatelessStart.Verdict.Reply.class, feed(FROM, reset), "answered again a second later");
    }

    @Test
    void dataAndGarbageFromUnknownAddressesAreDropped() {
        byte[] data = {(byte) (Opcode.DATA_V2.code() << 3), 0, 0, 1, 9, 9, 9, 9};
        assertEquals(new StatelessStart.Verdict.Drop(DropReason.UNEXPECTED), start.handle(FROM, data, data.length));
        byte[] garbage = new byte[60];
        garbage[0] = (byte) (Opcode.CONTROL_HARD_RESET_CLIENT_V2.code() << 3);
        assertInstanceOf(StatelessStart.Verdict.Drop.class, start.handle(FROM, garbage, garbage.length));
    }
}
