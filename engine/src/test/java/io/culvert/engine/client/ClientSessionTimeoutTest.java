package io.culvert.engine.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.testkit.ServerScript;
import io.culvert.engine.testkit.SessionRig;
import io.culvert.engine.testkit.SessionRig.Wrap;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code session-timeout N} and {@code connect-timeout N}, timed as OpenVPN 2.6/2.7 time them: the session timeout
 * counts from the session's start and starts again when a push carries timer options (openvpn's
 * {@code do_init_timers}); the connect timeout ends an attempt whose server never answered.
 */
class ClientSessionTimeoutTest {
    private static final String SESSION_LINE = "INFO Session timeout, exiting";
    private static final String POLL_LINE = "INFO Server poll timeout, restarting";

    private static boolean runTo(SessionRig rig, long t0, long at) {
        while (rig.clock.millis() - t0 < at && !rig.session.finished()) {
            rig.step(SessionRig.STEP);
        }
        return rig.session.sessionTimedOut();
    }

    @Test
    void exitsAfterTheTimeoutCountedFromThePushWithItsTimers() {
        SessionRig rig = SessionRig.againstScript(Wrap.TLS_CRYPT); // the default push carries ping and ping-restart
        rig.session.limits(20, 0);
        rig.connected();
        long pushedAt = rig.clock.millis();
        rig.clientTun(SessionRig.ipPacket(1)); // traffic does not hold it off, unlike inactive
        assertFalse(runTo(rig, pushedAt, 19_750), "still inside the 20 s");
        assertTrue(runTo(rig, pushedAt, 20_000));
        assertEquals(20_000, rig.clock.millis() - pushedAt);
        assertEquals(1, rig.io.logs.stream().filter(SESSION_LINE::equals).count(), rig.io.logs.toString());
        rig.runUntil(rig.session::finished, Duration.ofSeconds(3));
        assertTrue(rig.session.finished());
        assertNull(rig.session.failure(), "a session timeout is an exit, not a failure to retry");
    }

    @Test
    void withoutTimersInThePushItCountsFromTheStart() {
        SessionRig rig = SessionRig.with(Wrap.TLS_CRYPT).script(s -> s.withPushResponse(
                "PUSH_REPLY,route-gateway 10.8.0.1,topology subnet,ifconfig 10.8.0.2 255.255.255.0,peer-id 0,cipher AES-256-GCM")).againstScript();
        long t0 = rig.clock.millis();
        rig.session.limits(20, 0);
        rig.clock.advance(Duration.ofSeconds(3)); // the server answers 3 s after the session began
        rig.connected();
        assertFalse(runTo(rig, t0, 19_750));
        assertTrue(runTo(rig, t0, 20_000));
    }

    @Test
    void aPushedSessionTimeoutReplacesTheProfilesAndAPushedZeroTurnsItOff() {
        SessionRig rig = SessionRig.with(Wrap.TLS_CRYPT)
                .script(s -> s.withPushResponse(ServerScript.DEFAULT_PUSH + ",session-timeout 5")).againstScript();
        rig.session.limits(60, 0);
        rig.connected();
        long pushedAt = rig.clock.millis();
        assertTrue(runTo(rig, pushedAt, 5_000));
        assertEquals(5_000, rig.clock.millis() - pushedAt);

        SessionRig off = SessionRig.with(Wrap.TLS_CRYPT)
                .script(s -> s.withPushResponse(ServerScript.DEFAULT_PUSH + ",session-timeout 0")).againstScript();
        off.session.limits(5, 0);
        off.connected();
        assertFalse(runTo(off, off.clock.millis(), 30_000));
        assertTrue(off.session.connected());
    }

    @Test
    void aServerThatNeverAnswersEndsTheAttemptAtTheConnectTimeout() {
        SessionRig rig = SessionRig.with(Wrap.TLS_CRYPT).script(s -> s.withPushResponse())
                .againstScript(); // the server's packets are dropped below
        long t0 = rig.clock.millis();
        rig.session.limits(0, t0 + 5_000);
        try {
            rig.session.start();
        } catch (io.culvert.engine.api.EngineException e) {
            throw new AssertionError(e);
        }
        while (!rig.session.finished() && rig.clock.millis() - t0 < 10_000) {
            rig.clock.advance(SessionRig.STEP);
            rig.session.tick();
            rig.toServer.drain(); // nothing reaches the server, nothing comes back
        }
        assertTrue(rig.session.finished());
        assertTrue(rig.session.serverPollTimedOut());
        assertEquals(5_000, rig.clock.millis() - t0);
        assertTrue(rig.io.logs.contains(POLL_LINE), rig.io.logs.toString());
        assertNull(rig.session.failure());
    }

    @Test
    void anAnsweringServerIsNotCutOffByTheConnectTimeout() {
        SessionRig rig = SessionRig.againstScript(Wrap.TLS_CRYPT);
        rig.session.limits(0, rig.clock.millis() + 1_000); // shorter than the whole handshake takes here
        rig.connected();
        rig.step(Duration.ofSeconds(5));
        assertTrue(rig.session.connected());
        assertFalse(rig.session.serverPollTimedOut());
    }
}
