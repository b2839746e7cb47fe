package io.culvert.engine.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.common.DropReason;
import io.culvert.engine.testkit.SessionRig;
import io.culvert.engine.testkit.SessionRig.Wrap;
import java.util.List;
import org.junit.jupiter.api.Test;

/** PUSH_UPDATE on a client session: announced, taken only on an up tunnel, applied whole or refused whole. */
class ClientSessionPushUpdateTest {

    @Test
    void announcesSupportInPeerInfoAsOpenvpn27() {
        SessionRig rig = SessionRig.againstScript(Wrap.TLS_CRYPT).start();
        String info = rig.scripted().clientKeyMethod2().peerInfo();
        int proto = Integer.parseInt(info.lines().filter(l -> l.startsWith("IV_PROTO=")).findFirst().orElseThrow().substring(9));
        assertTrue((proto & 4096) != 0, info);
    }

    @Test
    void appliesARouteUpdateAcrossContinuationsAndStaysConnected() {
        SessionRig rig = SessionRig.againstScript(Wrap.TLS_CRYPT).start();
        assertTrue(rig.session.connected());
        rig.scripted().sendControlMessage("PUSH_UPDATE,route 10.9.0.0 255.255.255.0,push-continuation 2");
        rig.pump();
        assertEquals(List.of(), rig.io.updates, "nothing applied before the last part");
        rig.scripted().sendControlMessage("PUSH_UPDATE,route 10.10.0.0 255.255.0.0,dhcp-option DNS 10.8.0.53,push-continuation 1");
        rig.pump();
        assertEquals(1, rig.io.updates.size(), () -> String.join("\n", rig.io.logs));
        PushedConfig c = rig.io.updates.getFirst();
        assertEquals(List.of(List.of("10.9.0.0", "255.255.255.0"), List.of("10.10.0.0", "255.255.0.0")), c.routes());
        assertEquals(List.of("10.8.0.53"), c.dns());
        assertEquals("AES-256-GCM", c.cipher(), "the rest of the configuration stays");

        rig.scripted().sendControlMessage("PUSH_UPDATE,-route");
        rig.pump();
        assertEquals(List.of(), rig.io.updates.getLast().routes());
        assertTrue(rig.session.connected());
        assertNull(rig.session.failure());
    }

    @Test
    void refusesMalformedAndNonUpdatableUpdatesAndCountsThem() {
        SessionRig rig = SessionRig.againstScript(Wrap.TLS_CRYPT).start();
        rig.scripted().sendControlMessage("PUSH_UPDATE,-route 10.9.0.0");
        rig.scripted().sendControlMessage("PUSH_UPDATE,route 10.9.0.0 255.255.255.0,cipher AES-128-GCM");
        rig.pump();
        assertEquals(List.of(), rig.io.updates);
        assertEquals(1, rig.io.drops.getOrDefault(DropReason.MALFORMED, 0));
        assertEquals(1, rig.io.drops.getOrDefault(DropReason.UNEXPECTED, 0));
        assertTrue(rig.io.logs.stream().anyMatch(l -> l.contains("Refusing malformed PUSH_UPDATE: a removal takes no arguments")),
                () -> String.join("\n", rig.io.logs));
        assertTrue(rig.io.logs.stream().anyMatch(l -> l.contains("Refusing PUSH_UPDATE: option 'cipher AES-128-GCM' is not updatable")),
                () -> String.join("\n", rig.io.logs));
        assertTrue(rig.session.connected(), "a refused update does not end the session");
    }
}
