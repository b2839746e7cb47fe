package io.culvert.engine.config.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.config.ClientConfig;
import io.culvert.engine.config.Directives.Role;
import io.culvert.engine.config.file.OvpnFile;
import io.culvert.engine.config.file.OvpnParseException;
import io.culvert.engine.config.file.Reason;
import io.culvert.engine.config.report.ImportReport.Item;
import io.culvert.engine.config.report.ImportReport.Problem;
import io.culvert.engine.config.report.ImportReport.Status;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImportReportTest {

    private static ImportReport client(String text) throws Exception {
        return ImportReport.of(OvpnFile.parse(text), Role.CLIENT);
    }

    private static Item item(ImportReport r, String name) {
        return r.items().stream().filter(i -> i.directive().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void bareDhcpOptionKeepaliveAndInactiveAreLocatedArgumentErrorsNotACrashOrNullText() throws Exception {
        ImportReport r = client("client\ndhcp-option\nkeepalive\ninactive\nkeepalive 10\n");
        assertEquals(List.of(new Problem(2, "dhcp-option", Reason.WRONG_ARGUMENT_COUNT, "expected 1 to 2 arguments, got 0"),
                new Problem(3, "keepalive", Reason.WRONG_ARGUMENT_COUNT, "expected 2 arguments, got 0"),
                new Problem(4, "inactive", Reason.WRONG_ARGUMENT_COUNT, "expected 1 to 2 arguments, got 0"),
                new Problem(5, "keepalive", Reason.WRONG_ARGUMENT_COUNT, "expected 2 arguments, got 1")), r.problems());
        for (Item i : r.items()) {
            assertTrue(i.note() == null || !i.note().contains("null"), i::toString);
        }
        assertEquals(Status.REFUSED, item(r, "keepalive").status());
    }

    /** Issue 12: a refused line's row says so and why, never "supported". */
    @Test
    void aRefusedLinesItemIsRefusedWithTheProblemAsItsNote(@TempDir Path dir) throws Exception {
        String text = "client\ndev tun\nremote vpn.example.com 1194\ntun-mtu banana\nca missing-ca.crt\n<cert>\n"
                + "-----BEGIN CERTIFICATE-----\nMIIBszCC\n</cert>\nkey k.key\n";
        ImportReport r = ImportReport.check(OvpnFile.parse(text), Role.CLIENT, dir, false);
        assertFalse(r.usable());
        for (Problem p : r.problems()) {
            List<Item> atLine = r.items().stream().filter(i -> i.line() == p.line()).toList();
            assertFalse(atLine.isEmpty(), p::toString);
            for (Item i : atLine) {
                assertEquals(Status.REFUSED, i.status(), i::toString);
                assertEquals(p.detail(), i.note(), i::toString);
            }
        }
        assertEquals(new Item(4, "tun-mtu", Status.REFUSED, "'banana' is not a number", false, false), item(r, "tun-mtu"));
        assertEquals(Status.REFUSED, item(r, "ca").status());
        assertEquals(Status.REFUSED, item(r, "cert").status());
        assertEquals(Status.SUPPORTED, item(r, "dev").status());
        assertEquals(0, r.count(Status.UNSUPPORTED));
    }

    /** Issue 11: every problem of a refused file at its line — the truncated block's and the missing CA. */
    @Test
    void aTruncatedPemBlockAndAMissingCaAreBothListedEachAtItsLine(@TempDir Path dir) throws Exception {
        String text = "client\ndev tun\nremote vpn.example.com 1194\n<cert>\n-----BEGIN CERTIFICATE-----\nMIIBszCC\n"
                + "</cert>\n<key>\n-----BEGIN PRIVATE KEY-----\nMIIBszCC\n-----END PRIVATE KEY-----\n</key>\n";
        ImportReport r = ImportReport.check(OvpnFile.parse(text), Role.CLIENT, dir, false);
        assertEquals(List.of(new Problem(4, "cert", Reason.INVALID_VALUE, "truncated PEM block: -----BEGIN CERTIFICATE----- on"
                        + " line 5 has no matching -----END CERTIFICATE----- line"),
                new Problem(0, "ca", Reason.MISSING_REQUIRED, "no CA certificate to verify the server (give ca or capath)")), r.problems());
        assertFalse(r.usable());
    }

    @Test
    void aLoginFileThatIsNotHereIsAWarningAndAPrompt(@TempDir Path dir) throws Exception {
        String text = "client\ndev tun\nremote vpn.example.com 1194\n<ca>\n-----BEGIN CERTIFICATE-----\nMIIB\n"
                + "-----END CERTIFICATE-----\n</ca>\nauth-user-pass \"C:\\\\Users\\\\me\\\\pass.txt\"\n";
        ImportReport r = ImportReport.check(OvpnFile.parse(text), Role.CLIENT, dir, false);
        assertEquals(List.of(), r.problems());
        Item login = item(r, "auth-user-pass");
        assertTrue(login.warning() && login.note().endsWith("will be asked for at connect"), login::toString);
        assertTrue(ClientConfig.from(OvpnFile.parse(text), dir, false).authUserPass().needsPrompt());
    }

    /** Issue 11: askpass's file is forgiven as auth-user-pass's is; the key's passphrase is then asked for. */
    @Test
    void aPassphraseFileThatIsNotHereIsAWarningAndAPrompt(@TempDir Path dir) throws Exception {
        String text = "client\ndev tun\nremote vpn.example.com 1194\n<ca>\n-----BEGIN CERTIFICATE-----\nMIIB\n"
                + "-----END CERTIFICATE-----\n</ca>\nauth-user-pass\naskpass \"C:\\\\Users\\\\me\\\\key-pass.txt\"\n";
        ImportReport r = ImportReport.check(OvpnFile.parse(text), Role.CLIENT, dir, false);
        assertEquals(List.of(), r.problems());
        assertEquals(new Item(10, "askpass", Status.SUPPORTED, "the passphrase file C:\\Users\\me\\key-pass.txt cannot be read"
                + " on this machine; the passphrase will be asked for when connecting", true, false), item(r, "askpass"));
        assertEquals(null, ClientConfig.from(OvpnFile.parse(text), dir, false).keys().keySource().askpassFile(),
                "no file: the key's passphrase is asked for, as for a bare askpass");
    }

    @Test
    void statusInAClientProfileIsSupportedAndSaysWhoWritesIt() throws Exception {
        ImportReport r = client("client\nstatus /var/log/openvpn-status.log 20\n");
        assertEquals(List.of(), r.problems());
        assertEquals(new Item(2, "status", Status.SUPPORTED, "culvert client writes OpenVPN's client statistics there every"
                + " 20 s; a tunnel run through culvertd writes no status file", false, false), item(r, "status"));
    }

    @Test
    void translatesLegacyDirectives() throws Exception {
        ImportReport r = client("client\nncp-ciphers AES-256-GCM\nkeepalive 10 60\ncomp-lzo no\ncipher AES-256-CBC\n");
        assertEquals(new Item(2, "ncp-ciphers", Status.TRANSLATED, "read as data-ciphers (renamed in OpenVPN 2.5)", false, false),
                item(r, "ncp-ciphers"));
        assertEquals("ping 10 and ping-restart 60 (keepalive is shorthand for both)", item(r, "keepalive").note());
        assertEquals(Status.TRANSLATED, item(r, "comp-lzo").status());
        assertTrue(item(r, "comp-lzo").note().startsWith("compression stub framing"));
        assertEquals(Status.TRANSLATED, item(r, "cipher").status());
        assertEquals(4, r.count(Status.TRANSLATED));
        assertTrue(r.usable());
    }

    @Test
    void tlsAuthTakesItsDirectionFromKeyDirection() throws Exception {
        ImportReport r = client("client\n<tls-auth>\nK\n</tls-auth>\nkey-direction 1\n");
        assertEquals(new Item(2, "tls-auth", Status.TRANSLATED, "key direction 1 from key-direction on line 5", false, false),
                item(r, "tls-auth"));
        assertEquals("sets the direction of the tls-auth key on line 2", item(r, "key-direction").note());
        ImportReport explicit = client("tls-auth ta.key 0\n");
        assertEquals(new Item(1, "tls-auth", Status.SUPPORTED, "key direction 0", false, false), explicit.items().getFirst());
        ImportReport orphan = client("tls-crypt tc.key\nkey-direction 1\n");
        assertEquals(Status.IGNORED, item(orphan, "key-direction").status());
    }

    @Test
    void windowsOnlyOptionsAreIgnoredWithTheReason() throws Exception {
        ImportReport r = client("block-outside-dns\nregister-dns\ndhcp-option WINS 10.0.0.1\ndhcp-option DNS 10.0.0.1\n");
        assertEquals(new Item(1, "block-outside-dns", Status.IGNORED, "Windows-only option; no effect on Linux", false, false),
                r.items().get(0));
        assertEquals(Status.IGNORED, r.items().get(1).status());
        assertEquals("Windows-only DHCP option; no effect on Linux", r.items().get(2).note());
        assertEquals(Status.SUPPORTED, r.items().get(3).status());
    }

    @Test
    void unknownDirectivesAreErrorsUnlessMarkedIgnorable() throws Exception {
        ImportReport strict = client("client\nfrobnicate 1\n");
        assertEquals(Status.UNKNOWN, item(strict, "frobnicate").status());
        assertEquals(List.of(new Problem(2, "frobnicate", Reason.UNKNOWN_DIRECTIVE,
                "not a directive Culvert knows; kept verbatim; list it in ignore-unknown-option to skip it")), strict.problems());
        // ignore-unknown-option only covers the lines after it, as in OpenVPN
        ImportReport ordered = client("frobnicate 1\nignore-unknown-option frobnicate\nfrobnicate 2\nsetenv opt wibble\n");
        assertEquals(List.of(1), ordered.problems().stream().map(Problem::line).toList());
        assertEquals("not a directive Culvert knows; kept verbatim and skipped (ignore-unknown-option on line 2)",
                ordered.items().get(2).note());
        assertEquals(new Item(4, "wibble", Status.UNKNOWN, "not a directive Culvert knows; kept verbatim and skipped (setenv opt)",
                false, false), ordered.items().get(3));
        assertTrue(ImportReport.of(OvpnFile.parse("frobnicate 1\n"), Role.CLIENT, true).usable());
    }

    @Test
    void collectsEveryCatalogueErrorWithItsLine() throws Exception {
        ImportReport r = client("client\npkcs11-id a\nremote\nserver 10.8.0.0 255.255.255.0\n<verb>\n3\n</verb>\n"
                + "<connection>\nca x\n</connection>\n");
        assertEquals(List.of("2 pkcs11-id UNSUPPORTED_DIRECTIVE", "3 remote WRONG_ARGUMENT_COUNT", "4 server CONFLICT",
                "5 verb SYNTAX_ERROR", "9 ca SYNTAX_ERROR"),
                r.problems().stream().map(p -> p.line() + " " + p.directive() + " " + p.reason()).toList());
        assertTrue(item(r, "ca").inConnection());
        assertFalse(r.usable());
    }

    @Test
    void serverRoleRejectsClientDirectivesAndFlagsWhatItDoesNotRun() throws Exception {
        ImportReport r = ImportReport.of(OvpnFile.parse("server 10.8.0.0 255.255.255.0\nremote x\nup /bin/up.sh\n"
                + "persist-key\nsocks-proxy p 1080\nmode p2p\nkeepalive 10 60\n"), Role.SERVER);
        assertEquals(List.of("2 remote CONFLICT", "5 socks-proxy CONFLICT", "6 mode UNSUPPORTED_DIRECTIVE"),
                r.problems().stream().map(p -> p.line() + " " + p.directive() + " " + p.reason()).toList());
        assertEquals(new Item(3, "up", Status.IGNORED, "scripts are not run by Culvert", true, false), item(r, "up"));
        assertFalse(item(r, "persist-key").warning());
        assertEquals("ping 10 and ping-restart 120 here; pushes ping 10 and ping-restart 60 to clients",
                item(r, "keepalive").note());
    }

    @Test
    void checkAddsTheFirstValueError() throws Exception {
        OvpnFile f = OvpnFile.parse("client\ndev tun\nremote a 70000\n");
        assertTrue(ImportReport.of(f, Role.CLIENT).usable());
        ImportReport checked = ImportReport.check(f, Role.CLIENT, null, false);
        assertEquals(List.of(new Problem(3, "remote", Reason.INVALID_VALUE, "'70000' is not a port number (1..65535)")),
                checked.problems());
        assertEquals(3, checked.items().size());
    }

    @Test
    void detectsTheRole() throws Exception {
        assertEquals(Role.SERVER, ImportReport.roleOf(OvpnFile.parse("mode server\n")));
        assertEquals(Role.SERVER, ImportReport.roleOf(OvpnFile.parse("server-bridge\n")));
        assertEquals(Role.CLIENT, ImportReport.roleOf(OvpnFile.parse("mode p2p\nclient\n")));
    }

    @Test
    void fiftyMegabyteFileIsRefusedBeforeReading(@TempDir Path dir) throws Exception {
        Path big = dir.resolve("big.ovpn");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(50L * 1024 * 1024);
        }
        ImportReport r = assertTimeoutPreemptively(Duration.ofSeconds(2), () -> ImportReport.load(big, null, false));
        assertEquals(1, r.problems().size());
        assertEquals(Reason.LIMIT_EXCEEDED, r.problems().getFirst().reason());
        assertEquals(0, r.problems().getFirst().line());
        assertTrue(r.items().isEmpty());
    }

    @Test
    void binaryFileIsASyntaxErrorAtItsFirstNulByte(@TempDir Path dir) throws Exception {
        Path bin = dir.resolve("client.p12");
        byte[] bytes = new byte[4096];
        new java.util.Random(7).nextBytes(bytes);
        bytes[0] = 'c';
        bytes[1] = '\n';
        bytes[2] = 0;
        Files.write(bin, bytes);
        ImportReport r = ImportReport.load(bin, Role.CLIENT, false);
        assertEquals(List.of(new Problem(2, null, Reason.SYNTAX_ERROR, "NUL byte: a binary file, not a config")), r.problems());
    }

    @Test
    void endlessFileIsCutOffAtTheLimit() {
        Path zero = Path.of("/dev/zero");
        OvpnParseException e = org.junit.jupiter.api.Assertions.assertThrows(OvpnParseException.class,
                () -> assertTimeoutPreemptively(Duration.ofSeconds(5), () -> OvpnFile.load(zero)));
        assertEquals(Reason.LIMIT_EXCEEDED, e.reason());
    }
}
