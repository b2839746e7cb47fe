package io.culvert.engine.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.config.file.OvpnParseException;
import io.culvert.engine.config.file.Reason;
import io.culvert.engine.config.report.ImportReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InvalidConfigTest {

    static Path fixture(String name) throws Exception {
        return Path.of(InvalidConfigTest.class.getResource("/ovpn/invalid/" + name).toURI());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(nullValues = "-", value = {
        "SYNTAX_ERROR,          4, ca",
        "UNKNOWN_DIRECTIVE,     4, remote-cert-tsl",
        "UNSUPPORTED_DIRECTIVE, 4, pkcs11-id",
        "WRONG_ARGUMENT_COUNT,  3, remote",
        "INVALID_VALUE,         4, remote",
        "MISSING_INLINE_END,    4, ca",
        "LIMIT_EXCEEDED,        4, -",
        "FILE_NOT_READABLE,     4, ca",
        "MISSING_REQUIRED,      0, remote",
        "CONFLICT,              8, tls-crypt"})
    void reportsExactLocation(Reason reason, int line, String directive) throws Exception {
        OvpnParseException e = assertThrows(OvpnParseException.class,
                () -> ClientConfig.load(fixture(reason + ".ovpn"), false));
        assertEquals(reason, e.reason(), e.getMessage());
        assertEquals(line, e.line(), e.getMessage());
        assertEquals(directive, e.directive(), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(nullValues = "-", value = {
        "LIMIT_EXCEEDED-words.ovpn,      LIMIT_EXCEEDED, 4, redirect-gateway",
        "SYNTAX_ERROR-quote.ovpn,        SYNTAX_ERROR,   3, ca",
        "SYNTAX_ERROR-stray-close.ovpn,  SYNTAX_ERROR,   5, ca"})
    void reportsExactLocationOfVariants(String file, Reason reason, int line, String directive) throws Exception {
        OvpnParseException e = assertThrows(OvpnParseException.class, () -> ClientConfig.load(fixture(file), false));
        assertEquals(reason, e.reason(), e.getMessage());
        assertEquals(line, e.line(), e.getMessage());
        assertEquals(directive, e.directive(), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(nullValues = "-", value = {
        "SYNTAX_ERROR.ovpn,              SYNTAX_ERROR,          4, ca",
        "UNKNOWN_DIRECTIVE.ovpn,         UNKNOWN_DIRECTIVE,     4, remote-cert-tsl",
        "UNSUPPORTED_DIRECTIVE.ovpn,     UNSUPPORTED_DIRECTIVE, 4, pkcs11-id",
        "WRONG_ARGUMENT_COUNT.ovpn,      WRONG_ARGUMENT_COUNT,  3, remote",
        "INVALID_VALUE.ovpn,             INVALID_VALUE,         4, remote",
        "MISSING_INLINE_END.ovpn,        MISSING_INLINE_END,    4, ca",
        "LIMIT_EXCEEDED.ovpn,            LIMIT_EXCEEDED,        4, -",
        "FILE_NOT_READABLE.ovpn,         FILE_NOT_READABLE,     4, ca",
        "MISSING_REQUIRED.ovpn,          MISSING_REQUIRED,      0, remote",
        "CONFLICT.ovpn,                  CONFLICT,              8, tls-crypt",
        "LIMIT_EXCEEDED-words.ovpn,      LIMIT_EXCEEDED,        4, redirect-gateway",
        "SYNTAX_ERROR-quote.ovpn,        SYNTAX_ERROR,          3, ca",
        "SYNTAX_ERROR-stray-close.ovpn,  SYNTAX_ERROR,          5, ca"})
    void importReportNamesTheSameLineAndReason(String file, Reason reason, int line, String directive) throws Exception {
        ImportReport r = ImportReport.load(fixture(file), null, false);
        // The first problem is the file's own; further ones (e.g. the fixtures' missing CA) are listed after it.
        ImportReport.Problem p = r.problems().getFirst();
        assertEquals(reason, p.reason());
        assertEquals(line, p.line());
        assertEquals(directive, p.directive());
    }

    @Test
    void oversizedInlineBlockIsLimitExceededAtItsTag(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path f = dir.resolve("huge-ca.ovpn");
        Files.writeString(f, "client\ndev tun\n<ca>\n" + ("A".repeat(64) + "\n").repeat(5000) + "</ca>\n");
        OvpnParseException e = assertThrows(OvpnParseException.class, () -> ClientConfig.load(f, false));
        assertEquals(Reason.LIMIT_EXCEEDED, e.reason());
        assertEquals(3, e.line());
        assertEquals("ca", e.directive());
    }

    @Test
    void oversizedConfigIsLimitExceededBeforeItIsRead(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path f = dir.resolve("huge.ovpn");
        try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(50L * 1024 * 1024);
        }
        OvpnParseException e = assertThrows(OvpnParseException.class, () -> ClientConfig.load(f, false));
        assertEquals(Reason.LIMIT_EXCEEDED, e.reason());
        assertEquals(0, e.line());
        assertTrue(e.detail().endsWith("is larger than 4194304 bytes"), e.detail());
    }

    @Test
    void everyReasonHasAFixture() throws Exception {
        String missing = Arrays.stream(Reason.values()).map(r -> r + ".ovpn")
                .filter(n -> InvalidConfigTest.class.getResource("/ovpn/invalid/" + n) == null)
                .collect(Collectors.joining(", "));
        assertEquals("", missing);
    }

    @Test
    void messageFollowsLineDirectiveReasonDetail() throws Exception {
        OvpnParseException e = assertThrows(OvpnParseException.class,
                () -> ClientConfig.load(fixture("WRONG_ARGUMENT_COUNT.ovpn"), false));
        assertEquals("line 3: 'remote': WRONG_ARGUMENT_COUNT: expected 1 to 3 arguments, got 0", e.getMessage());
    }

    @Test
    void invalidPortMessageNamesTheValue() throws Exception {
        OvpnParseException e = assertThrows(OvpnParseException.class,
                () -> ClientConfig.load(fixture("INVALID_VALUE.ovpn"), false));
        assertEquals("'70000' is not a port number (1..65535)", e.detail());
    }

    @Test
    void missingProfileFileIsNotReadableAtLineZero(@org.junit.jupiter.api.io.TempDir Path dir) {
        OvpnParseException e = assertThrows(OvpnParseException.class,
                () -> ClientConfig.load(dir.resolve("nope.ovpn"), false));
        assertEquals(Reason.FILE_NOT_READABLE, e.reason());
        assertEquals(0, e.line());
        assertTrue(Files.notExists(dir.resolve("nope.ovpn")));
    }
}
