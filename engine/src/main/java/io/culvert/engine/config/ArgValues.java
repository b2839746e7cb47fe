package io.culvert.engine.config;

import io.culvert.engine.config.file.Directive;
import io.culvert.engine.config.file.OvpnParseException;
import io.culvert.engine.config.file.Reason;
import java.util.List;
import java.util.Locale;

/** Argument converters that fail with INVALID_VALUE naming the line. Stateless and thread-safe. */
final class ArgValues {

    /** OpenVPN's {@code TLS_CHANNEL_MTU_MIN}, the smallest non-zero mssfix it accepts. */
    private static final int MSSFIX_MIN = 154;

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
    /**
     * {@code mssfix [N [mtu|fixed]]}: null for a bare {@code mssfix}, which means OpenVPN's default; N is 0 (off) or
     * at least 154, as in OpenVPN.
     */
    static io.culvert.engine.common.Mssfix mssfix(Directive d) throws OvpnParseException {
        if (d.args().isEmpty()) {
            return null;
        }
        int value = intIn(d, 0, 0, 65535);
        if (value != 0 && value < MSSFIX_MIN) {
            throw invalid(d, "mssfix needs to be >= " + MSSFIX_MIN + ", not " + value);
        }
        String word = d.args().size() > 1 ? oneOf(d, 1, List.of("mtu", "fixed")) : null;
        return io.culvert.engine.common.Mssfix.of(value, word);
    }

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
