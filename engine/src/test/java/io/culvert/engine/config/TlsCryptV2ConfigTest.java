package io.culvert.engine.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.config.file.OvpnParseException;
import io.culvert.engine.config.file.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code tls-crypt-v2}, {@code tls-crypt-v2-max-age} and the refused {@code tls-crypt-v2-verify}, in both readers. */
class TlsCryptV2ConfigTest {
    private static final String SERVER = "dev tun\nca ca.crt\ncert server.crt\nkey server.key\ndh none\n"
            + "server 10.8.0.0 255.255.255.0\n";
    private static final String CLIENT = "client\ndev tun\nremote r.example\n<ca>\n-----BEGIN CERTIFICATE-----\n</ca>\n"
            + "auth-user-pass\n";

    private static String key(String name) {
        try (InputStream in = TlsCryptV2ConfigTest.class.getResourceAsStream("/tls-crypt-v2/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String inline(String name) {
        return "<tls-crypt-v2>\n" + key(name) + "\n</tls-crypt-v2>\n";
    }

    private static ServerConfig server(String body) throws Exception {
        return ServerConfigTest.text(SERVER + body);
    }

    @Test
    void serverReadsItsKeyAndMaxAge() throws Exception {
        ServerConfig c = server(inline("srv.key") + "tls-crypt-v2-max-age 30\n");
        assertTrue(c.wrap().tlsCryptV2Key().contains("-----BEGIN OpenVPN tls-crypt-v2 server key-----"));
        assertEquals(30, c.wrap().tlsCryptV2MaxAgeDays());
        assertEquals(0, server(inline("srv.key")).wrap().tlsCryptV2MaxAgeDays());
        assertNull(server("").wrap().tlsCryptV2Key());
    }

    @Test
    void serverRefusesTheVerifyScriptNamingItsLine() {
        OvpnParseException e = assertThrows(OvpnParseException.class,
                () -> server(inline("srv.key") + "tls-crypt-v2-verify /usr/local/bin/check-meta\n"));
        assertEquals(Reason.UNSUPPORTED_DIRECTIVE, e.reason());
        assertEquals("tls-crypt-v2-verify", e.directive());
        assertEquals(14, e.line(), "after 6 lines of config and the 7-line key block");
    }

    @Test
    void serverRefusesAllowNoncookieAClientKeyAndAnotherWrap() {
        OvpnParseException noncookie = assertThrows(OvpnParseException.class,
                () -> server("tls-crypt-v2 srv.key allow-noncookie\n"));
        assertEquals(Reason.INVALID_VALUE, noncookie.reason());
        assertEquals(Reason.INVALID_VALUE, assertThrows(OvpnParseException.class, () -> server(inline("cli.key"))).reason());
        assertEquals(Reason.CONFLICT, assertThrows(OvpnParseException.class,
                () -> server(inline("srv.key") + "<tls-crypt>\n-----BEGIN OpenVPN Static key V1-----\n"
                        + "-----END OpenVPN Static key V1-----\n</tls-crypt>\n")).reason());
        assertEquals(Reason.INVALID_VALUE, assertThrows(OvpnParseException.class,
                () -> server(inline("srv.key") + "tls-crypt-v2-max-age 0\n")).reason());
    }

    @Test
    void clientReadsItsKeyAndRefusesAServerKey() throws Exception {
        ClientConfig c = ClientConfigTest.text(CLIENT + inline("cli.key"));
        assertTrue(c.wrap().tlsCryptV2Key().contains("-----BEGIN OpenVPN tls-crypt-v2 client key-----"));
        assertEquals(Reason.INVALID_VALUE, assertThrows(OvpnParseException.class,
                () -> ClientConfigTest.text(CLIENT + inline("srv.key"))).reason());
    }
}
