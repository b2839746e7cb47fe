package io.culvert.engine.fuzz;

import static io.culvert.engine.fuzz.Oracle.check;

import io.culvert.engine.common.Decoded;
import io.culvert.engine.common.DropReason;
import io.culvert.engine.protocol.ControlMessageReader;
import io.culvert.engine.protocol.ControlMessages;
import io.culvert.engine.protocol.ControlPacket;
import io.culvert.engine.protocol.DataMessages;
import io.culvert.engine.protocol.EarlyNegotiation;
import io.culvert.engine.protocol.KeyMethod2;
import io.culvert.engine.protocol.reliable.ReliableLink;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzz target (ADR 0015) for the plain control channel as a peer's packets reach it: a sequence of
 * {@link Records} each parsed as a control packet and fed, with time moving on, into one {@link ReliableLink}
 * whose in-order stream goes through a {@link ControlMessageReader}; each record also goes through the
 * key-method-2, early-negotiation, control-message and data-channel-message parsers. Oracles: no exception;
 * a parsed packet re-encodes to the same bytes; key-method-2 and early negotiation re-parse equal; the link's
 * windows and the reader's buffer stay bounded.
 */
public final class ControlChannelFuzz {
    private ControlChannelFuzz() {}

    public static void fuzzerTestOneInput(byte[] data) {
        ReliableLink link = new ReliableLink(0, 0x1122334455667788L, 1100, 1000);
        ControlMessageReader reader = new ControlMessageReader();
        long now = 0;
        for (byte[] b : Records.split(data)) {
            now += 250;
            Decoded<ControlPacket> cp = ControlPacket.parse(b, 0, b.length);
            if (cp.isOk()) {
                ControlPacket p = cp.value();
                check(Arrays.equals(b, p.toBytes()), "control packet does not re-encode to its bytes");
                check(p.encodedLength() == b.length, "encodedLength differs from the parsed length");
                link.receive(p, now);
                byte[] stream = link.takeInOrderStream();
                for (String m : reader.feed(stream, 0, stream.length)) {
                    check(!m.isEmpty() && m.length() < ControlMessages.MAX_MESSAGE_WITH_NUL, "message of " + m.length());
                }
                if (link.peerResetReceived()) {
                    byte[] reset = link.peerResetPayload();
                    earlyNegotiation(reset);
                }
            } else {
                check(cp.reason() != null, "drop without a reason");
            }
            for (ControlPacket out : link.poll(now)) {
                check(out.payloadLength() <= 1100, "outgoing payload over the limit");
                byte[] wire = out.toBytes();
                check(ControlPacket.parse(wire, 0, wire.length).value().equals(out), "own packet does not re-parse");
            }
            check(link.unackedCount() <= ReliableLink.SEND_WINDOW, "send window overrun: " + link.unackedCount());
            check(reader.bufferedBytes() < ControlMessages.MAX_MESSAGE_WITH_NUL, "reader buffer " + reader.bufferedBytes());
            keyMethod2(b);
            earlyNegotiation(b);
            List<String> msgs = ControlMessages.split(b, 0, b.length);
            for (String m : msgs) {
                check(!m.isEmpty(), "empty control message");
            }
            if (DataMessages.isPing(b, 0, b.length)) {
                check(Arrays.equals(b, DataMessages.ping()), "ping that is not the ping");
            }
            int occ = DataMessages.occOpcode(b, 0, b.length);
            check(occ >= -1 && occ <= 255, "occ opcode " + occ);
        }
    }

    private static void keyMethod2(byte[] b) {
        for (boolean fromClient : new boolean[] {true, false}) {
            Decoded<KeyMethod2> km = KeyMethod2.parse(b, 0, b.length, fromClient);
            if (km.isOk()) {
                byte[] again = km.value().toBytes();
                Decoded<KeyMethod2> re = KeyMethod2.parse(again, 0, again.length, fromClient);
                check(re.isOk() && re.value().equals(km.value()), "key-method-2 does not re-parse equal");
            }
            int frame = KeyMethod2.frameLength(b, 0, b.length, fromClient);
            check(frame >= -1 && frame <= b.length, "frame length " + frame + " of " + b.length);
            if (frame > 0) {
                Decoded<KeyMethod2> framed = KeyMethod2.parse(b, 0, frame, fromClient);
                check(framed.isOk() || framed.reason() != DropReason.TRUNCATED, "a complete frame reads as truncated");
            }
        }
    }

    private static void earlyNegotiation(byte[] b) {
        Decoded<EarlyNegotiation> en = EarlyNegotiation.parse(b, 0, b.length);
        if (en.isOk()) {
            byte[] again = en.value().toBytes();
            check(EarlyNegotiation.parse(again, 0, again.length).value().equals(en.value()), "early negotiation round trip");
        }
    }
}
