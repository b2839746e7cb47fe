package io.culvert.engine.client;

import static io.culvert.engine.testkit.SessionRig.ipPacket;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.api.ConnectionState;
import io.culvert.engine.api.ErrorKind;
import io.culvert.engine.protocol.DataMessages;
import io.culvert.engine.protocol.Opcode;
import io.culvert.engine.testkit.SessionRig;
import io.culvert.engine.testkit.SessionRig.Wrap;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How a session ends: timeouts, keepalive, and what the server tells it. */
class ClientSessionFailureTest {

    private static long pushRequests(SessionRig rig) {
        return rig.scripted().controlMessages().stream().filter("PUSH_REQUEST"::equals).count();
    }

    @Test
    void handshakeTimesOutAfterHandWindowWhenServerNeverAnswers() {
        SessionRig rig = SessionRig.againstScript(Wrap.TLS_CRYPT);
        rig.toServer.blackhole(true);
        rig.start();
        rig.runUntil(() -> false, Duration.ofMillis(59_750));
        assertFalse(rig.session.finished(), "hand-window is 60 s");
        rig.runUntil(rig.session::finished, Duration.ofSeconds(1));
        assertEquals(ErrorKind.HANDSHAKE_TIMEOUT, rig.session.failure());
        assertEquals(List.of(ConnectionState.WAIT), rig.io.states);
        // The hard reset went out at 0 s and was retransmitted with tls-timeout 2 s doubling: 2, 6, 14, 30 s.
        assertEquals(5, rig.io.sent.size());
        for (byte[] p : rig.io.sent) {
            assertEquals(Opcode.CONTROL_HARD_RESET_CLIENT_V2.code(), (p[0] & 0xff) >>> 3);
        }
    }

    @Test
    void pushTimesOutAfterHandWindowWhenServerNeverAnswersPushRequest() {
        SessionRig rig = SessionRig.with(Wrap.TLS_CRYPT).script(s -> s.withPushResponse()).againstScript();
        rig.start();
        assertEquals(ConnectionState.GET_CONFIG, rig.io.states.getLast());
        rig.runUntil(rig.session::finished, Duration.ofSeconds(61));
        assertEquals(ErrorKind.PUSH_TIMEOUT, rig.session.failure());
        // PUSH_REQUEST is repeated every 5 s until the hand-window ends.
        assertTrue(pushRequests(rig) >= 11 && pushRequests(rig) <= 13, "push requests: " + pushRequests(rig));
    }

    @Test
    void authPendingExtendsThePushWait() {
        SessionRig rig = SessionRig.with(Wrap.TLS_CRYPT).script(s -> s.withPushResponse("AUTH_PENDING,timeout 180")).againstScript();
        rig.start();
        rig.runUntil(() -> false, Duration.ofSeconds(90));
        assertFalse(rig.session.finished(), () -> "AUTH_PENDING must extend the push wait: " + rig.session.failure());
        rig.scripted().sendPushResponse(ServerScriptPushes.DEFAULT);
        rig.pump();
        assertTrue(rig.session.connected());
    }

    @Test
    void authPendingTimeoutStillEnds() {
        SessionRig rig = SessionRig.with(Wrap.TLS_CRYPT).script(s -> s.withPushResponse("AUTH_PENDING,timeout 100")).againstScript();
        rig.start();
        long pendingAt = rig.clock.millis();
        rig.runUntil(rig.session::finished, Duration.ofSeconds(200));
        assertEquals(ErrorKind.PUSH_TIMEOUT, rig.session.failure());
        long waited = rig.clock.millis() - pendingAt;
        assertTrue(waited >= 100_000 && waited <= 101_000, "ends when the pending timeout (100 s) ends: " + waited);
    }

    @ParameterizedTest
    @CsvSource({
        "AUTH_FAILED, AUTH_FAILED",
        "'AUTH_FAILED,bad password', AUTH_FAILED",
        "'AUTH_FAILED,TEMP[backoff 10]:busy', SERVER_RESTART",
        "RESTART, SERVER_RESTART",
        "'RESTART,server shutting down', SERVER_RESTART",
        "'HALT,go away', SERVER_HALT"})
    void serverVerdictOnPushRequestEndsTheSession(String message, ErrorKind expected) {
        SessionRig rig = SessionRig.with(Wrap.TLS_AUTH).script(s -> s.withPushResponse(message)).againstScript();
        rig.start();
        assertTrue(rig.session.finished());
        assertEquals(expected, rig.session.failure());
        assertFalse(rig.session.connected());
        assertTrue(rig.io.configured.isEmpty());
    }

