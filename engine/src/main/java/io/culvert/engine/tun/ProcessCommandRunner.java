package io.culvert.engine.tun;

import io.culvert.engine.common.Processes;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/** A {@link CommandRunner} on {@link Processes}, with a timeout. Stateless and thread-safe. */
public final class ProcessCommandRunner implements CommandRunner {
    /** What is kept of each output stream: far more than any {@code ip} or {@code resolvectl} answer we read. */
    private static final int OUTPUT_CAP = 1024 * 1024;
    private final Duration timeout;

    public ProcessCommandRunner() {
        this(Processes.DEFAULT_TIMEOUT);
    }

    public ProcessCommandRunner(Duration timeout) {
        this.timeout = timeout;
    }

    @Override
    public Result run(List<String> argv) throws IOException {
        Processes.Result r = Processes.command(argv).named(String.join(" ", argv)).timeout(timeout).outputCap(OUTPUT_CAP).run();
        return new Result(r.exitCode(), r.out(), r.err());
    }
}
