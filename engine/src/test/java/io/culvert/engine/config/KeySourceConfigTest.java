package io.culvert.engine.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.culvert.engine.config.file.OvpnParseException;
import io.culvert.engine.config.file.Reason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pkcs12}, {@code askpass} and the key's name in client and server configs. */
class KeySourceConfigTest {
    /** A DER SEQUENCE header is all the reader checks; the TLS layer parses the bundle. */
    private static final byte[] P12 = {0x30, (byte) 0x82, 0x01, 0x00, 1, 2, 3};
    private static final String PEM = "-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n";
    private static final String CLIENT = "client\ndev tun\nremote vpn.example\n";
    private static final String SERVER = "server 10.8.0.0 255.255.255.0\ndev tun\ndh none\nkeepalive 10 60\n";

    @Test
    void clientReadsPkcs12FileAndAskpassRelativeToTheConfig(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("client.p12"), P12);
        Files.writeString(dir.resolve("pass.txt"), "s3cret\n");
        Path conf = Files.writeString(dir.resolve("c.ovpn"), CLIENT + "pkcs12 client.p12\naskpass pass.txt\n");
        ClientConfig c = ClientConfig.load(conf, false);
        assertArrayEquals(P12, c.keys().keySource().pkcs12());
        assertEquals("client.p12", c.keys().keySource().pkcs12Name());
        assertEquals(dir.resolve("pass.txt").toString(), c.keys().keySource().askpassFile());
        assertNull(c.keys().caPem());
        assertFalse(c.ignoredOptionsReported().contains("askpass"));
        assertFalse(c.toString().contains(Base64.getEncoder().encodeToString(P12)));
    }

    @Test
    void clientReadsInlineBase64Pkcs12() throws Exception {
        String b64 = Base64.getEncoder().encodeToString(P12);
        ClientConfig c = ClientConfigTest.text(CLIENT + "<pkcs12>\n" + b64.substring(0, 4) + "\n" + b64.substring(4)
                + "\n</pkcs12>\n");
        assertArrayEquals(P12, c.keys().keySource().pkcs12());
        assertEquals("inline <pkcs12>", c.keys().keySource().pkcs12Name());
        assertNull(c.keys().keySource().askpassFile());
    }

    @Test
    void askpassWithoutFileMeansPrompt() throws Exception {
        ClientConfig c = ClientConfigTest.text(CLIENT + "<ca>\n" + PEM + "</ca>\n<cert>\n" + PEM + "</cert>\n"
                + "<key>\n-----BEGIN PRIVATE KEY-----\n</key>\naskpass\n");
        assertNull(c.keys().keySource().askpassFile());
        assertEquals("inline <key>", c.keys().keySource().keyName());
    }

    @Test
    void rejectsBadPkcs12AndConflicts(@TempDir Path dir) throws Exception {
        OvpnParseException notBase64 = assertThrows(OvpnParseException.class,
                () -> ClientConfigTest.text(CLIENT + "<pkcs12>\n!!not base64!!\n</pkcs12>\n"));
        assertEquals(Reason.INVALID_VALUE, notBase64.reason());
        Files.writeString(dir.resolve("pem.p12"), PEM);
        OvpnParseException pem = assertThrows(OvpnParseException.class,
                () -> ClientConfig.load(Files.writeString(dir.resolve("c.ovpn"), CLIENT + "pkcs12 pem.p12\n"), false));
        assertEquals(Reason.INVALID_VALUE, pem.reason());
        Files.write(dir.resolve("client.p12"), P12);
        OvpnParseException both = assertThrows(OvpnParseException.class, () -> ClientConfig.load(Files.writeString(
                dir.resolve("d.ovpn"), CLIENT + "pkcs12 client.p12\n<cert>\n" + PEM + "</cert>\n"), false));
        assertEquals(Reason.CONFLICT, both.reason());
        assertEquals("cert", both.directive());
        OvpnParseException missing = assertThrows(OvpnParseException.class,
                () -> ClientConfig.load(Files.writeString(dir.resolve("e.ovpn"), CLIENT + "pkcs12 absent.p12\n"), false));
        assertEquals(Reason.FILE_NOT_READABLE, missing.reason());
    }

    @Test
    void serverReadsPkcs12AndAskpass(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("server.p12"), P12);
        Path conf = Files.writeString(dir.resolve("s.conf"), SERVER + "pkcs12 server.p12\naskpass secret/pass\n");
        ServerConfig c = ServerConfig.load(conf, false);
        assertArrayEquals(P12, c.keys().keySource().pkcs12());
        assertEquals(dir.resolve("secret/pass").toString(), c.keys().keySource().askpassFile());
        assertFalse(c.ignoredOptionsReported().contains("askpass"));
        OvpnParseException withKey = assertThrows(OvpnParseException.class, () -> ServerConfig.load(Files.writeString(
                dir.resolve("t.conf"), SERVER + "pkcs12 server.p12\n<key>\n-----BEGIN PRIVATE KEY-----\n</key>\n"), false));
        assertEquals(Reason.CONFLICT, withKey.reason());
        Path pem = Files.writeString(dir.resolve("u.conf"), SERVER + "<ca>\n" + PEM + "</ca>\n<cert>\n" + PEM
                + "</cert>\nkey server.key\n");
        Files.writeString(dir.resolve("server.key"), "-----BEGIN ENCRYPTED PRIVATE KEY-----\n");
        assertEquals("server.key", ServerConfig.load(pem, false).keys().keySource().keyName());
    }

    @Test
    void stdinIsAPromptNotAFileNamedStdin() throws Exception {
        // culvertd lets "stdin" through (the catalogue's keyword), so the engine must not open a file by that name
        ClientConfig c = ClientConfigTest.text(CLIENT + "<ca>\n" + PEM + "</ca>\nauth-user-pass stdin\naskpass stdin\n");
        assertNull(c.keys().keySource().askpassFile(), "askpass stdin prompts");
        assertNull(c.authUserPass().username(), "auth-user-pass stdin prompts");
    }
}
