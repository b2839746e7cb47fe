package io.culvert.engine.common;

/**
 * The one JSON string writer: a string as a JSON string literal, escaped so that it stays on one line and is safe in
 * JavaScript too (control characters, DEL, U+2028 and U+2029 as {@code \}{@code uXXXX}). Used by culvertd's codec and
 * by the CLI's JSON reports. Stateless and thread-safe.
 */
public final class JsonText {
    private JsonText() {}

    /** {@code s} as a JSON string literal, or {@code null} for null. */
    public static String quote(String s) {
        return s == null ? "null" : quote(s, new StringBuilder(s.length() + 2)).toString();
    }

    /** Appends {@code s} as a JSON string literal to {@code sb}; returns {@code sb}. */
    public static StringBuilder quote(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"');
    }
}
