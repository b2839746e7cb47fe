package io.culvert.engine.tun;

import java.io.IOException;
import java.util.List;

/** Runs an external program with an argument vector (never through a shell); injected so tests can record calls. */
@FunctionalInterface
public interface CommandRunner {

    /** Runs {@code argv} to completion; a non-zero exit is reported in the result, not thrown. */
    Result run(List<String> argv) throws IOException;

    /** What a finished command produced. Immutable. */
    record Result(int exitCode, String stdout, String stderr) {
        public static Result ok(String stdout) {
            return new Result(0, stdout, "");
        }

        public boolean succeeded() {
            return exitCode == 0;
        }
    }
}
