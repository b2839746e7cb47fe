package io.culvert.engine.config.file;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one config line into words the way OpenVPN's option parser does. Stateless and thread-safe.
 *
 * <p>Rules: words are separated by whitespace; {@code #} or {@code ;} where a word would start begins
 * a comment (even after a backslash); a backslash outside single quotes escapes the next character,
 * which must be a backslash, a double quote or whitespace; double quotes group words and honour those
 * escapes; single quotes group words literally. A closing quote ends the word, so {@code "a"b} is two
 * words, while a quote inside a bare word is literal.
 */
public final class OvpnLexer {

    /** OpenVPN reads at most this many words per line (MAX_PARMS). */
    public static final int MAX_WORDS = 16;

    private enum State { BETWEEN, BARE, DOUBLE, SINGLE }

    private OvpnLexer() {}

    /** The words of {@code line} (empty for blank and comment lines). */
    public static List<String> tokenize(String line, int lineNumber) throws OvpnParseException {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        State state = State.BETWEEN;
        boolean escaped = false;
        int n = line.length();
        for (int i = 0; i <= n; i++) {
            boolean end = i == n;
            char c = end ? ' ' : line.charAt(i);
            if (!end && !escaped && c == '\\' && state != State.SINGLE) {
                escaped = true;
                continue;
            }
            boolean keep = false;
            boolean close = false;
            switch (state) {
                case BETWEEN -> {
                    if (isSpace(c)) {
                        break;
                    } else if (c == '#' || c == ';') {
                        return words;
                    } else if (!escaped && c == '"') {
                        state = State.DOUBLE;
                    } else if (!escaped && c == '\'') {
                        state = State.SINGLE;
                    } else {
                        keep = true;
                        state = State.BARE;
                    }
                }
                case BARE -> {
                    if (end && escaped) {
                        throw error(lineNumber, words, "line ends with a backslash");
                    }
                    if (!escaped && isSpace(c)) {
                        close = true;
                    } else {
                        keep = true;
                    }
                }
                case DOUBLE -> {
                    if (end) {
                        throw error(lineNumber, words, "no closing quotation (\")");
                    }
                    if (!escaped && c == '"') {
                        close = true;
                    } else {
                        keep = true;
                    }
                }
                case SINGLE -> {
                    if (end) {
                        throw error(lineNumber, words, "no closing single quotation (')");
                    }
                    if (c == '\'') {
                        close = true;
                    } else {
                        keep = true;
                    }
                }
            }
            if (escaped && keep && !(c == '\\' || c == '"' || isSpace(c))) {
                throw error(lineNumber, words, "bad backslash usage before '" + c
                        + "'; write a literal backslash as \\\\ (Windows paths: \"C:\\\\dir\\\\file\")");
            }
            escaped = false;
            if (keep) {
                word.append(c);
            }
            if (close) {
                words.add(word.toString());
                word.setLength(0);
                state = State.BETWEEN;
                if (words.size() > MAX_WORDS) {
                    throw new OvpnParseException(lineNumber, words.getFirst(), Reason.LIMIT_EXCEEDED,
                            "more than " + MAX_WORDS + " words on one line");
                }
            }
        }
        return words;
    }

    /** C {@code isspace} in the "C" locale. */
    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B;
    }

    /** A syntax error naming the directive when its name (the first word) is known. */
    private static OvpnParseException error(int line, List<String> words, String detail) {
        String first = words.isEmpty() ? "" : words.getFirst();
        String name = first.isEmpty() ? null : first.length() >= 3 && first.startsWith("--") ? first.substring(2) : first;
        return new OvpnParseException(line, name, Reason.SYNTAX_ERROR, detail);
    }
}
