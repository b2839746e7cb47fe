package io.culvert.engine.serveradmin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.culvert.engine.api.ClientNetwork;
import io.culvert.engine.api.ServerSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class CcdTextTest {
    private static final ServerSpec SUBNET = ServerSpec.defaults("office", "vpn.example.com");
    private static final ServerSpec NET30 = ServerSpec.builder("legacy", "vpn.example.com")
            .network("10.9.0.0", "255.255.255.0").topology(ServerSpec.Topology.NET30).build();

    @Test
    void rendersStaticAddressIroutesAndPushedRoutesForSubnet() throws Exception {
        ClientNetwork n = new ClientNetwork("10.8.0.50", List.of("192.168.10.0/24"), List.of("172.16.0.0/12"));
        String text = CcdText.render(SUBNET, n);
        assertEquals("""
                ifconfig-push 10.8.0.50 255.255.255.0
                iroute 192.168.10.0 255.255.255.0
                push "route 172.16.0.0 255.240.0.0"
                """, text);
        assertEquals(n, CcdText.parse(text));
    }

    @Test
    void net30StaticAddressGetsItsPeer() throws Exception {
        assertEquals("ifconfig-push 10.9.0.9 10.9.0.10\n", CcdText.render(NET30, new ClientNetwork("10.9.0.9", List.of(), List.of())));
        assertThrows(IllegalArgumentException.class, () -> CcdText.render(NET30, new ClientNetwork("10.9.0.10", List.of(), List.of())));
    }

    @Test
    void refusesAddressesOutsideTheClientRange() {
        for (String a : List.of("10.8.1.5", "10.8.0.0", "10.8.0.1", "10.8.0.255")) {
            assertThrows(IllegalArgumentException.class, () -> CcdText.render(SUBNET, new ClientNetwork(a, List.of(), List.of())), a);
        }
    }

    @Test
    void nothingSetRendersNothing() throws Exception {
        assertEquals("", CcdText.render(SUBNET, ClientNetwork.NONE));
        assertEquals(ClientNetwork.NONE, CcdText.parse(""));
    }

    @Test
    void readsHandWrittenCcdWithHostRoutes() throws Exception {
        ClientNetwork n = CcdText.parse("# static\nifconfig-push 10.8.0.7 255.255.255.0\niroute 10.20.0.5\npush \"dhcp-option DNS 1.1.1.1\"\n");
        assertEquals(new ClientNetwork("10.8.0.7", List.of("10.20.0.5/32"), List.of()), n);
    }
}
