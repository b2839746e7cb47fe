package io.culvert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.config.ClientConfig;
import io.culvert.engine.config.file.OvpnFile;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PkiCommandTest {
    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int pki(String... args) {
        out.reset();
        err.reset();
        List<String> argv = new ArrayList<>(List.of("pki", "--dir", dir.resolve("pki").toString()));
        argv.addAll(List.of(args));
        return Main.run(argv.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void initIssueRevokeListAndExport() throws Exception {
        assertEquals(0, pki("init", "--server-cn", "vpn"), err::toString);
        assertTrue(out().contains("crl-verify " + dir.resolve("pki/crl.pem")), out());
        assertEquals(0, pki("issue", "alice", "--days", "10"));
        assertEquals(0, pki("issue", "bob"));
        assertEquals(0, pki("revoke", "bob", "--reason", "keyCompromise"));
        assertTrue(out().contains("Revoked 'bob'"), out());

        assertEquals(0, pki("list"));
        String list = out();
        assertTrue(list.lines().anyMatch(l -> l.startsWith("vpn ") && l.contains("server") && l.endsWith("valid")), list);
        assertTrue(list.lines().anyMatch(l -> l.startsWith("alice ") && l.endsWith("expires soon")), list);
        assertTrue(list.lines().anyMatch(l -> l.startsWith("bob ") && l.contains("revoked") && l.contains("keyCompromise")), list);
        assertTrue(list.contains("CRL #2: 1 revoked"), list);
        assertTrue(list.contains("WARNING: certificate 'alice'"), list);
        assertFalse(list.contains("PRIVATE KEY"));

        Path profile = dir.resolve("alice.ovpn");
        assertEquals(0, pki("export", "alice", "--remote", "vpn.example.org", "--proto", "tcp", "--port", "443", "--out",
                profile.toString()), err::toString);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(profile)));
        ClientConfig c = ClientConfig.from(OvpnFile.parse(Files.readString(profile)), null, false);
        assertEquals(new ClientConfig.Remote("vpn.example.org", 443, ClientConfig.Proto.TCP), c.transport().remotes().getFirst());
        assertEquals(new ClientConfig.VerifyX509Name("vpn", "name"), c.tls().verifyX509Name());

        assertEquals(0, pki("export", "alice", "--remote", "h", "--wrap", "tls-auth", "--out", "-"));
        assertTrue(out().contains("key-direction 1\n<tls-auth>"), out());
        assertEquals(1, pki("export", "bob", "--remote", "h", "--out", "-"), "a revoked certificate is not exported");
    }

    @Test
    void usageErrorsExitWithTwoAndFailuresWithOne() {
        assertEquals(2, pki());
        assertEquals(2, pki("frobnicate"));
        assertEquals(2, pki("init", "--algo", "dsa"));
        assertEquals(2, pki("issue"));
        assertEquals(2, pki("issue", "../x"));
        assertEquals(2, pki("list", "--bogus"));
        assertEquals(1, pki("list"), "no CA yet");
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("run 'culvert pki init' first"), err::toString);
        assertEquals(0, pki("init", "--algo", "rsa2048"));
        assertEquals(1, pki("init"), "CA exists");
        assertEquals(1, pki("revoke", "nobody"));
        assertEquals(2, pki("export", "server"), "--remote is required");
    }
}
