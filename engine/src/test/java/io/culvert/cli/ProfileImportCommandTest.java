package io.culvert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ProfileImportCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path dbDir;

    private int run(String... args) {
        String[] withDb = java.util.stream.Stream.concat(java.util.Arrays.stream(args),
                args.length > 1 ? java.util.stream.Stream.of("--db", dbDir.resolve("test.db").toString()) : java.util.stream.Stream.empty())
                .toArray(String[]::new);
        return Main.run(withDb, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static String fixture(String path) throws Exception {
        return Path.of(ProfileImportCommandTest.class.getResource("/ovpn/" + path).toURI()).toString();
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void usableProfilePrintsATableAndExitsZero() throws Exception {
        String file = fixture("corpus/client-provider-north.ovpn");
        assertEquals(0, run("profile", "import", file));
        String text = out();
        assertTrue(text.startsWith(file + ": client profile, 28 directives, 19 supported, 5 ignored, 4 translated,"
                + " 0 unsupported, 0 unknown, 0 refused\n"), text);
        assertTrue(text.contains("\n   20  comp-lzo          TRANSLATED    compression stub framing"), text);
        assertTrue(text.contains("\n   18  ping-timer-rem    IGNORED       ping timer runs whenever connected\n"), text);
        assertTrue(text.contains("usable: yes\n"), text);
        assertTrue(text.endsWith("stored as profile '" + java.nio.file.Path.of(file).getFileName().toString().replaceFirst("\\.ovpn$", "") + "'\n"), text);
    }

    @Test
    void profileWithErrorsNamesLineAndReasonAndExitsOne() throws Exception {
        assertEquals(1, run("profile", "import", fixture("corpus/client-pkcs12.ovpn")));
        assertTrue(out().contains("usable: no (1 error)\n  line 4: 'pkcs12': FILE_NOT_READABLE: "), out());
        assertTrue(out().lines().anyMatch(l -> l.matches(" +4 +pkcs12 +REFUSED +\\S.*")), out());
    }

    @Test
    void jsonOutputCarriesItemsAndProblems() throws Exception {
        assertEquals(1, run("profile", "import", fixture("invalid/UNSUPPORTED_DIRECTIVE.ovpn"), "--json"));
        String json = out();
        assertTrue(json.contains("\"role\":\"client\",\"usable\":false,\"counts\":{\"SUPPORTED\":3,\"IGNORED\":0,"
                + "\"TRANSLATED\":0,\"UNSUPPORTED\":1,\"UNKNOWN\":0,\"REFUSED\":0}"), json);
        assertTrue(json.contains("{\"line\":4,\"directive\":\"pkcs11-id\",\"status\":\"UNSUPPORTED\","), json);
        assertTrue(json.endsWith("\"problems\":[{\"line\":4,\"directive\":\"pkcs11-id\",\"reason\":\"UNSUPPORTED_DIRECTIVE\","
                + "\"detail\":\"PKCS#11 tokens are not supported\"},{\"line\":0,\"directive\":\"ca\",\"reason\":"
                + "\"MISSING_REQUIRED\",\"detail\":\"no CA certificate to verify the server (give ca or capath)\"}]}\n"), json);
    }

    @Test
    void serverConfigIsDetected() throws Exception {
        assertEquals(0, run("profile", "import", fixture("corpus/server-homelab.conf")));
        assertTrue(out().contains(": server config, "), out());
    }

    @Test
    void unreadableFileIsAnErrorNotAUsageError() {
        assertEquals(1, run("profile", "import", "/nonexistent/x.ovpn"));
        assertTrue(out().contains("FILE_NOT_READABLE"), out());
    }

    @Test
    void badArgumentsAreUsageErrors() {
        assertEquals(2, run("profile"));
        assertEquals(2, run("profile", "frob"));
        assertEquals(2, run("profile", "import"));
        assertEquals(2, run("profile", "import", "a", "b"));
        assertEquals(2, run("profile", "import", "a", "--role", "peer"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("culvert profile import"), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void jsonStringsAreEscaped() {
        assertEquals("\"a\\\"b\\\\c\\nd\\u0001\"", ImportReportPrinter.str("a\"b\\c\nd\u0001"));
        assertEquals("null", ImportReportPrinter.str(null));
    }
}
