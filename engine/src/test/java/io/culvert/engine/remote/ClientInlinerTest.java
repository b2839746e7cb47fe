package io.culvert.engine.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.api.EngineException;
import io.culvert.engine.api.ErrorKind;
import io.culvert.engine.config.ClientConfig;
import io.culvert.engine.config.ProxyConfig;
import io.culvert.engine.config.file.OvpnFile;
import io.culvert.engine.daemon.policy.ProfilePolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientInlinerTest {

    @Test
    void inlinesRelativeAndAbsoluteFilesAndSplitsKeyDirection(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("ca.crt"), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----");
        Files.writeString(dir.resolve("ta.key"), "static key\n");
        String out = ClientInliner.inline("client\nremote h 1194\nca ca.crt\ntls-auth " + dir.resolve("ta.key") + " 1\n", dir);
        assertEquals("""
                client
                remote h 1194
                <ca>
                -----BEGIN CERTIFICATE-----
                AAAA
                -----END CERTIFICATE-----
                </ca>
                <tls-auth>
                static key
                </tls-auth>
                key-direction 1
                """, out);
        assertEquals(List.of(), ProfilePolicy.refusals(OvpnFile.parse(out)), "the service accepts the result");
    }

    @Test
    void aPkcs12FileTravelsAsBase64AndAskpassStaysWithTheCaller(@TempDir Path dir) throws Exception {
        byte[] p12 = new byte[300];
        for (int i = 0; i < p12.length; i++) {
            p12[i] = (byte) (i * 7);
        }
        Files.write(dir.resolve("me.p12"), p12);
        Files.writeString(dir.resolve("pass.txt"), "s3cret\nignored\n");
        String profile = "client\nremote h 1194\npkcs12 me.p12\naskpass pass.txt\n";
        String out = ClientInliner.inline(profile, dir);
        OvpnFile f = OvpnFile.parse(out);
        var block = f.directives().stream().filter(d -> d.name().equals("pkcs12")).findFirst().orElseThrow();
        assertTrue(block.isInline(), out);
        assertEquals(java.util.Arrays.toString(p12), java.util.Arrays.toString(
                java.util.Base64.getMimeDecoder().decode(block.inlineContent())), "the bytes survive");
        assertTrue(f.directives().stream().noneMatch(d -> d.name().equals("askpass")), "no file name reaches the service: " + out);
        assertEquals(List.of(), ProfilePolicy.refusals(f), "the service accepts the result");
        assertEquals(java.util.Optional.of("s3cret"), ClientInliner.askpass(profile, dir));
        assertEquals(java.util.Optional.empty(), ClientInliner.askpass("client\n", dir));
        assertEquals(new ClientInliner.ForService(out, java.util.Optional.of("s3cret")), ClientInliner.forService(profile, dir),
                "one parse gives what the two calls give");
    }

    @Test
    void leavesSelfContainedProfilesUntouched() throws EngineException {
        String text = "client\n# comment\nremote h 1194\n<ca>\nx\n</ca>\n";
        assertSame(text, ClientInliner.inline(text, Path.of("/nonexistent")));
    }

    @Test
    void aLoginFileFromAnotherMachineBecomesAPromptNotAnError(@TempDir Path dir) throws Exception {
        String out = ClientInliner.inline("client\nremote h 1194\nauth-user-pass \"C:\\\\Users\\\\me\\\\pass.txt\"\n", dir);
        assertEquals("client\nremote h 1194\nauth-user-pass\n", out);
    }

    /** Issue 11: an askpass file from another machine leaves the service's key prompt to the user. */
    @Test
    void aPassphraseFileFromAnotherMachineBecomesAPromptNotAnError(@TempDir Path dir) throws Exception {
        String profile = "client\nremote h 1194\naskpass \"C:\\\\Users\\\\me\\\\key-pass.txt\"\n";
        assertEquals(java.util.Optional.empty(), ClientInliner.askpass(profile, dir));
        assertEquals("client\nremote h 1194\n", ClientInliner.inline(profile, dir));
    }

    @Test
    void anUnreadableFileIsAConfigError(@TempDir Path dir) {
        EngineException e = assertThrows(EngineException.class, () -> ClientInliner.inline("client\nca missing.crt\n", dir));
        assertEquals(ErrorKind.CONFIG_INVALID, e.kind());
        assertTrue(e.getMessage().contains("line 2: 'ca': FILE_NOT_READABLE: cannot read"), e.getMessage());
    }

    private static ProxyConfig proxyOf(String inlined) throws Exception {
        ClientConfig c = ClientConfig.from(OvpnFile.parse(inlined), null, false);
        return c.transport().remotes().getFirst().proxy();
    }

    @Test
    @DisplayName("confused deputy through proxy auth files: the caller reads the auth file and sends it inline, the"
            + " engine authenticates with it, and no file name reaches the service")
    void proxyAuthFilesTravelInline(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("auth.txt"), "proxyuser\nproxypass\n");
        String base = "client\ndev tun\nauth-user-pass\nproto tcp\nremote vpn.example.org 1194\n<ca>\n-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n</ca>\n";

        String http = ClientInliner.inline(base + "http-proxy proxy.example 8080 auth.txt basic\n", dir);
        assertEquals(List.of(), ProfilePolicy.refusals(OvpnFile.parse(http)), "the service accepts it: " + http);
        assertFalse(http.contains(dir.toString()), http);
        assertTrue(http.contains("http-proxy proxy.example 8080 [inline] basic\n<http-proxy-user-pass>\nproxyuser\nproxypass\n</http-proxy-user-pass>"), http);
        ProxyConfig.Http h = (ProxyConfig.Http) proxyOf(http);
        assertEquals(ProxyConfig.HttpAuth.BASIC, h.auth());
        assertEquals(new ClientConfig.AuthUserPass("proxyuser", "proxypass"), h.credentials());

        String socks = ClientInliner.inline(base.replace("proto tcp", "proto udp") + "socks-proxy proxy.example 1080 auth.txt\n", dir);
        assertEquals(List.of(), ProfilePolicy.refusals(OvpnFile.parse(socks)), "the service accepts it: " + socks);
        ProxyConfig.Socks sp = (ProxyConfig.Socks) proxyOf(socks);
        assertEquals(new ClientConfig.AuthUserPass("proxyuser", "proxypass"), sp.credentials());

        String inBlock = ClientInliner.inline(base + "<connection>\nremote a 443 tcp\nhttp-proxy p 3128 " + dir.resolve("auth.txt")
                + "\n</connection>\n", dir);
        assertEquals(List.of(), ProfilePolicy.refusals(OvpnFile.parse(inBlock)), inBlock);

        String explicit = ClientInliner.inline(base + "http-proxy-user-pass auth.txt\nhttp-proxy p 3128 /nonexistent/other\n", dir);
        assertEquals(List.of(), ProfilePolicy.refusals(OvpnFile.parse(explicit)), explicit);
        assertEquals(new ClientConfig.AuthUserPass("proxyuser", "proxypass"), ((ProxyConfig.Http) proxyOf(explicit)).credentials(),
                "http-proxy-user-pass wins over the auth file, which is not even read");
        String none = ClientInliner.inline(base + "http-proxy p 3128 /nonexistent/auth none\n", dir);
        assertTrue(none.contains("http-proxy p 3128 [inline] none\n") && !none.contains("<http-proxy-user-pass>"),
                "method none: the file is neither read nor sent: " + none);
    }

    @Test
    @DisplayName("no unbounded reads: /dev/zero as a key, an auth file or an askpass file fails fast")
    void endlessFilesAreReadWithALimit() {
        for (String line : List.of("ca /dev/zero", "auth-user-pass /dev/zero", "http-proxy p 8080 /dev/zero")) {
            EngineException e = assertThrows(EngineException.class,
                    () -> ClientInliner.inline("client\nproto tcp\nremote h 1194\n" + line + "\n", null), line);
            assertTrue(e.getMessage().contains("LIMIT_EXCEEDED"), e.getMessage());
        }
        EngineException e = assertThrows(EngineException.class, () -> ClientInliner.askpass("client\naskpass /dev/zero\n", null));
        assertTrue(e.getMessage().contains("LIMIT_EXCEEDED"), e.getMessage());
    }

    @Test
    void filesTheClientDoesNotUseAreDroppedAndTheRestIsLeftForTheServiceToRefuse(@TempDir Path dir) throws Exception {
        String out = ClientInliner.inline("client\nremote h 1194\nlog /var/log/x.log\nwritepid /run/x.pid\nup /etc/up.sh\n"
                + "status /tmp/status.log 10\ncrl-verify /etc/crl dir\nmanagement 127.0.0.1 7505 /root/pw\n", dir);
        assertEquals("client\nremote h 1194\nmanagement 127.0.0.1 7505 /root/pw\n", out);
    }
}
