package io.culvert.engine.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.api.EngineException;
import io.culvert.engine.api.ErrorKind;
import io.culvert.engine.config.OvpnFile;
import io.culvert.engine.service.ProfilePolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileInlinerTest {

    @Test
    void inlinesRelativeAndAbsoluteFilesAndSplitsKeyDirection(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("ca.crt"), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----");
        Files.writeString(dir.resolve("ta.key"), "static key\n");
        String out = ProfileInliner.inline("client\nremote h 1194\nca ca.crt\ntls-auth " + dir.resolve("ta.key") + " 1\n", dir);
        assertEquals("""
                client
                remote h 1194
                <ca>
                -----BEGIN CERTIFICATE-----
                AAAA
                -----END CERTIFICATE-----
                </ca>
                <tls-auth>
                static key
                </tls-auth>
                key-direction 1
                """, out);
        assertEquals(List.of(), ProfilePolicy.operatorRefusals(OvpnFile.parse(out)), "the service accepts the result");
    }

    @Test
    void aPkcs12FileTravelsAsBase64AndAskpassStaysWithTheCaller(@TempDir Path dir) throws Exception {
        byte[] p12 = new byte[300];
        for (int i = 0; i < p12.length; i++) {
            p12[i] = (byte) (i * 7);
        }
        Files.write(dir.resolve("me.p12"), p12);
        Files.writeString(dir.resolve("pass.txt"), "s3cret\nignored\n");
        String profile = "client\nremote h 1194\npkcs12 me.p12\naskpass pass.txt\n";
        String out = ProfileInliner.inline(profile, dir);
        OvpnFile f = OvpnFile.parse(out);
        var block = f.directives().stream().filter(d -> d.name().equals("pkcs12")).findFirst().orElseThrow();
        assertTrue(block.isInline(), out);
        assertEquals(java.util.Arrays.toString(p12), java.util.Arrays.toString(
                java.util.Base64.getMimeDecoder().decode(block.inlineContent())), "the bytes survive");
        assertTrue(f.directives().stream().noneMatch(d -> d.name().equals("askpass")), "no file name reaches the service: " + out);
        assertEquals(List.of(), ProfilePolicy.operatorRefusals(f), "the service accepts the result");
        assertEquals(java.util.Optional.of("s3cret"), ProfileInliner.askpass(profile, dir));
        assertEquals(java.util.Optional.empty(), ProfileInliner.askpass("client\n", dir));
    }

    @Test
    void leavesSelfContainedProfilesUntouched() throws EngineException {
        String text = "client\n# comment\nremote h 1194\n<ca>\nx\n</ca>\n";
        assertSame(text, ProfileInliner.inline(text, Path.of("/nonexistent")));
    }

    @Test
    void anUnreadableFileIsAConfigError(@TempDir Path dir) {
        EngineException e = assertThrows(EngineException.class, () -> ProfileInliner.inline("client\nca missing.crt\n", dir));
        assertEquals(ErrorKind.CONFIG_INVALID, e.kind());
        assertTrue(e.getMessage().contains("line 2: cannot read"), e.getMessage());
    }
}
