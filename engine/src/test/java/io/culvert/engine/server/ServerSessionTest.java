package io.culvert.engine.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.api.ConnectionState;
import io.culvert.engine.api.ErrorKind;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Our client session against our server session, in memory, time driven by a manual clock. */
class ServerSessionTest {

    private static byte[] packet(int n) {
        byte[] p = new byte[60];
        p[0] = 0x45;
        p[3] = 60;
        p[20] = (byte) (n >> 8);
        p[21] = (byte) n;
        return p;
    }

    @ParameterizedTest
    @EnumSource(SessionPair.Wrap.class)
    void handshakeCompletesAndDataFlowsBothWays(SessionPair.Wrap wrap) {
        SessionPair pair = new SessionPair(wrap).connected();
        assertEquals(List.of(ConnectionState.WAIT, ConnectionState.AUTH, ConnectionState.GET_CONFIG, ConnectionState.CONNECTED),
                pair.clientStates);
        assertEquals(List.of("10.8.0.2", "255.255.255.0"), pair.pushed.ifconfig());
        assertEquals("AES-256-GCM", pair.server.cipherName(), "server preference wins among the client's ciphers");
        assertEquals("client", pair.server.commonName());

        pair.client.onTun(packet(1), 0, 60);
        pair.pump();
        assertEquals(1, pair.serverDelivered.size());
        assertArrayEquals(packet(1), pair.serverDelivered.getFirst());

        pair.server.sendData(packet(2), 0, 60);
        pair.pump();
        assertEquals(1, pair.clientTun.size());
        assertArrayEquals(packet(2), pair.clientTun.getFirst());
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void handshakeSurvivesALossyReorderingLink(long seed) {
        SessionPair pair = new SessionPair(SessionPair.Wrap.TLS_CRYPT, seed, List.of("AES-256-GCM"), List.of("AES-256-GCM"), 0, 0);
        pair.toServer.impair(0.2, 0.1, 0.2);
        pair.toClient.impair(0.2, 0.1, 0.2);
        pair.connected();
        assertTrue(pair.server.established());
    }

    @Test
    void serverInitiatedRenegotiationKeepsTrafficFlowing() {
        SessionPair pair = new SessionPair(SessionPair.Wrap.TLS_AUTH, 1, List.of("AES-256-GCM"), List.of("AES-256-GCM"), 0, 20).connected();
        int sent = 0;
        for (int second = 0; second < 70; second++) {
            pair.client.onTun(packet(++sent), 0, 60);
            pair.server.sendData(packet(sent), 0, 60);
            pair.step(Duration.ofSeconds(1));
        }
        assertEquals(sent, pair.serverDelivered.size(), "no client → server packet lost across renegotiations");
        assertEquals(sent, pair.clientTun.size(), "no server → client packet lost across renegotiations");
        assertTrue(pair.serverLog.stream().filter(l -> l.startsWith("renegotiated")).count() >= 2,
                "at least two server-initiated renegotiations in 70 s with reneg-sec 20: " + pair.serverLog);
        assertFalse(pair.client.finished());
    }

    @Test
    void clientInitiatedRenegotiationIsAnswered() {
        SessionPair pair = new SessionPair(SessionPair.Wrap.TLS_CRYPT, 1, List.of("AES-256-GCM"), List.of("AES-256-GCM"), 15, 0).connected();
        for (int second = 0; second < 40; second++) {
            pair.client.onTun(packet(second), 0, 60);
            pair.step(Duration.ofSeconds(1));
        }
        assertEquals(40, pair.serverDelivered.size());
        assertTrue(pair.serverLog.stream().anyMatch(l -> l.startsWith("client started renegotiation")), pair.serverLog.toString());
    }

    @Test
    void noSharedCipherIsRefusedWithAuthFailed() {
        SessionPair pair = new SessionPair(SessionPair.Wrap.NONE, 1, List.of("CHACHA20-POLY1305"), List.of("AES-256-GCM"), 0, 0).start();
        pair.runUntil(pair.client::finished, Duration.ofSeconds(30));
        assertEquals(ErrorKind.AUTH_FAILED, pair.client.failure());
        assertTrue(pair.client.failureDetail().contains("cipher negotiation failed"), pair.client.failureDetail());
        pair.step(Duration.ofSeconds(6));
        assertTrue(pair.server.finished(), "a refused instance goes away after lingering");
    }

    @Test
    void silentClientTimesOutOnPingRestart() {
        SessionPair pair = new SessionPair(SessionPair.Wrap.TLS_CRYPT).connected();
        pair.toServer.blackhole(true);
        pair.runUntil(pair.server::finished, Duration.ofSeconds(200));
        assertTrue(pair.server.finished());
        assertEquals(ErrorKind.KEEPALIVE_TIMEOUT.name(), pair.server.closeReason());
    }

    @Test
    void kickSendsRestartAndTheClientEndsForReconnect() {
        SessionPair pair = new SessionPair(SessionPair.Wrap.TLS_CRYPT).connected();
        pair.server.kick(false, "kicked by test");
        pair.pump();
        pair.step(SessionPair.STEP);
        assertTrue(pair.client.finished());
        assertEquals(ErrorKind.SERVER_RESTART, pair.client.failure());
    }
}
