package io.culvert.engine.config.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class OvpnLexerTest {

    private static List<String> lex(String line) throws OvpnParseException {
        return OvpnLexer.tokenize(line, 7);
    }

    private static OvpnParseException fails(String line) {
        return assertThrows(OvpnParseException.class, () -> lex(line));
    }

    @Test
    void splitsOnAnyWhitespace() throws Exception {
        assertEquals(List.of("remote", "a.example", "1194", "udp"), lex("  remote\ta.example   1194 \f udp\r"));
    }

    @Test
    void blankAndCommentLinesHaveNoWords() throws Exception {
        assertEquals(List.of(), lex(""));
        assertEquals(List.of(), lex("   \t"));
        assertEquals(List.of(), lex("# remote x"));
        assertEquals(List.of(), lex("   ; remote x"));
    }

    @Test
    void commentStartsOnlyWhereAWordWouldStart() throws Exception {
        assertEquals(List.of("verb", "3"), lex("verb 3 # three"));
        assertEquals(List.of("verb", "3"), lex("verb 3 ;three"));
        assertEquals(List.of("key", "a#b;c"), lex("key a#b;c"));
        assertEquals(List.of("key", "#x"), lex("key \"#x\""));
    }

    @Test
    void escapedHashStillStartsAComment() throws Exception {
        // openvpn 2.6.14: "tls-groups \#abc" is "tls-groups" with no argument
        assertEquals(List.of("tls-groups"), lex("tls-groups \\#abc"));
    }

    @Test
    void doubleQuotesGroupWordsAndHonourEscapes() throws Exception {
        assertEquals(List.of("x", "a b"), lex("x \"a b\""));
        assertEquals(List.of("x", "C:\\dir\\f.key"), lex("x \"C:\\\\dir\\\\f.key\""));
        assertEquals(List.of("x", "say \"hi\""), lex("x \"say \\\"hi\\\"\""));
        assertEquals(List.of("x", "a b"), lex("x \"a\\ b\""));
        assertEquals(List.of("x", "it's"), lex("x \"it's\""));
    }

    @Test
    void singleQuotesAreLiteral() throws Exception {
        // openvpn 2.6.14: cipher 'e\f' gives ciphername = 'e\f'
        assertEquals(List.of("cipher", "e\\f"), lex("cipher 'e\\f'"));
        assertEquals(List.of("x", "a \"b\" c"), lex("x 'a \"b\" c'"));
        assertEquals(List.of("x", "\\\\"), lex("x '\\\\'"));
    }

    @Test
    void emptyQuotesMakeAnEmptyWord() throws Exception {
        assertEquals(List.of("x", "", ""), lex("x \"\" ''"));
    }

    @Test
    void closingQuoteEndsTheWord() throws Exception {
        // openvpn 2.6.14: status "q" 5 -> file q, and "q"r is two words
        assertEquals(List.of("status", "q", "r"), lex("status \"q\"r"));
    }

    @Test
    void quoteInsideBareWordIsLiteral() throws Exception {
        // openvpn 2.6.14: auth x"y gives authname = 'x"y'
        assertEquals(List.of("auth", "x\"y"), lex("auth x\"y"));
        assertEquals(List.of("auth", "x'y"), lex("auth x'y"));
    }

    @Test
    void backslashOutsideQuotesEscapesSpaceQuoteAndBackslash() throws Exception {
        assertEquals(List.of("tls-cipher", "c d"), lex("tls-cipher c\\ d"));
        assertEquals(List.of("x", "\"quoted\""), lex("x \\\"quoted\\\""));
        assertEquals(List.of("x", "a\\b"), lex("x a\\\\b"));
        assertEquals(List.of("x", "\\start"), lex("x \\\\start"));
    }

    @Test
    void escapedSpaceBetweenWordsIsDropped() throws Exception {
        assertEquals(List.of("x", "abc"), lex("x \\ abc"));
    }

    @Test
    void rejectsBackslashBeforeOrdinaryCharacter() {
        OvpnParseException e = fails("ca C:\\Users\\ca.crt");
        assertEquals(Reason.SYNTAX_ERROR, e.reason());
        assertEquals(7, e.line());
        assertEquals("ca", e.directive());
        assertEquals(Reason.SYNTAX_ERROR, fails("x a\\#b").reason());
        assertEquals(Reason.SYNTAX_ERROR, fails("x \"a\\nb\"").reason());
    }

    @Test
    void rejectsUnclosedQuotes() {
        OvpnParseException d = fails("ca \"ca.crt");
        assertEquals("no closing quotation (\")", d.detail());
        assertEquals("ca", d.directive());
        assertEquals("no closing single quotation (')", fails("ca 'ca.crt").detail());
        assertEquals(Reason.SYNTAX_ERROR, fails("ca \"ca.crt\\\"").reason());
    }

    @Test
    void rejectsTrailingBackslash() {
        OvpnParseException e = fails("x abc\\");
        assertEquals("line ends with a backslash", e.detail());
    }

    @Test
    void lexerErrorOnFirstWordNamesNoDirective() {
        assertNull(fails("\"unterminated").directive());
    }

    @Test
    void rejectsMoreThanSixteenWords() throws Exception {
        assertEquals(16, lex("w 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15").size());
        OvpnParseException e = fails("w 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16");
        assertEquals(Reason.LIMIT_EXCEEDED, e.reason());
        assertEquals("w", e.directive());
    }
}
