package io.culvert.engine.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.culvert.engine.config.ServerConfig;
import io.culvert.engine.config.file.OvpnFile;
import io.culvert.engine.sys.Received;
import io.culvert.engine.sys.UdpSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * Where a server listens for each {@code proto}, as OpenVPN does, checked on loopback with datagrams from an IPv4 and
 * an IPv6 sender: {@code udp4} hears only IPv4; {@code udp6} and a {@code proto udp} without a family listen
 * dual-stack and hear both; {@code local} binds its own address.
 */
@EnabledOnOs(OS.LINUX)
@Timeout(20)
class ListenFamilyTest {
    private static final String BASE = "port 11940\ndev tun\nca ca.crt\ncert server.crt\nkey server.key\ndh none\n"
            + "server 10.8.0.0 255.255.255.0\n";

    /** The test resources' server directory, whose config names ca.crt, server.crt and server.key. */
    private static final Path SERVER_DIR = Path.of("src/test/resources/ovpn/server");

    private static InetSocketAddress bindFor(String extra) throws Exception {
        ServerConfig c = ServerConfig.from(OvpnFile.parse(BASE + extra), SERVER_DIR, false);
        return ServerPlans.bindAddress(c);
    }

    @Test
    void eachProtoListensWhereOpenvpnDoes() throws Exception {
        assertEquals(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 11940), bindFor("proto udp4\n"));
        assertEquals(new InetSocketAddress(InetAddress.getByName("::"), 11940), bindFor("proto udp6\n"));
        assertEquals(new InetSocketAddress(InetAddress.getByName("::"), 11940), bindFor("proto udp\n"));
        assertEquals(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 11940), bindFor("proto tcp4-server\n"));
        assertEquals(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 11940), bindFor("proto udp\nlocal 127.0.0.1\n"));
    }

    @Test
    void udp4HearsOnlyIpv4() throws Exception {
        assertEquals(List.of("from v4"), heard(bindFor("proto udp4\n")));
    }

    @Test
    void udp6AndAProtoWithoutFamilyHearBoth() throws Exception {
        assertEquals(List.of("from v6", "from v4"), heard(bindFor("proto udp6\n")));
        assertEquals(List.of("from v6", "from v4"), heard(bindFor("proto udp\n")));
    }

    /** Opens the server socket on {@code bind}, sends one datagram from ::1 and then one from 127.0.0.1, returns what arrived. */
    private static List<String> heard(InetSocketAddress bind) throws Exception {
        List<String> got = new ArrayList<>();
        try (UdpSocket server = ServerUdp.open(new InetSocketAddress(bind.getAddress(), 0));
                DatagramChannel v6 = DatagramChannel.open().bind(new InetSocketAddress("::1", 0));
                DatagramChannel v4 = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            int port = server.localAddress().getPort();
            v6.send(ByteBuffer.wrap("from v6".getBytes(StandardCharsets.US_ASCII)), new InetSocketAddress("::1", port));
            v4.send(ByteBuffer.wrap("from v4".getBytes(StandardCharsets.US_ASCII)), new InetSocketAddress("127.0.0.1", port));
            byte[] buf = new byte[UdpSocket.MAX_DATAGRAM];
            Received from = new Received();
            String text;
            do {
                int n = server.receive(buf, 0, buf.length, from);
                text = new String(buf, 0, n, StandardCharsets.US_ASCII);
                got.add(text);
            } while (!text.equals("from v4"));
        }
        return got;
    }
}
