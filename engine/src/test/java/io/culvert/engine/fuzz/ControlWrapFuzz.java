package io.culvert.engine.fuzz;

import static io.culvert.engine.fuzz.Oracle.check;

import io.culvert.engine.common.Decoded;
import io.culvert.engine.crypto.ControlWrap;
import io.culvert.engine.crypto.ControlWrapSpec;
import io.culvert.engine.crypto.KeyDirection;
import io.culvert.engine.crypto.StaticKey;
import io.culvert.engine.crypto.TlsCryptV2ClientKey;
import io.culvert.engine.crypto.TlsCryptV2ServerKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;

/**
 * Fuzz target (ADR 0015) for control-channel unwrapping with fixed keys: tls-auth (both directions), tls-crypt,
 * tls-crypt-v2 (session and stateless server, client) and the server's WKc unwrap. The keys are the ones of the
 * real captures and of the tls-crypt-v2 test keys, so captured frames authenticate and the fuzzer reaches the
 * code behind the MAC. The first byte picks the wrap and the mode:
 * <ul>
 * <li>hostile mode: each {@link Records record} is unwrapped by one session. Oracles: no exception; an accepted
 * packet keeps the opcode (or its WKc-less form) and session id of the wire.
 * <li>forgery mode: a plain control packet made from the input is wrapped by the peer and must come back
 * unchanged; the same wire with one byte changed (position and mask from the input) must be refused (except in
 * the WKc trailer that a keyed tls-crypt-v2 server session ignores, as 2.6 does).
 * </ul>
 */
public final class ControlWrapFuzz {
    private static final InstantSource CLOCK = InstantSource.fixed(Instant.parse("2026-11-21T12:00:00Z"));
    private static final StaticKey TA = StaticKey.parse(resource("/captures/pki/ta.key"));
    private static final StaticKey TC = StaticKey.parse(resource("/captures/pki/tc.key"));
    private static final TlsCryptV2ServerKey V2_SERVER = TlsCryptV2ServerKey.parse(resource("/tls-crypt-v2/srv.key"));
    private static final TlsCryptV2ClientKey V2_CLIENT = TlsCryptV2ClientKey.parse(resource("/tls-crypt-v2/cli.key"));
    private static final int WRAPS = 7;

    private ControlWrapFuzz() {}

    public static void fuzzerTestOneInput(byte[] data) {
        if (data.length < 1) {
            return;
        }
        int sel = data[0] & 0xFF;
        byte[] rest = Arrays.copyOfRange(data, 1, data.length);
        if ((sel & 0x80) != 0) {
            forgery(sel & 0x7F, rest);
        } else {
            hostile(sel % (WRAPS + 1), rest);
        }
    }

    /** Receiving session {@code w} (0..6): the side that unwraps what the peer of {@link #sender} wraps. */
    private static ControlWrap receiver(int w) {
        return switch (w) {
            case 0 -> ControlWrapSpec.tlsAuth(TA, KeyDirection.fromConfig("0"), "SHA1").newSession(true, CLOCK);
            case 1 -> ControlWrapSpec.tlsAuth(TA, KeyDirection.fromConfig("1"), "SHA1").newSession(false, CLOCK);
            case 2 -> ControlWrapSpec.tlsCrypt(TC).newSession(true, CLOCK);
            case 3 -> ControlWrapSpec.tlsCrypt(TC).newSession(false, CLOCK);
            case 4 -> ControlWrapSpec.tlsCryptV2Server(V2_SERVER, 0).newSession(true, CLOCK);
            case 5 -> ((ControlWrapSpec.TlsCryptV2Server) ControlWrapSpec.tlsCryptV2Server(V2_SERVER, 0)).newStateless(CLOCK);
            default -> ControlWrapSpec.tlsCryptV2Client(V2_CLIENT).newSession(false, CLOCK);
        };
    }

