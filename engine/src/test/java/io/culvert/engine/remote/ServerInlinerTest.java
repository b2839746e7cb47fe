package io.culvert.engine.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.api.EngineException;
import io.culvert.engine.api.ErrorKind;
import io.culvert.engine.config.ServerConfig;
import io.culvert.engine.config.file.OvpnFile;
import io.culvert.engine.pki.DirectoryPkiStore;
import io.culvert.engine.pki.KeyAlgorithm;
import io.culvert.engine.pki.Pki;
import io.culvert.engine.daemon.policy.ServerPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerInlinerTest {
    @TempDir
    Path dir;

    private static final String MANAGED = """
            port 1194
            dev tun
            topology subnet
            server 10.8.0.0 255.255.255.0
            ca pki/ca.crt
            cert pki/issued/server.crt
            key pki/private/server.key
            dh dh2048.pem
            remote-cert-tls client
            crl-verify pki/crl.pem
            tls-crypt pki/tc.key
            client-config-dir ccd
            status status.log 5
            """;

    private void pki() throws Exception {
        new Pki(new DirectoryPkiStore(dir.resolve("pki")), InstantSource.system(), new SecureRandom())
                .init("Test CA", KeyAlgorithm.EC_P256, 30, "server", 30);
        Files.createDirectories(dir.resolve("ccd"));
    }

    @Test
    void inlinesKeysAndTheCrlAndReadsTheCcdEntries() throws Exception {
        pki();
        Files.writeString(dir.resolve("ccd/alice"), "ifconfig-push 10.8.0.50 255.255.255.0\n");
        Files.writeString(dir.resolve("ccd/.alice.swp"), "editor junk");
        Files.createDirectory(dir.resolve("ccd/subdir"));
        Files.createSymbolicLink(dir.resolve("ccd/link"), Path.of("/etc/hostname"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));

        ServerInliner.SelfContained sc = ServerInliner.inline(MANAGED, dir);

        assertEquals(Map.of("alice", "ifconfig-push 10.8.0.50 255.255.255.0\n"), sc.ccd(),
                "regular files only: no hidden file, folder or symbolic link");
        OvpnFile out = OvpnFile.parse(sc.config());
        assertEquals(List.of("port", "dev", "topology", "server", "ca", "cert", "key", "dh", "remote-cert-tls", "crl-verify",
                "tls-crypt", "client-config-dir", "status"), out.directives().stream().map(d -> d.name()).toList());
        for (String name : List.of("ca", "cert", "key", "crl-verify", "tls-crypt")) {
            assertTrue(out.directives().stream().anyMatch(d -> d.name().equals(name) && d.isInline()), name + " inline");
        }
        String crl = out.directives().stream().filter(d -> d.name().equals("crl-verify")).findFirst().orElseThrow().inlineContent();
        assertEquals(Files.readString(dir.resolve("pki/crl.pem")).strip(), crl.strip());
        assertTrue(sc.config().contains("\ndh none\n"), sc.config());
        assertTrue(sc.config().contains("\nclient-config-dir ccd\nstatus status.log 5\n"), "relocated by the service, kept as sent");
        assertEquals(List.of(), ServerPolicy.refusals(out));

        Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
        ServerConfig cfg = ServerConfig.from(out, elsewhere, false);
        assertNotNull(cfg.checks().crlPem(), "the server config reader takes an inline CRL");
        assertNull(cfg.checks().crlFile(), "inline: not re-read; the service writes it to a file for that");
    }

    @Test
    void splitsTheTlsAuthKeyDirection() throws Exception {
        pki();
        ServerInliner.SelfContained sc = ServerInliner.inline("dev tun\ntls-auth pki/ta.key 0\n", dir);
        assertTrue(sc.config().matches("(?s)dev tun\n<tls-auth>\n.*-----BEGIN OpenVPN Static key V1-----\n.*</tls-auth>\nkey-direction 0\n"),
                sc.config());
        assertEquals(Map.of(), sc.ccd());
    }

    @Test
    void refusesScriptsAndManagementBeforeReadingAnything() {
        for (String line : List.of("auth-user-pass-verify /usr/local/bin/check via-file", "learn-address /bin/la",
                "up /etc/openvpn/up.sh", "down /etc/openvpn/down.sh", "client-disconnect /bin/bye", "tls-verify /bin/v",
                "management /run/mgmt.sock unix", "crl-verify /etc/openvpn/crl dir")) {
            EngineException e = assertThrows(EngineException.class,
                    () -> ServerInliner.inline("dev tun\nca missing.crt\n" + line + "\n", dir), line);
            assertEquals(ErrorKind.PERMISSION_DENIED, e.kind(), line);
            assertTrue(e.getMessage().startsWith("PERMISSION_DENIED: culvertd will not run this server for you: line 3: '" + line.split(" ")[0] + "'"),
                    e.getMessage());
            assertTrue(e.getMessage().endsWith("or run the server as root (culvert server --config)."), e.getMessage());
        }
    }

    @Test
    void boundsTheCcdEntries() throws Exception {
        Path ccd = Files.createDirectory(dir.resolve("ccd"));
        Files.writeString(ccd.resolve("bad name"), "disable\n");
        EngineException name = assertThrows(EngineException.class, () -> ServerInliner.inline("dev tun\nclient-config-dir ccd\n", dir));
        assertTrue(name.getMessage().contains("'bad name' cannot name a client-config-dir entry"), name.getMessage());
        Files.delete(ccd.resolve("bad name"));

        Files.writeString(ccd.resolve("big"), "#".repeat(ServerPolicy.MAX_CCD_CHARS + 1));
        EngineException big = assertThrows(EngineException.class, () -> ServerInliner.inline("dev tun\nclient-config-dir ccd\n", dir));
        assertTrue(big.getMessage().contains("'big' is longer than 65536 characters"), big.getMessage());
        Files.delete(ccd.resolve("big"));

        for (int i = 0; i <= ServerPolicy.MAX_CCD_ENTRIES; i++) {
            Files.writeString(ccd.resolve("c" + i), "");
        }
        EngineException many = assertThrows(EngineException.class, () -> ServerInliner.inline("dev tun\nclient-config-dir ccd\n", dir));
        assertTrue(many.getMessage().contains("more than 512 client-config-dir entries"), many.getMessage());
    }

    @Test
    void aMissingCcdFolderHasNoEntriesAndAMissingKeyIsAConfigError() throws Exception {
        assertEquals(Map.of(), ServerInliner.inline("dev tun\nclient-config-dir nowhere\n", dir).ccd());
        EngineException e = assertThrows(EngineException.class, () -> ServerInliner.inline("dev tun\nkey gone.key\n", dir));
        assertEquals(ErrorKind.CONFIG_INVALID, e.kind());
        assertTrue(e.getMessage().contains("line 2: 'key': FILE_NOT_READABLE: cannot read"), e.getMessage());
    }
}
