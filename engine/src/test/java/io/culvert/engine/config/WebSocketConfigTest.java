package io.culvert.engine.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.config.file.OvpnParseException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code culvert-websocket} on a server and {@code culvert-remote-websocket} on a client (ADR 0042). */
class WebSocketConfigTest {
    private static final String SERVER = "dev tun\nca ca.crt\ncert server.crt\nkey server.key\ndh none\n"
            + "server 10.8.0.0 255.255.255.0\n";
    private static final String CLIENT = "client\ndev tun\n<ca>\n-----BEGIN CERTIFICATE-----\n</ca>\nauth-user-pass\n";

    @Test
    void aServerListensOnLoopbackForAPathAndTrustsNamedProxies() throws Exception {
        ServerConfig c = ServerConfigTest.text(SERVER + "culvert-websocket 127.0.0.1:8081 /vpn\n"
                + "culvert-websocket-trusted-proxy 127.0.0.1\nculvert-websocket-trusted-proxy ::1\n");
        WebSocketListen ws = c.listen().webSocket();
        assertEquals(new WebSocketListen("127.0.0.1", 8081, "/vpn", List.of("127.0.0.1", "::1"), 7), ws);
        assertTrue(c.listen().hasUdp(), "the UDP socket stays");
        assertNull(ServerConfigTest.text(SERVER).listen().webSocket());
    }

    @Test
    void aServerRefusesANonLoopbackEndpointABadPathOrATrustedProxyThatIsNoAddress() {
        OvpnParseException e = assertThrows(OvpnParseException.class,
                () -> ServerConfigTest.text(SERVER + "culvert-websocket 0.0.0.0:8081 /vpn\n"));
        assertEquals(7, e.line());
        assertTrue(e.getMessage().contains("loopback"), e.getMessage());
        assertThrows(OvpnParseException.class, () -> ServerConfigTest.text(SERVER + "culvert-websocket 127.0.0.1:8081 vpn\n"));
        assertThrows(OvpnParseException.class, () -> ServerConfigTest.text(SERVER + "culvert-websocket 127.0.0.1 /vpn\n"));
        assertThrows(OvpnParseException.class, () -> ServerConfigTest.text(SERVER
                + "culvert-websocket 127.0.0.1:8081 /vpn\nculvert-websocket-trusted-proxy nginx.local\n"));
    }

    @Test
    void aServerListensOnAUnixSocketOwnedByAGroupWithATokenFile() throws Exception {
        ServerConfig c = ServerConfigTest.text(SERVER + "culvert-websocket unix:/run/culvert/ws.sock /vpn\n"
                + "culvert-websocket-group www-data\nculvert-websocket-token-file /etc/culvert/ws.token\n");
        WebSocketListen ws = c.listen().webSocket();
        assertEquals(new WebSocketListen(null, 0, "/run/culvert/ws.sock", "/vpn", List.of(), "www-data",
                "/etc/culvert/ws.token", 7), ws);
        assertTrue(ws.unix());
        assertEquals("unix:/run/culvert/ws.sock", ws.where());
        OvpnParseException relative = assertThrows(OvpnParseException.class,
                () -> ServerConfigTest.text(SERVER + "culvert-websocket unix:ws.sock /vpn\n"));
        assertEquals(7, relative.line());
        assertTrue(relative.getMessage().contains("unix:/absolute/path"), relative.getMessage());
        assertThrows(OvpnParseException.class, () -> ServerConfigTest.text(SERVER
                + "culvert-websocket unix:/run/" + "x".repeat(120) + " /vpn\n"));
        assertThrows(OvpnParseException.class, () -> ServerConfigTest.text(SERVER
                + "culvert-websocket unix:/run/ws.sock /vpn\nculvert-websocket-group 'www data'\n"));
    }

