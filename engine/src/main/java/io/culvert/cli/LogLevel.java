package io.culvert.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/** Maps OpenVPN's {@code verb} to a log level: 0 errors only, 1–2 warnings, 3–4 info, 5 and up debug. */
final class LogLevel {
    private LogLevel() {}

    static void apply(int verb) {
        Level level = verb <= 0 ? Level.ERROR : verb <= 2 ? Level.WARN : verb <= 4 ? Level.INFO : Level.DEBUG;
        if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root) {
            root.setLevel(level);
        }
    }
}
