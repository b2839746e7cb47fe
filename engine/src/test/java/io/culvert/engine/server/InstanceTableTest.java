package io.culvert.engine.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.crypto.ControlWrapSpec;
import io.culvert.engine.testkit.ManualClock;
import io.culvert.engine.testkit.MemoryPki;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The instance table's indexes: peer-id slots reused lowest first, lookups by address and session, floating. */
class InstanceTableTest {
    private static final InetSocketAddress A = new InetSocketAddress("192.0.2.1", 1000);
    private static final InetSocketAddress B = new InetSocketAddress("192.0.2.2", 2000);
    private final InstanceTable table = new InstanceTable(3);

    private static ServerSession session(int peerId) {
        ServerSettings s = ServerSettings.builder(MemoryPki.shared().serverTls()).dataCiphers(List.of("AES-256-GCM"))
                .keepalive(10, 60).renegSec(0).build();
        return new ServerSession(s, new ServerSession.Io() {
            @Override
            public void sendLink(ServerSession session, byte[] packet) {}

            @Override
            public void deliver(ServerSession session, byte[] payload) {}

            @Override
            public List<String> admit(ServerSession session) {
                return List.of();
            }

            @Override
            public void log(ServerSession session, String message) {}

            @Override
            public void dropped(ServerSession session, io.culvert.engine.common.DropReason reason) {}
        }, new ManualClock(), new SecureRandom(), peerId, "test");
    }

    @Test
    void slotsAreHandedOutLowestFirstAndReusedAfterRemoval() {
        Instance a = table.register(table.freePeerId(), session(0), new LinkEndpoint.Udp(A));
        Instance b = table.register(table.freePeerId(), session(1), new LinkEndpoint.Udp(B));
        assertEquals(0, a.id.value());
        assertEquals(1, b.id.value());
        assertSame(a, table.byAddress(A));
        assertSame(b, table.byPeerId(1));
        assertSame(b, table.bySession(b.session));
        table.remove(a);
        assertNull(table.byAddress(A));
        assertNull(table.byPeerId(0));
        assertFalse(table.holds(a));
        assertEquals(0, table.freePeerId());
        assertEquals(1, table.size());
        assertEquals(2, table.created());
        assertNull(table.byPeerId(3), "out of range");
        assertNull(table.byPeerId(-1));
    }

    @Test
    void aFullTableHasNoFreePeerId() {
        for (int i = 0; i < 3; i++) {
            table.register(table.freePeerId(), session(i), new LinkEndpoint.Udp(new InetSocketAddress("192.0.2.9", 100 + i)));
        }
        assertEquals(-1, table.freePeerId());
    }

    @Test
    void floatingMovesTheAddressIndexUnlessTheNewAddressIsTaken() {
        Instance a = table.register(0, session(0), new LinkEndpoint.Udp(A));
        Instance b = table.register(1, session(1), new LinkEndpoint.Udp(B));
        assertFalse(table.floatTo(a, B), "b lives there");
        assertSame(b, table.byAddress(B));
        InetSocketAddress moved = new InetSocketAddress("192.0.2.3", 3000);
        assertTrue(table.floatTo(a, moved));
        assertSame(a, table.byAddress(moved));
        assertNull(table.byAddress(A));
        assertEquals(moved, a.endpoint.address());
    }

    @Test
    void aTcpInstanceIsNotFoundByAddress() {
        Instance t = table.register(0, session(0), new LinkEndpoint.Tcp(null, A));
        assertNull(table.byAddress(A));
        assertSame(t, table.byPeerId(0));
    }
}
