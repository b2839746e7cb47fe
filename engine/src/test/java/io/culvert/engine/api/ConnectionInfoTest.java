package io.culvert.engine.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConnectionInfoTest {
    private static final ConnectionInfo TUNNEL = ConnectionInfo.builder("vpn.example:443/tcp").device("tun0")
            .ipv4("10.8.0.2/24").ipv6("fd00::2/64").cipher("AES-256-GCM").tls("TLSv1.3").routes(List.of("10.9.0.0/16"))
            .dns(List.of("10.8.0.1")).failedRoutes(List.of(new ConnectionInfo.FailedRoute("10.7.0.0/16", "File exists", true)))
            .transport(LinkTransport.WEBSOCKET, "UDP: no answer in 2 s").build();

    @Test
    void toBuilderKeepsEveryField() {
        assertEquals(TUNNEL, TUNNEL.toBuilder().build());
    }

    @Test
    void toBuilderChangesOnlyWhatItIsTold() {
        ConnectionInfo changed = TUNNEL.toBuilder().routes(List.of()).dns(List.of("1.1.1.1")).build();
        assertEquals(new ConnectionInfo(TUNNEL.remote(), "tun0", "10.8.0.2/24", "fd00::2/64", "AES-256-GCM", "TLSv1.3",
                List.of(), List.of("1.1.1.1"), TUNNEL.failedRoutes(), LinkTransport.WEBSOCKET, "UDP: no answer in 2 s"), changed);
    }
}
