package io.culvert.engine.service.protocol;

import java.util.List;
import java.util.Map;

/** Typed reads of members from a parsed JSON object; a missing or mistyped member is a {@link JsonException}. Stateless. */
public final class Fields {
    private Fields() {}

    public static String str(Map<String, Object> m, String key) throws JsonException {
        if (m.get(key) instanceof String s) {
            return s;
        }
        throw new JsonException("member '" + key + "' must be a string");
    }

    /** The string member, or null when absent or null. */
    public static String optStr(Map<String, Object> m, String key) throws JsonException {
        Object v = m.get(key);
        return v == null ? null : str(m, key);
    }

    public static long lng(Map<String, Object> m, String key) throws JsonException {
        if (m.get(key) instanceof Long l) {
            return l;
        }
        throw new JsonException("member '" + key + "' must be an integer");
    }

    public static int integer(Map<String, Object> m, String key) throws JsonException {
        long v = lng(m, key);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new JsonException("member '" + key + "' out of range");
        }
        return (int) v;
    }

    public static boolean bool(Map<String, Object> m, String key) throws JsonException {
        if (m.get(key) instanceof Boolean b) {
            return b;
        }
        throw new JsonException("member '" + key + "' must be true or false");
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> obj(Map<String, Object> m, String key) throws JsonException {
        if (m.get(key) instanceof Map<?, ?> o) {
            return (Map<String, Object>) o;
        }
        throw new JsonException("member '" + key + "' must be an object");
    }

    /** The object member, or an empty object when absent or null. */
    public static Map<String, Object> optObj(Map<String, Object> m, String key) throws JsonException {
        return m.get(key) == null ? Map.of() : obj(m, key);
    }

    @SuppressWarnings("unchecked")
    public static List<Object> list(Map<String, Object> m, String key) throws JsonException {
        if (m.get(key) instanceof List<?> l) {
            return (List<Object>) l;
        }
        throw new JsonException("member '" + key + "' must be an array");
    }

    /** The array member, or an empty list when absent or mistyped (for optional listings). */
    @SuppressWarnings("unchecked")
    public static List<Object> listOrEmpty(Map<String, Object> m, String key) {
        return m.get(key) instanceof List<?> l ? (List<Object>) l : List.of();
    }

    public static List<String> strings(Map<String, Object> m, String key) throws JsonException {
        List<Object> l = list(m, key);
        for (Object o : l) {
            if (!(o instanceof String)) {
                throw new JsonException("member '" + key + "' must hold strings");
            }
        }
        return l.stream().map(String.class::cast).toList();
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> asObj(Object o, String what) throws JsonException {
        if (o instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new JsonException(what + " must be an object");
    }

    public static <E extends Enum<E>> E enumValue(Map<String, Object> m, String key, Class<E> type) throws JsonException {
        String s = str(m, key);
        try {
            return Enum.valueOf(type, s);
        } catch (IllegalArgumentException e) {
            throw new JsonException("member '" + key + "' has unknown value '" + s + "'");
        }
    }
}
