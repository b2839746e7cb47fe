package io.culvert.engine.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.config.WebSocketRemote;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The order, time budget and reasons of falling back UDP → TCP → WebSocket (issue 14, ADR 0047). */
class TransportFallbackTest {
    private static final ClientProfile.Remote UDP = new ClientProfile.Remote("192.0.2.1", 1194, false);
    private static final ClientProfile.Remote TCP = new ClientProfile.Remote("192.0.2.1", 1194, true);
    private static final ClientProfile.Remote WS = new ClientProfile.Remote("vpn.example", 443, true, null,
            new WebSocketRemote(true, "vpn.example", 443, "/vpn", null));
    private static final Duration FULL = Duration.ofSeconds(10);

    @Test
    void blockedTransportsAreGivenUpQuicklyInTheFirstRoundAndTheReasonsAreReported() {
        TransportFallback f = new TransportFallback(List.of(UDP, TCP, WS), null);
        assertEquals(List.of(UDP, TCP, WS), f.order());
        assertTrue(f.firstRound());
        assertEquals(Duration.ofSeconds(2), f.budget(UDP, FULL));
        assertEquals(Duration.ofSeconds(2), f.budget(TCP, FULL));
        assertEquals(FULL, f.budget(WS, FULL), "the last resort gets connect-timeout");
        f.failed(UDP, "no answer in 2 s");
        f.failed(TCP, "connection refused");
        assertEquals("UDP: no answer in 2 s; TCP: connection refused; using WebSocket", f.connected(WS));
        assertEquals("", f.connected(WS), "a reconnect over the same remote has nothing to explain");
    }

    @Test
    void afterAWholeRoundFailsEveryRemoteGetsTheFullTime() {
        TransportFallback f = new TransportFallback(List.of(UDP, TCP, WS), null);
        f.failed(UDP, "no answer in 2 s");
        f.failed(TCP, "no answer in 2 s");
        f.failed(WS, "connection refused");
        assertFalse(f.firstRound());
        assertEquals(FULL, f.budget(UDP, FULL));
    }

    @Test
    void whatWorkedLastIsTriedFirstAndTheRestKeepFileOrder() {
        TransportFallback f = new TransportFallback(List.of(UDP, TCP, WS), TransportFallback.key(WS));
        assertEquals(List.of(WS, UDP, TCP), f.order());
        assertEquals(List.of(UDP, TCP, WS), new TransportFallback(List.of(UDP, TCP, WS), "gone:1/udp").order());
    }

    @Test
    void oneTransportKeepsOpenvpnsTiming() {
        TransportFallback f = new TransportFallback(List.of(UDP, new ClientProfile.Remote("192.0.2.2", 1194, false)), null);
        assertFalse(f.mixed());
        assertEquals(FULL, f.budget(UDP, FULL));
    }

    @Test
    void theMemoryKeepsOneRemotePerProfileAndNetwork(@TempDir Path dir) throws Exception {
        TransportMemory m = new TransportMemory(dir.resolve("culvert").resolve("transports"));
        assertEquals(null, m.recall("p @ eth0 via 192.0.2.254"));
        m.remember("p @ eth0 via 192.0.2.254", "wss://vpn.example/vpn");
        m.remember("p @ wlan0 via 10.0.0.1", "192.0.2.1:1194/udp");
        m.remember("p @ eth0 via 192.0.2.254", "192.0.2.1:1194/tcp");
        assertEquals("192.0.2.1:1194/tcp", m.recall("p @ eth0 via 192.0.2.254"));
        assertEquals("192.0.2.1:1194/udp", new TransportMemory(m.file()).recall("p @ wlan0 via 10.0.0.1"));
        assertEquals(2, Files.readAllLines(m.file()).size());
    }
}
