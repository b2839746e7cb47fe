package io.culvert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import io.culvert.engine.store.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileCommandsTest {
    @TempDir
    Path tmp;
    private Path db;
    private Path ovpn;
    private String text;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void fixture() throws IOException {
        db = tmp.resolve("data/culvert.db");
        try (InputStream in = getClass().getResourceAsStream("/store/client.ovpn")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        ovpn = tmp.resolve("office.ovpn");
        Files.writeString(ovpn, text);
    }

    private int run(String... args) {
        out.reset();
        err.reset();
        List<String> argv = new ArrayList<>(List.of("profile"));
        argv.addAll(List.of(args));
        argv.add("--db");
        argv.add(db.toString());
        return Main.run(argv.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void importListShowExportDelete() throws Exception {
        assertEquals(0, run("import", ovpn.toString()));
        assertTrue(out().contains("usable: yes\n"), out());
        assertTrue(out().endsWith("stored as profile 'office'\n"), out());
        assertEquals(0, run("import", ovpn.toString(), "--name", "Home VPN"));
        assertEquals(0, run("list"));
        assertEquals("Home VPN\tmanual\tnever used\noffice\tmanual\tnever used\n", out());

        assertEquals(0, run("show", "office"));
        assertFalse(out().contains("-----BEGIN PRIVATE KEY-----\nMIGH"), "private key body hidden");
        assertFalse(out().contains("-----BEGIN OpenVPN Static key V1-----"), "tls-crypt key hidden");
        assertTrue(out().contains("<key>\n[redacted: 5 lines, shown with --secrets]\n</key>\n"), out());
        assertTrue(out().contains("-----BEGIN CERTIFICATE-----"), "certificates stay visible");
        assertEquals(0, run("show", "office", "--secrets"));
        assertEquals(text, out());

        assertEquals(0, run("export", "office"));
        assertEquals(text, out());
        Path exported = tmp.resolve("out.ovpn");
        assertEquals(0, run("export", "office", exported.toString()));
        assertEquals(text, Files.readString(exported));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(exported)));

        assertEquals(0, run("delete", "office"));
        assertEquals(1, run("delete", "office"));
        assertTrue(err().contains("no profile named 'office'"), err());
        assertEquals(0, run("list"));
        assertEquals("Home VPN\tmanual\tnever used\n", out());
    }

    @Test
    void storesInPostgresqlWhenDbIsAUrlWithTheLoginFromA0600File() throws Exception {
        PostgresServer pg = PostgresServer.shared();
        String url = pg.freshDatabase();
        String[] login = {"--db", url, "--db-user", PostgresServer.ROLE, "--db-password-file", pg.rolePasswordFile().toString()};
        List<String> args = new ArrayList<>(List.of("profile", "import", ovpn.toString()));
        args.addAll(List.of(login));
        assertEquals(0, Main.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)), err());
        out.reset();
        args = new ArrayList<>(List.of("profile", "list"));
        args.addAll(List.of(login));
        assertEquals(0, Main.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)), err());
        assertTrue(out().contains("office"), out());
        assertFalse(Files.exists(db), "nothing written to the SQLite default");
        String password = Files.readString(pg.rolePasswordFile()).strip();
        assertFalse(out().contains(password) || err().contains(password));
    }

    @Test
    void invalidProfileExitsOneWithTheParsersLineAndStoresNothing() throws Exception {
        Files.writeString(ovpn, "client\ndev tun\nremote vpn.example.com 99999\n");
        assertEquals(1, run("import", ovpn.toString()));
        assertEquals(ovpn + ": line 3: 'remote': INVALID_VALUE: ", err().substring(0, (ovpn + ": line 3: 'remote': INVALID_VALUE: ").length()));
        assertEquals(0, run("list"));
        assertEquals("", out());
    }

    @Test
    void fiftyMegabyteFileIsRefusedWithoutReadingItAll() throws Exception {
        Path huge = tmp.resolve("huge.ovpn");
        try (RandomAccessFile f = new RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(50L * 1024 * 1024);
        }
        assertEquals(1, run("import", huge.toString()));
        assertTrue(err().contains("LIMIT_EXCEEDED"), err());
        assertEquals(0, run("list"));
        assertEquals("", out());
    }

    @Test
    void duplicateNameExitsOne() {
        assertEquals(0, run("import", ovpn.toString()));
        assertEquals(1, run("import", ovpn.toString()));
        assertTrue(err().contains("already exists"), err());
    }

    @Test
    void usageErrorsExitTwo() {
        assertEquals(2, run("show"));
        assertEquals(2, run("frobnicate"));
        assertEquals(2, run("list", "--bogus"));
    }
}
