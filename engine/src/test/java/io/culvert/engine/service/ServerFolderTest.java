package io.culvert.engine.service;

import io.culvert.engine.daemon.policy.ServerPolicy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.api.EngineException;
import io.culvert.engine.api.ErrorKind;
import io.culvert.engine.api.ServerFileUpdate;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerFolderTest {
    private static final String CRL = "-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n";
    private static final String CONFIG = """
            port 1194
            dev tun
            <ca>
            -----BEGIN CERTIFICATE-----
            AAAA
            -----END CERTIFICATE-----
            </ca>
            dh none
            <crl-verify>
            -----BEGIN X509 CRL-----
            AAAA
            -----END X509 CRL-----
            </crl-verify>
            client-config-dir ccd
            status /var/log/openvpn/status.log 5
            ifconfig-pool-persist ipp.txt
            verb 3
            """;

    @TempDir
    Path root;

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void pointsTheRelocatedFilesIntoItsOwnPrivateFolder() throws Exception {
        ServerFolder f = ServerFolder.create(root, "s1", CONFIG, Map.of("alice", "ifconfig-push 10.8.0.50 255.255.255.0\n"));
        Path dir = root.resolve("s1");
        assertEquals(dir, f.dir());
        assertEquals("""
                port 1194
                dev tun
                <ca>
                -----BEGIN CERTIFICATE-----
                AAAA
                -----END CERTIFICATE-----
                </ca>
                dh none
                crl-verify %1$s/crl.pem
                client-config-dir %1$s/ccd
                status %1$s/status.log 5
                ifconfig-pool-persist %1$s/ipp.txt
                verb 3
                """.formatted(dir), f.config());
        assertEquals(CRL, Files.readString(dir.resolve("crl.pem")));
        assertEquals("ifconfig-push 10.8.0.50 255.255.255.0\n", Files.readString(dir.resolve("ccd/alice")));
        assertEquals("rwx------", mode(dir));
        assertEquals("rwx------", mode(dir.resolve("ccd")));
        assertEquals("rw-------", mode(dir.resolve("crl.pem")));
        assertEquals("rw-------", mode(dir.resolve("ccd/alice")));
    }

    @Test
    void updatesReplaceTheCrlAtomicallyAndWriteAndRemoveCcdEntries() throws Exception {
        ServerFolder f = ServerFolder.create(root, "s2", CONFIG, Map.of("alice", "push-reset\n"));
        Path crl = root.resolve("s2/crl.pem");
        Object inode = Files.getAttribute(crl, "unix:ino");
        String newCrl = CRL.replace("AAAA", "BBBB");
        f.update(new ServerFileUpdate(newCrl, Map.of("bob", "disable\n"), Set.of("alice")));
        assertEquals(newCrl, Files.readString(crl));
        assertNotEquals(inode, Files.getAttribute(crl, "unix:ino"), "a new file, renamed over the old one");
        assertEquals("rw-------", mode(crl));
        assertEquals("disable\n", Files.readString(root.resolve("s2/ccd/bob")));
        assertFalse(Files.exists(root.resolve("s2/ccd/alice")));
        try (var s = Files.list(root.resolve("s2"))) {
            assertEquals(Set.of("crl.pem", "ccd"), s.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet()),
                    "no temporary file is left");
        }
    }

    @Test
    void refusesUpdatesThatDoNotFitTheServer() throws Exception {
        ServerFolder f = ServerFolder.create(root, "s3", "dev tun\n<ca>\nx\n</ca>\n", Map.of());
        EngineException noCrl = assertThrows(EngineException.class, () -> f.update(ServerFileUpdate.crl(CRL)));
        assertEquals("CONFIG_INVALID: the server has no crl-verify to update", noCrl.getMessage());
        EngineException noCcd = assertThrows(EngineException.class, () -> f.update(ServerFileUpdate.ccdEntry("a", "disable\n")));
        assertEquals("CONFIG_INVALID: the server has no client-config-dir to update", noCcd.getMessage());
        ServerFolder g = ServerFolder.create(root, "s4", CONFIG, Map.of());
        assertEquals(ErrorKind.CONFIG_INVALID, assertThrows(EngineException.class,
                () -> g.update(ServerFileUpdate.crl("not a crl"))).kind());
        EngineException traversal = assertThrows(EngineException.class,
                () -> g.update(ServerFileUpdate.ccdEntry("../../etc/cron.d/x", "disable\n")));
        assertTrue(traversal.getMessage().contains("cannot name a client-config-dir entry"), traversal.getMessage());
        assertFalse(Files.exists(root.resolve("etc")));
    }

    @Test
    void refusesScriptsManagementAndFileReferencesAndLeavesNothingBehind() {
        for (String line : List.of("auth-user-pass-verify /bin/check via-file", "learn-address /bin/la", "up /bin/up",
                "client-disconnect /bin/x", "plugin /lib/p.so", "management 127.0.0.1 7505", "ca /etc/ssl/ca.crt",
                "crl-verify crl.pem", "tls-crypt /root/tc.key")) {
            EngineException e = assertThrows(EngineException.class,
                    () -> ServerFolder.create(root, "s5", "dev tun\n" + line + "\n", Map.of()), line);
            assertEquals(ErrorKind.PERMISSION_DENIED, e.kind(), line);
            assertTrue(e.getMessage().startsWith("PERMISSION_DENIED: line 2: '" + line.split(" ")[0] + "'"), e.getMessage());
        }
        assertFalse(Files.exists(root.resolve("s5")));
    }

    @Test
    void refusesBadCcdNamesAndTooManyEntries() {
        EngineException bad = assertThrows(EngineException.class,
                () -> ServerFolder.create(root, "s6", CONFIG, Map.of("../x", "disable\n")));
        assertEquals(ErrorKind.CONFIG_INVALID, bad.kind());
        Map<String, String> many = new java.util.HashMap<>();
        for (int i = 0; i <= ServerPolicy.MAX_CCD_ENTRIES; i++) {
            many.put("c" + i, "");
        }
        EngineException tooMany = assertThrows(EngineException.class, () -> ServerFolder.create(root, "s6", CONFIG, many));
        assertEquals("CONFIG_INVALID: more than 512 client-config-dir entries", tooMany.getMessage());
        assertFalse(Files.exists(root.resolve("s6")));
    }

    @Test
    void deleteAndClearStaleRemoveFolders() throws Exception {
        ServerFolder a = ServerFolder.create(root, "s7", CONFIG, Map.of("alice", "disable\n"));
        ServerFolder.create(root, "s8", CONFIG, Map.of());
        a.delete();
        assertFalse(Files.exists(root.resolve("s7")));
        ServerFolder.clearStale(root);
        assertFalse(Files.exists(root.resolve("s8")));
        assertTrue(Files.isDirectory(root));
    }
}
