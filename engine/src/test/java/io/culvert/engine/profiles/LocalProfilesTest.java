package io.culvert.engine.profiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.api.ProfileException;
import io.culvert.engine.api.ProfileForm;
import io.culvert.engine.api.ProfileImport;
import io.culvert.engine.api.ProfileSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalProfilesTest {
    private static final Path VALID = Path.of("src/test/resources/ovpn/valid");

    @TempDir
    Path dir;
    private LocalProfiles profiles;

    @BeforeEach
    void open() {
        profiles = LocalProfiles.open(dir.resolve("data/culvert.db"), false, InstantSource.fixed(Instant.parse("2026-01-02T03:04:05Z")));
    }

    @AfterEach
    void close() {
        profiles.close();
    }

    private Path profile(String name, String text) throws IOException {
        Path folder = dir.resolve("in");
        Files.createDirectories(folder);
        for (String f : List.of("ca.crt", "client.crt", "client.key", "tc.key", "ta.key")) {
            Files.copy(VALID.resolve(f), folder.resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Path p = folder.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private static final String OFFICE = """
            # office VPN
            client
            dev tun
            proto udp
            remote vpn.example.com 1194   # primary
            remote backup.example.com 443 tcp
            nobind
            keepalive 10 60
            ca ca.crt
            cert client.crt
            key client.key
            tls-auth ta.key 1
            verb 3
            """;

    @Test
    void importReportsEveryDirectiveAndStoresItInlined() throws IOException {
        ProfileImport r = profiles.importFile(profile("office.ovpn", OFFICE), null);

        assertTrue(r.usable(), r.problems().toString());
        assertEquals("office.ovpn", r.source());
        assertEquals(12, r.items().size());
        assertEquals(new ProfileImport.Item(5, "remote", ProfileImport.Status.SUPPORTED, r.items().get(3).note(), false, false),
                r.items().get(3));
        assertEquals(ProfileImport.Status.TRANSLATED, r.items().stream().filter(i -> i.directive().equals("keepalive"))
                .findFirst().orElseThrow().status());
        assertEquals("office", r.stored().name());
        assertEquals(List.of("vpn.example.com 1194", "backup.example.com 443 tcp"), r.stored().remotes());
        String text = profiles.text("office");
        assertTrue(text.startsWith("# office VPN\nclient\n"), text);
        assertTrue(text.contains("remote vpn.example.com 1194   # primary\n"), text);
        assertTrue(text.contains("<ca>\n-----BEGIN CERTIFICATE-----"), text);
        assertTrue(text.contains("</tls-auth>\nkey-direction 1\n"), text);
        assertFalse(text.contains("ca ca.crt"), text);
    }

    /**
     * Issue 11: a Windows profile whose auth-user-pass file is not on this machine is imported with a note, and the
     * stored profile asks for the login instead of naming the dead path.
     */
    @Test
    void aWindowsProfileWhoseLoginFileIsElsewhereImportsAndAsksForTheLogin() throws IOException {
        ProfileImport.Item login = importedWithAWindowsFile("windows", "auth-user-pass", "pass.txt");
        assertTrue(login.note().contains("C:\\Users\\me\\OpenVPN\\config\\pass.txt")
                && login.note().contains("asked for at connect"), login::toString);
    }

    /** Issue 11: likewise an askpass file that is not here: a note, and the stored profile asks for the passphrase. */
    @Test
    void aWindowsProfileWhosePassphraseFileIsElsewhereImportsAndAsksForThePassphrase() throws IOException {
        ProfileImport.Item ask = importedWithAWindowsFile("winkey", "askpass", "key-pass.txt");
        assertEquals("the passphrase file C:\\Users\\me\\OpenVPN\\config\\key-pass.txt cannot be read on this machine;"
                + " the passphrase will be asked for when connecting", ask.note());
    }

    /**
     * Imports the office profile as {@code name} with {@code directive "C:\Users\me\OpenVPN\config\<file>"}: it must
     * import with a warning on that line, and the stored profile must keep the bare directive (asking at connect) and
     * not the dead path. Returns the directive's item.
     */
    private ProfileImport.Item importedWithAWindowsFile(String name, String directive, String file) throws IOException {
        Path p = profile(name + ".ovpn", OFFICE.replace("verb 3\n",
                "verb 3\n" + directive + " \"C:\\\\Users\\\\me\\\\OpenVPN\\\\config\\\\" + file + "\"\n"));
        ProfileImport r = profiles.importFile(p, null);
        assertTrue(r.usable(), r.problems().toString());
        ProfileImport.Item item = r.items().stream().filter(i -> i.directive().equals(directive)).findFirst().orElseThrow();
        assertTrue(item.warning(), item::toString);
        String text = profiles.text(name);
        assertTrue(text.contains("\n" + directive + "\n"), text);
        assertFalse(text.contains(file), text);
        return item;
    }

    @Test
    void aPkcs12BundleIsStoredInsideTheProfile() throws Exception {
        var ca = io.culvert.engine.tls.TestKeys.ec();
        var me = io.culvert.engine.tls.TestKeys.ec();
        var caCert = io.culvert.engine.tls.TestKeys.certificate(ca, "Test CA", ca, "Test CA", true);
        var myCert = io.culvert.engine.tls.TestKeys.certificate(me, "me", ca, "Test CA", false);
        byte[] p12 = io.culvert.engine.tls.TestKeys.pkcs12(me.getPrivate(), new java.security.cert.Certificate[] {myCert, caCert},
                "", caCert);
        Path file = profile("bundle.ovpn", "client\ndev tun\nremote vpn.example.com 1194\npkcs12 me.p12\n");
        Files.write(file.resolveSibling("me.p12"), p12);
        ProfileImport r = profiles.importFile(file, null);
        assertTrue(r.usable(), r.problems().toString());
        String text = profiles.text("bundle");
        assertTrue(text.contains("<pkcs12>\n"), text);
        assertFalse(text.contains("pkcs12 me.p12"), text);
        String b64 = text.substring(text.indexOf("<pkcs12>\n") + 9, text.indexOf("</pkcs12>"));
        assertTrue(java.util.Arrays.equals(p12, java.util.Base64.getMimeDecoder().decode(b64)), "the bundle's bytes are kept");
    }

    @Test
    void importOfAnUnusableFileStoresNothingAndSaysWhy() throws IOException {
        ProfileImport r = profiles.importFile(profile("bad.ovpn", OFFICE + "frobnicate on\n"), null);

        assertFalse(r.usable());
        assertNull(r.stored());
        assertEquals(new ProfileImport.Problem(14, "frobnicate", "UNKNOWN_DIRECTIVE", r.problems().getFirst().detail()),
                r.problems().getFirst());
        assertEquals(ProfileImport.Status.UNKNOWN, r.items().getLast().status());
        assertEquals(List.of(), profiles.list());
    }

    @Test
    void secondImportOfTheSameFileGetsAFreshName() throws IOException {
        Path p = profile("office.ovpn", OFFICE);
        profiles.importFile(p, null);
        assertEquals("office (2)", profiles.importFile(p, null).stored().name());
        assertEquals(List.of("office", "office (2)"), profiles.list().stream().map(ProfileSummary::name).toList());
    }

    @Test
    void renameDeleteAndExport() throws IOException {
        profiles.importFile(profile("office.ovpn", OFFICE), null);
        profiles.saveLogin("office", "alice", "s3cret", true);

        assertEquals("work", profiles.rename("office", "work").name());
        assertEquals("alice", profiles.savedLogin("work").orElseThrow().username());
        assertEquals("s3cret", profiles.savedLogin("work").orElseThrow().password());
        assertThrows(ProfileException.class, () -> profiles.text("office"));

        Path out = dir.resolve("export.ovpn");
        profiles.export("work", out);
        assertEquals(profiles.text("work"), Files.readString(out));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(out)));

        assertTrue(profiles.delete("work"));
        assertFalse(profiles.delete("work"));
        assertTrue(profiles.savedLogin("work").isEmpty());
    }

    @Test
    void passwordWithoutKeyringNeedsTheOptIn() throws IOException {
        profiles.importFile(profile("office.ovpn", OFFICE), null);
        ProfileException e = assertThrows(ProfileException.class, () -> profiles.saveLogin("office", "alice", "pw", false));
        assertEquals(ProfileException.Kind.NO_SECRET_STORAGE, e.kind());
        assertEquals(null, profiles.saveLogin("office", "alice", null, false).password());
    }

    @Test
    void formReadsTheMainSettings() throws IOException {
        profiles.importFile(profile("office.ovpn", OFFICE + "data-ciphers AES-256-GCM:CHACHA20-POLY1305\nroute 10.1.0.0 255.255.0.0\n"), null);
        assertEquals(new ProfileForm(List.of("vpn.example.com 1194", "backup.example.com 443 tcp"), "udp", "tun",
                List.of("AES-256-GCM", "CHACHA20-POLY1305"), false, false, List.of("10.1.0.0 255.255.0.0")), profiles.form("office"));
    }

    @Test
    void unchangedFormLeavesTheTextByteForByte() throws IOException {
        profiles.importFile(profile("office.ovpn", OFFICE), null);
        String before = profiles.text("office");
        profiles.saveForm("office", profiles.form("office"));
        assertEquals(before, profiles.text("office"));
    }

    @Test
    void changedFormRewritesOnlyItsOwnLines() {
        String text = """
                # keep me
                client
                remote a.example 1194 ; first
                remote b.example 1194
                proto udp
                frobnicate 1
                <ca>
                x
                </ca>
                """;
        ProfileForm f = ProfileForms.read(parse(text));
        ProfileForm changed = new ProfileForm(List.of("a.example 1194", "c.example  443  tcp"), "tcp-client", "tap",
                List.of("AES-128-GCM"), true, true, List.of("10.0.0.0 255.0.0.0"));
        assertEquals("""
                # keep me
                client
                remote a.example 1194 ; first
                remote c.example 443 tcp
                proto tcp-client
                frobnicate 1
                dev tap
                data-ciphers AES-128-GCM
                auth-user-pass
                redirect-gateway def1
                route 10.0.0.0 255.0.0.0
                <ca>
                x
                </ca>
                """, profiles.applyForm(text, changed));
        assertEquals(text, profiles.applyForm(text, f));
        String back = profiles.applyForm(profiles.applyForm(text, changed), f);
        assertEquals(ProfileForms.read(parse(text)), ProfileForms.read(parse(back)));
        assertTrue(back.startsWith("# keep me\nclient\nremote a.example 1194 ; first\nremote b.example 1194\nproto udp\nfrobnicate 1\n"), back);
    }

    @Test
    void settingsRemember() {
        profiles.settings().put("client.window", "800x600");
        assertEquals("800x600", profiles.settings().get("client.window").orElseThrow());
    }

    private static io.culvert.engine.config.file.OvpnFile parse(String text) {
        try {
            return io.culvert.engine.config.file.OvpnFile.parse(text);
        } catch (io.culvert.engine.config.file.OvpnParseException e) {
            throw new AssertionError(e);
        }
    }
}
