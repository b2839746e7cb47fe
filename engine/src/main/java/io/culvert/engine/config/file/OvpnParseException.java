package io.culvert.engine.config.file;

/**
 * A config file problem located by line and directive. The message is technical; user-facing text is
 * built from {@link #reason()}. Instances are immutable.
 */
public final class OvpnParseException extends Exception {
    private final int line;
    private final String directive;
    private final Reason reason;
    private final String detail;

    public OvpnParseException(int line, String directive, Reason reason, String detail) {
        this(line, directive, reason, detail, null);
    }

    public OvpnParseException(int line, String directive, Reason reason, String detail, Throwable cause) {
        super(format(line, directive, reason, detail), cause);
        this.line = line;
        this.directive = directive;
        this.reason = reason;
        this.detail = detail;
    }

    private static String format(int line, String directive, Reason reason, String detail) {
        StringBuilder sb = new StringBuilder();
        if (line > 0) {
            sb.append("line ").append(line).append(": ");
        }
        if (directive != null) {
            sb.append('\'').append(directive).append("': ");
        }
        return sb.append(reason).append(": ").append(detail).toString();
    }

    /** The 1-based line number, or 0 when the problem is not about one line. */
    public int line() {
        return line;
    }

    /** The directive name, or null when not known (for example a lexer error). */
    public String directive() {
        return directive;
    }

    public Reason reason() {
        return reason;
    }

    public String detail() {
        return detail;
    }
}
