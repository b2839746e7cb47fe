package io.culvert.engine.management;

/**
 * One {@code >LOG:} entry: unix time, OpenVPN's flag letter (I info, W warning, N non-fatal error, F fatal,
 * D debug) and the message. Instances are immutable.
 */
public record LogRecord(long unixTime, String flags, String message) {

    /** The line without the {@code >LOG:} prefix. */
    public String format() {
        return unixTime + "," + flags + "," + message.replace('\r', ' ').replace('\n', ' ');
    }
}
