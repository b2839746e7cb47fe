package io.culvert.engine.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.config.ProfileInliner.Inlined;
import io.culvert.engine.config.ProfileInliner.Mode;
import io.culvert.engine.config.file.OvpnFile;
import io.culvert.engine.config.file.OvpnParseException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one inliner, in the mode of each of its users: a profile imported into the store ({@link Mode#STORE}) and the
 * files sent to culvertd ({@link Mode#SERVICE_CLIENT}, the remote package's tests cover the rest of that mode).
 */
class ProfileInlinerTest {
    private static final String PEM = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
    private static final String STATIC_KEY = "-----BEGIN OpenVPN Static key V1-----\n00\n-----END OpenVPN Static key V1-----\n";

    @TempDir
    Path dir;

    private Inlined store(String text) throws OvpnParseException {
        return ProfileInliner.inline(OvpnFile.parse(text), dir, Mode.STORE);
    }

    @Test
    void aStoredProfileTakesInItsKeyMaterialAndKeepsWhatItCannotRead() throws Exception {
        Files.writeString(dir.resolve("ca.crt"), PEM);
        Files.writeString(dir.resolve("notpem.key"), "not a key\n");
        Files.writeString(dir.resolve("block.crt"), PEM + "</ca>\n");
        Files.writeString(dir.resolve("auth.txt"), "user\npass\n");
        Inlined in = store("client\nca ca.crt\ncert missing.crt\nkey notpem.key\nextra-certs block.crt\n"
                + "auth-user-pass auth.txt\nhttp-proxy p 3128 auth.txt\n");
        String text = in.file().write();
        assertTrue(in.changed());
        assertTrue(text.contains("<ca>\n" + PEM + "</ca>\n"), text);
        assertTrue(text.contains("\ncert missing.crt\n"), "a missing file stays a reference: " + text);
        assertTrue(text.contains("\nkey notpem.key\n"), "not PEM text stays a reference: " + text);
        assertTrue(text.contains("\nextra-certs block.crt\n"), "a file that would close the block stays a reference: " + text);
        assertTrue(text.contains("\nauth-user-pass auth.txt\n"), "a readable login file is not copied into the store: " + text);
        assertTrue(text.contains("\nhttp-proxy p 3128 auth.txt\n"), text);
        assertEquals(List.of(), in.warnings());
    }

    @Test
    void aFileLargerThanTheParsersInlineLimitStaysAReference() throws Exception {
        Files.writeString(dir.resolve("big.crt"), PEM.repeat(ProfileInliner.MAX_FILE_BYTES / PEM.length() + 1));
        String text = store("client\nca big.crt\n").file().write();
        assertTrue(text.contains("\nca big.crt\n"), text);
        OvpnFile.parse(text); // and what is stored parses again
    }

    @Test
    void tlsAuthsDirectionFollowsTheBlockSoTheLastDirectiveWinsAsInOpenvpn() throws Exception {
        Files.writeString(dir.resolve("ta.key"), STATIC_KEY);
        Files.writeString(dir.resolve("ca.crt"), PEM);
        for (Mode mode : List.of(Mode.STORE, Mode.SERVICE_CLIENT)) {
            // OpenVPN: tls-auth's second argument and key-direction both set the direction; the later line wins.
            String earlier = ProfileInliner.inline(OvpnFile.parse("client\nremote h\nca ca.crt\nauth-user-pass\nkey-direction 0\n"
                    + "tls-auth ta.key 1\n"), dir, mode).file().write();
            assertEquals(1, ClientConfig.from(OvpnFile.parse(earlier), dir, false).wrap().keyDirection(), mode + ": " + earlier);
            String later = ProfileInliner.inline(OvpnFile.parse("client\nremote h\nca ca.crt\nauth-user-pass\ntls-auth ta.key 1\n"
                    + "key-direction 0\n"), dir, mode).file().write();
            assertEquals(0, ClientConfig.from(OvpnFile.parse(later), dir, false).wrap().keyDirection(), mode + ": " + later);
        }
    }

    @Test
    void aLoginOrPassphraseFileFromAnotherMachineIsAskedForAndSaidSo() throws Exception {
        Inlined in = store("client\nauth-user-pass \"C:\\\\Users\\\\me\\\\pass.txt\"\naskpass /nonexistent/pass\n");
        String text = in.file().write();
        assertTrue(text.contains("\nauth-user-pass\n") && text.contains("\naskpass\n"), text);
        assertEquals(2, in.warnings().size(), in.warnings()::toString);
        assertTrue(in.warnings().get(0).startsWith("line 2: the auth-user-pass file"), in.warnings()::toString);
    }

    @Test
    void forTheServiceAMissingFileIsAnErrorNamingItsLine() throws Exception {
        OvpnParseException e = assertThrows(OvpnParseException.class, () -> ProfileInliner.inline(
                OvpnFile.parse("client\nremote h\nca missing.crt\n"), dir, Mode.SERVICE_CLIENT));
        assertEquals(3, e.line());
        List<String> warnings = new ArrayList<>();
        assertTrue(ProfileInliner.askpass(OvpnFile.parse("client\naskpass /nonexistent\n"), dir, warnings).isEmpty());
        assertFalse(warnings.isEmpty());
    }
}
