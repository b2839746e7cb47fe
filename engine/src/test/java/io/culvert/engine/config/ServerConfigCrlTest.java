package io.culvert.engine.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.culvert.engine.config.file.OvpnFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** crl-verify keeps where the CRL came from, so the server can re-read a file that changes. */
class ServerConfigCrlTest {
    private static final String PEM = "-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n";

    private static final String HEADER = "dev tun\nserver 10.8.0.0 255.255.255.0\ndh none\n"
            + "<ca>\n-----BEGIN CERTIFICATE-----\nAA\n-----END CERTIFICATE-----\n</ca>\n"
            + "<cert>\n-----BEGIN CERTIFICATE-----\nAA\n-----END CERTIFICATE-----\n</cert>\n"
            + "<key>\n-----BEGIN PRIVATE KEY-----\nAA\n-----END PRIVATE KEY-----\n</key>\n";

    private static ServerConfig read(Path dir, String crlLines) throws Exception {
        return ServerConfig.from(OvpnFile.parse(HEADER + crlLines), dir, false);
    }

    @Test
    void crlFileKeepsItsResolvedPath(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("crl.pem"), PEM);
        ServerConfig c = read(dir, "crl-verify crl.pem\n");
        assertEquals(dir.resolve("crl.pem").toString(), c.checks().crlFile());
        assertEquals(PEM, c.checks().crlPem());
        assertNull(c.checks().crlDir());
    }

    @Test
    void inlineCrlHasNoFile(@TempDir Path dir) throws Exception {
        ServerConfig c = read(dir, "<crl-verify>\n" + PEM + "</crl-verify>\n");
        assertNull(c.checks().crlFile());
        assertEquals(PEM, c.checks().crlPem());
    }

    @Test
    void directoryFormHasNoFile(@TempDir Path dir) throws Exception {
        Files.createDirectory(dir.resolve("crl.d"));
        ServerConfig c = read(dir, "crl-verify crl.d dir\n");
        assertNull(c.checks().crlFile());
        assertNull(c.checks().crlPem());
        assertEquals(dir.resolve("crl.d").toString(), c.checks().crlDir());
    }
}
