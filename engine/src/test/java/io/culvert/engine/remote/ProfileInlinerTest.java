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
