package io.culvert.engine.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.config.ClientConfig.AuthUserPass;
import io.culvert.engine.config.file.OvpnFile;
import io.culvert.engine.config.file.OvpnParseException;
import io.culvert.engine.config.file.Reason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProxyConfigTest {
    private static final String BASE = "client\ndev tun\nauth-user-pass\nca ca.pem\n";

    private static ClientConfig parse(String body, Path dir) throws Exception {
        Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n");
        return ClientConfig.from(OvpnFile.parse(BASE + body), dir, false);
    }

    @Test
    void httpProxyWithAuthFileAndOptions(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("up.txt"), "alice\nsecret\n");
        ClientConfig c = parse("proto tcp\nremote vpn.example.com 443\nhttp-proxy proxy.corp 3128 up.txt basic\n"
                + "http-proxy-option VERSION 1.1\nhttp-proxy-option AGENT \"Mozilla/5.0 (X11)\"\n"
                + "http-proxy-option CUSTOM-HEADER X-Token abc\nhttp-proxy-option CUSTOM-HEADER X-Bare\n", dir);
        ProxyConfig.Http h = (ProxyConfig.Http) c.transport().remotes().getFirst().proxy();
        assertEquals(new ProxyConfig.Http("proxy.corp", 3128, ProxyConfig.HttpAuth.BASIC, new AuthUserPass("alice", "secret"),
                "1.1", "Mozilla/5.0 (X11)", List.of(List.of("X-Token", "abc"), Arrays.asList("X-Bare", null))), h);
        assertFalse(c.toString().contains("secret"), c.toString());
        assertFalse(c.toString().contains("alice"), "nor the user name from the auth file: " + c);
        assertFalse(h.toString().contains("abc"), "header values may be tokens: " + h);
    }

    @Test
    void inlineUserPassAndAutoModes(@TempDir Path dir) throws Exception {
        ClientConfig c = parse("proto tcp\nremote a 443\nhttp-proxy p 8080 auto-nct\n"
                + "<http-proxy-user-pass>\nbob\npw\n</http-proxy-user-pass>\n", dir);
        ProxyConfig.Http h = (ProxyConfig.Http) c.transport().remotes().getFirst().proxy();
        assertEquals(ProxyConfig.HttpAuth.AUTO_NCT, h.auth());
        assertEquals(new AuthUserPass("bob", "pw"), h.credentials());
        assertEquals("1.0", h.version());

        ProxyConfig.Http none = (ProxyConfig.Http) parse("proto tcp\nremote a 443\nhttp-proxy p 8080\n", dir)
                .transport().remotes().getFirst().proxy();
        assertEquals(ProxyConfig.HttpAuth.AUTO, none.auth());
        assertNull(none.credentials(), "no file: the user is asked on a 407");
        ProxyConfig.Http stdin = (ProxyConfig.Http) parse("proto tcp\nremote a 443\nhttp-proxy p 8080 stdin\n", dir)
                .transport().remotes().getFirst().proxy();
        assertEquals(new AuthUserPass(null, null), stdin.credentials());
    }

    @Test
    void httpProxyNeedsTcpAsInOpenvpn(@TempDir Path dir) {
        OvpnParseException e = assertThrows(OvpnParseException.class,
                () -> parse("remote a 1194\nhttp-proxy p 8080\n", dir));
        assertEquals(Reason.CONFLICT, e.reason());
        assertTrue(e.getMessage().contains("--http-proxy MUST be used in TCP Client mode"), e.getMessage());
    }

    @Test
    void refusesNtlmDigestAndMixingHttpWithSocks(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("up.txt"), "u\np\n");
        for (String method : List.of("ntlm", "ntlm2", "digest")) {
            OvpnParseException e = assertThrows(OvpnParseException.class,
                    () -> parse("proto tcp\nremote a 1\nhttp-proxy p 8080 up.txt " + method + "\n", dir));
            assertTrue(e.getMessage().contains("not supported"), e.getMessage());
        }
        OvpnParseException both = assertThrows(OvpnParseException.class,
                () -> parse("proto tcp\nremote a 1\nhttp-proxy p 8080\nsocks-proxy s\n", dir));
        assertTrue(both.getMessage().contains("can not be used together"), both.getMessage());
        assertThrows(OvpnParseException.class, () -> parse("proto tcp\nremote a 1\nhttp-proxy p\n", dir));
        assertThrows(OvpnParseException.class,
                () -> parse("proto tcp\nremote a 1\nhttp-proxy p 1\nhttp-proxy-option VERSION 2.0\n", dir));
        assertThrows(OvpnParseException.class,
                () -> parse("proto tcp\nremote a 1\nhttp-proxy p 1 missing.txt\n", dir));
    }

    @Test
    void socksDefaultsToPort1080AndAllowsUdp(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("up.txt"), "u\np\n");
        ClientConfig c = parse("remote a 1194 udp\nsocks-proxy socks.corp\n", dir);
        assertEquals(new ProxyConfig.Socks("socks.corp", 1080, null), c.transport().remotes().getFirst().proxy());
        ClientConfig auth = parse("remote a 1194\nsocks-proxy s 9050 up.txt\n", dir);
        assertEquals(new ProxyConfig.Socks("s", 9050, new AuthUserPass("u", "p")), auth.transport().remotes().getFirst().proxy());
    }

    @Test
    void connectionBlocksHaveTheirOwnProxyAndInheritTheProfilesSoFar(@TempDir Path dir) throws Exception {
        ClientConfig c = parse("proto tcp\nhttp-proxy global 3128\n"
                + "<connection>\nremote a 443\n</connection>\n"
                + "<connection>\nremote b 443\nhttp-proxy-option VERSION 1.1\n</connection>\n"
                + "<connection>\nremote c 443\nhttp-proxy other 8080\n</connection>\n", dir);
        List<ClientConfig.Remote> r = c.transport().remotes();
        assertEquals("global", r.get(0).proxy().host());
        assertEquals("1.1", ((ProxyConfig.Http) r.get(1).proxy()).version());
        assertEquals("1.0", ((ProxyConfig.Http) r.get(0).proxy()).version(), "a block's options stay in the block");
        assertEquals("other", r.get(2).proxy().host());
        // the third block inherits http-proxy and adds socks-proxy: openvpn refuses the mix
        OvpnParseException e = assertThrows(OvpnParseException.class, () -> parse("proto tcp\nhttp-proxy g 1\n"
                + "<connection>\nremote c 1194\nsocks-proxy s 1080\n</connection>\n", dir));
        assertTrue(e.getMessage().contains("can not be used together"), e.getMessage());
    }

    @Test
    void noProxyByDefault(@TempDir Path dir) throws Exception {
        assertNull(parse("remote a 1194\n", dir).transport().remotes().getFirst().proxy());
    }
}