    @Test
    void authFailedHaltsReconnectAndRestartDoesNot() {
        assertTrue(ErrorKind.AUTH_FAILED.haltsReconnect());
        assertFalse(ErrorKind.SERVER_RESTART.haltsReconnect());
    }

    @Test
    void restartWhileConnectedEndsWithServerRestart() {
        SessionRig rig = SessionRig.againstScript(Wrap.TLS_CRYPT).start();
        assertTrue(rig.session.connected());
        rig.scripted().sendControlMessage("RESTART");
        rig.pump();
        assertEquals(ErrorKind.SERVER_RESTART, rig.session.failure());
    }

    @Test
    void infoAndUnknownControlMessagesAreLoggedNotFatal() {
        SessionRig rig = SessionRig.againstScript(Wrap.TLS_CRYPT).start();
        rig.scripted().sendControlMessage("INFO,hello");
        rig.scripted().sendControlMessage("SOMETHING_NEW,1");
        rig.pump();
        assertFalse(rig.session.finished());
        assertTrue(rig.io.logs.stream().anyMatch(l -> l.contains("SOMETHING_NEW")));
    }

    @Test
    void sendsPingAfterPingSecondsOfSilence() {
        SessionRig rig = SessionRig.againstScript(Wrap.TLS_CRYPT).start();
        rig.clientTun(ipPacket(1));
        long t0 = rig.clock.millis();
        rig.runUntil(() -> false, Duration.ofMillis(9_750));
        assertEquals(0, rig.scripted().pingsReceived(), "pushed ping 10: nothing before 10 s");
        rig.runUntil(() -> rig.scripted().pingsReceived() > 0, Duration.ofMillis(500));
        assertEquals(1, rig.scripted().pingsReceived(), "the server decrypted exactly the 16-byte ping magic once");
        assertTrue(rig.clock.millis() - t0 >= 10_000);
        // Pings never reach the server's tun side, and the client's own tun sees none of the server's pings.
        assertEquals(1, rig.scripted().received().size());
        assertTrue(rig.io.tunWrites.isEmpty(), "server pings must not reach the tun device");
        assertEquals(16, DataMessages.ping().length);
    }

    @Test
    void dataSentResetsThePingTimer() {
        SessionRig rig = SessionRig.againstScript(Wrap.TLS_CRYPT).start();
        for (int i = 0; i < 8; i++) {
            rig.runUntil(() -> false, Duration.ofSeconds(5));
            rig.clientTun(ipPacket(i));
        }
        assertEquals(0, rig.scripted().pingsReceived(), "a data packet every 5 s leaves no 10 s gap");
    }

    @Test
    void pingRestartEndsSessionWhenNothingArrives() {
        SessionRig rig = SessionRig.againstScript(Wrap.TLS_CRYPT).start();
        rig.runUntil(() -> false, Duration.ofSeconds(120));
        assertFalse(rig.session.finished(), () -> "server pings keep the session alive: " + rig.session.failure() + " " + rig.session.failureDetail() + " pings " + rig.scripted().pingsReceived() + " " + rig.io.drops);
        rig.serverTun(ipPacket(1));
        rig.toClient.blackhole(true);
        rig.runUntil(() -> false, Duration.ofMillis(59_750));
        assertFalse(rig.session.finished(), "pushed ping-restart 60: not before 60 s of silence");
        rig.runUntil(rig.session::finished, Duration.ofMillis(500));
        assertEquals(ErrorKind.KEEPALIVE_TIMEOUT, rig.session.failure());
        assertTrue(rig.scripted().pingsReceived() >= 17, "client kept pinging: " + rig.scripted().pingsReceived());
    }

    @Test
    void requestExitBeforeConnectedFinishesAtOnce() {
        SessionRig rig = SessionRig.againstScript(Wrap.TLS_CRYPT);
        rig.toServer.blackhole(true);
        rig.start();
        rig.session.requestExit();
        assertTrue(rig.session.finished());
        assertNull(rig.session.failure());
    }
}
