package io.culvert.engine.config.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Property-style round trips over generated tricky config text (BOMs, quotes, backslashes, tags, leading dashes,
 * comments, CR, long words, blocks): whatever parses must (1) write canonically into text that parses to the same
 * directives and writes the same again, and (2) write preservingly into text that parses to the same file and
 * writes the same again. Seeded, so a failure names a reproducible input.
 */
class OvpnRoundTripTest {
    private static final String[] FRAGMENTS = {"\uFEFF", "\uFEFF\uFEFF", "client", "remote", "<x>", "</x>", "<a b>",
        "\"<a b>\"", "\"</a b>\"", "--", "---", "--<x>", "----x", "\"", "'", "\\", "\\\\", "\\\"", "\\ ", " ", " ", " ",
        "\t", "#", ";", "a", "b c", "\"q u\"", "'s q'", "'\\\\'", "\r", "-", "a\"b", "x'", "<connection>",
        "</connection>", "<ca>", "</ca>", "-----BEGIN CERTIFICATE-----", "[inline]", "\u00e9", "'\\\\\\\\\\\\\\\\'",
        "\"a\\\\b\"", "<", ">", "\f", "\u000B"};
    private static final int FILES = 15_000;

    @Test
    void generatedConfigsSurviveCanonicalAndPreservingWrites() {
        Random random = new Random(9);
        List<String> failures = new ArrayList<>();
        int parsed = 0;
        int generated = 0;
        for (int n = 0; n < FILES && failures.size() < 20; n++) {
            generated++;
            String text = generate(random);
            OvpnFile f;
            try {
                f = OvpnFile.parse(text);
            } catch (OvpnParseException e) {
                continue;
            }
            parsed++;
            String failure = check(f);
            if (failure != null) {
                failures.add(escape(text) + " -> " + failure);
            }
        }
        System.out.println("round trips: " + parsed + " of " + generated + " generated configs parsed and were checked");
        assertTrue(parsed > generated / 4, "too few generated configs parse: " + parsed + " of " + generated);
        assertEquals(List.of(), failures);
    }

    @Test
    void knownTrickyConfigsSurviveBothWrites() throws Exception {
        String longSingle = "push '" + "\\".repeat(240) + "'";
        List<String> cases = List.of(
                "\uFEFF\uFEFFclient\nremote a\n",
                "--<x>\nclient\n",
                "--</x>\n",
                "\"<a b>\"\nkey text\n</a b>\n",
                "<a\"b>\nx\n</a\"b>\n",
                "----a\"b 1\n",
                "\"----a b\" c\n",
                "\"--\" x\n",
                longSingle + "\n",
                "push " + "a\\ ".repeat(80) + "\n",
                "\"#x\" ';y' \"\\\"\" '\"'\n");
        for (String text : cases) {
            OvpnFile f = OvpnFile.parse(text);
            assertEquals(null, check(f), escape(text));
        }
        assertEquals(longSingle.length(), OvpnFile.parse(longSingle).writeCanonical().length() - 1,
                "a 255-character line is written no longer than it was");
    }

    /** Null when both writes round-trip, else what went wrong. */
    private static String check(OvpnFile f) {
        try {
            String canonical = f.writeCanonical();
            OvpnFile c = OvpnFile.parse(canonical);
            if (!f.sameDirectives(c)) {
                return "canonical text " + escape(canonical) + " reads as other directives: " + c.directives()
                        + " instead of " + f.directives();
            }
            if (!canonical.equals(c.writeCanonical())) {
                return "canonical write is not stable: " + escape(canonical) + " then " + escape(c.writeCanonical());
            }
        } catch (OvpnParseException | RuntimeException e) {
            return "canonical: " + e;
        }
        try {
            String preserved = f.write();
            OvpnFile p = OvpnFile.parse(preserved);
            if (!p.equals(f)) {
                return "preserving text " + escape(preserved) + " reads as another file: " + p.lines() + " instead of "
                        + f.lines();
            }
            if (!preserved.equals(p.write())) {
                return "preserving write is not idempotent: " + escape(preserved) + " then " + escape(p.write());
            }
        } catch (OvpnParseException | RuntimeException e) {
            return "preserving: " + e;
        }
        return null;
    }

