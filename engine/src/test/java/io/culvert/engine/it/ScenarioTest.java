package io.culvert.engine.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.testkit.TestPki;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScenarioTest {

    @TempDir
    Path dir;

    @Test
    void serverConfigCarriesScenarioOptions() {
        TestPki pki = TestPki.create(dir);
        String conf = Scenario.TCP_TLS_AUTH_CBC_TAP.serverConfig(pki, "10.201.1.1", 1194);
        for (String line : new String[] {"port 1194", "local 10.201.1.1", "proto tcp", "dev tap", "topology net30",
            "server 10.77.0.0 255.255.255.0", "dh none", "tls-auth " + pki.taKey() + " 0",
            "data-ciphers AES-256-CBC", "auth SHA256", "keepalive 2 10", "verb 3"}) {
            assertTrue(conf.lines().anyMatch(line::equals), line + " missing in\n" + conf);
        }
    }

    @Test
    void inlineClientProfileEmbedsKeysWithKeyDirection() {
        TestPki pki = TestPki.create(dir);
        String conf = Scenario.TCP_TLS_AUTH_CBC_TAP.clientConfig(pki, "10.201.1.1", 1194, true);
        assertTrue(conf.contains("remote 10.201.1.1 1194\n"));
        assertTrue(conf.contains("key-direction 1\n<tls-auth>\n#\n# 2048 bit OpenVPN static key"), conf);
        assertTrue(conf.contains("<ca>\n") && conf.contains("<cert>\n") && conf.contains("<key>\n"));
        assertFalse(conf.contains(dir.toString()), "unified profile must not name files");
        assertFalse(conf.contains("explicit-exit-notify"), "TCP clients get no explicit-exit-notify");
    }

    @Test
    void fileClientConfigNamesTlsCryptKey() {
        TestPki pki = TestPki.create(dir);
        String conf = Scenario.UDP_TLS_CRYPT_GCM.clientConfig(pki, "10.201.1.1", 1194, false);
        assertTrue(conf.contains("tls-crypt " + pki.tcKey() + "\n"), conf);
        assertTrue(conf.contains("explicit-exit-notify 1\n"));
        assertFalse(conf.contains("\nauth "), "AEAD scenario sets no auth digest");
    }

    @Test
    void withCipherAddsSha256ForCbc() {
        Scenario s = Scenario.UDP_TLS_CRYPT_GCM.withCipher("AES-256-CBC").withProto("tcp");
        assertEquals(new Scenario("tcp", "AES-256-CBC", "SHA256", "tls-crypt", "subnet", "tun"), s);
        assertEquals("tcp/tls-crypt/AES-256-CBC+SHA256/subnet/tun", s.toString());
    }

    @Test
    void rejectsUnknownProto() {
        assertThrows(IllegalArgumentException.class, () -> Scenario.UDP_TLS_CRYPT_GCM.withProto("sctp"));
    }
}
