package io.culvert.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * {@code culvert} run in-process as a user would type it: its exit code, and what the last run printed on stdout and
 * stderr. The environment is empty unless given.
 */
final class CliRun {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Map<String, String> env;

    CliRun() {
        this(Map.of());
    }

    CliRun(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    /** Runs {@code culvert args…}; forgets what the run before printed. */
    int run(String... args) {
        out.reset();
        err.reset();
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env);
    }

    /** What the last run printed on stdout. */
    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    /** What the last run printed on stderr. */
    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
