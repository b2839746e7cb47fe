package io.culvert.cli;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The exit codes of every {@code culvert} command, listed in each command's help and man page (ADR 0049). Scripts,
 * the systemd units and the tests rely on them; a new code is added here and documented, never reused.
 */
final class ExitCodes {
    /** The command did what it was asked (a server or client that was told to stop also ends with 0). */
    static final int OK = 0;
    /** The command ran and failed: a file could not be read, a config was refused, the tunnel failed. */
    static final int FAILED = 1;
    /** Bad usage: an unknown command or option, a missing or malformed value; the message names it. */
    static final int USAGE = 2;
    /** {@code culvert server diagnose}: the server was asked and one of its checks failed. */
    static final int CHECK_FAILED = 3;

    /** What every command's help and man page list under "Exit status", in order. */
    static final Map<String, String> DESCRIBED = described();

    private static Map<String, String> described() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(Integer.toString(OK), "done");
        m.put(Integer.toString(FAILED), "failed: a file could not be read, a config was refused, the tunnel or server failed");
        m.put(Integer.toString(USAGE), "bad usage: an unknown command or option, a missing or malformed value");
        return Collections.unmodifiableMap(m);
    }

    private ExitCodes() {}
}
