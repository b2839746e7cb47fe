package io.culvert.engine.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Splits one option line into words with config-file rules: whitespace separates words, double quotes
 * group with backslash escapes, single quotes group literally, a backslash outside quotes escapes the
 * next character, and {@code #} or {@code ;} at the start of a word begins a comment. Stateless.
 */
final class OptionWords {

    private OptionWords() {}

    /** The words of {@code line}, or empty if a quote is not closed. */
    static Optional<List<String>> split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        char quote = 0;
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i++);
            if (quote == '\'') {
                if (c == '\'') {
                    words.add(word.toString());
                    word = null;
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '\\' && i < line.length()) {
                if (word == null) {
                    word = new StringBuilder();
                }
                word.append(line.charAt(i++));
            } else if (quote == '"') {
                if (c == '"') {
                    words.add(word.toString());
                    word = null;
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (Character.isWhitespace(c)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else if (word == null && (c == '#' || c == ';')) {
                break;
            } else if (word == null && (c == '"' || c == '\'')) {
                word = new StringBuilder();
                quote = c;
            } else {
                if (word == null) {
                    word = new StringBuilder();
                }
                word.append(c);
            }
        }
        if (quote != 0) {
            return Optional.empty();
        }
        if (word != null) {
            words.add(word.toString());
        }
        return Optional.of(words);
    }

    /** Writes words back so that {@link #split} returns them unchanged. */
    static String join(List<String> words) {
        StringBuilder sb = new StringBuilder();
        for (String w : words) {
            if (!sb.isEmpty()) {
                sb.append(' ');
            }
            if (needsQuotes(w)) {
                sb.append('"');
                for (int i = 0; i < w.length(); i++) {
                    char c = w.charAt(i);
                    if (c == '"' || c == '\\') {
                        sb.append('\\');
                    }
                    sb.append(c);
                }
                sb.append('"');
            } else {
                sb.append(w);
            }
        }
        return sb.toString();
    }

    private static boolean needsQuotes(String w) {
        if (w.isEmpty() || w.charAt(0) == '#' || w.charAt(0) == ';') {
            return true;
        }
        for (int i = 0; i < w.length(); i++) {
            char c = w.charAt(i);
            if (Character.isWhitespace(c) || c == '"' || c == '\'' || c == '\\') {
                return true;
            }
        }
        return false;
    }
}
