package io.culvert.engine.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.api.ConnectionState;
import io.culvert.engine.api.ErrorKind;
import io.culvert.engine.testkit.SessionRig;
import io.culvert.engine.testkit.SessionRig.Wrap;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

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
    @EnumSource(Wrap.class)
    void handshakeCompletesAndDataFlowsBothWays(Wrap wrap) {
        SessionRig pair = SessionRig.againstServer(wrap).connected();
        assertEquals(List.of(ConnectionState.WAIT, ConnectionState.AUTH, ConnectionState.GET_CONFIG, ConnectionState.CONNECTED),
                pair.io.states);
        assertEquals(List.of("10.8.0.2", "255.255.255.0"), pair.io.configured.getLast().config().ifconfig());
        assertEquals("AES-256-GCM", pair.server().cipherName(), "server preference wins among the client's ciphers");
        assertEquals("client", pair.server().commonName());

        pair.session.onTun(packet(1), 0, 60);
        pair.pump();
        assertEquals(1, pair.real().delivered.size());
        assertArrayEquals(packet(1), pair.real().delivered.getFirst());

        pair.server().sendData(packet(2), 0, 60);
        pair.pump();
        assertEquals(1, pair.io.tunWrites.size());
        assertArrayEquals(packet(2), pair.io.tunWrites.getFirst());
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void handshakeSurvivesALossyReorderingLink(long seed) {
        SessionRig pair = SessionRig.with(Wrap.TLS_CRYPT).seed(seed).clientCiphers(List.of("AES-256-GCM"))
                .serverCiphers(List.of("AES-256-GCM")).againstServer();
        pair.toServer.impair(0.2, 0.1, 0.2);
        pair.toClient.impair(0.2, 0.1, 0.2);
        pair.connected();
        assertTrue(pair.server().established());
    }

    @Test
    void serverInitiatedRenegotiationKeepsTrafficFlowing() {
        SessionRig pair = SessionRig.with(Wrap.TLS_AUTH).clientCiphers(List.of("AES-256-GCM"))
                .serverCiphers(List.of("AES-256-GCM")).serverRenegSec(20).againstServer().connected();
        int sent = 0;
        for (int second = 0; second < 70; second++) {
            pair.session.onTun(packet(++sent), 0, 60);
            pair.server().sendData(packet(sent), 0, 60);
            pair.step(Duration.ofSeconds(1));
        }
        assertEquals(sent, pair.real().delivered.size(), "no client → server packet lost across renegotiations");
        assertEquals(sent, pair.io.tunWrites.size(), "no server → client packet lost across renegotiations");
        assertTrue(pair.real().logs.stream().filter(l -> l.startsWith("renegotiated")).count() >= 2,
                "at least two server-initiated renegotiations in 70 s with reneg-sec 20: " + pair.real().logs);
        assertFalse(pair.session.finished());
    }

    @Test
    void clientInitiatedRenegotiationIsAnswered() {
        SessionRig pair = SessionRig.with(Wrap.TLS_CRYPT).clientCiphers(List.of("AES-256-GCM"))
                .serverCiphers(List.of("AES-256-GCM")).clientRenegSec(15).againstServer().connected();
        for (int second = 0; second < 40; second++) {
            pair.session.onTun(packet(second), 0, 60);
            pair.step(Duration.ofSeconds(1));
        }
        assertEquals(40, pair.real().delivered.size());
        assertTrue(pair.real().logs.stream().anyMatch(l -> l.startsWith("client started renegotiation")), pair.real().logs.toString());
    }

    @Test
    void noSharedCipherIsRefusedWithAuthFailed() {
        SessionRig pair = SessionRig.with(Wrap.NONE).clientCiphers(List.of("CHACHA20-POLY1305"))
                .serverCiphers(List.of("AES-256-GCM")).againstServer().start();
        pair.runUntil(pair.session::finished, Duration.ofSeconds(30));
        assertEquals(ErrorKind.AUTH_FAILED, pair.session.failure());
        assertTrue(pair.session.failureDetail().contains("cipher negotiation failed"), pair.session.failureDetail());
        pair.step(Duration.ofSeconds(6));
        assertTrue(pair.server().finished(), "a refused instance goes away after lingering");
    }

    @Test
    void silentClientTimesOutOnPingRestart() {
        SessionRig pair = SessionRig.againstServer(Wrap.TLS_CRYPT).connected();
        pair.toServer.blackhole(true);
        pair.runUntil(pair.server()::finished, Duration.ofSeconds(200));
        assertTrue(pair.server().finished());
        assertEquals(ErrorKind.KEEPALIVE_TIMEOUT.name(), pair.server().closeReason());
    }

    @Test
    void kickSendsRestartAndTheClientEndsForReconnect() {
        SessionRig pair = SessionRig.againstServer(Wrap.TLS_CRYPT).connected();
        pair.server().kick(false, "kicked by test");
        pair.pump();
        pair.step(SessionRig.STEP);
        assertTrue(pair.session.finished());
        assertEquals(ErrorKind.SERVER_RESTART, pair.session.failure());
    }
}