    @Test
    void aServerNamesTheHeaderOfTheProxyVerifiedClientCertificate() throws Exception {
        ServerConfig c = ServerConfigTest.text(SERVER + "culvert-websocket 127.0.0.1:8081 /vpn\n"
                + "culvert-websocket-trusted-proxy 127.0.0.1\nculvert-websocket-client-cn-header X-Client-DN\n");
        assertEquals("X-Client-DN", c.listen().webSocket().clientCnHeader());
        assertNull(ServerConfigTest.text(SERVER + "culvert-websocket 127.0.0.1:8081 /vpn\n").listen().webSocket()
                .clientCnHeader());
        OvpnParseException e = assertThrows(OvpnParseException.class, () -> ServerConfigTest.text(SERVER
                + "culvert-websocket 127.0.0.1:8081 /vpn\nculvert-websocket-client-cn-header 'X Client'\n"));
        assertEquals(8, e.line());
    }

    @Test
    void aClientSendsTheTokenFromItsFile() throws Exception {
        ClientConfig c = ClientConfigTest.text(CLIENT + "culvert-remote-websocket wss://vpn.example/vpn\n"
                + "culvert-websocket-token-file /etc/culvert/ws.token\n");
        assertEquals("/etc/culvert/ws.token", c.transport().remotes().getFirst().webSocket().tokenFile());
    }

    @Test
    void aClientTriesTheWebSocketRemoteInFileOrderWithItsCa() throws Exception {
        ClientConfig c = ClientConfigTest.text(CLIENT + "remote 192.0.2.1 1194 udp\n"
                + "culvert-remote-websocket wss://vpn.example/vpn\nculvert-websocket-ca /etc/culvert/ws-ca.pem\n");
        List<ClientConfig.Remote> remotes = c.transport().remotes();
        assertEquals(2, remotes.size());
        assertNull(remotes.get(0).webSocket());
        WebSocketRemote ws = remotes.get(1).webSocket();
        assertEquals(new WebSocketRemote(true, "vpn.example", 443, "/vpn", "/etc/culvert/ws-ca.pem"), ws);
        assertEquals(ClientConfig.Proto.TCP, remotes.get(1).proto());
        assertEquals("wss://vpn.example/vpn", ws.url());
    }

    @Test
    void aProfileWithOnlyAWebSocketRemoteLoadsAndBadUrlsNameTheLine() throws Exception {
        ClientConfig c = ClientConfigTest.text(CLIENT + "setenv opt culvert-remote-websocket ws://[::1]:8080/t?x=1\n");
        assertEquals(new WebSocketRemote(false, "::1", 8080, "/t?x=1", null), c.transport().remotes().getFirst().webSocket());
        OvpnParseException e = assertThrows(OvpnParseException.class,
                () -> ClientConfigTest.text(CLIENT + "culvert-remote-websocket https://vpn.example/vpn\n"));
        assertEquals(7, e.line());
        assertThrows(OvpnParseException.class, () -> ClientConfigTest.text(CLIENT + "culvert-remote-websocket wss:///vpn\n"));
    }

    /**
     * The fallback profile (issue 14, ADR 0047): UDP, TCP and WebSocket in {@code <connection>} blocks, the WebSocket
     * one written {@code setenv opt} beside the {@code remote} line stock OpenVPN needs there (2.6.14 and 2.7.6 load it
     * with a warning and try its remote; the bare directive stops them: ignore-unknown-option does not reach into a
     * block). Culvert goes to the URL instead of that block's remote.
     */
    @Test
    void aConnectionBlockNamesAWebSocketRemoteWrittenSetenvOpt() throws Exception {
        ClientConfig c = ClientConfigTest.text(CLIENT + "culvert-websocket-ca /etc/culvert/ws-ca.pem\n"
                + "<connection>\nremote 192.0.2.1 1194 udp\n</connection>\n"
                + "<connection>\nremote 192.0.2.1 443 tcp\n</connection>\n"
                + "<connection>\nremote 192.0.2.1 1 tcp\nsetenv opt culvert-remote-websocket wss://vpn.example/vpn\n</connection>\n");
        List<ClientConfig.Remote> remotes = c.transport().remotes();
        assertEquals(3, remotes.size());
        assertEquals(ClientConfig.Proto.UDP, remotes.get(0).proto());
        assertEquals(ClientConfig.Proto.TCP, remotes.get(1).proto());
        assertNull(remotes.get(1).webSocket());
        assertEquals(new WebSocketRemote(true, "vpn.example", 443, "/vpn", "/etc/culvert/ws-ca.pem"), remotes.get(2).webSocket());
        assertEquals("vpn.example", remotes.get(2).host());
    }

