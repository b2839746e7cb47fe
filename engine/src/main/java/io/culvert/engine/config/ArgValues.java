package io.culvert.engine.config;

import java.util.List;
import java.util.Locale;

/** Argument converters that fail with INVALID_VALUE naming the line. Stateless and thread-safe. */
final class ArgValues {

    private ArgValues() {}

    static int intIn(Directive d, int index, int min, int max) throws OvpnParseException {
        long v = longIn(d, index, min, max);
        return (int) v;
    }

    static long longIn(Directive d, int index, long min, long max) throws OvpnParseException {
        String s = d.arg(index);
        long v;
        try {
            v = Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw invalid(d, "'" + s + "' is not a number");
        }
        if (v < min || v > max) {
            throw invalid(d, v + " is out of range " + min + ".." + max);
        }
        return v;
    }

    static int port(Directive d, int index) throws OvpnParseException {
        String s = d.arg(index);
        try {
            int p = Integer.parseInt(s);
            if (p >= 1 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw invalid(d, "'" + s + "' is not a port number (1..65535)");
    }

    /** The argument lower-cased if it is one of {@code allowed}. */
    static String oneOf(Directive d, int index, List<String> allowed) throws OvpnParseException {
        String s = d.arg(index);
        if (s != null && allowed.contains(s.toLowerCase(Locale.ROOT))) {
            return s.toLowerCase(Locale.ROOT);
        }
        throw invalid(d, "'" + s + "' is not one of " + String.join(", ", allowed));
    }

    static OvpnParseException invalid(Directive d, String detail) {
        return new OvpnParseException(d.line(), d.name(), Reason.INVALID_VALUE, detail);
    }
}