    private static final String ALPHABET = "ab  \t\"'\\#;<>-/\uFEFF\u00e9.:=,\u000B\f";
    private static final String[] NAMES = {"client", "remote", "push", "<x>", "</x>", "-", "--", "---", "<", "x>", "#",
        "\uFEFFclient", "a b", "\"", "'", "\\", "connection", "ca"};
    private static final String[] TAGS = {"ca", "x", "a b", "a\"b", "--x", " a", "tls-auth", "<y>", "'q'"};

    private static String generate(Random random) {
        StringBuilder text = new StringBuilder("\uFEFF".repeat(random.nextInt(6) == 0 ? 1 + random.nextInt(2) : 0));
        int lines = 1 + random.nextInt(8);
        for (int i = 0; i < lines; i++) {
            int kind = random.nextInt(20);
            if (kind < 11) {
                text.append(directive(random));
            } else if (kind < 13) {
                text.append(random.nextBoolean() ? " \t" : "  # " + word(random, 8));
            } else if (kind < 16) {
                for (int k = random.nextInt(6); k > 0; k--) {
                    text.append(FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
                }
            } else if (kind < 19) {
                String tag = TAGS[random.nextInt(TAGS.length)];
                text.append(encode(random, "<" + tag + ">")).append('\n');
                for (int k = random.nextInt(3); k > 0; k--) {
                    text.append(word(random, 30)).append('\n');
                }
                text.append(random.nextBoolean() ? " " : "").append("</").append(tag).append('>');
            } else {
                text.append("<connection>\n").append(directive(random)).append('\n').append(directive(random))
                        .append("\n</connection>");
            }
            text.append(random.nextInt(4) == 0 ? "\r\n" : "\n");
        }
        return text.toString();
    }

    /** A directive line: a name and up to five words, each written in a random way the lexer reads back. */
    private static String directive(Random random) {
        StringBuilder line = new StringBuilder(random.nextInt(4) == 0 ? " " : "");
        String name = NAMES[random.nextInt(NAMES.length)];
        line.append(encode(random, random.nextInt(5) == 0 ? "--" + name : name));
        for (int k = random.nextInt(6); k > 0; k--) {
            line.append(random.nextBoolean() ? " " : "\t ").append(encode(random, random.nextInt(30) == 0
                    ? "\\".repeat(60 + random.nextInt(80)) : word(random, 12)));
        }
        return line.toString();
    }

    private static String word(Random random, int max) {
        StringBuilder w = new StringBuilder();
        for (int k = random.nextInt(max + 1); k > 0; k--) {
            w.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return w.toString();
    }

    /** {@code word} bare (with backslash escapes), in double quotes or in single quotes, as the lexer allows. */
    private static String encode(Random random, String word) {
        List<String> forms = new ArrayList<>();
        StringBuilder dq = new StringBuilder("\"");
        for (char c : word.toCharArray()) {
            dq.append(c == '\\' || c == '"' ? "\\" : "").append(c);
        }
        forms.add(dq.append('"').toString());
        if (word.indexOf('\'') < 0) {
            forms.add("'" + word + "'");
        }
        char first = word.isEmpty() ? 0 : word.charAt(0);
        if (!word.isEmpty() && first != '\'' && first != '#' && first != ';') {
            StringBuilder bare = new StringBuilder();
            for (char c : word.toCharArray()) {
                boolean escape = c == '\\' || OvpnLexer.isSpace(c) || (bare.isEmpty() && c == '"');
                bare.append(escape ? "\\" : "").append(c);
            }
            forms.add(bare.toString());
        }
        return forms.get(random.nextInt(forms.size()));
    }

    private static String escape(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> b.append(c < 0x20 || c == '\uFEFF' ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return b.append('"').toString();
    }
}
