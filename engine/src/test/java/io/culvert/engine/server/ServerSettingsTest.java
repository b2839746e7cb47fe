package io.culvert.engine.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.testkit.MemoryPki;
import org.junit.jupiter.api.Test;

/** The settings a server with both UDP and TCP sockets hands each transport's instances. */
class ServerSettingsTest {
    private final ServerSettings udp = ServerSettings.builder(MemoryPki.shared().serverTls())
            .keepalive(10, 60).sessionTimeout(3600).build();

    @Test
    void theTcpCopyKeepsSessionTimeoutAndEverythingButTheTransport() {
        ServerSettings tcp = udp.withTcp(true);

        assertTrue(tcp.tcp());
        assertEquals(3600, tcp.sessionTimeout(), "session-timeout holds whatever the transport, as in OpenVPN");
        assertEquals(udp, tcp.toBuilder().tcp(false).build());
    }

    @Test
    void theUdpCopyOfATcpServerKeepsSessionTimeout() {
        ServerSettings tcp = udp.toBuilder().tcp(true).build();

        ServerSettings back = tcp.withTcp(false);

        assertFalse(back.tcp());
        assertEquals(3600, back.sessionTimeout());
    }
}
