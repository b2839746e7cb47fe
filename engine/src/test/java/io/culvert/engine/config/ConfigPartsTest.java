package io.culvert.engine.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.culvert.engine.config.file.OvpnFile;
import org.junit.jupiter.api.Test;

/**
 * The parts' {@code DEFAULTS} are what a config without the parts' directives reads as (so tests and code that build
 * parts from them get OpenVPN's defaults), and the parts holding secrets never print them.
 */
class ConfigPartsTest {
    private static final String CA = "<ca>\n-----BEGIN CERTIFICATE-----\n</ca>\n";

    @Test
    void aBareClientProfileReadsAsTheSharedDefaults() throws Exception {
        ClientConfig c = ClientConfig.from(OvpnFile.parse("client\ndev tun\nremote r.example\nauth-user-pass\n" + CA),
                null, false);
        assertEquals(new Device(ClientConfig.DevType.TUN, "tun", Device.DEFAULT_TUN_MTU, null), c.device());
        assertEquals(WrapKeys.NONE, c.wrap());
        assertEquals(TlsPolicy.DEFAULTS, c.tls());
        assertEquals(TlsTimers.DEFAULTS, c.tlsTimers());
        assertEquals(DataOptions.DEFAULTS, c.dataChannel());
        assertEquals(Keepalive.DEFAULTS, c.keepalive());
        assertEquals(Monitoring.DEFAULTS, c.monitoring());
        assertEquals(ClientRouting.DEFAULTS, c.routing());
        ClientTransport t = c.transport();
        assertEquals(ClientTransport.DEFAULTS, new ClientTransport(java.util.List.of(), t.remoteRandom(),
                t.connectRetrySeconds(), t.connectRetryMaxSeconds(), t.connectRetryMax(), t.connectTimeoutSeconds(),
                t.resolvRetrySeconds(), t.nobind(), t.lport(), t.localAddress()));
    }

    @Test
    void aServerConfigWithoutOptionsReadsAsTheServerDefaults() throws Exception {
        ServerConfig s = ServerConfigTest.text("dev tun\nca ca.crt\ncert server.crt\nkey server.key\ndh none\n"
                + "server 10.8.0.0 255.255.255.0\n");
        assertEquals(Listen.DEFAULTS, s.listen());
        assertEquals(ServerClients.DEFAULTS, s.clients());
        assertEquals(ClientChecks.DEFAULTS, s.checks());
        assertEquals(Scripts.DEFAULTS, s.scripts());
        assertEquals(WrapKeys.NONE, s.wrap());
        assertEquals(TlsPolicy.DEFAULTS, s.tls());
        assertEquals(TlsTimers.DEFAULTS, s.tlsTimers());
        assertEquals(DataOptions.DEFAULTS, s.dataChannel());
        assertEquals(Keepalive.DEFAULTS, s.keepalive());
        assertEquals(Monitoring.DEFAULTS, s.monitoring());
    }

    @Test
    void partsWithSecretsNeverPrintThem() {
        String secret = "-----BEGIN PRIVATE KEY-----SECRETBYTES";
        String keys = new TlsKeys(secret, secret, secret, secret, KeySource.NONE).toString();
        String wrap = new WrapKeys(secret, 1, secret, secret, 3).toString();
        String checks = new ClientChecks(ServerConfig.VerifyClientCert.REQUIRE, secret, null, null, false,
                java.util.List.of(), false).toString();
        for (String text : new String[] {keys, wrap, checks}) {
            assertFalse(text.contains("SECRETBYTES"), text);
        }
    }
}
