package io.culvert.engine.daemon.protocol;

import io.culvert.engine.common.JsonText;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict, bounded JSON codec (RFC 8259) over plain Java values: {@code Map<String,Object>} (insertion order),
 * {@code List<Object>}, {@link String}, {@link Long} for integers, {@link Double} for other numbers,
 * {@link Boolean} and {@code null}. Parsing enforces {@link JsonLimits} and rejects duplicate keys, trailing
 * content and raw control characters; writing never emits a raw line break, so one document is one line.
 * Stateless and thread-safe.
 */
public final class Json {
    private Json() {}

    /** Parses one document within {@code limits}. */
    public static Object parse(String text, JsonLimits limits) throws JsonException {
        if (text.length() > limits.maxChars()) {
            throw new JsonException("document longer than " + limits.maxChars() + " characters");
        }
        Parser p = new Parser(text, limits);
        p.skipSpace();
        Object value = p.value(0);
        p.skipSpace();
        if (p.pos != text.length()) {
            throw p.error("trailing content");
        }
        return value;
    }

    /** Parses a document that must be an object. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(String text, JsonLimits limits) throws JsonException {
        if (parse(text, limits) instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new JsonException("expected a JSON object");
    }

    /** Writes {@code value} as compact JSON on one line. */
    public static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(value, sb, 0);
        return sb.toString();
    }

    private static void write(Object value, StringBuilder sb, int depth) {
        if (depth > 64) {
            throw new IllegalArgumentException("value nested deeper than 64");
        }
        switch (value) {
            case null -> sb.append("null");
            case String s -> JsonText.quote(s, sb);
            case Boolean b -> sb.append(b);
            case Long l -> sb.append(l);
            case Integer i -> sb.append(i);
            case Double d -> {
                if (d.isNaN() || d.isInfinite()) {
                    throw new IllegalArgumentException("JSON has no NaN or infinity");
                }
                sb.append(d);
            }
            case Map<?, ?> m -> {
                sb.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (!first) {
                        sb.append(',');
                    }
                    first = false;
                    JsonText.quote((String) e.getKey(), sb);
                    sb.append(':');
                    write(e.getValue(), sb, depth + 1);
                }
                sb.append('}');
            }
            case List<?> l -> {
                sb.append('[');
                for (int i = 0; i < l.size(); i++) {
                    if (i > 0) {
                        sb.append(',');
                    }
                    write(l.get(i), sb, depth + 1);
                }
                sb.append(']');
            }
            default -> throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
        }
    }

    /** Recursive-descent parser over one string. Not thread-safe. */
    private static final class Parser {
        private final String s;
        private final JsonLimits limits;
        int pos;

        Parser(String s, JsonLimits limits) {
            this.s = s;
            this.limits = limits;
        }

        JsonException error(String what) {
            return new JsonException(what + " at offset " + pos);
        }

        void skipSpace() {
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                    return;
                }
                pos++;
            }
        }

        Object value(int depth) throws JsonException {
            if (pos >= s.length()) {
                throw error("unexpected end");
            }
            char c = s.charAt(pos);
            return switch (c) {
                case '{' -> object(depth + 1);
                case '[' -> array(depth + 1);
                case '"' -> string();
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", null);
                default -> {
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        yield number();
                    }
                    throw error("unexpected character '" + printable(c) + "'");
                }
            };
        }

        private Object literal(String word, Object value) throws JsonException {
            if (!s.startsWith(word, pos)) {
                throw error("bad literal");
            }
            pos += word.length();
            return value;
        }

        private Map<String, Object> object(int depth) throws JsonException {
            checkDepth(depth);
            pos++;
            Map<String, Object> m = new LinkedHashMap<>();
            skipSpace();
            if (peek('}')) {
                pos++;
                return Collections.unmodifiableMap(m);
            }
            while (true) {
                skipSpace();
                if (!peek('"')) {
                    throw error("expected a member name");
                }
                String key = string();
                skipSpace();
                expect(':');
                skipSpace();
                Object v = value(depth);
                if (m.containsKey(key)) {
                    throw error("duplicate member '" + key + "'");
                }
                m.put(key, v);
                if (m.size() > limits.maxMembers()) {
                    throw error("more than " + limits.maxMembers() + " members");
                }
                skipSpace();
                if (peek(',')) {
                    pos++;
                } else {
                    expect('}');
                    return Collections.unmodifiableMap(m);
                }
            }
        }

        private List<Object> array(int depth) throws JsonException {
            checkDepth(depth);
            pos++;
            List<Object> l = new ArrayList<>();
            skipSpace();
            if (peek(']')) {
                pos++;
                return Collections.unmodifiableList(l);
            }
            while (true) {
                skipSpace();
                l.add(value(depth));
                if (l.size() > limits.maxMembers()) {
                    throw error("more than " + limits.maxMembers() + " elements");
                }
                skipSpace();
                if (peek(',')) {
                    pos++;
                } else {
                    expect(']');
                    return Collections.unmodifiableList(l);
                }
            }
        }

        private void checkDepth(int depth) throws JsonException {
            if (depth > limits.maxDepth()) {
                throw error("nested deeper than " + limits.maxDepth());
            }
        }

        private String string() throws JsonException {
            pos++;
            StringBuilder sb = new StringBuilder();
            while (true) {
                if (pos >= s.length()) {
                    throw error("unterminated string");
                }
                char c = s.charAt(pos++);
                if (c == '"') {
                    return sb.toString();
                }
                if (c < 0x20) {
                    throw error("raw control character in string");
                }
                if (c != '\\') {
                    sb.append(c);
                    continue;
                }
                if (pos >= s.length()) {
                    throw error("unterminated escape");
                }
                char e = s.charAt(pos++);
                switch (e) {
                    case '"', '\\', '/' -> sb.append(e);
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        if (pos + 4 > s.length()) {
                            throw error("short \\u escape");
                        }
                        int cp = 0;
                        for (int i = 0; i < 4; i++) {
                            int d = Character.digit(s.charAt(pos++), 16);
                            if (d < 0) {
                                throw error("bad \\u escape");
                            }
                            cp = cp * 16 + d;
                        }
                        sb.append((char) cp);
                    }
                    default -> throw error("bad escape '\\" + printable(e) + "'");
                }
            }
        }

        private Object number() throws JsonException {
            int start = pos;
            if (peek('-')) {
                pos++;
            }
            if (peek('0')) {
                pos++;
            } else if (!digits()) {
                throw error("bad number");
            }
            boolean integral = true;
            if (peek('.')) {
                pos++;
                integral = false;
                if (!digits()) {
                    throw error("bad fraction");
                }
            }
            if (peek('e') || peek('E')) {
                pos++;
                integral = false;
                if (peek('+') || peek('-')) {
                    pos++;
                }
                if (!digits()) {
                    throw error("bad exponent");
                }
            }
            String text = s.substring(start, pos);
            if (text.length() > 32) {
                throw error("number longer than 32 characters");
            }
            if (integral) {
                try {
                    return Long.parseLong(text);
                } catch (NumberFormatException ex) {
                    throw error("integer out of range");
                }
            }
            double d = Double.parseDouble(text);
            if (Double.isInfinite(d)) {
                // 1e999 would read as infinity, which JSON cannot express: every parsed value must be writable.
                throw error("number out of range");
            }
            return d;
        }

        private boolean digits() {
            int start = pos;
            while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
                pos++;
            }
            return pos > start;
        }

        private boolean peek(char c) {
            return pos < s.length() && s.charAt(pos) == c;
        }

        private void expect(char c) throws JsonException {
            if (!peek(c)) {
                throw error("expected '" + c + "'");
            }
            pos++;
        }

        private static String printable(char c) {
            return c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c);
        }
    }
}
