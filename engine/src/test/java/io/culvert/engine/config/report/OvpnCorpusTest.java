package io.culvert.engine.config.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.config.Directives.Role;
import io.culvert.engine.config.file.Directive;
import io.culvert.engine.config.file.Line;
import io.culvert.engine.config.file.OvpnFile;
import io.culvert.engine.config.report.ImportReport.Item;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every file under ovpn/corpus: round trips, comment preservation, and a classification for every directive. */
class OvpnCorpusTest {

    /** Corpus files Culvert cannot use as they stand, with the line and reason the import must name. */
    private static final Map<String, String> EXPECTED_PROBLEMS = Map.of(
            "client-pkcs12.ovpn", "4 pkcs12 FILE_NOT_READABLE",
            "client-networkmanager-paths.ovpn", "4 ca FILE_NOT_READABLE",
            // pfSense's own tls-verify script may refuse clients; Culvert does not run it, so it will not load.
            "server-pfsense-style.conf", "21 tls-verify UNSUPPORTED_DIRECTIVE");

    static Path dir() throws Exception {
        return Path.of(OvpnCorpusTest.class.getResource("/ovpn/corpus").toURI());
    }

    static Stream<String> corpus() throws Exception {
        try (Stream<Path> s = Files.list(dir())) {
            return s.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).sorted().toList().stream();
        }
    }

    private static String text(String name) throws Exception {
        return new String(Files.readAllBytes(dir().resolve(name)), StandardCharsets.UTF_8);
    }

    /** The text as the preserving writer gives it back: no BOM, LF line ends, a final newline. */
    private static String normalised(String text) {
        String t = text.startsWith("\uFEFF") ? text.substring(1) : text;
        t = t.replace("\r\n", "\n");
        return t.endsWith("\n") ? t : t + "\n";
    }

    @Test
    void corpusHasAtLeastThirtyFilesOfBothRoles() throws Exception {
        List<String> names = corpus().toList();
        assertTrue(names.size() >= 30, names.size() + " files");
        assertTrue(names.stream().filter(n -> n.startsWith("server-")).count() >= 5);
        assertTrue(names.stream().filter(n -> n.startsWith("client-")).count() >= 25);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void preservingWriteIsAnIdentity(String name) throws Exception {
        String text = text(name);
        OvpnFile f = OvpnFile.parse(text);
        String written = f.write();
        OvpnFile again = OvpnFile.parse(written);
        assertEquals(f.directives(), again.directives());
        assertEquals(f.connections(), again.connections());
        assertEquals(f, again);
        assertEquals(normalised(text), written);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void everyCommentLineSurvives(String name) throws Exception {
        OvpnFile f = OvpnFile.parse(text(name));
        List<String> comments = new ArrayList<>();
        collectComments(f.body(), comments);
        List<String> written = OvpnFile.parse(f.write()).lines();
        int from = 0;
        for (String c : comments) {
            int at = written.subList(from, written.size()).indexOf(c);
            assertTrue(at >= 0, "comment lost or reordered: " + c);
            from += at + 1;
        }
    }

    private static void collectComments(List<Line> body, List<String> out) {
        for (Line l : body) {
            if (l instanceof Line.Comment c) {
                out.add(c.text());
            } else if (l instanceof Line.Connection c) {
                collectComments(c.body(), out);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void canonicalWriteKeepsTheDirectivesAndDropsComments(String name) throws Exception {
        OvpnFile f = OvpnFile.parse(text(name));
        String canonical = f.writeCanonical();
        OvpnFile again = OvpnFile.parse(canonical);
        assertTrue(again.sameDirectives(f), canonical);
        assertFalse(again.body().stream().anyMatch(l -> l instanceof Line.Comment || l instanceof Line.Blank));
        assertEquals(canonical, again.writeCanonical());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void reportClassifiesEveryDirectiveOnce(String name) throws Exception {
        OvpnFile f = OvpnFile.parse(text(name));
        Role role = name.startsWith("server-") ? Role.SERVER : Role.CLIENT;
        assertEquals(role, ImportReport.roleOf(f));
        ImportReport r = ImportReport.of(f, role);
        List<Integer> lines = new ArrayList<>();
        int block = 0;
        for (Directive d : f.directives()) {
            lines.add(d.line());
            if (d.name().equals("connection")) {
                f.connections().get(block++).forEach(inner -> lines.add(inner.line()));
            }
        }
        assertEquals(lines, r.items().stream().map(Item::line).toList());
        for (Item i : r.items()) {
            assertNotNull(i.status(), i.toString());
            if (i.status() != ImportReport.Status.SUPPORTED && i.status() != ImportReport.Status.TRANSLATED) {
                assertNotNull(i.note(), "no reason given for " + i);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void importIsUsableUnlessAProblemIsExpected(String name) throws Exception {
        ImportReport r = ImportReport.load(dir().resolve(name), null, false);
        String expected = EXPECTED_PROBLEMS.get(name);
        if (expected == null) {
            assertTrue(r.usable(), r.problems().toString());
        } else {
            // Every problem is listed at its line; the first is the one the corpus names.
            assertFalse(r.usable());
            ImportReport.Problem p = r.problems().getFirst();
            assertEquals(expected, p.line() + " " + p.directive() + " " + p.reason());
            assertEquals(r.problems().size(), r.problems().stream().distinct().count(), r.problems().toString());
        }
    }
}
