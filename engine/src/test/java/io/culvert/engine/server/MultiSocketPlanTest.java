package io.culvert.engine.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.config.ClientConfig.Proto;
import io.culvert.engine.config.Listen;
import io.culvert.engine.config.ServerConfig;
import io.culvert.engine.config.file.OvpnFile;
import io.culvert.engine.config.file.OvpnParseException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * OpenVPN 2.7's {@code local host|* [port] [proto]} lines (options.c: one {@code local_entry} each; a missing port
 * or proto is the config's {@code port}/{@code proto} after the whole file is read; {@code tcp} is
 * {@code tcp-server}) and {@code multihome [same-interface]}, read into the server's sockets.
 */
class MultiSocketPlanTest {
    private static final String BASE = "dev tun\nca ca.crt\ncert server.crt\nkey server.key\ndh none\n"
            + "server 10.8.0.0 255.255.255.0\n";
    private static final Path SERVER_DIR = Path.of("src/test/resources/ovpn/server");

    private static ServerConfig config(String extra) throws Exception {
        return ServerConfig.from(OvpnFile.parse(BASE + extra), SERVER_DIR, false);
    }

    private static List<String> sockets(String extra) throws Exception {
        return config(extra).listen().sockets().stream().map(Listen.Socket::toString).toList();
    }

    @Test
    void eachLocalLineIsASocketWithTheConfigsPortAndProtoWhereItNamesNone() throws Exception {
        assertEquals(List.of("10.0.0.1:1194/udp", "10.0.0.1:443/tcp"),
                sockets("local 10.0.0.1 1194 udp\nlocal 10.0.0.1 443 tcp-server\n"));
        // port and proto after the local lines still apply, as OpenVPN resolves them once the file is read
        assertEquals(List.of("*:1195/tcp", "10.0.0.2:1195/tcp", "*:53/udp"),
                sockets("local *\nlocal 10.0.0.2\nlocal * 53 udp\nport 1195\nproto tcp\n"));
        assertEquals(List.of("*:1194/tcp"), sockets("local * 1194 tcp\n"));
        assertEquals(List.of("*:1194/udp"), sockets(""));
        assertEquals(List.of("10.0.0.1:1194/udp"), sockets("local 10.0.0.1\n"));
    }

    @Test
    void theFirstSocketIsTheListenOfOldAndTheEnvNumbersThemAll() throws Exception {
        ServerConfig c = config("local 10.0.0.1 443 tcp\nlocal * 1194 udp4\n");
        assertEquals(Proto.TCP, c.listen().proto());
        assertEquals(443, c.listen().port());
        assertEquals("10.0.0.1", c.listen().local());
        assertTrue(c.listen().hasTcp() && c.listen().hasUdp());
    }

    @Test
    void theSocketsBindWhereOpenvpnBindsThem() throws Exception {
        ServerPlan plan = ServerPlans.from(config(
                "local * 1194 udp\nlocal 0.0.0.0 443 tcp4-server\nlocal :: 1195 udp6\nlocal 127.0.0.1 1196\n"),
                SERVER_DIR);
        assertEquals(List.of(
                new ServerPlan.Socket(new InetSocketAddress(InetAddress.getByName("::"), 1194), false),
                new ServerPlan.Socket(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 443), true),
                new ServerPlan.Socket(new InetSocketAddress(InetAddress.getByName("::"), 1195), false),
                new ServerPlan.Socket(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 1196), false)),
                plan.sockets());
        assertEquals(plan.sockets().getFirst().bind(), plan.bind());
        assertFalse(plan.multihome());
    }

    @Test
    void multihomeAndSameInterface() throws Exception {
        ServerPlan plan = ServerPlans.from(config("multihome\n"), SERVER_DIR);
        assertTrue(plan.multihome());
        assertFalse(plan.sameInterface());
        ServerPlan same = ServerPlans.from(config("multihome same-interface\n"), SERVER_DIR);
        assertTrue(same.multihome() && same.sameInterface());
        List<String> warnings = config("multihome\n").warnings();
        assertTrue(warnings.stream().noneMatch(w -> w.contains("multihome")), warnings::toString);
        assertThrows(OvpnParseException.class, () -> config("multihome elsewhere\n"));
        List<String> tcpOnly = config("proto tcp\nmultihome\n").warnings();
        assertTrue(tcpOnly.stream().anyMatch(w -> w.contains("'multihome' has no effect")), tcpOnly::toString);
    }

    @Test
    void aClientProtocolOrABadPortOrTheSameSocketTwiceIsRefusedAtItsLine() {
        OvpnParseException client = assertThrows(OvpnParseException.class, () -> config("local * 443 tcp-client\n"));
        assertTrue(client.getMessage().contains("client protocol"), client.getMessage());
        assertThrows(OvpnParseException.class, () -> config("local * 0 udp\n"));
        assertThrows(OvpnParseException.class, () -> config("local * 443 sctp\n"));
        assertThrows(OvpnParseException.class, () -> config("local * 443 udp\nlocal * 443 udp\n"));
    }
}