    private static ControlWrap sender(int w) {
        return switch (w) {
            case 0 -> ControlWrapSpec.tlsAuth(TA, KeyDirection.fromConfig("1"), "SHA1").newSession(false, CLOCK);
            case 1 -> ControlWrapSpec.tlsAuth(TA, KeyDirection.fromConfig("0"), "SHA1").newSession(true, CLOCK);
            case 2, 4, 5 -> w == 2 ? ControlWrapSpec.tlsCrypt(TC).newSession(false, CLOCK)
                    : ControlWrapSpec.tlsCryptV2Client(V2_CLIENT).newSession(false, CLOCK);
            case 3 -> ControlWrapSpec.tlsCrypt(TC).newSession(true, CLOCK);
            default -> {
                // A tls-crypt-v2 server wraps only once the client's reset has given it the client's key.
                ControlWrap server = ControlWrapSpec.tlsCryptV2Server(V2_SERVER, 0).newSession(true, CLOCK);
                byte[] reset = new byte[ControlWrap.HEADER + 5];
                reset[0] = (byte) (10 << 3);
                byte[] wire = ControlWrapSpec.tlsCryptV2Client(V2_CLIENT).newSession(false, CLOCK).wrap(reset);
                check(server.unwrap(wire).isOk(), "the server refuses the client's reset");
                yield server;
            }
        };
    }

    private static void hostile(int w, byte[] data) {
        if (w == WRAPS) {
            Decoded<TlsCryptV2ServerKey.ClientKey> k = V2_SERVER.unwrap(data, 0, data.length);
            check(!k.isOk() || k.value().metadata().length <= TlsCryptV2ServerKey.MAX_METADATA_LENGTH, "metadata size");
            return;
        }
        ControlWrap session = receiver(w);
        for (byte[] wire : Records.split(data)) {
            Decoded<byte[]> d = session.unwrap(wire, 0, wire.length);
            Decoded<byte[]> again = session.unwrapWithoutReplayCheck(wire, 0, wire.length);
            if (d.isOk()) {
                check(again.isOk() && Arrays.equals(d.value(), again.value()), "replay-free unwrap differs");
                byte[] plain = d.value();
                check(plain.length >= ControlWrap.HEADER, "plain shorter than the header");
                check(Arrays.equals(plain, 1, ControlWrap.HEADER, wire, 1, ControlWrap.HEADER), "session id changed");
                int op = (wire[0] & 0xFF) >>> 3;
                int plainOp = (plain[0] & 0xFF) >>> 3;
                check(plainOp == op || (op == 10 && plainOp == 7) || (op == 11 && plainOp == 4),
                        "opcode " + op + " unwrapped as " + plainOp);
                check((plain[0] & 7) == (wire[0] & 7), "key id changed");
            } else {
                check(d.reason() != null, "drop without a reason");
            }
        }
    }

    private static void forgery(int sel, byte[] data) {
        int w = sel % WRAPS;
        if (data.length < 12) {
            return;
        }
        // Input: sid 8, flip position 2, mask 1, then payload. A fresh tls-crypt-v2 server learns the client's key
        // from the WKc of its V3 reset and refuses anything before it (NO_KEY), so that is what its client sends.
        boolean v2Reset = w == 4 || w == 5;
        byte[] payload = Arrays.copyOfRange(data, 11, data.length);
        byte[] plain = new byte[ControlWrap.HEADER + 1 + 4 + payload.length];
        plain[0] = (byte) ((v2Reset ? 10 : 4) << 3);
        System.arraycopy(data, 0, plain, 1, 8);
        System.arraycopy(payload, 0, plain, ControlWrap.HEADER + 5, payload.length);
        ControlWrap from = sender(w);
        ControlWrap to = receiver(w);
        byte[] wire = from.wrap(plain);
        Decoded<byte[]> back = to.unwrapWithoutReplayCheck(wire, 0, wire.length);
        byte[] expected = plain.clone();
        if (v2Reset) {
            expected[0] = (byte) (7 << 3);
        }
        check(back.isOk(), "own wrapped packet refused: " + (back.isOk() ? "" : back.reason()));
        check(Arrays.equals(expected, back.value()), "wrapped packet unwraps to other bytes");
        // A keyed tls-crypt-v2 server session cuts later WKc trailers off unread, as 2.6 does: the rest must hold.
        int covered = w == 4 ? wire.length - V2_CLIENT.wkc().length : wire.length;
        int pos = ((data[8] & 0xFF) << 8 | data[9] & 0xFF) % covered;
        byte mask = data[10] == 0 ? 1 : data[10];
        wire[pos] ^= mask;
        Decoded<byte[]> forged = to.unwrapWithoutReplayCheck(wire, 0, wire.length);
        check(!forged.isOk(), "a packet changed at byte " + pos + " of " + wire.length + " was accepted");
    }

    private static String resource(String path) {
        try (InputStream in = ControlWrapFuzz.class.getResourceAsStream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
