package io.culvert.engine.config.file;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes an {@link OvpnFile} back to config text that {@link OvpnLexer} reads as the same directives.
 * {@link Mode#PRESERVING} keeps every comment, blank line and line as written wherever it still says
 * the same thing; {@link Mode#CANONICAL} writes directives only, one normalised line each. Stateless
 * and thread-safe.
 */
public final class OvpnWriter {

    /** How much of the original layout survives. */
    public enum Mode {
        /** Comments, blank lines, indentation, quoting and trailing comments kept; line numbers unchanged. */
        PRESERVING,
        /** Directives only, in order, with minimal quoting: the export form. */
        CANONICAL
    }

    private static final String BOM = "\uFEFF";

    private OvpnWriter() {}

    /** The config text, one line terminator per line. */
    public static String write(OvpnFile file, Mode mode) {
        List<String> lines = mode == Mode.PRESERVING ? preservedLines(file.body()) : canonicalLines(file.body());
        StringBuilder sb = new StringBuilder();
        if (!lines.isEmpty() && lines.getFirst().startsWith(BOM)) {
            // The reader drops one byte-order mark before the first line; give it one to drop.
            sb.append(BOM);
        }
        for (String s : lines) {
            // The parser drops one CR before each LF, so a line that itself ends in CR needs CRLF to keep it.
            sb.append(s).append(s.endsWith("\r") ? "\r\n" : "\n");
        }
        return sb.toString();
    }

    /**
     * One directive on one line, arguments quoted where the lexer needs it. The name gets OpenVPN's optional
     * {@code --} prefix when the reader would otherwise strip its own leading dashes or take it for a block tag. A
     * line longer than OpenVPN's 255 characters is written with each word in its shortest form (bare with backslash
     * escapes, single quotes or double quotes); a directive read from a file always fits then.
     *
     * @throws IllegalArgumentException when even the shortest form is longer than 255 characters: OpenVPN could not
     *     read the line back
     */
    public static String format(Directive d) {
        if (d.isInline()) {
            throw new IllegalArgumentException("'" + d.name() + "' is an inline block, not a one-line directive");
        }
        boolean tagShaped = d.name().length() >= 3 && d.name().startsWith("<") && d.name().endsWith(">");
        String first = d.name().startsWith("--") || (d.args().isEmpty() && tagShaped) ? "--" + d.name() : d.name();
        String line = join(first, d.args(), false);
        if (line.length() > OvpnFileParser.MAX_LINE_CHARS) {
            line = join(first, d.args(), true);
            if (line.length() > OvpnFileParser.MAX_LINE_CHARS) {
                throw new IllegalArgumentException("'" + d.name() + "' needs a line of " + line.length()
                        + " characters; OpenVPN reads at most " + OvpnFileParser.MAX_LINE_CHARS);
            }
        }
        return line;
    }

    private static String join(String first, List<String> args, boolean shortest) {
        StringBuilder sb = new StringBuilder(shortest ? shortest(first) : quote(first));
        for (String a : args) {
            sb.append(' ').append(shortest ? shortest(a) : quote(a));
        }
        return sb.toString();
    }

    /** The shortest of the forms the lexer reads back as {@code word}: bare with escapes, single or double quotes. */
    static String shortest(String word) {
        String best = quote(word);
        if (word.indexOf('\'') < 0 && word.length() + 2 < best.length()) {
            best = "'" + word + "'";
        }
        char c0 = word.isEmpty() ? '\'' : word.charAt(0);
        // A word cannot start bare with a quote, a comment sign or whitespace (escaped or not).
        if (c0 != '\'' && c0 != '#' && c0 != ';' && !OvpnLexer.isSpace(c0) && word.indexOf('\n') < 0) {
            StringBuilder bare = new StringBuilder(word.length() + 8);
            for (int i = 0; i < word.length(); i++) {
                char c = word.charAt(i);
                if (c == '\\' || OvpnLexer.isSpace(c) || (i == 0 && c == '"')) {
                    bare.append('\\');
                }
                bare.append(c);
            }
            if (bare.length() < best.length()) {
                best = bare.toString();
            }
        }
        return best;
    }

    /** {@code word} bare when the lexer reads it back unchanged, else in double quotes with {@code \\} and {@code \"}. */
    public static String quote(String word) {
        if (word.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("a config word cannot contain a line break");
        }
        if (isBare(word)) {
            return word;
        }
        StringBuilder sb = new StringBuilder(word.length() + 2).append('"');
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (c == '\\' || c == '"') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.append('"').toString();
    }

    private static boolean isBare(String word) {
        if (word.isEmpty() || word.charAt(0) == '#' || word.charAt(0) == ';') {
            return false;
        }
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (OvpnLexer.isSpace(c) || c == '"' || c == '\'' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    static List<String> preservedLines(List<Line> body) {
        List<String> out = new ArrayList<>();
        for (Line l : body) {
            switch (l) {
                case Line.Blank b -> out.add(checked(b.text()));
                case Line.Comment c -> out.add(checked(c.text()));
                case Line.Entry e -> out.add(e.text() != null && readsAs(e.text(), e.directive())
                        ? e.text() : format(e.directive()));
                case Line.Block b -> block(out, b.directive(), b.open(), b.close());
                case Line.Connection c -> {
                    out.add(opens(c.open(), "connection") ? c.open() : "<connection>");
                    out.addAll(preservedLines(c.body()));
                    out.add(closes(c.close(), "connection") ? c.close() : "</connection>");
                }
            }
        }
        return out;
    }

    static List<String> canonicalLines(List<Line> body) {
        List<String> out = new ArrayList<>();
        for (Line l : body) {
            switch (l) {
                case Line.Blank b -> { }
                case Line.Comment c -> { }
                case Line.Entry e -> out.add(format(e.directive()));
                case Line.Block b -> block(out, b.directive(), null, null);
                case Line.Connection c -> {
                    out.add("<connection>");
                    out.addAll(canonicalLines(c.body()));
                    out.add("</connection>");
                }
            }
        }
        return out;
    }

    private static void block(List<String> out, Directive d, String open, String close) {
        out.add(opens(open, d.name()) ? open : quote("<" + d.name() + ">"));
        String content = d.inlineContent();
        int start = 0;
        while (start < content.length()) {
            int nl = content.indexOf('\n', start);
            out.add(content.substring(start, nl));
            start = nl + 1;
        }
        out.add(closes(close, d.name()) ? close : "</" + d.name() + ">");
    }

    private static String checked(String text) {
        if (text.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("a line cannot contain a line break");
        }
        return text;
    }

    private static boolean readsAs(String text, Directive d) {
        List<String> words = words(text);
        if (words == null || words.isEmpty() || words.size() != d.args().size() + 1) {
            return false;
        }
        String first = words.getFirst();
        String name = first.length() >= 3 && first.startsWith("--") ? first.substring(2) : first;
        return name.equals(d.name()) && words.subList(1, words.size()).equals(d.args());
    }

    private static boolean opens(String text, String tag) {
        return text != null && List.of("<" + tag + ">").equals(words(text));
    }

    private static boolean closes(String text, String tag) {
        return text != null && text.indexOf('\n') < 0 && text.stripLeading().startsWith("</" + tag + ">");
    }

    /** The words of a single line, or null when it is not one lexable line. */
    private static List<String> words(String text) {
        if (text.indexOf('\n') >= 0) {
            return null;
        }
        try {
            return OvpnLexer.tokenize(text, 0);
        } catch (OvpnParseException e) {
            return null;
        }
    }
}
