package io.culvert.engine.config.file;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns config text into an {@link OvpnFile}; one instance per parse, not thread-safe. Its size limits and line
 * splitting are public for the readers that load files a config names.
 */
public final class OvpnFileParser {

    /** Longest line outside inline blocks (OpenVPN reads lines into a 256-byte buffer). */
    static final int MAX_LINE_CHARS = 255;
    /** Largest inline block body. */
    public static final int MAX_INLINE_CHARS = 256 * 1024;
    /** Largest config text. */
    public static final int MAX_FILE_CHARS = 4 * 1024 * 1024;

    private final String text;
    private List<String> lines;

    OvpnFileParser(String text) {
        this.text = text;
    }

    OvpnFile parse() throws OvpnParseException {
        if (text.length() > MAX_FILE_CHARS) {
            throw new OvpnParseException(0, null, Reason.LIMIT_EXCEEDED,
                    "config is larger than " + MAX_FILE_CHARS + " characters");
        }
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        int nul = body.indexOf('\0');
        if (nul >= 0) {
            int line = (int) body.substring(0, nul).chars().filter(c -> c == '\n').count() + 1;
            throw new OvpnParseException(line, null, Reason.SYNTAX_ERROR, "NUL byte: a binary file, not a config");
        }
        lines = splitLines(body);
        return new OvpnFile(parseRange(0, lines.size(), false));
    }

    private List<Line> parseRange(int from, int to, boolean inConnection) throws OvpnParseException {
        List<Line> out = new ArrayList<>();
        int i = from;
        while (i < to) {
            String raw = lines.get(i);
            int lineNo = ++i;
            if (raw.length() > MAX_LINE_CHARS) {
                throw new OvpnParseException(lineNo, null, Reason.LIMIT_EXCEEDED,
                        "line is longer than " + MAX_LINE_CHARS + " characters");
            }
            List<String> words = OvpnLexer.tokenize(raw, lineNo);
            if (words.isEmpty()) {
                out.add(raw.isBlank() ? new Line.Blank(lineNo, raw) : new Line.Comment(lineNo, raw));
                continue;
            }
            String first = words.getFirst();
            if (words.size() == 1 && isTag(first) && first.charAt(1) == '/') {
                throw new OvpnParseException(lineNo, first.substring(2, first.length() - 1), Reason.SYNTAX_ERROR,
                        "closing tag " + first + " without an opening tag");
            }
            if (words.size() == 1 && isTag(first)) {
                String tag = first.substring(1, first.length() - 1);
                if (tag.equals("connection") && inConnection) {
                    throw new OvpnParseException(lineNo, tag, Reason.SYNTAX_ERROR,
                            "<connection> blocks cannot be nested");
                }
                int close = findClose(tag, i, to);
                if (close < 0) {
                    throw new OvpnParseException(lineNo, tag, Reason.MISSING_INLINE_END,
                            "no </" + tag + "> after <" + tag + ">");
                }
                String content = joinBlock(i, close, lineNo, tag);
                if (tag.equals("connection")) {
                    out.add(new Line.Connection(lineNo, parseRange(i, close, true), raw, lines.get(close)));
                } else {
                    out.add(new Line.Block(new Directive(tag, List.of(), lineNo, content), raw, lines.get(close)));
                }
                i = close + 1;
                continue;
            }
            String name = first.length() >= 3 && first.startsWith("--") ? first.substring(2) : first;
            out.add(new Line.Entry(new Directive(name, words.subList(1, words.size()), lineNo, null), raw));
        }
        return out;
    }

    private static boolean isTag(String word) {
        return word.length() >= 3 && word.charAt(0) == '<' && word.charAt(word.length() - 1) == '>'
                && !(word.length() == 3 && word.charAt(1) == '/');
    }

    private int findClose(String tag, int from, int to) {
        String closeTag = "</" + tag + ">";
        for (int j = from; j < to; j++) {
            if (lines.get(j).stripLeading().startsWith(closeTag)) {
                return j;
            }
        }
        return -1;
    }

    private String joinBlock(int from, int close, int lineNo, String tag) throws OvpnParseException {
        StringBuilder sb = new StringBuilder();
        for (int j = from; j < close; j++) {
            sb.append(lines.get(j)).append('\n');
            if (sb.length() > MAX_INLINE_CHARS) {
                throw new OvpnParseException(lineNo, tag, Reason.LIMIT_EXCEEDED,
                        "inline block is larger than " + MAX_INLINE_CHARS + " characters");
            }
        }
        return sb.toString();
    }

    /** Splits on LF and drops one CR before it, so CRLF files read like LF files. */
    public static List<String> splitLines(String body) {
        if (body.isEmpty()) {
            return List.of();
        }
        String[] parts = body.split("\n", -1);
        int count = body.endsWith("\n") ? parts.length - 1 : parts.length;
        List<String> result = new ArrayList<>(count);
        for (String p : Arrays.asList(parts).subList(0, count)) {
            result.add(p.endsWith("\r") ? p.substring(0, p.length() - 1) : p);
        }
        return result;
    }
}
