package io.culvert.engine.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code --fleet-remote HOST[:PORT[:PROTO]]} as a server registers it, and its "HOST PORT PROTO" form. */
class FleetRemoteTest {
    @Test
    void leftOutPortAndProtoAreTheConfigsAndTcpServerIsDialledAsTcp() {
        assertEquals(new FleetRemote("vpn.example.net", 1194, "udp"), FleetRemote.parse("vpn.example.net", 1194, "udp"));
        assertEquals(new FleetRemote("192.0.2.1", 443, "tcp"), FleetRemote.parse("192.0.2.1:443", 443, "tcp-server"));
        assertEquals(new FleetRemote("192.0.2.1", 1195, "tcp"), FleetRemote.parse("192.0.2.1:1195:tcp", 1194, "udp"));
        assertEquals(new FleetRemote("2001:db8::1", 1194, "udp"), FleetRemote.parse("[2001:db8::1]", 1194, "udp6"));
        assertEquals(new FleetRemote("2001:db8::1", 443, "tcp"), FleetRemote.parse("[2001:db8::1]:443:tcp6", 1194, "udp"));
    }

    @Test
    void badInputIsRefusedNamingWhatIsWrong() {
        for (String[] bad : new String[][] {{"vpn.example.net:0", "port"}, {"vpn.example.net:70000", "port"},
                {"vpn.example.net:x", "not a port"}, {"vpn.example.net:1194:sctp", "protocol"}, {"2001:db8::1", "[brackets]"},
                {"[2001:db8::1", "']'"}, {"bad host!", "host"}, {"", "host"}, {"a:1:udp:x", "HOST[:PORT[:PROTO]]"}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FleetRemote.parse(bad[0], 1194, "udp"), bad[0]);
            assertTrue(e.getMessage().contains(bad[1]), e.getMessage());
        }
    }

    @Test
    void itsLineFormReadsBack() {
        FleetRemote r = new FleetRemote("2001:db8::1", 1194, "udp");
        assertEquals("2001:db8::1 1194 udp", r.toString());
        assertEquals(r, FleetRemote.ofLine(r.toString()));
    }
}
