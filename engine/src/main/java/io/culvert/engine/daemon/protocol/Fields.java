package io.culvert.engine.daemon.protocol;

import io.culvert.engine.daemon.protocol.MessageException.Reason;
import java.util.List;
import java.util.Map;

/**
 * Typed reads of members from a parsed JSON object. An absent or null member the message needs is
 * {@link Reason#MISSING_FIELD}, a member of another JSON type {@link Reason#WRONG_TYPE}, a value outside its range or
 * set {@link Reason#BAD_VALUE}; each names the member. Stateless.
 */
final class Fields {
    private Fields() {}

    private static Object required(Map<String, Object> m, String key) throws MessageException {
        Object v = m.get(key);
        if (v == null) {
            throw new MessageException(Reason.MISSING_FIELD, key, "member '" + key + "' is missing");
        }
        return v;
    }

    private static MessageException wrongType(String key, String what) {
        return new MessageException(Reason.WRONG_TYPE, key, "member '" + key + "' must be " + what);
    }

    static String str(Map<String, Object> m, String key) throws MessageException {
        if (required(m, key) instanceof String s) {
            return s;
        }
        throw wrongType(key, "a string");
    }

    /** The string member, or null when absent or null. */
    static String optStr(Map<String, Object> m, String key) throws MessageException {
        return m.get(key) == null ? null : str(m, key);
    }

    static long lng(Map<String, Object> m, String key) throws MessageException {
        if (required(m, key) instanceof Long l) {
            return l;
        }
        throw wrongType(key, "an integer");
    }

    /** The integer member, or null when absent or null. */
    static Long optLng(Map<String, Object> m, String key) throws MessageException {
        return m.get(key) == null ? null : lng(m, key);
    }

    static int integer(Map<String, Object> m, String key) throws MessageException {
        long v = lng(m, key);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new MessageException(Reason.BAD_VALUE, key, "member '" + key + "' out of range");
        }
        return (int) v;
    }

    static boolean bool(Map<String, Object> m, String key) throws MessageException {
        if (required(m, key) instanceof Boolean b) {
            return b;
        }
        throw wrongType(key, "true or false");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> obj(Map<String, Object> m, String key) throws MessageException {
        if (required(m, key) instanceof Map<?, ?> o) {
            return (Map<String, Object>) o;
        }
        throw wrongType(key, "an object");
    }

    /** The object member, or an empty object when absent or null. */
    static Map<String, Object> optObj(Map<String, Object> m, String key) throws MessageException {
        return m.get(key) == null ? Map.of() : obj(m, key);
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Map<String, Object> m, String key) throws MessageException {
        if (required(m, key) instanceof List<?> l) {
            return (List<Object>) l;
        }
        throw wrongType(key, "an array");
    }

    /** The array member, or an empty list when absent or mistyped (for optional listings). */
    @SuppressWarnings("unchecked")
    static List<Object> listOrEmpty(Map<String, Object> m, String key) {
        return m.get(key) instanceof List<?> l ? (List<Object>) l : List.of();
    }

    static List<String> strings(Map<String, Object> m, String key) throws MessageException {
        List<Object> l = list(m, key);
        for (Object o : l) {
            if (!(o instanceof String)) {
                throw wrongType(key, "an array of strings");
            }
        }
        return l.stream().map(String.class::cast).toList();
    }

    /** An object of string members ({@code ccd}: common name → entry text); empty when absent. */
    static Map<String, String> stringMap(Map<String, Object> m, String key) throws MessageException {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, Object> e : optObj(m, key).entrySet()) {
            if (!(e.getValue() instanceof String text)) {
                throw new MessageException(Reason.WRONG_TYPE, key + "." + e.getKey(),
                        key + " entry '" + e.getKey() + "' must be a string");
            }
            out.put(e.getKey(), text);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asObj(Object o, String what) throws MessageException {
        if (o instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new MessageException(Reason.WRONG_TYPE, null, what + " must be an object");
    }

    static <E extends Enum<E>> E enumValue(Map<String, Object> m, String key, Class<E> type) throws MessageException {
        String s = str(m, key);
        try {
            return Enum.valueOf(type, s);
        } catch (IllegalArgumentException e) {
            throw new MessageException(Reason.BAD_VALUE, key, "member '" + key + "' has unknown value '" + s + "'");
        }
    }
}
