package io.culvert.engine.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.config.Directives.Role;
import io.culvert.engine.config.Directives.Spec;
import io.culvert.engine.config.Directives.Support;
import io.culvert.engine.config.file.OvpnFile;
import io.culvert.engine.config.file.OvpnParseException;
import io.culvert.engine.config.file.Reason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class DirectivesTest {

    @Test
    void describesArgumentCountsAndSupport() {
        Spec remote = Directives.lookup("remote").orElseThrow();
        assertEquals(1, remote.minArgs());
        assertEquals(3, remote.maxArgs());
        assertEquals(Support.SUPPORTED, remote.support());
        assertTrue(remote.connectionAllowed());
        assertFalse(remote.inlineAllowed());
        assertEquals(Support.UNSUPPORTED, Directives.lookup("pkcs11-id").orElseThrow().support());
        assertEquals(Support.SUPPORTED, Directives.lookup("pkcs12").orElseThrow().support());
        assertEquals(Support.SUPPORTED, Directives.lookup("askpass").orElseThrow().support());
        assertEquals(Support.IGNORED, Directives.lookup("persist-tun").orElseThrow().support());
        assertEquals(Support.WARN, Directives.lookup("up").orElseThrow().support());
        assertEquals(Role.SERVER, Directives.lookup("push").orElseThrow().role());
        assertTrue(Directives.lookup("Remote").isEmpty());
    }

    @Test
    void inlineTagsAreCatalogued() {
        for (String tag : List.of("ca", "cert", "key", "extra-certs", "dh", "tls-auth", "tls-crypt", "tls-crypt-v2",
                "secret", "crl-verify", "auth-user-pass", "http-proxy-user-pass", "pkcs12", "peer-fingerprint",
                "connection")) {
            assertTrue(Directives.lookup(tag).orElseThrow().inlineAllowed(), tag);
        }
    }

    @Test
    void everyNonSupportedEntryExplainsItself() {
        for (String name : Directives.names()) {
            Spec s = Directives.lookup(name).orElseThrow();
            assertTrue(s.minArgs() <= s.maxArgs(), name);
            if (s.support() != Support.SUPPORTED || s.role() == Role.SERVER) {
                assertFalse(s.note() == null || s.note().isBlank(), name);
            }
        }
    }

    @Test
    void serverConfigValidatesWithoutUnknowns() throws Exception {
        Path server = Path.of(DirectivesTest.class.getResource("/ovpn/server/server.conf").toURI());
        OvpnFile f = OvpnFile.parse(Files.readString(server));
        assertEquals(List.of(), Directives.validate(f, false));
        assertEquals(34, f.directives().size());
    }

    @Test
    void captureServerConfigsValidate() throws Exception {
        Path captures = Path.of("/work/shared/protocol/captures");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(captures));
        try (var dirs = Files.list(captures)) {
            for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                for (String name : List.of("server.conf", "client.conf")) {
                    Path p = dir.resolve(name);
                    if (Files.exists(p)) {
                        assertEquals(List.of(), Directives.validate(OvpnFile.parse(Files.readString(p)), false), p.toString());
                    }
                }
            }
        }
    }

    @Test
    void reportsWrongArgumentCountsInWords() {
        assertEquals("line 1: 'nobind': WRONG_ARGUMENT_COUNT: expected no arguments, got 1", countError("nobind yes"));
        assertEquals("line 1: 'verb': WRONG_ARGUMENT_COUNT: expected 1 argument, got 2", countError("verb 3 4"));
        assertEquals("line 1: 'keepalive': WRONG_ARGUMENT_COUNT: expected 2 arguments, got 1", countError("keepalive 10"));
        assertEquals("line 1: 'up': WRONG_ARGUMENT_COUNT: expected at least 1 argument, got 0", countError("up"));
        assertEquals("line 1: 'setenv': WRONG_ARGUMENT_COUNT: 'setenv opt' needs a directive name",
                countError("setenv opt"));
    }

    private static String countError(String line) {
        return assertThrows(OvpnParseException.class, () -> Directives.validate(OvpnFile.parse(line), false)).getMessage();
    }

    @Test
    void setenvOptAppliesKnownDirectivesAndIgnoresUnknownOnes() throws Exception {
        assertEquals(List.of("line 2: ignoring unknown directive 'foo'"),
                Directives.validate(OvpnFile.parse("setenv opt verb 3\nsetenv opt foo bar"), false));
        OvpnParseException e = assertThrows(OvpnParseException.class,
                () -> Directives.validate(OvpnFile.parse("setenv opt verb"), false));
        assertEquals(Reason.WRONG_ARGUMENT_COUNT, e.reason());
        assertEquals("verb", e.directive());
    }
}
