package io.culvert.engine.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.testkit.SessionRig;
import io.culvert.engine.testkit.SessionRig.Wrap;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Graceful exit: EXIT over the control channel (cc-exit) or OCC_EXIT on the data channel. */
class ClientSessionExitTest {
    private static final String NO_CC_EXIT = "PUSH_REPLY,route-gateway 10.8.0.1,topology subnet,ping 10,ping-restart 60,"
            + "ifconfig 10.8.0.2 255.255.255.0,peer-id 0,cipher AES-256-GCM,key-derivation tls-ekm";

    @Test
    void requestExitWithCcExitSendsExitControlMessage() {
        SessionRig rig = SessionRig.againstScript(Wrap.TLS_CRYPT).start();
        rig.toClient.blackhole(true); // hold the ACK back: the session waits for it
        rig.session.requestExit();
        rig.pump();
        assertEquals(List.of("PUSH_REQUEST", "EXIT"), rig.scripted().controlMessages());
        assertEquals(0, rig.scripted().occExitsReceived());
        rig.session.tick();
        assertFalse(rig.session.finished(), "waits for the EXIT to be ACKed");
        rig.toClient.blackhole(false);
        rig.step(Duration.ofMillis(100)); // the server re-ACKs the retransmitted... or the ACK arrives
        rig.runUntil(rig.session::finished, Duration.ofSeconds(3));
        assertTrue(rig.session.finished());
        assertNull(rig.session.failure(), "an exit on request is not a failure");
    }

    @Test
    void exitFinishesWithinTwoSecondsEvenIfNeverAcked() {
        SessionRig rig = SessionRig.againstScript(Wrap.TLS_CRYPT).start();
        rig.toClient.blackhole(true);
        rig.session.requestExit();
        rig.runUntil(rig.session::finished, Duration.ofMillis(2_250));
        assertTrue(rig.session.finished());
        assertNull(rig.session.failure());
    }

    @Test
    void requestExitWithoutCcExitSendsOccExitOnDataChannel() {
        SessionRig rig = SessionRig.with(Wrap.TLS_AUTH).script(s -> s.withPushResponse(NO_CC_EXIT)).againstScript().start();
        assertTrue(rig.session.connected());
        rig.session.requestExit();
        rig.pump();
        assertEquals(1, rig.scripted().occExitsReceived(), "explicit-exit-notify 1: one OCC_EXIT");
        assertEquals(List.of("PUSH_REQUEST"), rig.scripted().controlMessages());
        rig.runUntil(rig.session::finished, Duration.ofSeconds(2));
        assertTrue(rig.session.finished());
    }

    @Test
    void requestExitDuringRenegotiationDoesNotHang() {
        SessionRig rig = SessionRig.againstScript(Wrap.TLS_CRYPT).start();
        rig.toServer.hold(true); // the client gets the soft reset, the server hears nothing back yet
        rig.scripted().softReset();
        rig.pump();
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> rig.session.requestExit());
        rig.toServer.hold(false);
        rig.runUntil(rig.session::finished, Duration.ofSeconds(3));
        assertTrue(rig.session.finished());
        assertNull(rig.session.failure());
        assertEquals(List.of("PUSH_REQUEST", "EXIT"), rig.scripted().controlMessages(), "EXIT went on key 0, the one with TLS");
    }
}
