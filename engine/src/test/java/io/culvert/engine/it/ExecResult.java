package io.culvert.engine.it;

/**
 * Outcome of a command run to completion; immutable.
 *
 * @param exitCode the exit status, or -1 when the command timed out and was killed
 * @param output stdout and stderr, interleaved
 */
public record ExecResult(int exitCode, String output) {

    /** True when the command exited with status 0. */
    public boolean ok() {
        return exitCode == 0;
    }

    /** Returns this result, or throws with the output when the exit status is not 0. */
    public ExecResult orThrow(String what) {
        if (!ok()) {
            throw new IllegalStateException(what + " failed (exit " + exitCode + "):\n" + output);
        }
        return this;
    }
}
