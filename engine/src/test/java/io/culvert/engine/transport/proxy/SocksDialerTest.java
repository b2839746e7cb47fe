package io.culvert.engine.transport.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.common.Decoded;
import io.culvert.engine.common.DropReason;
import java.io.DataInputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class SocksDialerTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final HexFormat HEX = HexFormat.of();
    private final List<String> seen = new CopyOnWriteArrayList<>();

    /** Reads {@code n} bytes into {@link #seen} as hex, then writes {@code reply}. */
    private LoopbackServer.Handler steps(Object... script) {
        return s -> {
            DataInputStream in = new DataInputStream(s.getInputStream());
            for (int i = 0; i < script.length; i += 2) {
                seen.add(HEX.formatHex(in.readNBytes((Integer) script[i])));
                s.getOutputStream().write(HEX.parseHex((String) script[i + 1]));
            }
        };
    }

    @Test
    void messagesMatchRfc1928AndRfc1929() {
        assertEquals("050100", HEX.formatHex(Socks5.greeting(false)));
        assertEquals("05020002", HEX.formatHex(Socks5.greeting(true)));
        assertEquals("0105616c69636503707764", HEX.formatHex(Socks5.passwordRequest(new ProxyCredentials("alice", "pwd"))));
        assertEquals("050100030776706e2e6e6574" + "04aa", HEX.formatHex(Socks5.request(Socks5.CONNECT, "vpn.net", 1194)));
        assertEquals("050100010a000001" + "01bb", HEX.formatHex(Socks5.request(Socks5.CONNECT, "10.0.0.1", 443)));
        assertEquals("05030001" + "00000000" + "0000", HEX.formatHex(Socks5.request(Socks5.UDP_ASSOCIATE, "0.0.0.0", 0)));
        assertEquals("0501000420010db8000000000000000000000001" + "04aa",
                HEX.formatHex(Socks5.request(Socks5.CONNECT, "2001:db8::1", 1194)));
        assertThrows(IllegalArgumentException.class,
                () -> Socks5.passwordRequest(new ProxyCredentials("u".repeat(256), "p")));
    }

    @Test
    void connectsWithoutAuthentication() throws Exception {
        try (LoopbackServer p = new LoopbackServer(steps(3, "0500", 14, "05000001c0a80001d431" + "6869"));
                Socket s = new SocksDialer(p.address(), CredentialSource.NONE, Connector.tcp(null))
                        .connect("vpn.net", 1194, TIMEOUT)) {
            assertEquals(List.of("050100", "050100030776706e2e6e657404aa"), seen);
            assertEquals("hi", new String(s.getInputStream().readNBytes(2)));
        }
    }

    @Test
    void connectsWithUsernameAndPassword() throws Exception {
        CredentialSource creds = CredentialSource.fixed(new ProxyCredentials("alice", "pwd"));
        try (LoopbackServer p = new LoopbackServer(steps(4, "0502", 11, "0100", 14, "05000001000000000000"));
                Socket s = new SocksDialer(p.address(), creds, Connector.tcp(null)).connect("vpn.net", 1194, TIMEOUT)) {
            assertEquals(List.of("05020002", "0105616c69636503707764", "050100030776706e2e6e657404aa"), seen);
        }
    }

    @Test
    void passwordStatusInSocksVersionIsAcceptedAsOpenvpnAcceptsIt() throws Exception {
        CredentialSource creds = CredentialSource.fixed(new ProxyCredentials("alice", "pwd"));
        try (LoopbackServer p = new LoopbackServer(steps(4, "0502", 11, "0500", 14, "05000001000000000000"));
                Socket s = new SocksDialer(p.address(), creds, Connector.tcp(null)).connect("vpn.net", 1194, TIMEOUT)) {
            assertEquals(List.of("05020002", "0105616c69636503707764", "050100030776706e2e6e657404aa"), seen);
        }
        for (String refused : List.of("0501", "0101")) {
            try (LoopbackServer p = new LoopbackServer(steps(4, "0502", 11, refused))) {
                ProxyException e = assertThrows(ProxyException.class,
                        () -> new SocksDialer(p.address(), creds, Connector.tcp(null)).connect("vpn.net", 1194, TIMEOUT));
                assertEquals(ProxyException.Reason.AUTH_REJECTED, e.reason(), refused);
            }
        }
        try (LoopbackServer p = new LoopbackServer(steps(4, "0502", 11, "0200"))) {
            ProxyException e = assertThrows(ProxyException.class,
                    () -> new SocksDialer(p.address(), creds, Connector.tcp(null)).connect("vpn.net", 1194, TIMEOUT));
            assertEquals(ProxyException.Reason.MALFORMED, e.reason());
        }
    }

    @Test
    void rejectedPasswordIsReportedWithoutIt() throws Exception {
        CredentialSource creds = CredentialSource.fixed(new ProxyCredentials("alice", "pwd"));
        try (LoopbackServer p = new LoopbackServer(steps(4, "0502", 11, "0101"))) {
            ProxyException e = assertThrows(ProxyException.class,
                    () -> new SocksDialer(p.address(), creds, Connector.tcp(null)).connect("vpn.net", 1194, TIMEOUT));
            assertEquals(ProxyException.Reason.AUTH_REJECTED, e.reason());
            assertTrue(e.getMessage().endsWith("rejected the credentials"), e.getMessage());
            assertFalse(e.getMessage().contains("alice") || e.getMessage().contains("pwd"), "nothing from an auth file: " + e.getMessage());
        }
    }

    @Test
    void noAcceptableMethodAndReplyCodesAreNamed() throws Exception {
        try (LoopbackServer p = new LoopbackServer(steps(3, "05ff"))) {
            ProxyException e = assertThrows(ProxyException.class,
                    () -> new SocksDialer(p.address(), CredentialSource.NONE, Connector.tcp(null)).connect("h", 1, TIMEOUT));
            assertEquals(ProxyException.Reason.AUTH_REQUIRED, e.reason());
        }
        try (LoopbackServer p = new LoopbackServer(steps(3, "0500", 8, "05050001000000000000"))) {
            ProxyException e = assertThrows(ProxyException.class,
                    () -> new SocksDialer(p.address(), CredentialSource.NONE, Connector.tcp(null)).connect("h", 1, TIMEOUT));
            assertEquals(ProxyException.Reason.REFUSED, e.reason());
            assertTrue(e.getMessage().endsWith("refused CONNECT h:1: connection refused"), e.getMessage());
        }
    }

    @Test
    void malformedRepliesAreRejected() throws Exception {
        try (LoopbackServer p = new LoopbackServer(steps(3, "0400"))) {
            ProxyException e = assertThrows(ProxyException.class,
                    () -> new SocksDialer(p.address(), CredentialSource.NONE, Connector.tcp(null)).connect("h", 1, TIMEOUT));
            assertEquals(ProxyException.Reason.MALFORMED, e.reason());
        }
        try (LoopbackServer p = new LoopbackServer(steps(3, "0500", 8, "0500000900"))) {
            ProxyException e = assertThrows(ProxyException.class,
                    () -> new SocksDialer(p.address(), CredentialSource.NONE, Connector.tcp(null)).connect("h", 1, TIMEOUT));
            assertTrue(e.getMessage().contains("unknown address type 9"), e.getMessage());
        }
    }

    @Test
    void udpHeaderIsCheckedAndStripped() {
        byte[] wrapped = Socks5.wrapUdp(new InetSocketAddress(InetAddress.getLoopbackAddress(), 1194), new byte[] {0x38, 1});
        assertEquals("000000017f000001" + "04aa" + "3801", HEX.formatHex(wrapped));
        assertEquals(Decoded.ok(10), Socks5.udpHeaderLength(wrapped, wrapped.length));
        assertEquals(DropReason.TRUNCATED, Socks5.udpHeaderLength(wrapped, 7).reason());
        byte[] fragment = wrapped.clone();
        fragment[2] = 1;
        assertEquals(DropReason.MALFORMED, Socks5.udpHeaderLength(fragment, fragment.length).reason());
        byte[] badType = wrapped.clone();
        badType[3] = 9;
        assertEquals(DropReason.MALFORMED, Socks5.udpHeaderLength(badType, badType.length).reason());
    }

    @Test
    void udpAssociationRelaysThroughTheAnnouncedPort() throws Exception {
        try (DatagramSocket relay = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            String port = String.format("%04x", relay.getLocalPort());
            // bound address 0.0.0.0: the relay is on the proxy's own address
            try (LoopbackServer p = new LoopbackServer(steps(3, "0500", 10, "0500000100000000" + port))) {
                SocksDialer.Association a = new SocksDialer(p.address(), CredentialSource.NONE, Connector.tcp(null))
                        .associate(TIMEOUT);
                assertEquals(List.of("050100", "05030001000000000000"), seen);
                InetSocketAddress server = new InetSocketAddress("10.1.2.3", 1194);
                try (SocksUdpTransport t = SocksUdpTransport.open(a, server, null)) {
                    t.send(new byte[] {0x38, 7});
                    DatagramPacket got = new DatagramPacket(new byte[100], 100);
                    relay.receive(got);
                    assertEquals("000000010a010203" + "04aa" + "3807", HEX.formatHex(got.getData(), 0, got.getLength()));
                    byte[] back = HEX.parseHex("000000010a01020304aa" + "4001");
                    relay.send(new DatagramPacket(back, back.length, got.getSocketAddress()));
                    byte[] buf = new byte[100];
                    int n = t.receive(buf);
                    assertArrayEquals(new byte[] {0x40, 1}, java.util.Arrays.copyOf(buf, n));
                    byte[] junk = {1, 2};
                    relay.send(new DatagramPacket(junk, junk.length, got.getSocketAddress()));
                    assertEquals(0, t.receive(buf), "a datagram without a SOCKS header reads as an empty packet");
                    assertEquals(server, t.remote());
                }
                assertTrue(a.control().isClosed(), "closing the transport ends the association");
            }
        }
    }
}
