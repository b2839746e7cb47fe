package io.culvert.engine.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A client's peer-info as the server reads it: whatever the peer sent, an answer and never an exception. */
class PeerInfoTest {
    private static final List<String> GCMS = List.of("AES-256-GCM", "AES-128-GCM");

    @Test
    void ivNcpTwoOrMoreMeansTheTwoGcmsHoweverLongTheNumber() {
        assertEquals(GCMS, PeerInfo.parse("IV_NCP=2\n").ciphers());
        assertEquals(GCMS, PeerInfo.parse("IV_NCP=10\n").ciphers());
        assertEquals(GCMS, PeerInfo.parse("IV_NCP=02\n").ciphers());
        // The fuzzer's input (CI, BoundedFuzzTest PushOptions): NumberFormatException before.
        assertEquals(GCMS, PeerInfo.parse("IV_NCP=8888888888888888888888\n").ciphers());
    }

    @Test
    void ivNcpBelowTwoOrNotANumberMeansNone() {
        for (String v : List.of("0", "1", "01", "", "-5", "2x", "+2")) {
            assertEquals(List.of(), PeerInfo.parse("IV_NCP=" + v + "\n").ciphers(), v);
        }
    }

    @Test
    void ivCiphersWins() {
        assertEquals(List.of("CHACHA20-POLY1305", "AES-256-GCM"),
                PeerInfo.parse("IV_NCP=8888888888888888888888\nIV_CIPHERS=CHACHA20-POLY1305:AES-256-GCM\n").ciphers());
    }

    @Test
    void anOverlongIvProtoIsNoFlags() {
        assertEquals(0, PeerInfo.parse("IV_PROTO=99999999999999999999\n").ivProto());
    }
}