    /**
     * The bearer token and CA per remote: a block's {@code setenv opt culvert-websocket-token-file} / {@code -ca} are
     * that block's; a block naming neither takes the profile's (issue 14). A token in a block without a WebSocket
     * remote names the block's line; the bare directives in a block are refused as stock refuses them.
     */
    @Test
    void aConnectionBlockCarriesItsOwnTokenAndCaOrTheProfiles() throws Exception {
        ClientConfig c = ClientConfigTest.text(CLIENT + "culvert-websocket-token-file /etc/culvert/all.token\n"
                + "culvert-websocket-ca /etc/culvert/all-ca.pem\n"
                + "<connection>\nremote 192.0.2.1 1194 udp\n</connection>\n"
                + "<connection>\nremote 192.0.2.1 1 tcp\nsetenv opt culvert-remote-websocket wss://a.example/vpn\n"
                + "setenv opt culvert-websocket-token-file /etc/culvert/a.token\n"
                + "setenv opt culvert-websocket-ca /etc/culvert/a-ca.pem\n</connection>\n"
                + "<connection>\nremote 192.0.2.1 1 tcp\nsetenv opt culvert-remote-websocket wss://b.example/vpn\n"
                + "</connection>\n");
        List<ClientConfig.Remote> remotes = c.transport().remotes();
        assertEquals(3, remotes.size());
        assertEquals(new WebSocketRemote(true, "a.example", 443, "/vpn", "/etc/culvert/a-ca.pem", "/etc/culvert/a.token"),
                remotes.get(1).webSocket());
        assertEquals(new WebSocketRemote(true, "b.example", 443, "/vpn", "/etc/culvert/all-ca.pem",
                "/etc/culvert/all.token"), remotes.get(2).webSocket());

        ClientConfig only = ClientConfigTest.text(CLIENT + "<connection>\nremote 192.0.2.1 1 tcp\n"
                + "setenv opt culvert-remote-websocket wss://a.example/vpn\nsetenv opt culvert-websocket-token-file"
                + " /etc/culvert/a.token\n</connection>\n");
        assertEquals("/etc/culvert/a.token", only.transport().remotes().getFirst().webSocket().tokenFile());

        OvpnParseException stray = assertThrows(OvpnParseException.class, () -> ClientConfigTest.text(CLIENT
                + "<connection>\nremote 192.0.2.1 1194 udp\nsetenv opt culvert-websocket-token-file /a.token\n"
                + "</connection>\n"));
        assertEquals(7, stray.line());
        assertTrue(stray.getMessage().contains("no WebSocket remote"), stray.getMessage());
        OvpnParseException bare = assertThrows(OvpnParseException.class, () -> ClientConfigTest.text(CLIENT
                + "<connection>\nremote 192.0.2.1 1 tcp\nsetenv opt culvert-remote-websocket wss://a.example/vpn\n"
                + "culvert-websocket-token-file /a.token\n</connection>\n"));
        assertTrue(bare.getMessage().contains("setenv opt culvert-websocket-token-file"), bare.getMessage());
    }

    @Test
    void theBareDirectiveInAConnectionBlockIsRefusedAsStockRefusesIt() {
        OvpnParseException e = assertThrows(OvpnParseException.class, () -> ClientConfigTest.text(CLIENT
                + "ignore-unknown-option culvert-remote-websocket\n<connection>\nremote 192.0.2.1 1 tcp\n"
                + "culvert-remote-websocket wss://vpn.example/vpn\n</connection>\n"));
        assertTrue(e.getMessage().contains("setenv opt culvert-remote-websocket"), e.getMessage());
        assertThrows(OvpnParseException.class, () -> ClientConfigTest.text(CLIENT
                + "<connection>\nsetenv opt culvert-remote-websocket wss://vpn.example/vpn\n</connection>\n"),
                "a block needs its remote line, as stock needs it");
    }
}
