package io.culvert.engine.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.protocol.PushUpdate;
import io.culvert.engine.testkit.SessionRig;
import io.culvert.engine.testkit.SessionRig.Wrap;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Our server's PUSH_UPDATE to our client: sent only when announced and established, split and applied whole. */
class ServerPushUpdateTest {

    @Test
    void aConnectedCulvertClientGetsTheUpdate() {
        SessionRig pair = SessionRig.againstServer(Wrap.TLS_CRYPT).connected();
        assertTrue(pair.server().takesPushUpdate(), "our client announces IV_PROTO_PUSH_UPDATE");
        assertTrue(pair.server().pushUpdate(List.of(new PushUpdate.Item(List.of("route", "10.9.0.0", "255.255.255.0"), false, false))));
        pair.pump();
        assertEquals(1, pair.io.updates.size());
        assertEquals(List.of(List.of("10.9.0.0", "255.255.255.0")), pair.io.updates.getFirst().routes());
        assertTrue(pair.session.connected());
    }

    @Test
    void aLongUpdateArrivesInPartsAndIsAppliedOnce() {
        SessionRig pair = SessionRig.againstServer(Wrap.TLS_CRYPT).connected();
        List<PushUpdate.Item> items = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            items.add(new PushUpdate.Item(List.of("route", "10." + i + ".0.0", "255.255.0.0"), false, false));
        }
        assertTrue(PushUpdate.split(items).size() > 1);
        assertTrue(pair.server().pushUpdate(items));
        pair.pump();
        assertEquals(1, pair.io.updates.size());
        assertEquals(120, pair.io.updates.getFirst().routes().size());
    }

    @Test
    void nothingIsSentBeforeTheClientIsEstablished() {
        SessionRig pair = SessionRig.againstServer(Wrap.TLS_CRYPT);
        assertFalse(pair.server().pushUpdate(List.of(new PushUpdate.Item(List.of("route"), true, false))));
    }

    @Test
    void peerInfoBitIsTheOneOpenvpn27Checks() {
        assertTrue(PeerInfo.parse("IV_PROTO=4990\n").has(PeerInfo.PUSH_UPDATE));
        assertFalse(PeerInfo.parse("IV_PROTO=990\n").has(PeerInfo.PUSH_UPDATE));
    }
}
