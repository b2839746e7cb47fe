package io.culvert.engine.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.testkit.TestPki;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestPkiTest {

    @TempDir
    Path dir;

    @Test
    void writesPkiThatOpensslVerifiesWithTheRightPurposes() {
        TestPki pki = TestPki.create(dir);
        assertOk("openssl", "verify", "-purpose", "sslserver", "-CAfile", pki.ca().toString(), pki.serverCert().toString());
        assertOk("openssl", "verify", "-purpose", "sslclient", "-CAfile", pki.ca().toString(), pki.clientCert().toString());
        String server = assertOk("openssl", "x509", "-noout", "-subject", "-ext", "extendedKeyUsage,keyUsage",
                "-in", pki.serverCert().toString());
        assertTrue(server.contains("CN = server") && server.contains("TLS Web Server Authentication"), server);
        assertTrue(server.contains("Digital Signature") && server.contains("Key Agreement"), server);
        assertOk("openssl", "pkey", "-check", "-noout", "-in", pki.clientKey().toString());
    }

    @Test
    void rsaVariantAlsoVerifies() {
        TestPki pki = TestPki.create(dir, TestPki.KeyType.RSA_2048);
        assertOk("openssl", "verify", "-CAfile", pki.ca().toString(), pki.clientCert().toString());
        String text = assertOk("openssl", "x509", "-noout", "-text", "-in", pki.serverCert().toString());
        assertTrue(text.contains("Public-Key: (2048 bit)") && text.contains("sha256WithRSAEncryption"), text);
    }

    @Test
    void keysArePkcs8AndPrivate() throws IOException {
        TestPki pki = TestPki.create(dir);
        for (Path secret : List.of(pki.serverKey(), pki.clientKey(), pki.taKey(), pki.tcKey())) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secret)), secret.toString());
        }
        assertTrue(Files.readString(pki.serverKey()).startsWith("-----BEGIN PRIVATE KEY-----\n"));
    }

    @Test
    void staticKeysHaveOpenvpnV1Format() throws IOException {
        TestPki pki = TestPki.create(dir);
        List<String> lines = Files.readAllLines(pki.tcKey());
        int begin = lines.indexOf("-----BEGIN OpenVPN Static key V1-----");
        assertEquals("-----END OpenVPN Static key V1-----", lines.get(begin + 17));
        for (String hex : lines.subList(begin + 1, begin + 17)) {
            assertTrue(hex.matches("[0-9a-f]{32}"), hex);
        }
        assertTrue(!Files.readString(pki.taKey()).equals(Files.readString(pki.tcKey())), "two independent keys");
    }

    @Test
    void inlineWrapsFileInTag() {
        TestPki pki = TestPki.create(dir);
        String block = TestPki.inline("ca", pki.ca());
        assertTrue(block.startsWith("<ca>\n-----BEGIN CERTIFICATE-----\n"), block);
        assertTrue(block.endsWith("-----END CERTIFICATE-----\n</ca>\n"), block);
    }

    private static String assertOk(String... cmd) {
        ExecResult r = Netns.run(Duration.ofSeconds(20), cmd);
        assertEquals(0, r.exitCode(), String.join(" ", cmd) + ":\n" + r.output());
        return r.output();
    }
}
