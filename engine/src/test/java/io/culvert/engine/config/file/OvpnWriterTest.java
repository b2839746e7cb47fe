package io.culvert.engine.config.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OvpnWriterTest {

    @Test
    void quotesOnlyWhereTheLexerNeedsIt() {
        assertEquals("vpn.example.com", OvpnWriter.quote("vpn.example.com"));
        assertEquals("\"\"", OvpnWriter.quote(""));
        assertEquals("\"dir with spaces/ca.crt\"", OvpnWriter.quote("dir with spaces/ca.crt"));
        assertEquals("\"C:\\\\dir\\\\ca.crt\"", OvpnWriter.quote("C:\\dir\\ca.crt"));
        assertEquals("\"say \\\"hi\\\"\"", OvpnWriter.quote("say \"hi\""));
        assertEquals("\"#not-a-comment\"", OvpnWriter.quote("#not-a-comment"));
        assertEquals("\";x\"", OvpnWriter.quote(";x"));
        assertEquals("a#b", OvpnWriter.quote("a#b"));
        assertEquals("\"it's\"", OvpnWriter.quote("it's"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "a b", "\tx\t", "#x", ";x", "a\"b", "\"", "\\", "a\\b\\", "'q'", "x'", "C:\\Program Files\\OpenVPN",
        "CN=vpn, O=Example \"Corp\"", "ovpn_auth_verify tls 'fw' 1", "<ca>", "--x", "a;b#c"})
    void everyQuotedWordLexesBackToItself(String word) throws Exception {
        String line = "push " + OvpnWriter.quote(word) + " " + OvpnWriter.quote(word);
        assertEquals(List.of("push", word, word), OvpnLexer.tokenize(line, 1), line);
    }

    @Test
    void formatsNamesThatStartWithDashesAndRejectsLineBreaks() throws Exception {
        Directive odd = new Directive("--odd", List.of("1"), 1, null);
        assertEquals("----odd 1", OvpnWriter.format(odd));
        assertEquals(List.of(odd), OvpnFile.parse(OvpnWriter.format(odd)).directives());
        assertThrows(IllegalArgumentException.class, () -> OvpnWriter.quote("a\nb"));
        Directive tagLike = new Directive("<ca>", List.of(), 1, null);
        assertEquals("--<ca>", OvpnWriter.format(tagLike), "the dashes keep it from reading as a block tag");
        assertEquals(List.of(tagLike), OvpnFile.parse(OvpnWriter.format(tagLike)).directives());
        Directive dashesAndQuotes = new Directive("--a \"b\"", List.of(), 1, null);
        assertEquals(List.of(dashesAndQuotes), OvpnFile.parse(OvpnWriter.format(dashesAndQuotes)).directives());
    }

    @Test
    void aLineTooLongForOpenvpnIsShortenedByQuotingOrRefused() throws Exception {
        Directive backslashes = new Directive("push", List.of("\\".repeat(240)), 1, null);
        String line = OvpnWriter.format(backslashes);
        assertEquals("push '" + "\\".repeat(240) + "'", line, "single quotes need no escapes");
        assertEquals(List.of(backslashes), OvpnFile.parse(line).directives());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OvpnWriter.format(new Directive("push", List.of("x".repeat(300)), 1, null)));
        assertEquals("'push' needs a line of 305 characters; OpenVPN reads at most 255", e.getMessage());
    }

    @Test
    void preservingKeepsCommentsIndentationAndTrailingComments() throws Exception {
        String text = "  # hello\n\t\nclient ; trailing\n--remote   a.example   443 \"tcp\"\n<ca>\n X \n  </ca> junk\n";
        OvpnFile f = OvpnFile.parse(text);
        assertEquals(text, f.write());
        assertEquals(List.of("  # hello", "\t", "client ; trailing", "--remote   a.example   443 \"tcp\"", "<ca>", " X ",
                "  </ca> junk"), f.lines());
        assertTrue(f.body().get(0) instanceof Line.Comment);
        assertTrue(f.body().get(1) instanceof Line.Blank);
    }

    @Test
    void canonicalDropsCommentsAndNormalisesLayout() throws Exception {
        OvpnFile f = OvpnFile.parse("# c\n\n--client\nremote   a.example  443 'tcp'  # x\n<connection>\n# inner\n"
                + "remote b 1\n</connection>\n<ca>\nX\n</ca>\n");
        String canonical = f.writeCanonical();
        assertEquals("client\nremote a.example 443 tcp\n<connection>\nremote b 1\n</connection>\n<ca>\nX\n</ca>\n", canonical);
        OvpnFile again = OvpnFile.parse(canonical);
        assertTrue(again.sameDirectives(f));
        assertEquals(canonical, again.writeCanonical());
    }

    @Test
    void editedEntryIsWrittenFromTheModelNotFromItsStaleText() throws Exception {
        OvpnFile f = OvpnFile.parse("# keep me\nremote old.example 1194 # primary\n");
        Line.Entry e = (Line.Entry) f.body().get(1);
        Directive changed = new Directive("remote", List.of("new host", "443"), e.line(), null);
        OvpnFile edited = new OvpnFile(List.of(f.body().get(0), new Line.Entry(changed, e.text())));
        assertEquals("# keep me\nremote \"new host\" 443\n", edited.write());
        assertEquals(List.of("new host", "443"), OvpnFile.parse(edited.write()).directives().getFirst().args());
    }

    @Test
    void writesFilesBuiltInCode() throws Exception {
        Directive ca = new Directive("ca", List.of(), 0, "-----BEGIN CERTIFICATE-----\nAAA\n-----END CERTIFICATE-----\n");
        OvpnFile f = new OvpnFile(List.of(Line.Entry.of(new Directive("client", List.of(), 0, null)),
                Line.Connection.of(List.of(Line.Entry.of(new Directive("remote", List.of("a", "1194"), 0, null)))),
                Line.Block.of(ca)));
        String text = f.write();
        assertEquals("client\n<connection>\nremote a 1194\n</connection>\n<ca>\n-----BEGIN CERTIFICATE-----\nAAA\n"
                + "-----END CERTIFICATE-----\n</ca>\n", text);
        OvpnFile parsed = OvpnFile.parse(text);
        assertTrue(parsed.sameDirectives(f));
        assertEquals(List.of(new Directive("remote", List.of("a", "1194"), 3, null)), parsed.connections().getFirst());
        assertEquals("remote a 1194\n", f.directives().get(1).inlineContent());
    }

    @Test
    void directiveListConstructorStillBuildsAWritableFile() throws Exception {
        OvpnFile f = new OvpnFile(List.of(new Directive("client", List.of(), 1, null),
                new Directive("connection", List.of(), 2, "remote x\n")), List.of(List.of(new Directive("remote", List.of("x"), 3, null))));
        assertEquals("client\n<connection>\nremote x\n</connection>\n", f.write());
        assertEquals(f.directives(), OvpnFile.parse(f.write()).directives());
    }

    @Test
    void lineEndingInCarriageReturnSurvivesTheRoundTrip() throws Exception {
        OvpnFile f = OvpnFile.parse("<ca>\nX\r\r\n</ca>\n# c\r\r\n");
        assertEquals("X\r\n", f.directives().getFirst().inlineContent());
        OvpnFile again = OvpnFile.parse(f.write());
        assertEquals(f, again);
        assertEquals("# c\r", again.originalText(4));
    }

    @Test
    void rejectsMalformedLinesBuiltInCode() {
        assertThrows(IllegalArgumentException.class, () -> new Line.Block(new Directive("ca", List.of(), 0, "no newline"), null, null));
        assertThrows(IllegalArgumentException.class, () -> Line.Entry.of(new Directive("ca", List.of(), 0, "X\n")));
        assertThrows(IllegalArgumentException.class, () -> Line.Connection.of(List.of(Line.Connection.of(List.of()))));
        assertThrows(IllegalArgumentException.class, () -> new OvpnFile(List.of(new Line.Comment(1, "# a\n# b"))).write());
    }
}
