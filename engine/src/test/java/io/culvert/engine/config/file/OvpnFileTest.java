package io.culvert.engine.config.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class OvpnFileTest {

    @Test
    void keepsDirectivesWithLinesAndStripsDoubleDash() throws Exception {
        OvpnFile f = OvpnFile.parse("# c\n--client\n\nremote a.example 443 tcp\n");
        assertEquals(List.of(new Directive("client", List.of(), 2, null),
                new Directive("remote", List.of("a.example", "443", "tcp"), 4, null)), f.directives());
        assertEquals("remote a.example 443 tcp", f.originalText(4));
        assertEquals(4, f.lines().size());
    }

    @Test
    void readsInlineBlockVerbatim() throws Exception {
        OvpnFile f = OvpnFile.parse("<ca>\n-----BEGIN X-----\n  body # not a comment\n-----END X-----\n  </ca> trailing\nverb 3");
        Directive ca = f.directives().getFirst();
        assertEquals("ca", ca.name());
        assertEquals(1, ca.line());
        assertEquals("-----BEGIN X-----\n  body # not a comment\n-----END X-----\n", ca.inlineContent());
        assertEquals(1, ca.argCount());
        assertEquals(6, f.directives().get(1).line());
    }

    @Test
    void toleratesBomAndCrlf() throws Exception {
        OvpnFile f = OvpnFile.parse("\uFEFFclient\r\n<key>\r\nK\r\n</key>\r\n");
        assertEquals("client", f.directives().get(0).name());
        assertEquals("K\n", f.directives().get(1).inlineContent());
        assertEquals("client", f.originalText(1));
    }

    @Test
    void parsesConnectionBlocksWithAbsoluteLineNumbers() throws Exception {
        OvpnFile f = OvpnFile.parse("client\n<connection>\nremote a 1\nproto tcp\n</connection>\n<connection>\nremote b\n</connection>\n");
        assertEquals(2, f.connections().size());
        assertEquals(new Directive("remote", List.of("a", "1"), 3, null), f.connections().get(0).get(0));
        assertEquals(4, f.connections().get(0).get(1).line());
        assertEquals(7, f.connections().get(1).getFirst().line());
        Directive tag = f.directives().get(1);
        assertEquals("connection", tag.name());
        assertEquals("remote a 1\nproto tcp\n", tag.inlineContent());
    }

    @Test
    void rejectsInlineBlockWithoutEndTagAtOpeningLine() {
        OvpnParseException e = assertThrows(OvpnParseException.class,
                () -> OvpnFile.parse("client\n<tls-auth>\nabc\n</tls-crypt>\n"));
        assertEquals(Reason.MISSING_INLINE_END, e.reason());
        assertEquals(2, e.line());
        assertEquals("tls-auth", e.directive());
        assertEquals("line 2: 'tls-auth': MISSING_INLINE_END: no </tls-auth> after <tls-auth>", e.getMessage());
    }

    @Test
    void rejectsStrayClosingTagAndNestedConnection() {
        OvpnParseException stray = assertThrows(OvpnParseException.class, () -> OvpnFile.parse("verb 1\n</ca>\n"));
        assertEquals(Reason.SYNTAX_ERROR, stray.reason());
        assertEquals(2, stray.line());
        OvpnParseException nested = assertThrows(OvpnParseException.class,
                () -> OvpnFile.parse("<connection>\n<connection>\n</connection>\n</connection>\n"));
        assertEquals(Reason.SYNTAX_ERROR, nested.reason());
        assertEquals(2, nested.line());
    }

    @Test
    void tagWithOtherWordsIsAnOrdinaryDirective() throws Exception {
        Directive d = OvpnFile.parse("<ca> x\n").directives().getFirst();
        assertEquals("<ca>", d.name());
        assertNull(d.inlineContent());
    }

    @Test
    void enforcesLineAndInlineLimits() throws Exception {
        OvpnFile.parse("x" + " ".repeat(254));
        OvpnParseException line = assertThrows(OvpnParseException.class,
                () -> OvpnFile.parse("verb 1\n#" + "y".repeat(255)));
        assertEquals(Reason.LIMIT_EXCEEDED, line.reason());
        assertEquals(2, line.line());
        String big = "<ca>\n" + ("A".repeat(63) + "\n").repeat(4096) + "B\n</ca>\n";
        OvpnParseException inline = assertThrows(OvpnParseException.class, () -> OvpnFile.parse(big));
        assertEquals(Reason.LIMIT_EXCEEDED, inline.reason());
        assertEquals("ca", inline.directive());
        assertEquals(1, inline.line());
        assertTrue(OvpnFile.parse("<ca>\n" + ("A".repeat(63) + "\n").repeat(4096) + "</ca>\n")
                .directives().getFirst().inlineContent().length() == 256 * 1024);
    }

    @Test
    void longLinesInsideInlineBlocksAreAllowed() throws Exception {
        String pass = "p".repeat(400);
        OvpnFile f = OvpnFile.parse("<auth-user-pass>\nuser\n" + pass + "\n</auth-user-pass>\n");
        assertEquals("user\n" + pass + "\n", f.directives().getFirst().inlineContent());
    }
}
